// One member of each kind the generator refuses; each is an error at its line.
// The fields come after the methods: the parser visits fields first, yet the
// errors must come out in source order.
#include <atomic>
#include <string_view>

#include <remoteobj/annotate.hpp>

class REMOTEOBJ Gadget {
public:
    int* make();
    int&& moved();
    std::string_view view();
    void take(const std::atomic<int>& value);
    void out(int*& result);
    void pointer(int** value);
    REMOTEOBJ_ONEWAY int oneway();
    int operator+(int other) const;
    template <class T> void generic(T value);
    int* operator[](int key);
    int& reference;
    int* raw = nullptr;
};

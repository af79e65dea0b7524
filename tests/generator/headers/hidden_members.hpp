// Members the generator would refuse, each marked REMOTEOBJ_HIDE: none is an error.
#include <string>

#include <remoteobj/annotate.hpp>

class REMOTEOBJ Hidden {
public:
    int shown = 0;
    REMOTEOBJ_HIDE int* pointer = nullptr;
    REMOTEOBJ_HIDE int& reference;
    template <class T> REMOTEOBJ_HIDE void generic(T value);
    template <class T> REMOTEOBJ_HIDE operator T() const;
    REMOTEOBJ_HIDE void takes_pointer(const char* text);
    REMOTEOBJ_HIDE void out_param(int& result);
    REMOTEOBJ_HIDE int operator+(int other) const;
    REMOTEOBJ_HIDE int* operator[](int key);
    void call();
};

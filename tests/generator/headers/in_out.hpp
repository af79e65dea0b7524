// In-out parameters: `T&` and `T*` of value types are accepted (Accepted); what
// cannot be sent and written back is refused, each at its own line (Refused).
#include <atomic>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <remoteobj/annotate.hpp>
#include <remoteobj/generator.hpp>
#include "stand_ins.hpp"  // remoteobj::Remote

class REMOTEOBJ Accepted {
public:
    void fill(int& n);
    bool get(const std::string& key, std::string* value);
    int length(const std::string* text = nullptr);
    void append(std::vector<int>& out);
};

class REMOTEOBJ Served {
public:
    remoteobj::Remote<Served> remote{*this};
};

class REMOTEOBJ Refused {
public:
    void pointer_to_pointer(int** out);
    void reference_to_pointer(int*& out);
    void array(int values[4]);
    void view(std::string_view& text);
    void maybe(std::optional<int>* value);
    REMOTEOBJ_ONEWAY void oneway(int& n);
    remoteobj::generator<int> streams(int& n);
    int& element(int& index);
    void moved(std::string&& text);
    void object(Served& served);
    void atomic(std::atomic<int>& value);
    void span(std::span<int>* values);
    void array_reference(int (&values)[4]);
    void buffer(char* out, int size);
    void view_pointer(const std::string_view* text);
    int fine = 0;
};

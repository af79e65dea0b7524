// Types the user does not own: plain aggregates and adapted types are accepted;
// a class that is neither is refused at each use, naming why (its private data
// members, its constructor) and the fixes, with an adapter to copy.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <remoteobj/adapter.hpp>
#include <remoteobj/annotate.hpp>

namespace vendor {
struct Options {
    int level = 0;
    std::string name;
};
struct Framed : Options {
    bool framed = false;
};
class Status {
public:
    bool ok() const { return code_ == 0; }

private:
    int code_ = 0;
    std::string message_;
};
class Slice {
public:
    Slice(const char* data);
    const char* data_ = "";
};
struct Callback {
    std::function<void()> run;
};
struct Node {
    int value = 0;
    std::vector<Node> children;
};
struct Shape {
    virtual ~Shape() = default;
    int sides = 0;
};
struct NoWire {};
struct NoFromWire {};
struct ViewWire {};
}  // namespace vendor

template <>
struct remoteobj::adapter<vendor::Slice> {
    using wire = std::string;
    static wire to_wire(const vendor::Slice& s) { return s.data_; }
    static vendor::Slice from_wire(const wire& w) { return vendor::Slice(w.c_str()); }
};
template <>
struct remoteobj::adapter<vendor::NoWire> {
    static int to_wire(const vendor::NoWire&) { return 0; }
    static vendor::NoWire from_wire(int) { return {}; }
};
template <>
struct remoteobj::adapter<vendor::NoFromWire> {
    using wire = int;
    static int to_wire(const vendor::NoFromWire&) { return 0; }
};
template <>
struct remoteobj::adapter<vendor::ViewWire> {
    using wire = std::string_view;
    static wire to_wire(const vendor::ViewWire&) { return ""; }
    static vendor::ViewWire from_wire(wire) { return {}; }
};

class REMOTEOBJ Store {
public:
    vendor::Options options;
    vendor::Framed framed;
    vendor::Status status;
    void put(const vendor::Slice& key, std::vector<vendor::Options> all);
    vendor::Status check(int code);
    void call(vendor::Callback callback);
    vendor::Node tree();
    void draw(const vendor::Shape& shape);
    void no_wire(vendor::NoWire x);
    void no_from_wire(vendor::NoFromWire x);
    void view_wire(vendor::ViewWire x);
};

// The generator's model of an annotated header: plain structs, no Clang types.
//
// The parser (parse/) fills it from the AST; the emitters (emit/) read only it.
// Anything an emitter needs to know about a class must be written down here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace remoteobj::gen {

struct SourceLocation {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;
};

// New kinds go last (the description and member ids name kinds by word, not number: wire_identity.hpp).
enum class TypeKind {
    Void,
    Bool,
    Integer,   // bits, is_signed
    Floating,  // bits: 32 or 64
    Enum,      // spelling names the enum; args[0] is its underlying integer
    String,    // std::string, std::u8string, std::filesystem::path: a FlatBuffers string
    StringView,  // std::string_view: an argument only, received as a std::string
    Atomic,    // std::atomic<args[0]>: a field read with load(), written with store()
    Object,    // another REMOTEOBJ class (a field of it is a nested proxy); spelling names it
    Vector,    // std::vector / std::deque / std::list / std::forward_list<args[0]>
    Array,     // std::array<args[0], bits>: `bits` holds the size (a C array field too, spelled
               // as the std::array it travels and reads as)
    Set,       // std::set / std::multiset / std::unordered_set / std::unordered_multiset<args[0]>
    Optional,  // std::optional, std::unique_ptr, std::shared_ptr<args[0]>: absent or the value
    Map,       // std::map / std::unordered_map / std::multimap / std::unordered_multimap<args[0],
               // args[1]>: keys and values as two vectors
    Duration,  // std::chrono::duration<args[0], ...>, or a std::chrono::time_point whose duration
               // has rep args[0]: travels as its count() (since the epoch, for a time point)
    Tuple,     // std::pair / std::tuple<args...>: a table with a field per element
    Variant,   // std::variant<args...>: a table with the index and a field per alternative
    Signal,    // remoteobj::Signal<args...>: a field the owner emits; each emission carries args
    CString,   // const char*: an argument or a result only; a string, absent for null;
               // received as a std::optional<std::string>
    Span,      // std::span<args[0]>: an argument only, sent as a vector, received as a
               // std::vector (std::array when `bits`, its fixed extent, is not 0)
    Bitset,    // std::bitset<bits>: its bits packed into (bits + 7) / 8 bytes
    Complex,   // std::complex<args[0]>: a vector of its two parts
    Monostate,  // std::monostate, as an alternative of a variant only: carries nothing
    Adapted,    // a class with a user's remoteobj::adapter<spelling>: travels as args[0], its
                // `wire` type, in the wire type's tables; the runtime converts (codec.hpp)
    Aggregate,  // a plain aggregate of any header, not REMOTEOBJ: a table of its public fields,
                // args[i] named names[i] (a base's fields first), generated once per program
};

struct TypeModel {
    TypeKind kind = TypeKind::Void;
    std::string spelling;  // how C++ code names the type ("int", "::app::Color", "std::string")
    unsigned bits = 0;
    bool is_signed = false;
    std::vector<TypeModel> args;
    std::string declared_in;  // Object: the header declaring the class, as Clang opened it
    std::vector<std::int64_t> enumerators;  // Enum: the declared values (bit patterns), in order
    std::vector<std::string> names;  // Aggregate: its fields' names, in the order of args

    bool operator==(const TypeModel&) const = default;
};

/// How a parameter is passed in the original declaration.
enum class Passing {
    ByValue,
    ByConstReference,
    /// `T&` of a value type: in-out. The value is sent, and the value the member
    /// leaves in its copy comes back in the reply and is written into the caller's.
    InOutReference,
    /// `T*` of a value type: in-out as a reference, and null crosses as null (the
    /// member sees nullptr; nothing is written back). `type` is what travels:
    /// std::optional<T> (args[0] is T), absent for null.
    InOutPointer,
    /// `const T*` of a value type: an input that may be null. `type` is
    /// std::optional<T>, as for InOutPointer; nothing comes back.
    ConstPointer,
};

struct ParamModel {
    std::string name;  // "arg<i>" when the declaration left it unnamed
    TypeModel type;
    Passing passing = Passing::ByValue;
    std::optional<std::string> default_value;  // the default's source text, as written
};

/// Whether the member's value of `param` is written back into the caller's object.
inline bool is_in_out(const ParamModel& param) {
    return param.passing == Passing::InOutReference || param.passing == Passing::InOutPointer;
}

/// Whether `param` is a pointer (`T*`, `const T*`): it travels as std::optional<T>.
inline bool is_pointer(const ParamModel& param) {
    return param.passing == Passing::InOutPointer || param.passing == Passing::ConstPointer;
}

/// A public data member. A remoteobj::Signal member is one too, its type of kind
/// Signal: subscribed to, never read or written.
struct FieldModel {
    std::uint32_t id = 0;
    std::string name;
    TypeModel type;
    bool is_const = false;  // a const field can be read, not written
    std::string doc;        // the doc comment's text, comment markers removed
    SourceLocation location;
};

struct MethodModel {
    std::uint32_t id = 0;
    std::string name;
    TypeModel result;
    std::vector<ParamModel> params;
    bool is_const = false;
    bool oneway = false;
    bool is_virtual = false;
    bool is_pure = false;
    /// Returns a reference to its own object (`T& chain() { ...; return *this; }`):
    /// the proxy returns itself, so calls chain.
    bool returns_self = false;
    /// Returns a reference to another REMOTEOBJ object (`result`, of kind Object):
    /// the proxy returns that object's proxy over a path, sending nothing yet.
    bool returns_object = false;
    /// `returns_object` through a const reference (`const Child& child() const`).
    bool object_const = false;
    /// Returns a reference to a value (`std::vector<int>& items()`): calling copies
    /// the value back; `.view(args)` keeps it remote. `reference_writable` when the
    /// reference is not const.
    bool returns_reference = false;
    bool reference_writable = false;
    /// Returns remoteobj::generator<T> (`result` is T): each value it yields
    /// travels as one reply of a stream, in the result table a T result has.
    bool streams = false;
    /// `[[nodiscard]]` and `[[deprecated("message")]]` on the method: the stub
    /// carries them, so a caller is warned as a local call would warn.
    bool nodiscard = false;
    std::optional<std::string> deprecated;
    std::string doc;
    SourceLocation location;

    /// Arguments a caller must pass: those before the first default.
    std::size_t required_params() const;
    /// Whether a parameter is in-out: the reply then carries its value back.
    bool has_in_out() const;
};

/// `operator[]`: `r[key]` reads an element, and writes it when the operator
/// returns a non-const reference.
struct SubscriptModel {
    std::uint32_t id = 0;
    TypeModel key;
    TypeModel element;
    bool assignable = false;
    SourceLocation location;
};

struct BaseModel {
    std::string qualified_name;
    bool is_remoteobj = false;  // the base is itself an annotated class
};

struct ClassModel {
    std::string name;            // "Counter"
    std::string qualified_name;  // "app::Counter" (no leading ::)
    std::string doc;
    std::vector<BaseModel> bases;
    /// Derives from std::exception: registered so that it is rethrown as itself
    /// when it crosses from another process.
    bool is_exception = false;
    /// Holds a remoteobj::Remote<T>: an object to reach, never a value to copy.
    bool has_remote = false;
    /// Has a pure virtual method, its own or inherited: served through the concrete
    /// object that implements it, never constructed.
    bool is_abstract = false;
    /// Can cross by value: not abstract, default-constructible, every data member
    /// public (else no value codec is generated, and using it by value is an error).
    bool crosses_by_value = true;
    std::vector<FieldModel> fields;
    std::vector<MethodModel> methods;
    std::optional<SubscriptModel> subscript;
    SourceLocation location;
};

struct HeaderModel {
    std::string header_path;  // absolute
    std::vector<ClassModel> classes;
};

}  // namespace remoteobj::gen

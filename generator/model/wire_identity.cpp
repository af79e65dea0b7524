// Member ids and class identities from canonical texts; see wire_identity.hpp.
#include "model/wire_identity.hpp"

#include <fmt/format.h>

namespace remoteobj::gen {
namespace {

// A C++ name as the texts write it: without the leading "::".
std::string plain_name(const std::string& spelling) {
    return spelling.rfind("::", 0) == 0 ? spelling.substr(2) : spelling;
}

std::string wire_list(const std::vector<TypeModel>& types) {
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i) out += (i ? ", " : "") + wire_type(types[i]);
    return out;
}

std::string first_arg(const TypeModel& type) { return type.args.empty() ? "?" : wire_type(type.args[0]); }

// How a parameter is passed, where that changes what travels back: an in-out
// parameter's value comes back in the reply. (A pointer's type is already an
// optional of what it points to.)
const char* passing_mark(Passing passing) {
    switch (passing) {
    case Passing::InOutReference:
        return "&";
    case Passing::InOutPointer:
        return "*";
    default:
        return "";
    }
}

// A method whose result is not a value travels otherwise: as a path step
// (object, reference), as nothing (self), as a stream of replies.
const char* returns_mark(const MethodModel& method) {
    if (method.returns_self) return " self";
    if (method.returns_object) return " object";
    if (method.returns_reference) return " reference";
    if (method.streams) return " stream";
    return "";
}

}  // namespace

std::string wire_type(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Void: return "void";
    case TypeKind::Bool: return "bool";
    case TypeKind::Integer: return fmt::format("{}int{}", type.is_signed ? "" : "u", type.bits);
    case TypeKind::Floating: return fmt::format("float{}", type.bits);
    case TypeKind::Enum: return fmt::format("{}({})", plain_name(type.spelling), first_arg(type));
    case TypeKind::String:
    case TypeKind::StringView: return "string";
    case TypeKind::CString: return "optional<string>";  // null crosses as absent
    case TypeKind::Atomic:
    case TypeKind::Adapted: return first_arg(type);  // travels as what it holds, or as its wire type
    case TypeKind::Object:
    case TypeKind::Aggregate: return plain_name(type.spelling);  // its fields are positional: see the description
    case TypeKind::Vector:
    case TypeKind::Span: return "[" + first_arg(type) + "]";  // a span is sent as a vector
    case TypeKind::Array: return fmt::format("[{}; {}]", first_arg(type), type.bits);
    case TypeKind::Set: return "set<" + first_arg(type) + ">";
    case TypeKind::Optional: return "optional<" + first_arg(type) + ">";
    case TypeKind::Map: return "map<" + wire_list(type.args) + ">";
    case TypeKind::Duration: return "duration<" + first_arg(type) + ">";
    case TypeKind::Tuple: return "tuple<" + wire_list(type.args) + ">";
    case TypeKind::Variant: return "variant<" + wire_list(type.args) + ">";
    case TypeKind::Signal: return "signal(" + wire_list(type.args) + ")";
    case TypeKind::Bitset: return fmt::format("bitset<{}>", type.bits);
    case TypeKind::Complex: return "complex<" + first_arg(type) + ">";
    case TypeKind::Monostate: return "monostate";
    }
    return "?";
}

std::string member_signature(const FieldModel& field) {
    if (field.type.kind == TypeKind::Signal) return fmt::format("signal {}({})", field.name, wire_list(field.type.args));
    return fmt::format("field {}: {}", field.name, wire_type(field.type));
}

std::string member_signature(const MethodModel& method) {
    std::string params;
    for (std::size_t i = 0; i < method.required_params(); ++i)
        params += (i ? ", " : "") + wire_type(method.params[i].type) + passing_mark(method.params[i].passing);
    // In-out parameters with a default still come back in the reply: they are part of it.
    for (std::size_t i = method.required_params(); i < method.params.size(); ++i)
        if (is_in_out(method.params[i]))
            params += fmt::format(", {}{}=", wire_type(method.params[i].type), passing_mark(method.params[i].passing));
    return fmt::format("method {}({}) -> {}{}", method.name, params, wire_type(method.result), returns_mark(method));
}

std::string member_signature(const SubscriptModel& subscript) {
    return fmt::format("subscript [{}] -> {}", wire_type(subscript.key), wire_type(subscript.element));
}

std::uint32_t member_id(std::string_view signature) {
    std::uint32_t hash = 0x811c9dc5u;
    for (unsigned char c : signature) {
        hash ^= c;
        hash *= 0x01000193u;
    }
    return hash;
}

std::uint64_t class_identity(const ClassModel& cls) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : "class " + cls.qualified_name) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

std::vector<IdCollision> assign_member_ids(ClassModel& cls) {
    struct Named {
        std::uint32_t id;
        std::string what, signature;
    };
    std::vector<Named> seen;
    std::vector<IdCollision> collisions;
    auto assign = [&](std::uint32_t& id, const std::string& signature, const std::string& what,
                      const SourceLocation& where) {
        id = member_id(signature);
        for (const Named& other : seen)
            if (other.id == id) collisions.push_back({other.what, what, where, other.signature == signature});
        seen.push_back({id, what, signature});
    };
    for (FieldModel& field : cls.fields)
        assign(field.id, member_signature(field),
               fmt::format("{} '{}'", field.type.kind == TypeKind::Signal ? "signal" : "field", field.name),
               field.location);
    for (MethodModel& method : cls.methods)
        assign(method.id, member_signature(method), fmt::format("method '{}'", member_signature(method).substr(7)),
               method.location);
    if (cls.subscript)
        assign(cls.subscript->id, member_signature(*cls.subscript), "operator[]", cls.subscript->location);
    return collisions;
}

}  // namespace remoteobj::gen

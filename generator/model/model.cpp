// Derived facts about the model; see model.hpp.
#include "model/model.hpp"

#include <fmt/format.h>

namespace remoteobj::gen {

std::size_t MethodModel::required_params() const {
    std::size_t required = 0;
    while (required < params.size() && !params[required].default_value) ++required;
    return required;
}

bool MethodModel::has_in_out() const {
    for (const ParamModel& param : params)
        if (is_in_out(param)) return true;
    return false;
}

namespace {

// How a parameter is passed, when the reply or a null depends on it ("" for a
// value or a const reference, which keeps older interface hashes as they were).
const char* passing_signature(Passing passing) {
    switch (passing) {
    case Passing::InOutReference:
        return "&inout";
    case Passing::InOutPointer:
        return "*inout";
    case Passing::ConstPointer:
        return "*";
    default:
        return "";
    }
}

std::string type_signature(const TypeModel& type) {
    // Width and signedness decide the bytes on the wire, so they are part of it.
    std::string text = fmt::format("{}:{}:{}{}", static_cast<int>(type.kind), type.spelling, type.bits,
                                   type.is_signed ? "s" : "u");
    for (const auto& arg : type.args) text += "<" + type_signature(arg) + ">";
    for (const auto& name : type.names) text += "." + name;  // a renamed aggregate field is another table
    return text;
}

}  // namespace

std::string interface_signature(const ClassModel& cls) {
    std::string text = "class " + cls.qualified_name + ";";
    for (const auto& f : cls.fields) {
        if (f.type.kind == TypeKind::Signal)  // const or not, it is emitted the same way
            text += fmt::format("signal {} {} {};", f.id, f.name, type_signature(f.type));
        else
            text += fmt::format("field {} {} {}{};", f.id, f.name, type_signature(f.type), f.is_const ? " const" : "");
    }
    for (const auto& m : cls.methods) {
        text += fmt::format("method {} {}(", m.id, m.name);
        for (const auto& p : m.params)
            text += type_signature(p.type) + passing_signature(p.passing) + (p.default_value ? "=," : ",");
        text += fmt::format("){}{}{}->{};", m.is_const ? " const" : "", m.oneway ? " oneway" : "",
                            m.streams ? " streams" : "", type_signature(m.result));
    }
    if (cls.subscript)
        text += fmt::format("subscript {} {}->{}{};", cls.subscript->id, type_signature(cls.subscript->key),
                            type_signature(cls.subscript->element), cls.subscript->assignable ? " assignable" : "");
    return text;
}

std::uint64_t interface_hash(const ClassModel& cls) {
    // FNV-1a: stable across compilers and runs, which std::hash is not.
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : interface_signature(cls)) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

}  // namespace remoteobj::gen

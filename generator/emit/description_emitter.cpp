// Model -> `<name>.remote.json`; see description_emitter.hpp.
#include "emit/description_emitter.hpp"

#include <fmt/format.h>

#include "emit/naming.hpp"
#include "model/wire_identity.hpp"

namespace remoteobj::gen {
namespace {

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                else out += c;  // UTF-8 passes through as it is
        }
    }
    return out + "\"";
}

// Where a description is read, the paths of the machine that generated it mean
// nothing, and an absolute one would make the file differ between build trees:
// the annotated header is named as the generated code includes it, any other file
// by its name.
struct Where {
    const HeaderModel& model;
    const EmitNames& names;

    std::string operator()(const SourceLocation& at) const {
        const std::string file = at.file == model.header_path ? source_name(model, names)
                                                              : at.file.substr(at.file.find_last_of('/') + 1);
        return json_string(at.line == 0 ? file : fmt::format("{}:{}:{}", file, at.line, at.column));
    }
};

const char* kind_name(TypeKind kind) {
    switch (kind) {
        case TypeKind::Void: return "void";
        case TypeKind::Bool: return "bool";
        case TypeKind::Integer: return "integer";
        case TypeKind::Floating: return "floating";
        case TypeKind::Enum: return "enum";
        case TypeKind::String: return "string";
        case TypeKind::StringView: return "string_view";
        case TypeKind::Atomic: return "atomic";
        case TypeKind::Object: return "object";
        case TypeKind::Vector: return "vector";
        case TypeKind::Array: return "array";
        case TypeKind::Set: return "set";
        case TypeKind::Optional: return "optional";
        case TypeKind::Map: return "map";
        case TypeKind::Duration: return "duration";
        case TypeKind::Tuple: return "tuple";
        case TypeKind::Variant: return "variant";
        case TypeKind::Signal: return "signal";
        case TypeKind::CString: return "c_string";
        case TypeKind::Span: return "span";
        case TypeKind::Bitset: return "bitset";
        case TypeKind::Complex: return "complex";
        case TypeKind::Monostate: return "monostate";
        case TypeKind::Adapted: return "adapted";
        case TypeKind::Aggregate: return "aggregate";
    }
    return "unknown";
}

std::string type_json(const TypeModel& type) {
    std::string out = fmt::format("{{\"kind\": \"{}\", \"cpp\": {}, \"wire\": {}", kind_name(type.kind),
                                  json_string(type.spelling), json_string(wire_type(type)));
    switch (type.kind) {
        case TypeKind::Integer:
        case TypeKind::Floating:
            out += fmt::format(", \"bits\": {}, \"signed\": {}", type.bits, type.is_signed || type.kind == TypeKind::Floating);
            break;
        case TypeKind::Array:
        case TypeKind::Bitset: out += fmt::format(", \"size\": {}", type.bits); break;
        case TypeKind::Span:
            if (type.bits != 0) out += fmt::format(", \"size\": {}", type.bits);
            break;
        case TypeKind::Enum: {
            out += ", \"enumerators\": [";
            for (std::size_t i = 0; i < type.enumerators.size(); ++i)
                out += fmt::format("{}{}", i ? ", " : "", type.enumerators[i]);
            out += "]";
            break;
        }
        case TypeKind::Object:
            if (!type.declared_in.empty()) out += fmt::format(", \"table\": {}", json_string(struct_table(type.spelling)));
            break;
        case TypeKind::Aggregate: {
            // Its fields by name; `args` below has their types in the same order.
            out += fmt::format(", \"table\": {}, \"fields\": [", json_string(composite_table(type)));
            for (std::size_t i = 0; i < type.names.size(); ++i)
                out += (i ? ", " : "") + json_string(type.names[i]);
            out += "]";
            break;
        }
        default: break;
    }
    if (!type.args.empty()) {
        out += ", \"args\": [";
        for (std::size_t i = 0; i < type.args.size(); ++i) out += (i ? ", " : "") + type_json(type.args[i]);
        out += "]";
    }
    return out + "}";
}

// A pointer parameter travels as std::optional<T> (null as absent): written as declared.
std::string param_spelling(const ParamModel& param) {
    const std::string& pointee = param.type.args.empty() ? param.type.spelling : param.type.args[0].spelling;
    switch (param.passing) {
        case Passing::ByValue: return param.type.spelling;
        case Passing::ByConstReference: return "const " + param.type.spelling + "&";
        case Passing::InOutReference: return param.type.spelling + "&";
        case Passing::InOutPointer: return pointee + "*";
        case Passing::ConstPointer: return "const " + pointee + "*";
    }
    return param.type.spelling;
}

const char* passing_name(Passing passing) {
    switch (passing) {
        case Passing::ByValue: return "value";
        case Passing::ByConstReference: return "const_reference";
        case Passing::InOutReference: return "in_out_reference";
        case Passing::InOutPointer: return "in_out_pointer";
        case Passing::ConstPointer: return "const_pointer";
    }
    return "value";
}

std::string signature(const MethodModel& method) {
    std::string out = (method.streams ? fmt::format("remoteobj::generator<{}>", method.result.spelling)
                                      : method.result.spelling) +
                      " " + method.name + "(";
    for (std::size_t i = 0; i < method.params.size(); ++i) {
        const ParamModel& param = method.params[i];
        out += (i ? ", " : "") + param_spelling(param) + " " + param.name;
        if (param.default_value) out += " = " + *param.default_value;
    }
    return out + (method.is_const ? ") const" : ")");
}

const char* returns(const MethodModel& method) {
    if (method.returns_self) return "self";
    if (method.returns_object) return "object";
    if (method.returns_reference) return "reference";
    if (method.streams) return "stream";
    return "value";
}

void field_json(std::string& out, const Where& location, const ClassModel& cls, const FieldModel& field) {
    const bool is_signal = field.type.kind == TypeKind::Signal;
    const bool is_object = field.type.kind == TypeKind::Object;
    out += fmt::format("        {{\"kind\": \"{}\", \"name\": {}, \"id\": {}, \"wire_signature\": {}, \"type\": {}",
                       is_signal ? "signal" : "field", json_string(field.name), field.id,
                       json_string(member_signature(field)), type_json(field.type));
    if (!is_signal) {
        out += fmt::format(", \"writable\": {}", !field.is_const && !is_object);
        if (!is_object) out += fmt::format(", \"table\": {}", json_string(member_stem(cls, field) + "_Value"));
    }
    out += fmt::format(", \"doc\": {}, \"declared\": {}}}", json_string(field.doc), location(field.location));
}

void method_json(std::string& out, const Where& location, const ClassModel& cls, const MethodModel& method) {
    const std::string stem = member_stem(cls, method);
    out += fmt::format("        {{\"kind\": \"method\", \"name\": {}, \"id\": {}, \"signature\": {}, "
                       "\"wire_signature\": {}, \"result\": {}, \"returns\": \"{}\", \"params\": [",
                       json_string(method.name), method.id, json_string(signature(method)),
                       json_string(member_signature(method)), type_json(method.result), returns(method));
    for (std::size_t i = 0; i < method.params.size(); ++i) {
        const ParamModel& param = method.params[i];
        out += fmt::format("{}{{\"name\": {}, \"type\": {}, \"passing\": \"{}\", \"default\": {}}}", i ? ", " : "",
                           json_string(param.name), type_json(param.type), passing_name(param.passing),
                           param.default_value ? json_string(*param.default_value) : "null");
    }
    out += fmt::format("], \"required\": {}, \"const\": {}, \"oneway\": {}, \"virtual\": {}, \"args_table\": {}",
                       method.required_params(), method.is_const, method.oneway, method.is_virtual,
                       json_string(stem + "_Args"));
    if (method.has_in_out() || (method.result.kind != TypeKind::Void && !method.returns_object))
        out += fmt::format(", \"result_table\": {}", json_string(stem + "_Result"));
    out += fmt::format(", \"doc\": {}, \"declared\": {}}}", json_string(method.doc), location(method.location));
}

void class_json(std::string& out, const Where& location, const ClassModel& cls) {
    const HeaderModel& model = location.model;
    out += fmt::format("    {{\"name\": {}, \"qualified_name\": {}, \"class_id\": \"{:016x}\", \"doc\": {}, "
                       "\"declared\": {}, \"has_remote\": {}, \"abstract\": {}, \"by_value\": {}",
                       json_string(cls.name), json_string(cls.qualified_name), class_identity(cls), json_string(cls.doc),
                       location(cls.location), cls.has_remote, cls.is_abstract, is_value_struct(model, cls));
    if (is_value_struct(model, cls)) out += fmt::format(", \"table\": {}", json_string(struct_table(cpp_class(cls))));
    out += ", \"bases\": [";
    for (std::size_t i = 0; i < cls.bases.size(); ++i)
        out += (i ? ", " : "") + json_string(cls.bases[i].qualified_name);
    out += "],\n     \"members\": [\n";
    bool first = true;
    auto next = [&] {
        if (!first) out += ",\n";
        first = false;
    };
    for (const FieldModel& field : cls.fields) {
        next();
        field_json(out, location, cls, field);
    }
    for (const MethodModel& method : cls.methods) {
        next();
        method_json(out, location, cls, method);
    }
    if (cls.subscript) {
        const SubscriptModel& subscript = *cls.subscript;
        next();
        out += fmt::format("        {{\"kind\": \"subscript\", \"name\": \"operator[]\", \"id\": {}, \"wire_signature\": {}, \"key\": {}, "
                           "\"element\": {}, \"writable\": {}, \"declared\": {}}}",
                           subscript.id, json_string(member_signature(subscript)), type_json(subscript.key), type_json(subscript.element), subscript.assignable,
                           location(subscript.location));
    }
    out += "\n    ]}";
}

}  // namespace

std::string emit_description(const HeaderModel& model, const EmitNames& names) {
    std::string out = fmt::format("{{\"format\": \"remoteobj-description\", \"version\": {}, \"header\": {}, "
                                  "\"schema_namespace\": \"{}\",\n \"classes\": [\n",
                                  description_version, json_string(source_name(model, names)), schema_namespace);
    const Where location{model, names};
    for (std::size_t i = 0; i < model.classes.size(); ++i) {
        if (i) out += ",\n";
        class_json(out, location, model.classes[i]);
    }
    return out + "\n]}\n";
}

}  // namespace remoteobj::gen

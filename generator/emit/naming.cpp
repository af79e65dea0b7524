// Shared spellings of the emitters; see naming.hpp.
#include "emit/naming.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace remoteobj::gen {

std::string class_stem(const ClassModel& cls) {
    std::string stem;
    for (std::size_t i = 0; i < cls.qualified_name.size(); ++i) {
        if (cls.qualified_name.compare(i, 2, "::") == 0) {
            stem += '_';
            ++i;
        } else {
            stem += cls.qualified_name[i];
        }
    }
    return stem;
}

std::string member_stem(const ClassModel& cls, const FieldModel& field) {
    return class_stem(cls) + "_" + field.name;
}

std::string member_stem(const ClassModel& cls, const MethodModel& method) {
    auto same_name = std::count_if(cls.methods.begin(), cls.methods.end(),
                                   [&](const MethodModel& m) { return m.name == method.name; });
    bool clashes = same_name > 1 || std::any_of(cls.fields.begin(), cls.fields.end(),
                                                [&](const FieldModel& f) { return f.name == method.name; });
    std::string stem = class_stem(cls) + "_" + method.name;
    return clashes ? fmt::format("{}_{}", stem, method.id) : stem;
}

std::string source_name(const HeaderModel& model, const EmitNames& names) {
    return names.user_header.empty() ? model.header_path : names.user_header;
}

std::string cpp_class(const ClassModel& cls) { return "::" + cls.qualified_name; }

std::string struct_table(const std::string& spelling) {
    ClassModel named;
    named.qualified_name = spelling.rfind("::", 0) == 0 ? spelling.substr(2) : spelling;
    return class_stem(named) + "_Struct";
}

namespace {

// `prefix` and the words of `spelling`: ("Tuple", "<int, std::string>") -> "Tuple_int_std_string".
std::string table_name(std::string name, const std::string& spelling) {
    bool gap = true;
    for (char c : spelling) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            if (gap) name += '_';
            name += c;
            gap = false;
        } else {
            gap = true;
        }
    }
    return name;
}

// A container whose elements travel in a FlatBuffers vector.
bool is_sequence(const TypeModel& type) {
    return type.kind == TypeKind::Vector || type.kind == TypeKind::Array || type.kind == TypeKind::Set ||
           type.kind == TypeKind::Span;
}

// A type whose FlatBuffers field type ends up scalar: what `= null` can make optional.
bool is_scalar(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Bool:
    case TypeKind::Integer:
    case TypeKind::Floating:
    case TypeKind::Enum:
    case TypeKind::Duration:
        return true;
    case TypeKind::Adapted:  // as its wire type
        return is_scalar(type.args.at(0));
    default:
        return false;
    }
}

// Every type nested in the members of `model`, innermost first, each once.
// A signal's arguments count as elements: the runtime sends each as a whole value
// (ValueCodec), which a vector, set, array or optional has through its element table.
template <class Keep>
std::vector<TypeModel> nested_types(const HeaderModel& model, Keep keep) {
    std::vector<TypeModel> found;
    auto collect = [&](auto& self, const TypeModel& type, bool in_sequence) -> void {
        // An adapted type's wire type stands where it stands: in a sequence, the wire's element table.
        const bool inner = type.kind == TypeKind::Adapted
                               ? in_sequence
                               : is_sequence(type) || type.kind == TypeKind::Map || type.kind == TypeKind::Signal;
        for (const TypeModel& arg : type.args) self(self, arg, inner);
        if (keep(type, in_sequence) && std::find(found.begin(), found.end(), type) == found.end())
            found.push_back(type);
    };
    for (const ClassModel& cls : model.classes) {
        for (const FieldModel& field : cls.fields) collect(collect, field.type, false);
        for (const MethodModel& method : cls.methods) {
            collect(collect, method.result, false);
            for (const ParamModel& param : method.params) collect(collect, param.type, false);
        }
    }
    return found;
}

}  // namespace

std::string composite_table(const TypeModel& type) {
    // A plain aggregate's table is named after it, the same in every header that uses it.
    if (type.kind == TypeKind::Aggregate) return table_name("Struct", type.spelling);
    // std::map, std::unordered_map, std::multimap and std::unordered_multimap of the
    // same types are different C++ types: each has its table.
    auto starts = [&](const char* prefix) { return type.spelling.rfind(prefix, 0) == 0; };
    std::string map = starts("std::unordered_multimap<") ? "UnorderedMultimap"
                      : starts("std::unordered_map<")    ? "UnorderedMap"
                      : starts("std::multimap<")         ? "Multimap"
                                                         : "Map";
    std::string name = type.kind == TypeKind::Variant              ? "Variant"
                       : type.kind == TypeKind::Map                ? map
                       : type.spelling.rfind("std::pair", 0) == 0 ? "Pair"
                                                                  : "Tuple";
    return table_name(std::move(name), type.spelling.substr(type.spelling.find('<')));
}

std::vector<TypeModel> composite_types(const HeaderModel& model) {
    return nested_types(model, [](const TypeModel& type, bool) {
        return type.kind == TypeKind::Tuple || type.kind == TypeKind::Variant || type.kind == TypeKind::Map ||
               type.kind == TypeKind::Aggregate;
    });
}

std::vector<TypeModel> enum_types(const HeaderModel& model) {
    return nested_types(model, [](const TypeModel& type, bool) { return type.kind == TypeKind::Enum; });
}

bool needs_element_table(const TypeModel& element) {
    // A bitset and a complex number travel as vectors themselves.
    return is_sequence(element) || element.kind == TypeKind::Optional || element.kind == TypeKind::Bitset ||
           element.kind == TypeKind::Complex;
}

std::string element_table(const TypeModel& element) { return table_name("List", element.spelling); }

std::vector<TypeModel> element_table_types(const HeaderModel& model) {
    return nested_types(model, [](const TypeModel& type, bool in_sequence) {
        return in_sequence && needs_element_table(type);
    });
}

bool has_runtime_value_codec(const TypeModel& type) {
    // std::vector is the only container ValueCodec knows (not a deque or list, also of kind Vector).
    if (type.kind != TypeKind::Vector || type.spelling.rfind("std::vector<", 0) != 0) return false;
    switch (type.args.at(0).kind) {
    case TypeKind::Bool:
    case TypeKind::Integer:
    case TypeKind::Floating:
    case TypeKind::Enum:
    case TypeKind::String:
        return true;
    default:
        return false;
    }
}

std::vector<std::string> foreign_schemas(const HeaderModel& model, const std::map<std::string, std::string>& siblings) {
    std::vector<std::string> found;
    auto visit = [&](auto& self, const TypeModel& type) -> void {
        for (const TypeModel& arg : type.args) self(self, arg);
        if (type.kind != TypeKind::Object || type.declared_in.empty()) return;
        bool ours = std::any_of(model.classes.begin(), model.classes.end(),
                                [&](const ClassModel& c) { return "::" + c.qualified_name == type.spelling; });
        if (ours) return;
        std::string schema;
        if (auto sibling = siblings.find(type.declared_in); sibling != siblings.end()) {
            schema = sibling->second + ".remote.fbs";
        } else {
            std::string name = type.declared_in.substr(type.declared_in.find_last_of('/') + 1);
            schema = name.substr(0, name.rfind('.')) + ".remote.fbs";  // CMake's NAME_WLE
        }
        if (std::find(found.begin(), found.end(), schema) == found.end()) found.push_back(schema);
    };
    for (const ClassModel& cls : model.classes) {
        if (is_value_struct(model, cls))
            for (const FieldModel& field : cls.fields) visit(visit, field.type);
        for (const FieldModel& field : cls.fields)
            for (const TypeModel& arg : field.type.args) visit(visit, arg);  // a field of object type is a path
        for (const MethodModel& method : cls.methods) {
            if (!method.returns_object && !method.returns_reference) visit(visit, method.result);
            for (const ParamModel& param : method.params) visit(visit, param.type);
        }
    }
    return found;
}

std::string fbs_element_type(const TypeModel& element) {
    if (element.kind == TypeKind::Adapted) return fbs_element_type(element.args.at(0));
    return needs_element_table(element) ? element_table(element) : fbs_type(element);
}

bool is_value_struct(const HeaderModel& model, const ClassModel& cls) {
    if (cls.has_remote || cls.is_exception || !cls.crosses_by_value) return false;
    for (const FieldModel& field : cls.fields) {
        if (field.is_const) return false;
        switch (field.type.kind) {
        case TypeKind::Atomic:
        case TypeKind::Map:
        case TypeKind::Void:
        case TypeKind::StringView:
        case TypeKind::Signal:
            return false;
        case TypeKind::Object: {
            auto nested = std::find_if(model.classes.begin(), model.classes.end(),
                                       [&](const ClassModel& c) { return "::" + c.qualified_name == field.type.spelling; });
            if (nested == model.classes.end() || &*nested == &cls || !is_value_struct(model, *nested)) return false;
            break;
        }
        default:
            break;
        }
    }
    return true;
}

std::string fbs_type(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Bool:
        return "bool";
    case TypeKind::Integer:
        switch (type.bits) {
        case 8: return type.is_signed ? "byte" : "ubyte";
        case 16: return type.is_signed ? "short" : "ushort";
        case 32: return type.is_signed ? "int" : "uint";
        case 64: return type.is_signed ? "long" : "ulong";
        }
        break;
    case TypeKind::Floating:
        return type.bits == 32 ? "float" : "double";
    case TypeKind::Enum:
    case TypeKind::Atomic:
    case TypeKind::Duration:
        return fbs_type(type.args.at(0));
    case TypeKind::String:
    case TypeKind::StringView:
    case TypeKind::CString:
        return "string";
    case TypeKind::Vector:
    case TypeKind::Array:
    case TypeKind::Set:
    case TypeKind::Span:
        return "[" + fbs_element_type(type.args.at(0)) + "]";
    case TypeKind::Bitset:
        return "[ubyte]";
    case TypeKind::Complex:
        return "[" + fbs_type(type.args.at(0)) + "]";
    case TypeKind::Monostate:  // carries nothing: a bool never read
        return "bool";
    case TypeKind::Optional:
        // A scalar may be absent only when declared so; a string, vector or table may be absent anyway.
        return is_scalar(type.args.at(0)) ? fbs_type(type.args.at(0)) + " = null" : fbs_type(type.args.at(0));
    case TypeKind::Object:
        return struct_table(type.spelling);
    case TypeKind::Tuple:
    case TypeKind::Variant:
    case TypeKind::Map:  // a field's own value table holds keys and values itself; elsewhere this table
    case TypeKind::Aggregate:
        return composite_table(type);
    case TypeKind::Adapted:  // the runtime converts; the wire type's tables carry it
        return fbs_type(type.args.at(0));
    case TypeKind::Void:
    case TypeKind::Signal:  // no table: the runtime sends each argument as a value of its own
        break;
    }
    throw std::logic_error("no FlatBuffers type for " + type.spelling);
}

std::string value_type(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Atomic:
        return value_type(type.args.at(0));
    case TypeKind::StringView:
        return "std::string";
    case TypeKind::CString:  // null arrives as std::nullopt
        return "std::optional<std::string>";
    case TypeKind::Span:
        return type.bits ? fmt::format("std::array<{}, {}>", type.args.at(0).spelling, type.bits)
                         : fmt::format("std::vector<{}>", type.args.at(0).spelling);
    default:
        return type.spelling;
    }
}

std::string codec_type(const TypeModel& type) {
    return type.kind == TypeKind::Atomic ? codec_type(type.args.at(0)) : type.spelling;
}

std::string param_type(const ParamModel& param) {
    // In-out and nullable parameters are taken as the method takes them.
    switch (param.passing) {
    case Passing::InOutReference:
        return param.type.spelling + "&";
    case Passing::InOutPointer:
        return param.type.args.at(0).spelling + "*";
    case Passing::ConstPointer:
        return "const " + param.type.args.at(0).spelling + "*";
    default:
        break;
    }
    switch (param.type.kind) {
    case TypeKind::String:
    case TypeKind::Vector:
    case TypeKind::Array:
    case TypeKind::Set:
    case TypeKind::Optional:
    case TypeKind::Object:
    case TypeKind::Tuple:
    case TypeKind::Variant:
    case TypeKind::Map:
    case TypeKind::Bitset:
    case TypeKind::Adapted:
    case TypeKind::Aggregate:
        return "const " + param.type.spelling + "&";
    case TypeKind::StringView:
        return "std::string_view";
    case TypeKind::Span:  // a view of the caller's elements, taken as the method takes it
        return param.type.spelling;
    case TypeKind::CString:
        return "const char*";
    default:
        return param.passing == Passing::ByConstReference ? "const " + param.type.spelling + "&"
                                                          : param.type.spelling;
    }
}

std::string in_out_field(const ParamModel& param) { return "inout_" + param.name; }

std::string identifier(const std::string& text) {
    std::string out;
    bool gap = false;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
            if (gap && !out.empty()) out += '_';
            out += c;
            gap = false;
        } else {
            gap = true;
        }
    }
    return out;
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string doc_comment(const std::string& text, const std::string& indent) {
    if (text.empty()) return "";
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        out += indent + (line.empty() ? "///" : "/// " + line) + "\n";
        start = end + 1;
    }
    return out;
}

}  // namespace remoteobj::gen

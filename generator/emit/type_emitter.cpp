// Tables and codecs of the types that are not classes; see type_emitter.hpp.
#include "emit/type_emitter.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "emit/naming.hpp"

namespace remoteobj::gen {
namespace {

bool is_sequence_kind(TypeKind kind) {
    return kind == TypeKind::Vector || kind == TypeKind::Array || kind == TypeKind::Set || kind == TypeKind::Span;
}

// The tables nested in `type` (not its own), innermost first: what its table refers to.
// `sequence`: `type` is an element of a sequence (what an adapted type's wire inherits).
void nested_tables(const TypeModel& type, std::vector<TypeTable>& out, bool sequence = false) {
    const bool in_sequence =
        type.kind == TypeKind::Adapted ? sequence : is_sequence_kind(type.kind) || type.kind == TypeKind::Map;
    for (const TypeModel& arg : type.args) {
        nested_tables(arg, out, in_sequence);
        TypeTable table;
        if (arg.kind == TypeKind::Tuple || arg.kind == TypeKind::Variant || arg.kind == TypeKind::Map ||
            arg.kind == TypeKind::Aggregate)
            table = {arg, composite_table(arg), false};
        else if (in_sequence && needs_element_table(arg))
            table = {arg, element_table(arg), true};
        else
            continue;
        auto same = [&](const TypeTable& t) { return t.table == table.table; };
        if (std::none_of(out.begin(), out.end(), same)) out.push_back(std::move(table));
    }
}

std::string guard_of(const TypeTable& type) { return "REMOTEOBJ_TYPE_" + type.table + "_INCLUDED"; }

std::string element_codec(const TypeModel& type, const std::string& prefix) {
    return prefix + fmt::format(
        "auto remoteobj::detail::Element<{0}>::to_wire(flatbuffers::FlatBufferBuilder& fbb, const {0}& value)\n"
        "    -> flatbuffers::Offset<::remoteobj::gen::{1}> {{\n"
        "    auto wire = ::remoteobj::detail::to_wire<{0}>(fbb, value);  // built before the table starts\n"
        "    return ::remoteobj::gen::Create{1}(fbb, wire);\n"
        "}}\n\n"
        "{2}auto remoteobj::detail::Element<{0}>::from_wire(const ::remoteobj::gen::{1}* table) -> {0} {{\n"
        "    if (!table) return {{}};\n"
        "    return ::remoteobj::detail::from_wire<{0}>(table->value());\n"
        "}}\n\n",
        type.spelling, element_table(type), prefix);
}

std::string composite_codec(const TypeModel& type, const std::string& prefix) {
    const std::string table_name = composite_table(type);
    const std::string head = prefix + fmt::format(
        "auto remoteobj::detail::Codec<{0}>::to_wire(flatbuffers::FlatBufferBuilder& fbb, const {0}&{2})\n"
        "    -> flatbuffers::Offset<::remoteobj::gen::{1}> {{\n",
        type.spelling, table_name, type.args.empty() ? "" : " value");  // unnamed when unread: -Wunused-parameter
    std::string to_wire, from_wire;
    if (type.kind == TypeKind::Map) {
        to_wire = fmt::format(
            "    using Codec = ::remoteobj::detail::MapCodec<{0}>;\n"
            "    return ::remoteobj::gen::Create{1}(fbb, Codec::keys(fbb, value), Codec::values(fbb, value));\n",
            type.spelling, table_name);
        from_wire = fmt::format(
            "    if (!table) return {{}};\n"
            "    return ::remoteobj::detail::MapCodec<{0}>::from_wire(table->keys(), table->values());\n",
            type.spelling);
    } else if (type.kind == TypeKind::Aggregate) {
        std::string fields;
        for (std::size_t i = 0; i < type.args.size(); ++i) {
            fields += fmt::format(",\n        ::remoteobj::detail::to_wire<{}>(fbb, ::remoteobj::detail::load(value.{}))",
                                  codec_type(type.args[i]), type.names.at(i));
            from_wire += read_struct_field(type.names.at(i), type.args[i], i);
        }
        to_wire = fmt::format("    ::remoteobj::detail::write_every_field(fbb);\n"
                              "    return ::remoteobj::gen::Create{}(fbb{});\n", table_name, fields);
        // Value-initialised, not `{}`: a member whose default constructor is explicit cannot be
        // copy-list-initialised from the empty braces an aggregate's `{}` gives each member.
        from_wire = fmt::format("    {0} value = {0}();\n    if (!table) return value;\n{1}    return value;\n",
                                type.spelling, from_wire);
    } else if (type.kind == TypeKind::Tuple) {
        std::string elements;
        for (std::size_t i = 0; i < type.args.size(); ++i) {
            elements += fmt::format(",\n        ::remoteobj::detail::to_wire<{}>(fbb, std::get<{}>(value))",
                                    codec_type(type.args[i]), i);
            from_wire += fmt::format("    std::get<{0}>(value) = ::remoteobj::detail::from_wire<{1}>(table->e{0}());\n", i,
                                     value_type(type.args[i]));
        }
        to_wire = fmt::format("    return ::remoteobj::gen::Create{}(fbb{});\n", table_name, elements);
        from_wire = fmt::format("    {0} value{{}};\n    if (!table) return value;\n{1}    return value;\n",
                                type.spelling, from_wire);
    } else {
        to_wire = "    switch (value.index()) {\n";
        from_wire = "    switch (table ? table->index() : 0xff) {\n";
        for (std::size_t i = 0; i < type.args.size(); ++i) {
            std::string fields;
            for (std::size_t j = 0; j < i; ++j) fields += ", {}";
            to_wire += fmt::format(
                "    case {0}:\n"
                "        return ::remoteobj::gen::Create{1}(fbb, {0}{2}, ::remoteobj::detail::to_wire<{3}>(fbb, std::get<{0}>(value)));\n",
                i, table_name, fields, codec_type(type.args[i]));
            from_wire += fmt::format(
                "    case {0}:\n"
                "        return {1}(std::in_place_index<{0}>, ::remoteobj::detail::from_wire<{2}>(table->e{0}()));\n",
                i, type.spelling, value_type(type.args[i]));
        }
        to_wire += "    }\n    throw std::bad_variant_access();  // valueless_by_exception\n";
        from_wire += "    }\n    throw ::remoteobj::detail::BadRequest(\"a variant arrived with no valid alternative\");\n";
    }
    return head + to_wire +
           "}\n\n" + prefix + fmt::format("auto remoteobj::detail::Codec<{0}>::from_wire(const ::remoteobj::gen::{1}* table) -> {0} {{\n",
                       type.spelling, table_name) +
           from_wire + "}\n\n";
}

}  // namespace

std::string value_codec_declaration(const std::string& spelling) {
    return fmt::format(
        "/// A {0} as a whole value (an item of a container view, a process result).\n"
        "template <>\n"
        "struct remoteobj::detail::ValueCodec<{0}> {{\n"
        "    static void encode(flatbuffers::FlatBufferBuilder& fbb, const {0}& value);\n"
        "    static {0} decode(::remoteobj::detail::Bytes bytes);\n"
        "}};\n\n",
        spelling);
}

std::string value_codec_definition(const std::string& spelling, const std::string& table, const std::string& prefix) {
    return fmt::format(
        "{3}void remoteobj::detail::ValueCodec<{0}>::encode(flatbuffers::FlatBufferBuilder& fbb, const {0}& value) {{\n"
        "    fbb.Finish(::remoteobj::detail::Element<{0}>::to_wire(fbb, value));\n"
        "}}\n\n"
        "{3}auto remoteobj::detail::ValueCodec<{0}>::decode(::remoteobj::detail::Bytes bytes) -> {0} {{\n"
        "    return ::remoteobj::detail::Element<{0}>::from_wire(\n"
        "        ::remoteobj::detail::verified_root<::remoteobj::gen::{1}>(bytes, {2}));\n"
        "}}\n\n",
        spelling, table, quoted("a " + spelling), prefix);
}

std::vector<TypeTable> type_tables(const HeaderModel& model) {
    std::vector<TypeTable> out;
    for (const TypeModel& type : composite_types(model)) out.push_back({type, composite_table(type), false});
    for (const TypeModel& type : element_table_types(model)) out.push_back({type, element_table(type), true});
    return out;
}

bool is_shared(const TypeModel& type) {
    return type.kind != TypeKind::Object && std::all_of(type.args.begin(), type.args.end(), is_shared);
}

std::string shared_path(const TypeTable& type) { return "remoteobj_types/" + type.table; }

std::string type_table_schema(const TypeTable& type) {
    std::string out = fmt::format("\n// {}{}\n", type.type.spelling,
                                  type.element ? ", as an element of a vector, set, array or map" : "");
    if (type.element) return out + fmt::format("table {} {{ value: {}; }}\n", type.table, fbs_type(type.type));
    if (type.type.kind == TypeKind::Map)
        return out + fmt::format("table {} {{ keys: [{}]; values: [{}]; }}\n", type.table,
                                 fbs_element_type(type.type.args.at(0)), fbs_element_type(type.type.args.at(1)));
    if (type.type.kind == TypeKind::Aggregate) {
        out += fmt::format("table {} {{", type.table);
        for (std::size_t i = 0; i < type.type.args.size(); ++i)
            out += fmt::format(" {}: {};", type.type.names.at(i), fbs_type(type.type.args[i]));
        return out + (type.type.args.empty() ? "}\n" : " }\n");
    }
    out += fmt::format("table {} {{", type.table);
    if (type.type.kind == TypeKind::Variant) out += " index: ubyte;";
    for (std::size_t i = 0; i < type.type.args.size(); ++i) out += fmt::format(" e{}: {};", i, fbs_type(type.type.args[i]));
    return out + " }\n";
}

std::string type_codec_declarations(const TypeTable& type) {
    std::string out = fmt::format("namespace remoteobj::gen {{\nstruct {0};\n}}\n", type.table);
    if (type.element)
        out += fmt::format(
            "/// A {1} inside a vector, set, array or map travels in a table of its own.\n"
            "template <>\n"
            "struct remoteobj::detail::Element<{1}> {{\n"
            "    static flatbuffers::Offset<::remoteobj::gen::{0}> to_wire(flatbuffers::FlatBufferBuilder& fbb, const {1}& value);\n"
            "    static {1} from_wire(const ::remoteobj::gen::{0}* table);\n"
            "}};\n\n",
            type.table, type.type.spelling);
    else
        out += fmt::format(
            "/// A {1} travels as a table with a field per element (per field, for a plain aggregate).\n"
            "template <>\n"
            "struct remoteobj::detail::Codec<{1}> {{\n"
            "    static flatbuffers::Offset<::remoteobj::gen::{0}> to_wire(flatbuffers::FlatBufferBuilder& fbb, const {1}& value);\n"
            "    static {1} from_wire(const ::remoteobj::gen::{0}* table);\n"
            "}};\n\n",
            type.table, type.type.spelling);
    if (!type.element || !has_runtime_value_codec(type.type))
        out += value_codec_declaration(type.type.spelling);
    return out;
}

std::string type_codec_definitions(const TypeTable& type, const std::string& prefix) {
    std::string out = type.element ? element_codec(type.type, prefix) : composite_codec(type.type, prefix);
    if (!type.element || !has_runtime_value_codec(type.type))
        out += value_codec_definition(type.type.spelling, type.table, prefix);
    return out;
}

std::string read_struct_field(const std::string& name, const TypeModel& type, std::size_t position) {
    const std::string store = fmt::format("::remoteobj::detail::store(value.{0}, ::remoteobj::detail::from_wire<{1}>(table->{0}()));\n",
                                          name, value_type(type));
    if (type.kind == TypeKind::Optional) return "    " + store;
    return fmt::format("    if (::remoteobj::detail::has_field(table, {}))\n        {}", position, store);
}

std::string shared_type_schema(const TypeTable& type) {
    std::string out = fmt::format("// Generated by remoteobj-gen: the table of {}, the same for every header that uses it.\n",
                                  type.type.spelling);
    std::vector<TypeTable> nested;
    nested_tables(type.type, nested);
    for (const TypeTable& inner : nested) out += fmt::format("include \"{}.fbs\";\n", shared_path(inner));
    return out + fmt::format("namespace {};\n", schema_namespace) + type_table_schema(type);
}

std::string shared_type_header(const TypeTable& type) {
    std::string out = fmt::format(
        "// Generated by remoteobj-gen: the codecs of {0}, the same for every header that uses it.\n"
        "// Guarded by name, not by file: two targets' copies define it once in a program.\n"
        "#ifndef {1}\n"
        "#define {1}\n\n"
        "#include <remoteobj/value_codec.hpp>\n",
        type.type.spelling, guard_of(type));
    std::vector<TypeTable> nested;
    nested_tables(type.type, nested);
    for (const TypeTable& inner : nested) out += fmt::format("#include \"{}.remote.hpp\"\n", shared_path(inner));
    out += "\n" + type_codec_declarations(type);
    // remoteobj-gen reads declarations only: the table's flatc header may not exist yet.
    out += fmt::format("#ifndef REMOTEOBJ_GENERATING\n#include \"{}_generated.h\"\n\n", shared_path(type));
    out += type_codec_definitions(type, "inline ") + "#endif  // REMOTEOBJ_GENERATING\n";
    return out + fmt::format("#endif  // {}\n", guard_of(type));
}

}  // namespace remoteobj::gen

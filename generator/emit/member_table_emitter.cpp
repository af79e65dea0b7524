// Writes a class's member table for detail::Interface; see member_table_emitter.hpp.
#include "emit/member_table_emitter.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "model/wire_identity.hpp"

namespace remoteobj::gen {
namespace {

struct Row {
    std::uint32_t id;
    std::string name, kind, signature;
};

std::vector<Row> rows_of(const ClassModel& cls) {
    std::vector<Row> rows;
    for (const FieldModel& field : cls.fields)
        rows.push_back({field.id, field.name, field.type.kind == TypeKind::Signal ? "signal" : "field",
                        member_signature(field)});
    for (const MethodModel& method : cls.methods)
        rows.push_back({method.id, method.name, "method", member_signature(method)});
    if (cls.subscript) rows.push_back({cls.subscript->id, "operator[]", "subscript", member_signature(*cls.subscript)});
    // Sorted, so that a reader may search it (the generator refuses equal ids).
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
    return rows;
}

}  // namespace

std::string cpp_string_literal(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n\"\n    \"";
        } else if (byte < 0x20 || byte == 0x7f || byte >= 0x80 || c == '?') {
            // Octal, three digits: a hex escape would swallow the hex digits after it,
            // and '?' could start a trigraph in older modes.
            out += fmt::format("\\{:03o}", byte);
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string emit_member_table(const ClassModel& cls, const std::string& array_name) {
    const std::vector<Row> rows = rows_of(cls);
    if (rows.empty()) return {};
    std::string out = fmt::format("// {}'s members, as its listener's Hello announces them.\n"
                                  "const ::remoteobj::detail::MemberInfo {}[] = {{\n",
                                  cls.qualified_name, array_name);
    for (const Row& row : rows)
        out += fmt::format("    {{{}u, {}, \"{}\", {}}},\n", row.id, cpp_string_literal(row.name), row.kind,
                           cpp_string_literal(row.signature));
    return out + "};\n\n";
}

std::string member_table_initialisers(const ClassModel& cls, const std::string& array_name) {
    const std::size_t count = rows_of(cls).size();
    if (count == 0) return "nullptr, 0";
    return fmt::format("{}, {}", array_name, count);
}

}  // namespace remoteobj::gen

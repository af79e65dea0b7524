// The commands; see commands.hpp.
#include "commands.hpp"

#include <cstdio>
#include <limits>

#include <fmt/format.h>

#include "command_line.hpp"
#include "member_lookup.hpp"
#include "usage_error.hpp"
#include "value_codec.hpp"

namespace remoteobj::cli {

namespace {

using nlohmann::json;

std::string cpp_of(const json& type) { return type.value("cpp", type.value("wire", "?")); }

// How a person reads the member: its C++ declaration, as near as the description says it.
std::string declaration(const json& member) {
    const std::string kind = member.value("kind", "");
    const std::string name = member.value("name", "");
    if (kind == "method") return member.value("signature", name);
    if (kind == "field")
        return fmt::format("{} {}{}", cpp_of(member.at("type")), name, member.value("writable", false) ? "" : "  (read-only)");
    if (kind == "signal") {
        std::string args;
        for (const json& arg : member.at("type").value("args", json::array()))
            args += (args.empty() ? "" : ", ") + cpp_of(arg);
        return fmt::format("{}({})", name, args);
    }
    if (kind == "subscript")
        return fmt::format("{} operator[]({})", cpp_of(member.value("element", json::object())),
                           cpp_of(member.value("key", json::object())));
    return member.value("wire_signature", name);
}

const json& classes(const ServedObject& object) { return object.description().at("classes"); }

void print_json(const json& value) { std::fputs((value.dump() + "\n").c_str(), stdout); }

}  // namespace

void run_describe(ServedObject& object, bool as_json) {
    if (as_json) {
        std::string text = object.description_text();
        if (!text.ends_with('\n')) text += '\n';
        std::fputs(text.c_str(), stdout);
        return;
    }
    const json& served = object.served();
    std::string out = fmt::format("class {}", served.value("qualified_name", ""));
    if (const std::string doc = served.value("doc", ""); !doc.empty()) out += "  // " + doc;
    out += fmt::format("\n  (declared at {})\n", served.value("declared", "?"));
    for (const json& base : served.value("bases", json::array()))
        out += fmt::format("  base    {}\n", base.is_string() ? base.get<std::string>() : base.dump());
    for (const json& member : served.value("members", json::array())) {
        out += fmt::format("  {:<9} {}", member.value("kind", ""), declaration(member));
        if (const std::string doc = member.value("doc", ""); !doc.empty()) out += "  // " + doc;
        out += "\n";
    }
    std::fputs(out.c_str(), stdout);
}

void run_call(ServedObject& object, const std::string& name, const std::vector<std::string>& words) {
    const json& method = find_member(object.served(), name, "method", words.size());
    const std::string what = fmt::format("{}::{}", object.served_class(), name);
    const std::string returns = method.value("returns", "value");
    if (returns != "value")
        throw UsageError(fmt::format("{}: a method that returns {} ({}) is not supported by this tool yet", what,
                                     returns == "stream" ? "a stream" : "an " + returns,
                                     method.value("signature", "")));
    const json params = method.value("params", json::array());
    const std::size_t required = method.value("required", std::size_t{0});
    if (words.size() > params.size())
        throw UsageError(fmt::format("{} takes at most {} argument{} ({}), {} given", what, params.size(),
                                     params.size() == 1 ? "" : "s", method.value("signature", ""), words.size()));
    if (words.size() < required)
        throw UsageError(fmt::format("{} needs at least {} argument{} ({}), {} given", what, required,
                                     required == 1 ? "" : "s", method.value("signature", ""), words.size()));
    if (words.size() > std::numeric_limits<std::uint8_t>::max())
        throw UsageError(fmt::format("{}: {} arguments is more than a request carries", what, words.size()));
    const json& result = method.at("result");
    const bool has_result = result.value("kind", "") != "void";
    if (has_result) check_supported(result, what + ": its result", classes(object));

    for (const json& param : params)  // an omitted in-out parameter still comes back in the result
        if (param.value("passing", "value").starts_with("in_out"))
            throw UsageError(fmt::format("{}: in-out parameters ({}) are not supported by this tool yet", what,
                                         param.value("name", "")));
    std::vector<json> values;
    for (const std::string& word : words) values.push_back(parse_value(word));
    std::vector<FieldValue> fields;
    for (std::size_t i = 0; i < words.size(); ++i)
        fields.push_back({&params[i].at("type"), &values[i],
                          fmt::format("{}: argument {} ({})", what, params[i].value("name", ""), i + 1)});

    // Encoded once apart, so that a wrong value is refused before anything is sent.
    flatbuffers::FlatBufferBuilder check;
    encode_table(check, fields, classes(object));
    const std::vector<std::uint8_t> reply = object.request(
        wire::Operation::Call, method, static_cast<std::uint8_t>(words.size()),
        [&](flatbuffers::FlatBufferBuilder& fbb) { encode_table(fbb, fields, classes(object)); });
    if (has_result) print_json(decode_field(reply, 0, result, what, classes(object)));
}

void run_get(ServedObject& object, const std::string& name) {
    const json& field = find_member(object.served(), name, "field");
    const std::string what = fmt::format("{}::{}", object.served_class(), name);
    if (!field.contains("table"))  // an object field: reached by a path, it has no value table
        throw UsageError(fmt::format("{} is a nested object: paths to its members are not supported by this tool "
                                     "yet",
                                     what));
    check_supported(field.at("type"), what, classes(object));
    const std::vector<std::uint8_t> reply =
        object.request(wire::Operation::Get, field, 0, [](flatbuffers::FlatBufferBuilder&) {});
    print_json(decode_field(reply, 0, field.at("type"), what, classes(object)));
}

void run_set(ServedObject& object, const std::string& name, const std::string& word) {
    const json& field = find_member(object.served(), name, "field");
    const std::string what = fmt::format("{}::{}", object.served_class(), name);
    if (!field.value("writable", false))
        throw UsageError(fmt::format("{} cannot be set (it is const, or an object)", what));
    const json value = parse_value(word);
    const std::vector<FieldValue> fields{{&field.at("type"), &value, what}};
    flatbuffers::FlatBufferBuilder check;
    encode_table(check, fields, classes(object));
    object.request(wire::Operation::Set, field, 1, [&](flatbuffers::FlatBufferBuilder& fbb) { encode_table(fbb, fields, classes(object)); });
}

}  // namespace remoteobj::cli

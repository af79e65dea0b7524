// The parser's view of types the user does not own: adapters found in the AST,
// plain aggregates of any header, and the refusal of any other class at its use,
// naming why and the fixes with an adapter to copy (never a silent default).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "parse/parser.hpp"

using namespace remoteobj::gen;

namespace {

ParseResult parse_own_types() {
    ParseOptions options;
    options.header = std::string(REMOTEOBJ_TEST_HEADERS) + "/own_types.hpp";
    options.resource_dir = REMOTEOBJ_CLANG_RESOURCE_DIR;
    options.compiler_args = {"-I" REMOTEOBJ_RUNTIME_INCLUDE};
    return parse_header(options);
}

// Every error reported at `line`, formatted as the generator prints it.
std::string errors_at(const ParseResult& result, unsigned line) {
    std::string found;
    for (const Diagnostic& e : result.errors)
        if (e.location.line == line) found += format_diagnostic(e) + "\n";
    return found;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("plain aggregates of another header are fields, their bases' fields first, without annotation") {
    const ParseResult result = parse_own_types();
    REQUIRE(result.compiled);
    REQUIRE(result.model.classes.size() == 1);
    const ClassModel& store = result.model.classes[0];
    auto field = [&](const std::string& name) {
        auto it = std::find_if(store.fields.begin(), store.fields.end(), [&](const FieldModel& f) { return f.name == name; });
        REQUIRE(it != store.fields.end());
        return it->type;
    };
    const TypeModel options = field("options");
    CHECK(options.kind == TypeKind::Aggregate);
    CHECK(options.spelling == "::vendor::Options");
    CHECK(options.names == std::vector<std::string>{"level", "name"});
    REQUIRE(options.args.size() == 2);
    CHECK(options.args[0].kind == TypeKind::Integer);
    CHECK(options.args[1].kind == TypeKind::String);
    const TypeModel framed = field("framed");
    CHECK(framed.names == std::vector<std::string>{"level", "name", "framed"});
    CHECK(errors_at(result, 74).empty());
    CHECK(errors_at(result, 75).empty());
}

TEST_CASE("an adapter declared in the header makes its type cross as the adapter's wire type") {
    const ParseResult result = parse_own_types();
    const ClassModel& store = result.model.classes.at(0);
    auto put = std::find_if(store.methods.begin(), store.methods.end(), [](const MethodModel& m) { return m.name == "put"; });
    REQUIRE(put != store.methods.end());
    REQUIRE(put->params.size() == 2);
    const TypeModel& key = put->params[0].type;
    CHECK(key.kind == TypeKind::Adapted);
    CHECK(key.spelling == "::vendor::Slice");
    REQUIRE(key.args.size() == 1);
    CHECK(key.args[0].kind == TypeKind::String);
    CHECK(put->params[1].type.kind == TypeKind::Vector);
    CHECK(put->params[1].type.args.at(0).kind == TypeKind::Aggregate);
    CHECK(errors_at(result, 77).empty());
}

TEST_CASE("a class with private data used by value is refused naming its private members and both fixes") {
    const ParseResult result = parse_own_types();
    const std::string field = errors_at(result, 76);
    CHECK_MESSAGE(has(field, "own_types.hpp:76:20: error: field 'Store::status' cannot be exported: type "
                             "'vendor::Status' cannot cross processes by value: its data members 'code_', 'message_' "
                             "are not public, so it is no plain aggregate"),
                  field);
    CHECK_MESSAGE(has(field, "(declare a remoteobj::adapter<vendor::Status> that converts it to a type that crosses, "
                             "as below, or make it REMOTEOBJ with public fields if it is yours, or mark it "
                             "REMOTEOBJ_HIDE to leave it out)\n"
                             "    template <> struct remoteobj::adapter<vendor::Status> { using wire = std::string;"),
                  field);
    CHECK_MESSAGE(has(field, "\n        static wire to_wire(const vendor::Status&); static vendor::Status "
                             "from_wire(const wire&); };\n"),
                  field);
    CHECK(has(errors_at(result, 78), "own_types.hpp:78:20: error: the result of method 'Store::check' cannot be "
                                     "exported: type 'vendor::Status' cannot cross processes by value"));
}

TEST_CASE("a class that is no plain aggregate is refused saying why, with an adapter to copy") {
    const ParseResult result = parse_own_types();
    const std::string shape = errors_at(result, 81);
    CHECK_MESSAGE(has(shape, "own_types.hpp:81:36: error: parameter 'shape' of method 'Store::draw' cannot be exported: "
                             "type 'vendor::Shape' cannot cross processes: it is neither a REMOTEOBJ class, a standard "
                             "type the wire knows, nor a plain aggregate (it has virtual members or bases)"),
                  shape);
    CHECK(has(shape, "template <> struct remoteobj::adapter<vendor::Shape>"));
    CHECK(has(errors_at(result, 79), "own_types.hpp:79:32: error: parameter 'callback' of method 'Store::call' cannot "
                                     "be exported: 'vendor::Callback' crosses as a plain aggregate, but its field 'run' "
                                     "cannot: 'std::function<void ()>' cannot cross processes"));
    CHECK(has(errors_at(result, 80), "own_types.hpp:80:18: error: the result of method 'Store::tree' cannot be exported: "
                                     "'vendor::Node' crosses as a plain aggregate, but its field 'children' cannot: "
                                     "'vendor::Node' holds itself"));
}

TEST_CASE("an incomplete adapter is refused at each use, saying what it lacks") {
    const ParseResult result = parse_own_types();
    CHECK(has(errors_at(result, 82), "own_types.hpp:82:33: error: parameter 'x' of method 'Store::no_wire' cannot be "
                                     "exported: remoteobj::adapter<vendor::NoWire> declares no `using wire = ...;`"));
    CHECK(has(errors_at(result, 83), "own_types.hpp:83:42: error: parameter 'x' of method 'Store::no_from_wire' cannot "
                                     "be exported: remoteobj::adapter<vendor::NoFromWire> declares no static "
                                     "from_wire()"));
    CHECK(has(errors_at(result, 84), "own_types.hpp:84:37: error: parameter 'x' of method 'Store::view_wire' cannot be "
                                     "exported: the wire type of remoteobj::adapter<vendor::ViewWire> is "
                                     "'std::string_view': a view would point into the other process's memory"));
    CHECK(result.errors.size() == 8);
}

// The emitters, fed a hand-built model: no Clang involved.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "emit/naming.hpp"
#include "emit/proxy_emitter.hpp"
#include "emit/schema_emitter.hpp"
#include "emit/type_emitter.hpp"

using namespace remoteobj::gen;

namespace {

TypeModel int32() {
    TypeModel t;
    t.kind = TypeKind::Integer;
    t.spelling = "int";
    t.bits = 32;
    t.is_signed = true;
    return t;
}

TypeModel string_type() {
    TypeModel t;
    t.kind = TypeKind::String;
    t.spelling = "std::string";
    return t;
}

HeaderModel sample_model() {
    ClassModel cls;
    cls.name = "Thing";
    cls.qualified_name = "ns::Thing";
    cls.doc = "A thing.";
    FieldModel count;
    count.id = 1;
    count.name = "count";
    count.type = int32();
    count.doc = "The count.";
    cls.fields.push_back(count);
    MethodModel greet;
    greet.id = 2;
    greet.name = "greet";
    greet.result = string_type();
    greet.doc = "Says hello.";
    ParamModel who;
    who.name = "who";
    who.type = string_type();
    who.passing = Passing::ByConstReference;
    ParamModel times;
    times.name = "times";
    times.type = int32();
    times.default_value = "1";
    greet.params = {who, times};
    cls.methods.push_back(greet);
    HeaderModel model;
    model.header_path = "/src/thing.hpp";
    model.classes.push_back(cls);
    return model;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the schema has a value table per field and args/result tables per method") {
    const std::string schema = emit_schema(sample_model());
    CHECK(contains(schema, "namespace remoteobj.gen;"));
    CHECK(contains(schema, "table ns_Thing_count_Value { value: int; }"));
    CHECK(contains(schema, "table ns_Thing_greet_Args { who: string; times: int; }"));
    CHECK(contains(schema, "table ns_Thing_greet_Result { value: string; }"));
}

TEST_CASE("the proxy header copies doc comments onto the stubs") {
    const std::string header = emit_proxy_header(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(header, "/// A thing.\ntemplate <>\nclass Proxy<::ns::Thing>"));
    CHECK(contains(header, "    /// The count.\n    ::remoteobj::Field<::remoteobj::generated::ns_Thing_count> count;"));
    CHECK(contains(header, "    /// Says hello.\n    ::remoteobj::generated::stubs::ns_Thing_greet greet;"));  // what completion shows
    CHECK(contains(header, "    /// Says hello.\n    std::string operator()"));
    CHECK(contains(header, "#include \"/src/thing.hpp\""));
}

TEST_CASE("each stub says where its member was declared, after the user's own comment") {
    HeaderModel model = sample_model();
    model.classes[0].fields[0].location = {"/src/app/thing.hpp", 12, 9};
    const std::string header = emit_proxy_header(model, {"thing.remote.hpp", "thing.remote_generated.h", "app/thing.hpp", {}});
    CHECK(contains(header, "    /// The count.\n    ///\n    /// Declared at thing.hpp:12.\n    ::remoteobj::Field<::remoteobj::generated::ns_Thing_count> count"));
    CHECK(contains(header, "#include \"app/thing.hpp\""));  // through the include path, not absolute
    CHECK(!contains(header, "/src/"));
}

TEST_CASE("a method with a default gets one stub per argument count") {
    const std::string header = emit_proxy_header(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(header, "std::string operator()(const std::string& who, int times) const;"));
    CHECK(contains(header, "std::string operator()(const std::string& who) const;"));
    CHECK(contains(header, "Leaves `times` = 1 to the listening process's defaults."));
    const std::string source = emit_proxy_source(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "case 1: {\n"));
    CHECK(contains(source, "case 2: {\n"));
    CHECK(contains(source, "self.greet(::remoteobj::detail::from_wire<std::string>(args->who()))"));
}

TEST_CASE("overloaded methods get distinct table names") {
    HeaderModel model = sample_model();
    MethodModel other = model.classes[0].methods[0];
    other.id = 3;
    other.params.pop_back();
    model.classes[0].methods.push_back(other);
    const std::string schema = emit_schema(model);
    CHECK(contains(schema, "table ns_Thing_greet_2_Args"));
    CHECK(contains(schema, "table ns_Thing_greet_3_Args"));
}

TEST_CASE("an exception class is registered by its generated source, others are not") {
    HeaderModel model = sample_model();
    const EmitNames names{"thing.remote.hpp", "thing.remote_generated.h"};
    CHECK(!contains(emit_proxy_source(model, names), "register_exception"));
    model.classes[0].is_exception = true;
    CHECK(contains(emit_proxy_source(model, names), "::remoteobj::register_exception<::ns::Thing>()"));
}

TEST_CASE("pairs, tuples and variants of standard types get one shared table each, named after their types") {
    TypeModel pair;
    pair.kind = TypeKind::Tuple;
    pair.spelling = "std::pair<int, std::string>";
    pair.args = {int32(), string_type()};
    TypeModel tuple = pair;
    tuple.spelling = "std::tuple<int, std::string>";
    TypeModel variant = pair;
    variant.kind = TypeKind::Variant;
    variant.spelling = "std::variant<int, std::string>";
    HeaderModel model = sample_model();
    for (const TypeModel& type : {pair, tuple, variant, pair}) {
        FieldModel field;
        field.id = 10 + static_cast<std::uint32_t>(model.classes[0].fields.size());
        field.name = "f" + std::to_string(field.id);
        field.type = type;
        model.classes[0].fields.push_back(field);
    }
    const std::string schema = emit_schema(model);
    const std::string include = "include \"remoteobj_types/Pair_int_std_string.fbs\";";
    CHECK(contains(schema, include));
    CHECK(schema.find(include) == schema.rfind(include));  // once
    CHECK(!contains(schema, "table Pair_int_std_string"));  // in its own file, not in the header's
    std::map<std::string, std::string> shared;
    for (const TypeTable& type : type_tables(model))
        if (is_shared(type.type)) shared[type.table] = shared_type_schema(type);
    REQUIRE(shared.size() == 3);
    CHECK(contains(shared["Pair_int_std_string"], "table Pair_int_std_string { e0: int; e1: string; }"));
    CHECK(contains(shared["Tuple_int_std_string"], "table Tuple_int_std_string { e0: int; e1: string; }"));
    CHECK(contains(shared["Variant_int_std_string"], "table Variant_int_std_string { index: ubyte; e0: int; e1: string; }"));
    // Its codecs are inline and guarded by the table's name: one definition per program.
    TypeTable pair_table{pair, "Pair_int_std_string", false};
    const std::string codec = shared_type_header(pair_table);
    CHECK(contains(codec, "#ifndef REMOTEOBJ_TYPE_Pair_int_std_string_INCLUDED"));
    CHECK(contains(codec, "inline auto remoteobj::detail::Codec<std::pair<int, std::string>>::to_wire"));
}

TEST_CASE("a pair holding a REMOTEOBJ struct keeps its table in the header's schema") {
    TypeModel point;
    point.kind = TypeKind::Object;
    point.spelling = "::ns::Point";
    TypeModel pair;
    pair.kind = TypeKind::Tuple;
    pair.spelling = "std::pair<int, ::ns::Point>";
    pair.args = {int32(), point};
    CHECK(!is_shared(pair));
    CHECK(is_shared(int32()));
}

TEST_CASE("doc comments become /// lines, blank lines included") {
    CHECK(doc_comment("one\n\ntwo", "  ") == "  /// one\n  ///\n  /// two\n");
    CHECK(doc_comment("", "  ").empty());
}

// The emitters on types the user does not own, fed a hand-built model: a plain
// aggregate gets one shared table and inline codec per program; an adapted type
// travels in its wire type's tables and gets no table or codec of its own.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "emit/naming.hpp"
#include "emit/proxy_emitter.hpp"
#include "emit/schema_emitter.hpp"
#include "emit/type_emitter.hpp"

using namespace remoteobj::gen;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TypeModel of(TypeKind kind, std::string spelling, std::vector<TypeModel> args = {}) {
    TypeModel t;
    t.kind = kind;
    t.spelling = std::move(spelling);
    t.args = std::move(args);
    return t;
}

TypeModel int32() {
    TypeModel t = of(TypeKind::Integer, "int");
    t.bits = 32;
    t.is_signed = true;
    return t;
}

TypeModel options() {
    TypeModel t = of(TypeKind::Aggregate, "::vendor::ReadOptions", {int32(), of(TypeKind::String, "std::string")});
    t.names = {"tier", "tag"};
    return t;
}

// A Slice that crosses as a std::string; Ids that cross as a std::vector<int>.
TypeModel slice() { return of(TypeKind::Adapted, "::vendor::Slice", {of(TypeKind::String, "std::string")}); }
TypeModel ids() { return of(TypeKind::Adapted, "::vendor::Ids", {of(TypeKind::Vector, "std::vector<int>", {int32()})}); }

HeaderModel store_with(const std::vector<TypeModel>& types) {
    ClassModel cls;
    cls.name = "Store";
    cls.qualified_name = "Store";
    for (const TypeModel& type : types) {
        FieldModel field;
        field.id = static_cast<std::uint32_t>(cls.fields.size() + 1);
        field.name = "f" + std::to_string(field.id);
        field.type = type;
        cls.fields.push_back(field);
    }
    HeaderModel model;
    model.header_path = "/src/store.hpp";
    model.classes.push_back(cls);
    return model;
}

}  // namespace

TEST_CASE("a plain aggregate gets one shared table of its fields and inline, name-guarded codecs") {
    const HeaderModel model = store_with({options(), of(TypeKind::Vector, "std::vector<::vendor::ReadOptions>", {options()})});
    const std::string schema = emit_schema(model);
    const std::string include = "include \"remoteobj_types/Struct_vendor_ReadOptions.fbs\";";
    CHECK(contains(schema, include));
    CHECK(schema.find(include) == schema.rfind(include));
    CHECK(contains(schema, "table Store_f1_Value { value: Struct_vendor_ReadOptions; }"));
    CHECK(contains(schema, "table Store_f2_Value { value: [Struct_vendor_ReadOptions]; }"));
    CHECK(!contains(schema, "table Struct_vendor_ReadOptions"));  // in its own file, not in the header's
    std::map<std::string, TypeTable> shared;
    for (const TypeTable& type : type_tables(model))
        if (is_shared(type.type)) shared.emplace(type.table, type);
    REQUIRE(shared.count("Struct_vendor_ReadOptions") == 1);
    const TypeTable& table = shared.at("Struct_vendor_ReadOptions");
    CHECK(contains(shared_type_schema(table), "table Struct_vendor_ReadOptions { tier: int; tag: string; }"));
    const std::string codec = shared_type_header(table);
    CHECK(contains(codec, "#ifndef REMOTEOBJ_TYPE_Struct_vendor_ReadOptions_INCLUDED"));
    CHECK(contains(codec, "inline auto remoteobj::detail::Codec<::vendor::ReadOptions>::to_wire"));
    CHECK(contains(codec, "::remoteobj::detail::store(value.tag, ::remoteobj::detail::from_wire<std::string>(table->tag()));"));
    CHECK(contains(codec, "struct remoteobj::detail::ValueCodec<::vendor::ReadOptions>"));  // process() results
    // The proxy header includes it; nothing of it is in the header's own source.
    CHECK(contains(emit_proxy_header(model, {}), "#include \"remoteobj_types/Struct_vendor_ReadOptions.remote.hpp\""));
    CHECK(!contains(emit_proxy_source(model, {}), "Codec<::vendor::ReadOptions>"));
}

TEST_CASE("an adapted type travels in its wire type's tables and gets no table or codec of its own") {
    const HeaderModel model = store_with({slice(), of(TypeKind::Vector, "std::vector<::vendor::Ids>", {ids()}),
                                          of(TypeKind::Optional, "std::optional<::vendor::Slice>", {slice()})});
    const std::string schema = emit_schema(model);
    CHECK(contains(schema, "table Store_f1_Value { value: string; }"));
    // Inside a vector, a wire that is itself a vector takes that vector's element table.
    CHECK(contains(schema, "table Store_f2_Value { value: [List_std_vector_int]; }"));
    CHECK(contains(schema, "include \"remoteobj_types/List_std_vector_int.fbs\";"));
    CHECK(contains(schema, "table Store_f3_Value { value: string; }"));
    CHECK(!contains(schema, "vendor"));
    const std::string header = emit_proxy_header(model, {});
    CHECK(!contains(header, "Codec<::vendor::Slice>"));  // the runtime's adapter codec serves it
    CHECK(contains(emit_proxy_source(model, {}), "::remoteobj::detail::from_wire<::vendor::Slice>"));
}

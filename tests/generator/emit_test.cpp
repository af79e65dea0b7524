// The emitters, fed a hand-built model: no Clang involved.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "emit/description_emitter.hpp"
#include "emit/member_table_emitter.hpp"
#include "emit/naming.hpp"
#include "emit/proxy_emitter.hpp"
#include "emit/schema_emitter.hpp"
#include "emit/type_emitter.hpp"
#include "model/wire_identity.hpp"

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

// The class identity as generated code spells it.
std::string fmt_hash(const ClassModel& cls) {
    char text[32];
    std::snprintf(text, sizeof text, "0x%016llxull", static_cast<unsigned long long>(class_identity(cls)));
    return text;
}

// A row of a generated member table.
std::string fmt_row(std::uint32_t id, const char* name, const char* kind, const char* signature) {
    return "{" + std::to_string(id) + "u, \"" + name + "\", \"" + kind + "\", \"" + signature + "\"},";
}

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

namespace {

// `class Job { int done; Signal<int, std::string> progress; generator<int> scan(int n); }`
HeaderModel events_model() {
    ClassModel cls;
    cls.name = "Job";
    cls.qualified_name = "Job";
    FieldModel done;
    done.id = 1;
    done.name = "done";
    done.type = int32();
    FieldModel progress;
    progress.id = 2;
    progress.name = "progress";
    progress.type.kind = TypeKind::Signal;
    progress.type.spelling = "::remoteobj::Signal<int, std::string>";
    progress.type.args = {int32(), string_type()};
    progress.doc = "How far it is.";
    progress.location = {"/src/job.hpp", 7, 40};
    cls.fields = {done, progress};
    MethodModel scan;
    scan.id = 3;
    scan.name = "scan";
    scan.streams = true;
    scan.result = int32();
    scan.doc = "The numbers below n.";
    ParamModel n;
    n.name = "n";
    n.type = int32();
    scan.params = {n};
    cls.methods.push_back(scan);
    HeaderModel model;
    model.header_path = "/src/job.hpp";
    model.classes.push_back(cls);
    return model;
}

const EmitNames job_names{"job.remote.hpp", "job.remote_generated.h"};

// The text of the stub struct `name` in a generated header.
std::string stub_of(const std::string& header, const std::string& name) {
    const std::size_t start = header.find("struct " + name + " ");
    if (start == std::string::npos) return "";
    return header.substr(start, header.find("};", start) - start);
}

}  // namespace

TEST_CASE("a signal gets a traits struct and a SignalView member, built from the proxy's state") {
    const std::string header = emit_proxy_header(events_model(), job_names);
    const std::string hash = fmt_hash(events_model().classes[0]);
    CHECK(contains(header, "/// How Job::progress travels: its member id.\n"
                           "struct Job_progress {\n"
                           "    using signal_type = ::remoteobj::Signal<int, std::string>;\n"
                           "    static constexpr std::uint32_t id = 2;\n"
                           "    static constexpr std::uint64_t interface = " + hash + ";\n"
                           "    static constexpr const char* qualified_name = \"Job::progress\";\n"
                           "};\n"));
    CHECK(contains(header, "    /// How far it is.\n    ///\n    /// Declared at job.hpp:7.\n"
                           "    ::remoteobj::SignalView<::remoteobj::generated::Job_progress> progress;\n"));
    CHECK(contains(header, "progress{state}"));
    CHECK(contains(header, "#include <remoteobj/signal.hpp>"));
    CHECK(!contains(header, "Field<::remoteobj::generated::Job_progress>"));
    // Its arguments travel as values of their own: no value table, no Get or Set.
    CHECK(!contains(emit_schema(events_model()), "Job_progress"));
    const std::string source = emit_proxy_source(events_model(), job_names);
    CHECK(!contains(source, "Job_progress::encode"));
    CHECK(contains(source, "    case 2:  // signal progress\n"
                           "        if (request.op() == ::remoteobj::wire::Operation::Subscribe) {\n"
                           "            ::remoteobj::detail::serve_signal(self.progress, request);\n"
                           "            return;\n"
                           "        }\n"
                           "        break;\n"));
}

TEST_CASE("a proxy whose first member is a signal finds its state through the signal's view") {
    HeaderModel model = events_model();
    model.classes[0].fields.erase(model.classes[0].fields.begin());  // progress first
    const std::string header = emit_proxy_header(model, job_names);
    CHECK(contains(header, "return ::remoteobj::detail::ProxyAccess::owner(proxy.progress);"));
    CHECK(!contains(header, "state_;"));
}

TEST_CASE("a streaming method's stub returns a stream, has no async(), and calls call_stream") {
    const std::string header = emit_proxy_header(events_model(), job_names);
    const std::string stub = stub_of(header, "Job_scan");
    REQUIRE(!stub.empty());
    CHECK(contains(stub, "    /// The numbers below n.\n"));
    CHECK(contains(stub, "    ::remoteobj::stream<int> operator()(int n) const;\n"));
    CHECK(!contains(stub, "async"));
    const std::string source = emit_proxy_source(events_model(), job_names);
    CHECK(!contains(source, "Job_scan::async"));
    CHECK(contains(source, "auto ::remoteobj::generated::stubs::Job_scan::operator()(int n) const -> ::remoteobj::stream<int> {\n"
                           "    return owner().call_stream<int>(\n"
                           "        {::remoteobj::wire::Operation::Call, 3, 1, \"Job::scan(int32) -> int32 stream\", " +
                       fmt_hash(events_model().classes[0]) + ", false},\n"));
    CHECK(contains(source, "fbb.Finish(::remoteobj::gen::CreateJob_scan_Args(fbb, ::remoteobj::detail::to_wire<int>(fbb, n)));"));
    CHECK(contains(source, "+[](::remoteobj::detail::Bytes bytes) -> int {\n"
                           "            return ::remoteobj::detail::from_wire<int>(\n"
                           "                ::remoteobj::detail::verified_root<::remoteobj::gen::Job_scan_Result>(bytes, \"Job::scan\")->value());\n"));
}

TEST_CASE("a streaming method is served by serve_stream, each value in the method's result table") {
    const std::string source = emit_proxy_source(events_model(), job_names);
    CHECK(contains(source, "    case 3: {  // method scan (streams)\n"
                           "        if (request.op() != ::remoteobj::wire::Operation::Call) break;\n"));
    CHECK(contains(source, "            ::remoteobj::detail::serve_stream(request, self.scan(::remoteobj::detail::from_wire<int>(args->n())),\n"
                           "                +[](flatbuffers::FlatBufferBuilder& fbb, const int& value) {\n"
                           "                    fbb.Finish(::remoteobj::gen::CreateJob_scan_Result(fbb, ::remoteobj::detail::to_wire<int>(fbb, value)));\n"
                           "                });\n"
                           "            return;\n"));
    const std::string schema = emit_schema(events_model());
    CHECK(contains(schema, "table Job_scan_Args { n: int; }"));
    CHECK(contains(schema, "table Job_scan_Result { value: int; }"));
}

TEST_CASE("a virtual streaming method runs the class's own implementation through super") {
    HeaderModel model = events_model();
    model.classes[0].methods[0].is_virtual = true;
    const std::string source = emit_proxy_source(model, job_names);
    CHECK(contains(source, "serve_stream(request, (super ? self.Job::scan(::remoteobj::detail::from_wire<int>(args->n())) : "
                           "self.scan(::remoteobj::detail::from_wire<int>(args->n())))"));
}

TEST_CASE("a signal's arguments get the codecs a parameter would, and a whole-value codec each") {
    HeaderModel model = events_model();
    TypeModel optional;
    optional.kind = TypeKind::Optional;
    optional.spelling = "std::optional<int>";
    optional.args = {int32()};
    TypeModel point;
    point.kind = TypeKind::Object;
    point.spelling = "::Point";
    TypeModel pair;
    pair.kind = TypeKind::Tuple;
    pair.spelling = "std::pair<int, ::Point>";
    pair.args = {int32(), point};
    FieldModel& progress = model.classes[0].fields[1];
    progress.type.args = {optional, pair};
    progress.type.spelling = "::remoteobj::Signal<std::optional<int>, std::pair<int, ::Point>>";
    ClassModel point_class;
    point_class.name = "Point";
    point_class.qualified_name = "Point";
    FieldModel x;
    x.id = 1;
    x.name = "x";
    x.type = int32();
    point_class.fields.push_back(x);
    model.classes.insert(model.classes.begin(), point_class);

    std::map<std::string, TypeTable> tables;
    for (const TypeTable& type : type_tables(model)) tables.emplace(type.table, type);
    REQUIRE(tables.count("Pair_int_Point"));
    CHECK(!tables.at("Pair_int_Point").element);
    REQUIRE(tables.count("List_std_optional_int"));  // the runtime sends an argument as a whole value
    CHECK(contains(type_codec_declarations(tables.at("List_std_optional_int")),
                   "struct remoteobj::detail::ValueCodec<std::optional<int>>"));
    const std::string header = emit_proxy_header(model, job_names);
    CHECK(contains(header, "struct remoteobj::detail::Codec<std::pair<int, ::Point>>"));
    CHECK(contains(header, "struct remoteobj::detail::ValueCodec<std::pair<int, ::Point>>"));
    CHECK(contains(header, "struct remoteobj::detail::ValueCodec<::Point>"));
    CHECK(contains(emit_schema(model), "table Pair_int_Point { e0: int; e1: Point_Struct; }"));
    CHECK(!contains(emit_schema(model), "Job_progress"));
}

TEST_CASE("a span argument is received as a vector it views, a const char* as a string it points into") {
    HeaderModel model = sample_model();
    TypeModel span;
    span.kind = TypeKind::Span;
    span.spelling = "std::span<const int>";
    span.args.push_back(int32());
    TypeModel text;
    text.kind = TypeKind::CString;
    text.spelling = "const char*";
    MethodModel take;
    take.id = 3;
    take.name = "take";
    take.result = text;
    ParamModel xs{"xs", span, Passing::ByValue, {}};
    ParamModel s{"s", text, Passing::ByValue, {}};
    take.params = {xs, s};
    model.classes[0].methods.push_back(take);
    const std::string schema = emit_schema(model);
    CHECK(contains(schema, "table ns_Thing_take_Args { xs: [int]; s: string; }"));
    CHECK(contains(schema, "table ns_Thing_take_Result { value: string; }"));
    const std::string header = emit_proxy_header(model, {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(header, "std::optional<std::string> operator()(std::span<const int> xs, const char* s) const;"));
    const std::string source = emit_proxy_source(model, {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "self.take(::remoteobj::detail::lvalue(::remoteobj::detail::from_wire<std::vector<int>>(args->xs())), "
                           "::remoteobj::detail::c_str(::remoteobj::detail::from_wire<std::optional<std::string>>(args->s())))"));
    CHECK(contains(source, "::remoteobj::detail::to_wire<std::span<const int>>(fbb, xs)"));
    CHECK(contains(source, "::remoteobj::detail::to_wire<const char*>(out, result)"));  // a null result stays null
}

TEST_CASE("fields are written through detail::store, which copies into a C array") {
    const std::string source = emit_proxy_source(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "::remoteobj::detail::store(self.count, ::remoteobj::generated::ns_Thing_count::decode("));
}

TEST_CASE("nodiscard and deprecated with its message are carried onto every call operator of the stub") {
    HeaderModel model = sample_model();
    model.classes[0].methods[0].nodiscard = true;
    model.classes[0].methods[0].deprecated = "use \"hail\" instead";
    const EmitNames names{"thing.remote.hpp", "thing.remote_generated.h"};
    const std::string header = emit_proxy_header(model, names);
    CHECK(contains(header, "    [[nodiscard]] [[deprecated(\"use \\\"hail\\\" instead\")]] std::string operator()"
                           "(const std::string& who, int times) const;"));
    CHECK(contains(header, "    [[nodiscard]] [[deprecated(\"use \\\"hail\\\" instead\")]] std::string operator()"
                           "(const std::string& who) const;"));
    // The listening side calls it: the warning is for callers, not for dispatch.
    CHECK(contains(emit_proxy_source(model, names), "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\""));
    CHECK(!contains(emit_proxy_source(sample_model(), names), "#pragma"));
    model.classes[0].methods[0].deprecated = "";
    CHECK(contains(emit_proxy_header(model, names), "    [[nodiscard]] [[deprecated]] std::string operator()"));
}

TEST_CASE("a void method's stub is not nodiscard") {
    HeaderModel model = sample_model();
    model.classes[0].methods[0].nodiscard = true;
    model.classes[0].methods[0].result = TypeModel{};  // void
    CHECK(!contains(emit_proxy_header(model, {"thing.remote.hpp", "thing.remote_generated.h"}), "nodiscard"));
}

TEST_CASE("a const reference to an object is dispatched at that object's address") {
    HeaderModel model = sample_model();
    MethodModel child = model.classes[0].methods[0];
    child.id = 3;
    child.name = "child";
    child.params.clear();
    child.result = TypeModel{};
    child.result.kind = TypeKind::Object;
    child.result.spelling = "::ns::Child";
    child.returns_object = true;
    child.object_const = true;
    child.is_const = true;
    model.classes[0].methods.push_back(child);
    const std::string source = emit_proxy_source(model, {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "interface_of<::ns::Child>().dispatch(const_cast<::ns::Child*>(&self.child()), request"));
}

TEST_CASE("a class that cannot cross by value gets no value codec") {
    HeaderModel model = sample_model();
    const EmitNames names{"thing.remote.hpp", "thing.remote_generated.h"};
    CHECK(contains(emit_proxy_source(model, names), "ns_Thing_Struct"));
    model.classes[0].crosses_by_value = false;
    CHECK(!contains(emit_proxy_source(model, names), "ns_Thing_Struct"));
}

TEST_CASE("a value struct without fields encodes without naming the value it does not read") {
    HeaderModel model = sample_model();
    model.classes[0].fields.clear();
    const std::string source = emit_proxy_source(model, {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "Codec<::ns::Thing>::to_wire(flatbuffers::FlatBufferBuilder& fbb, const ::ns::Thing&)\n"));
    CHECK(contains(emit_proxy_source(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"}),
                   "Codec<::ns::Thing>::to_wire(flatbuffers::FlatBufferBuilder& fbb, const ::ns::Thing& value)\n"));
}

TEST_CASE("an in-out parameter travels back in the result table, and a pointer as a nullable") {
    HeaderModel model = sample_model();
    MethodModel get;
    get.id = 3;
    get.name = "get";
    get.result.kind = TypeKind::Bool;
    get.result.spelling = "bool";
    ParamModel count;
    count.name = "count";
    count.type = int32();
    count.passing = Passing::InOutReference;
    ParamModel value;  // a pointer travels as the optional of its pointee
    value.name = "value";
    value.type.kind = TypeKind::Optional;
    value.type.spelling = "std::optional<std::string>";
    value.type.args = {string_type()};
    value.passing = Passing::InOutPointer;
    ParamModel hint;
    hint.name = "hint";
    hint.type = value.type;
    hint.passing = Passing::ConstPointer;
    get.params = {count, value, hint};
    model.classes[0].methods.push_back(get);

    const std::string schema = emit_schema(model);
    CHECK(contains(schema, "table ns_Thing_get_Args { count: int; value: string; hint: string; }"));
    CHECK(contains(schema, "table ns_Thing_get_Result { value: bool; inout_count: int; inout_value: string; }"));

    const std::string header = emit_proxy_header(model, {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(header, "bool operator()(int& count, std::string* value, const std::string* hint) const;"));
    CHECK(contains(header, "::remoteobj::future<bool> async(int& count, std::string* value, const std::string* hint) const;"));

    const std::string source = emit_proxy_source(model, {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "::remoteobj::detail::pointee_to_wire(fbb, value)"));
    CHECK(contains(source, "::remoteobj::detail::write_back(count, remoteobj_reply->inout_count());"));
    CHECK(contains(source, "::remoteobj::detail::write_back(value, remoteobj_reply->inout_value());"));
    // The future keeps pointers to the caller's objects.
    CHECK(contains(source, "[remoteobj_0 = &count, remoteobj_1 = value]"));
    CHECK(contains(source, "::remoteobj::detail::write_back(*remoteobj_0, remoteobj_reply->inout_count());"));
    // The member works on received copies, which the reply then carries back.
    CHECK(contains(source, "auto in_out_0 = ::remoteobj::detail::from_wire<int>(args->count());"));
    CHECK(contains(source, "self.get(in_out_0, ::remoteobj::detail::pointer_to(in_out_1), "
                           "::remoteobj::detail::pointer_to(::remoteobj::detail::from_wire<std::optional<std::string>>(args->hint())))"));
    CHECK(contains(source, "::remoteobj::detail::to_wire<int>(out, in_out_0), "
                           "::remoteobj::detail::to_wire<std::optional<std::string>>(out, in_out_1)"));
}

TEST_CASE("dispatch answers an id this build lacks, or more arguments than it takes, as another version's") {
    const std::string source = emit_proxy_source(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "    default:  // a member of another version of the class, or with another signature\n"
                           "        ::remoteobj::detail::throw_unknown_member(\"ns::Thing\", request);\n"));
    CHECK(contains(source, "        if (request.argc() > 2)\n"
                           "            ::remoteobj::detail::throw_too_many_arguments(\"ns::Thing::greet\", request, 2);\n"));
}

TEST_CASE("a method's calls are named with its wire signature, for a mismatch the listener cannot name") {
    const std::string source = emit_proxy_source(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "{::remoteobj::wire::Operation::Call, 2, 1, \"ns::Thing::greet(string) -> string\", "));
    CHECK(contains(source, "{::remoteobj::wire::Operation::Call, 2, 2, \"ns::Thing::greet(string) -> string\", "));
}

TEST_CASE("a value struct's field an older build's table lacks keeps its default member initialiser") {
    const std::string source = emit_proxy_source(sample_model(), {"thing.remote.hpp", "thing.remote_generated.h"});
    CHECK(contains(source, "    ::remoteobj::detail::write_every_field(fbb);\n"
                           "    return ::remoteobj::gen::Createns_Thing_Struct(fbb"));
    CHECK(contains(source, "    if (::remoteobj::detail::has_field(table, 0))\n"
                           "        ::remoteobj::detail::store(value.count, ::remoteobj::detail::from_wire<int>(table->count()));\n"));
}

TEST_CASE("the source hands the runtime each member's id, name, kind and wire signature, sorted by id") {
    HeaderModel model = sample_model();
    SubscriptModel subscript;
    subscript.key = string_type();
    subscript.element = int32();
    model.classes[0].subscript = subscript;
    for (ClassModel& cls : model.classes) REQUIRE(assign_member_ids(cls).empty());
    const ClassModel& cls = model.classes[0];
    const std::string source = emit_proxy_source(model, {"thing.remote.hpp", "thing.remote_generated.h"});
    for (const auto& [id, row] : std::map<std::uint32_t, std::string>{
             {cls.fields[0].id, fmt_row(cls.fields[0].id, "count", "field", "field count: int32")},
             {cls.methods[0].id, fmt_row(cls.methods[0].id, "greet", "method", "method greet(string) -> string")},
             {cls.subscript->id, fmt_row(cls.subscript->id, "operator[]", "subscript", "subscript [string] -> int32")}})
        CHECK_MESSAGE(contains(source, row), row);
    // Sorted by id, as the runtime may search it: each row after the one of the next lower id.
    std::map<std::uint32_t, std::size_t> place_by_id;
    for (std::uint32_t id : {cls.fields[0].id, cls.methods[0].id, cls.subscript->id})
        place_by_id[id] = source.find("{" + std::to_string(id) + "u,");
    std::size_t previous = 0;
    for (const auto& [id, place] : place_by_id) {
        CHECK(place != std::string::npos);
        CHECK(place > previous);
        previous = place;
    }
    CHECK(contains(source, "members_ns_Thing, 3,"));
}

TEST_CASE("the source holds the very text of the description, which a Describe request is answered with") {
    HeaderModel model = sample_model();
    const EmitNames names{"thing.remote.hpp", "thing.remote_generated.h"};
    const std::string source = emit_proxy_source(model, names);
    CHECK(contains(source, cpp_string_literal(emit_description(model, names))));
    CHECK(contains(source, "remoteobj_description"));
}

TEST_CASE("a string literal escapes quotes, backslashes, control characters and bytes beyond ASCII") {
    CHECK(cpp_string_literal("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(cpp_string_literal("x\ny") == "\"x\\n\"\n    \"y\"");
    CHECK(cpp_string_literal("\t1\xc3\xa9?") == "\"\\0111\\303\\251\\077\"");
}

TEST_CASE("the description names a subscript's wire signature beside its key and element types") {
    HeaderModel model = sample_model();
    SubscriptModel subscript;
    subscript.key = string_type();
    subscript.element = int32();
    model.classes[0].subscript = subscript;
    const std::string json = emit_description(model);
    CHECK(contains(json, "\"wire_signature\": \"subscript [string] -> int32\", \"key\": {\"kind\": \"string\""));
    CHECK(contains(json, "\"writable\": false"));
}

// The parser builds the model a header describes, and refuses what it cannot export.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <optional>

#include "model/wire_identity.hpp"
#include "parse/parser.hpp"

using namespace remoteobj::gen;

namespace {

ParseResult parse(const std::string& name) {
    ParseOptions options;
    options.header = std::string(REMOTEOBJ_TEST_HEADERS) + "/" + name;
    options.resource_dir = REMOTEOBJ_CLANG_RESOURCE_DIR;
    options.compiler_args = {"-I" REMOTEOBJ_RUNTIME_INCLUDE};
    return parse_header(options);
}

const ClassModel& find_class(const HeaderModel& model, const std::string& name) {
    auto it = std::find_if(model.classes.begin(), model.classes.end(),
                           [&](const ClassModel& c) { return c.name == name; });
    REQUIRE(it != model.classes.end());
    return *it;
}

const FieldModel* find_field(const ClassModel& cls, const std::string& name) {
    for (const auto& f : cls.fields)
        if (f.name == name) return &f;
    return nullptr;
}

const MethodModel* find_method(const ClassModel& cls, const std::string& name) {
    for (const auto& m : cls.methods)
        if (m.name == name) return &m;
    return nullptr;
}

}  // namespace

TEST_CASE("the model lists exactly the annotated classes of the header") {
    ParseResult result = parse("sample.hpp");
    REQUIRE(result.compiled);
    CHECK(result.errors.empty());
    REQUIRE(result.model.classes.size() == 3);
    CHECK(result.model.classes[0].qualified_name == "app::Base");
    CHECK(result.model.classes[1].qualified_name == "app::Sample");
    CHECK(result.model.classes[2].qualified_name == "app::Failure");
}

TEST_CASE("fields: names, types, const-ness, docs: hidden and private ones left out") {
    const ParseResult result = parse("sample.hpp");
    const ClassModel& sample = find_class(result.model, "Sample");
    std::vector<std::string> names;
    for (const auto& f : sample.fields) names.push_back(f.name);
    CHECK(names == std::vector<std::string>{"count", "limit", "hits", "mode", "name"});

    const FieldModel* count = find_field(sample, "count");
    CHECK(count->type.kind == TypeKind::Integer);
    CHECK(count->type.bits == 32);
    CHECK(count->type.is_signed);
    CHECK(count->doc == "How many.");
    CHECK(count->location.line == 32);

    CHECK(find_field(sample, "limit")->is_const);
    CHECK(find_field(sample, "limit")->type.kind == TypeKind::Floating);
    CHECK(!count->is_const);

    const FieldModel* hits = find_field(sample, "hits");
    CHECK(hits->type.kind == TypeKind::Atomic);
    REQUIRE(hits->type.args.size() == 1);
    CHECK(hits->type.args[0].kind == TypeKind::Integer);
    CHECK(hits->type.args[0].bits == 64);

    const FieldModel* mode = find_field(sample, "mode");
    CHECK(mode->type.kind == TypeKind::Enum);
    CHECK(mode->type.spelling == "::app::Mode");
    CHECK(mode->type.args.at(0).bits == 16);

    CHECK(find_field(sample, "name")->type.kind == TypeKind::String);
}

TEST_CASE("methods: parameters, defaults, const, oneway, docs: static ones left out") {
    const ParseResult result = parse("sample.hpp");
    const ClassModel& sample = find_class(result.model, "Sample");
    CHECK(find_method(sample, "helper") == nullptr);

    const MethodModel* add = find_method(sample, "add");
    REQUIRE(add);
    CHECK(add->is_const);
    CHECK(add->doc == "Adds two numbers.");
    CHECK(add->result.kind == TypeKind::Integer);
    REQUIRE(add->params.size() == 2);
    CHECK(add->params[0].name == "a");
    CHECK(!add->params[0].default_value);
    CHECK(add->params[1].default_value == std::optional<std::string>("2 * 3"));
    CHECK(add->required_params() == 1);

    const MethodModel* rename = find_method(sample, "rename");
    REQUIRE(rename);
    CHECK(!rename->is_const);
    CHECK(rename->result.kind == TypeKind::Void);
    CHECK(rename->params[0].type.kind == TypeKind::String);
    CHECK(rename->params[0].passing == Passing::ByConstReference);
    CHECK(rename->params[1].type.kind == TypeKind::StringView);
    CHECK(rename->params[1].default_value == std::optional<std::string>("\"because\""));

    CHECK(find_method(sample, "poke")->oneway);
    CHECK(!add->oneway);

    const MethodModel* small = find_method(sample, "small");
    CHECK(small->result.bits == 8);
    CHECK(!small->result.is_signed);
    CHECK(small->params[0].type.bits == 64);
    CHECK(small->params[1].type.kind == TypeKind::Floating);
    CHECK(small->params[1].type.bits == 32);
    CHECK(small->params[2].type.kind == TypeKind::Bool);
}

TEST_CASE("operator[] becomes the class's subscript, the assignable overload winning") {
    const ParseResult result = parse("sample.hpp");
    CHECK(result.errors.empty());
    const ClassModel& sample = find_class(result.model, "Sample");
    REQUIRE(sample.subscript);
    CHECK(sample.subscript->key.kind == TypeKind::String);
    CHECK(sample.subscript->element.kind == TypeKind::Floating);
    CHECK(sample.subscript->assignable);
    CHECK(find_method(sample, "operator=") == nullptr);
}

TEST_CASE("member ids are the hashes of their wire signatures, whatever the declaration order") {
    const ParseResult result = parse("sample.hpp");
    ClassModel sample = find_class(result.model, "Sample");
    for (const auto& f : sample.fields) CHECK(f.id == member_id(member_signature(f)));
    for (const auto& m : sample.methods) CHECK(m.id == member_id(member_signature(m)));
    REQUIRE(sample.subscript);
    CHECK(sample.subscript->id == member_id(member_signature(*sample.subscript)));

    // Reordered, with a member fewer and one more: every other member keeps its id.
    ClassModel changed = sample;
    std::reverse(changed.fields.begin(), changed.fields.end());
    std::reverse(changed.methods.begin(), changed.methods.end());
    const MethodModel removed = changed.methods.back();
    changed.methods.pop_back();
    MethodModel added;
    added.name = "added_later";
    changed.methods.push_back(added);
    CHECK(assign_member_ids(changed).empty());
    for (const auto& f : sample.fields) CHECK(find_field(changed, f.name)->id == f.id);
    for (const auto& m : sample.methods)
        if (m.name != removed.name) CHECK(find_method(changed, m.name)->id == m.id);
}

TEST_CASE("a member's id changes with its wire types, and not with a trailing defaulted parameter") {
    MethodModel add;
    add.name = "add";
    add.result = {TypeKind::Integer, "int", 32, true};
    add.params.push_back({"amount", {TypeKind::Integer, "int", 32, true}});
    const std::uint32_t before = member_id(member_signature(add));
    CHECK(member_signature(add) == "method add(int32) -> int32");

    MethodModel spelled = add;  // another spelling of the same bytes: std::int32_t, long on ILP32
    spelled.params[0].type.spelling = "std::int32_t";
    CHECK(member_id(member_signature(spelled)) == before);

    MethodModel defaulted = add;
    defaulted.params.push_back({"scale", {TypeKind::Integer, "int", 32, true}, Passing::ByValue, "1"});
    CHECK(member_id(member_signature(defaulted)) == before);

    MethodModel wider = add;
    wider.params[0].type.bits = 64;
    CHECK(member_id(member_signature(wider)) != before);
    MethodModel required = add;
    required.params.push_back({"scale", {TypeKind::Integer, "int", 32, true}});
    CHECK(member_id(member_signature(required)) != before);
    MethodModel result = add;
    result.result.is_signed = false;
    CHECK(member_id(member_signature(result)) != before);
    MethodModel in_out = add;
    in_out.params[0].passing = Passing::InOutReference;  // the reply carries it back
    CHECK(member_id(member_signature(in_out)) != before);

    FieldModel field;
    field.name = "add";
    field.type = add.result;
    CHECK(member_id(member_signature(field)) != before);  // another kind of member
}

TEST_CASE("a class is named on the wire by its qualified name only") {
    const ParseResult result = parse("sample.hpp");
    ClassModel sample = find_class(result.model, "Sample");
    const std::uint64_t before = class_identity(sample);
    sample.methods.clear();
    CHECK(class_identity(sample) == before);
    sample.qualified_name = "other::Sample";
    CHECK(class_identity(sample) != before);
}

TEST_CASE("two members whose ids collide are refused, naming both") {
    ClassModel cls;
    cls.qualified_name = "Clash";
    FieldModel a, b;
    a.name = b.name = "twice";  // the same signature: the same id
    a.type = b.type = {TypeKind::Bool, "bool"};
    b.location = {"clash.hpp", 7, 10};
    cls.fields = {a, b};
    const std::vector<IdCollision> collisions = assign_member_ids(cls);
    REQUIRE(collisions.size() == 1);
    CHECK(collisions[0].first == "field 'twice'");
    CHECK(collisions[0].second_location.line == 7);
    CHECK(collisions[0].same_signature);
}

TEST_CASE("bases and class docs are recorded") {
    const ParseResult result = parse("sample.hpp");
    const ClassModel& sample = find_class(result.model, "Sample");
    REQUIRE(sample.bases.size() == 1);
    CHECK(sample.bases[0].qualified_name == "app::Base");
    CHECK(sample.bases[0].is_remoteobj);
    CHECK(sample.doc == "A sample class.\nIts doc comment has two lines.");
}

TEST_CASE("exception classes are recognised, and their what() is not exported") {
    const ParseResult result = parse("sample.hpp");
    const ClassModel& failure = find_class(result.model, "Failure");
    CHECK(failure.is_exception);
    CHECK(!find_class(result.model, "Sample").is_exception);
    CHECK(failure.methods.empty());
    REQUIRE(failure.fields.size() == 1);
    CHECK(failure.fields[0].name == "code");
}

TEST_CASE("a member that cannot be exported is an error at its location") {
    ParseResult result = parse("bad_member.hpp");
    CHECK(result.compiled);
    REQUIRE(result.errors.size() == 1);
    const std::string text = format_diagnostic(result.errors[0]);
    CHECK(text.find("bad_member.hpp:6:10: error: field 'Bad::pointer' cannot be exported: a raw pointer") !=
          std::string::npos);
}

TEST_CASE("unexportable methods are each reported where they are declared") {
    ParseResult result = parse("bad_method.hpp");
    REQUIRE(result.errors.size() == 4);
    std::vector<unsigned> lines;
    for (const auto& e : result.errors) lines.push_back(e.location.line);
    std::sort(lines.begin(), lines.end());
    CHECK(lines == std::vector<unsigned>{6, 7, 8, 9});
    for (const auto& e : result.errors) CHECK(e.location.file.find("bad_method.hpp") != std::string::npos);
}

TEST_CASE("a field's id changes when its type changes") {
    const ParseResult result = parse("sample.hpp");
    ClassModel cls = find_class(result.model, "Sample");
    const auto before = cls.fields[0].id;
    cls.fields[0].type.bits = 64;
    CHECK(assign_member_ids(cls).empty());
    CHECK(cls.fields[0].id != before);
}

TEST_CASE("REMOTEOBJ_HIDE leaves out every member the generator would refuse, method templates too") {
    const ParseResult result = parse("hidden_members.hpp");
    CHECK(result.compiled);
    std::string errors;
    for (const auto& e : result.errors) errors += format_diagnostic(e) + "\n";
    CHECK_MESSAGE(result.errors.empty(), errors);
    const ClassModel& hidden = find_class(result.model, "Hidden");
    REQUIRE(hidden.fields.size() == 1);
    CHECK(hidden.fields[0].name == "shown");
    REQUIRE(hidden.methods.size() == 1);
    CHECK(hidden.methods[0].name == "call");
    CHECK(!hidden.subscript);
}

TEST_CASE("every refusal says that REMOTEOBJ_HIDE leaves the member out") {
    const ParseResult result = parse("refusals.hpp");
    CHECK(result.compiled);
    CHECK(result.errors.size() == 12);
    for (const auto& e : result.errors) {
        const std::string text = format_diagnostic(e);
        CHECK_MESSAGE(text.find("mark it REMOTEOBJ_HIDE to leave it out)") != std::string::npos, text);
    }
}

TEST_CASE("a reference field is refused as a reference member") {
    const ParseResult result = parse("refusals.hpp");
    auto it = std::find_if(result.errors.begin(), result.errors.end(),
                           [](const Diagnostic& e) { return e.message.find("'Gadget::reference'") != std::string::npos; });
    REQUIRE(it != result.errors.end());
    CHECK(it->message.find("reference members are not supported") != std::string::npos);
}

TEST_CASE("a result that cannot be exported is named as the result of the method") {
    const ParseResult result = parse("refusals.hpp");
    auto it = std::find_if(result.errors.begin(), result.errors.end(),
                           [](const Diagnostic& e) { return e.message.find("'Gadget::make'") != std::string::npos; });
    REQUIRE(it != result.errors.end());
    CHECK(it->message.find("the result of method 'Gadget::make' cannot be exported: a raw pointer") == 0);
    for (const auto& e : result.errors) CHECK_MESSAGE(e.message.find("''") == std::string::npos, e.message);
}

TEST_CASE("errors come in source order, though fields are visited before methods") {
    const ParseResult result = parse("refusals.hpp");
    std::vector<std::pair<unsigned, unsigned>> places;
    for (const auto& e : result.errors) places.emplace_back(e.location.line, e.location.column);
    CHECK(places.size() == 12);
    CHECK(std::is_sorted(places.begin(), places.end()));
}

TEST_CASE("a Signal field is a signal whose arguments are mapped as parameters by value") {
    const ParseResult result = parse("events.hpp");
    REQUIRE(result.compiled);
    std::string errors;
    for (const auto& e : result.errors) errors += format_diagnostic(e) + "\n";
    CHECK_MESSAGE(result.errors.empty(), errors);
    const ClassModel& job = find_class(result.model, "Job");

    const FieldModel* progress = find_field(job, "progress");
    REQUIRE(progress);
    CHECK(member_signature(*progress) == "signal progress(int32, string)");
    CHECK(progress->id == member_id("signal progress(int32, string)"));
    CHECK(progress->type.kind == TypeKind::Signal);
    CHECK(progress->type.spelling == "::remoteobj::Signal<int, std::string>");
    REQUIRE(progress->type.args.size() == 2);
    CHECK(progress->type.args[0].kind == TypeKind::Integer);
    CHECK(progress->type.args[0].bits == 32);
    CHECK(progress->type.args[1].kind == TypeKind::String);
    CHECK(progress->doc == "Progress in percent, and what it is doing.");
    CHECK(progress->location.line == 31);

    const FieldModel* finished = find_field(job, "finished");  // const: emitting is const
    REQUIRE(finished);
    CHECK(finished->type.kind == TypeKind::Signal);
    CHECK(finished->type.args.empty());
    CHECK(finished->type.spelling == "::remoteobj::Signal<>");

    const FieldModel* detail = find_field(job, "detail");
    REQUIRE(detail);
    REQUIRE(detail->type.args.size() == 4);
    CHECK(detail->type.args[0].kind == TypeKind::Enum);
    CHECK(detail->type.args[1].kind == TypeKind::Map);
    CHECK(detail->type.args[2].kind == TypeKind::Optional);
    CHECK(detail->type.args[3].kind == TypeKind::Tuple);
    CHECK(detail->type.args[3].args.at(1).kind == TypeKind::Object);  // a value struct
}

TEST_CASE("a method returning remoteobj::generator<T> streams T, and its id says so") {
    const ParseResult result = parse("events.hpp");
    const ClassModel& job = find_class(result.model, "Job");
    const MethodModel* scan = find_method(job, "scan");
    REQUIRE(scan);
    CHECK(scan->streams);
    CHECK(member_signature(*scan).ends_with(" stream"));  // a stream of replies, not one value
    CHECK(scan->result.kind == TypeKind::Integer);
    REQUIRE(scan->params.size() == 2);
    CHECK(scan->required_params() == 1);
    CHECK(scan->doc == "The numbers below n, as they are found.");

    const MethodModel* points = find_method(job, "points");
    REQUIRE(points);
    CHECK(points->streams);
    CHECK(points->is_virtual);
    CHECK(points->result.kind == TypeKind::Object);
    CHECK(points->result.spelling == "::app::Point");
    CHECK(find_method(job, "pages")->result.kind == TypeKind::Vector);
}

TEST_CASE("a signal's id changes when its argument types change, a method's when it starts streaming") {
    const ParseResult result = parse("events.hpp");
    const ClassModel job = find_class(result.model, "Job");
    auto id_of = [](const ClassModel& cls, const std::string& name) {
        ClassModel copy = cls;
        REQUIRE(assign_member_ids(copy).empty());
        for (const auto& f : copy.fields)
            if (f.name == name) return f.id;
        for (const auto& m : copy.methods)
            if (m.name == name) return m.id;
        FAIL("no member ", name);
        return 0u;
    };
    const auto progress = id_of(job, "progress");
    const auto scan = id_of(job, "scan");

    ClassModel changed = job;
    for (auto& f : changed.fields)
        if (f.name == "progress") f.type.args[0].bits = 64;
    CHECK(id_of(changed, "progress") != progress);

    changed = job;
    for (auto& f : changed.fields)
        if (f.name == "progress") f.type.args.pop_back();
    CHECK(id_of(changed, "progress") != progress);

    changed = job;
    for (auto& m : changed.methods)
        if (m.name == "scan") m.streams = false;
    CHECK(id_of(changed, "scan") != scan);
}

TEST_CASE("signals and streaming methods that cannot cross are each an error at file:line:col") {
    const ParseResult result = parse("bad_events.hpp");
    CHECK(result.compiled);
    std::vector<std::string> texts;
    for (const auto& e : result.errors) texts.push_back(format_diagnostic(e));
    REQUIRE(texts.size() == 8);
    auto has = [&](const std::string& part) {
        return std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t.find(part) != std::string::npos; });
    };
    CHECK(has("bad_events.hpp:17:34: error: argument 2 ('int *') of signal 'Broken::pointer' cannot be exported: "
              "a raw pointer"));
    CHECK(has("bad_events.hpp:18:43: error: argument 1 ('const std::string &') of signal 'Broken::reference' "
              "cannot be exported: a reference cannot cross processes"));
    CHECK(has("bad_events.hpp:19:41: error: argument 1 ('std::string_view') of signal 'Broken::view' cannot be "
              "exported: std::string_view would point into the emitting process"));
    CHECK(has("bad_events.hpp:20:30: error: argument 1 ('Owner') of signal 'Broken::object' cannot be exported: "
              "'Owner' holds a remoteobj::Remote"));
    CHECK(has("bad_events.hpp:21:32: error: method 'Broken::nothing' cannot be exported: "
              "remoteobj::generator<void> yields no values"));
    CHECK(has("bad_events.hpp:22:32: error: the values method 'Broken::references' yields cannot be exported: "
              "a reference cannot cross processes"));
    CHECK(has("bad_events.hpp:23:48: error: method 'Broken::oneway' is REMOTEOBJ_ONEWAY but streams what it yields"));
    CHECK(has("bad_events.hpp:24:33: error: the values method 'Broken::owners' yields cannot be exported: "
              "'Owner' holds a remoteobj::Remote"));
    for (const std::string& text : texts)
        CHECK_MESSAGE(text.find("mark it REMOTEOBJ_HIDE to leave it out)") != std::string::npos, text);

    const ClassModel& broken = find_class(result.model, "Broken");  // the rest is still exported
    REQUIRE(broken.fields.size() == 1);
    CHECK(broken.fields[0].name == "fine");
    REQUIRE(broken.methods.size() == 1);
    CHECK(broken.methods[0].name == "also_fine");
    CHECK(broken.methods[0].streams);
}

TEST_CASE("what can never cross is refused at its line as cannot cross, with what to do instead") {
    const ParseResult result = parse("cannot_cross.hpp");
    CHECK(result.compiled);
    std::vector<std::string> texts;
    for (const auto& e : result.errors) texts.push_back(format_diagnostic(e));
    auto at = [&](unsigned line) {
        std::string found;
        for (const auto& e : result.errors)
            if (e.location.line == line) found += format_diagnostic(e) + "\n";
        return found;
    };
    CHECK(texts.size() == 14);
    for (const std::string& text : texts) {
        CHECK_MESSAGE(text.find("cannot cross processes") != std::string::npos, text);
        CHECK_MESSAGE(text.find("yet") == std::string::npos, text);
        CHECK_MESSAGE(text.find("mark it REMOTEOBJ_HIDE to leave it out)") != std::string::npos, text);
    }
    CHECK(at(18).find("cannot_cross.hpp:18:30: error: field 'Callbacks::on_change' cannot be exported: "
                      "'std::function<void (int)>' cannot cross processes: a function's code and what it captured "
                      "stay in its own process (send the data it would work on, or subscribe to a remoteobj::Signal "
                      "for callbacks, or mark it REMOTEOBJ_HIDE to leave it out)") != std::string::npos);
    CHECK(at(19).find("cannot_cross.hpp:19:14: error: field 'Callbacks::anything' cannot be exported: std::any cannot "
                      "cross processes: the type it holds is known only at run time, in its own process (use a "
                      "std::variant of the types it may hold, or mark it REMOTEOBJ_HIDE") != std::string::npos);
    CHECK(at(20).find("cannot_cross.hpp:20:12: error: field 'Callbacks::handler' cannot be exported: a function or "
                      "member pointer cannot cross processes") != std::string::npos);
    CHECK(at(21).find("cannot_cross.hpp:21:11: error: field 'Callbacks::context' cannot be exported: 'void *' cannot "
                      "cross processes: neither the address nor the type hidden behind a void pointer means anything "
                      "in another process (pass the data it points to as a value of its own type, or mark it "
                      "REMOTEOBJ_HIDE") != std::string::npos);
    CHECK(at(22).find("parameter 'callback' of method 'Callbacks::subscribe' cannot be exported: "
                      "'std::function<void ()>' cannot cross processes") != std::string::npos);
    CHECK(at(23).find("parameter 'value' of method 'Callbacks::store' cannot be exported: std::any cannot cross") !=
          std::string::npos);
    CHECK(at(24).find("parameter 'fn' of method 'Callbacks::call' cannot be exported: a function or member pointer "
                      "cannot cross processes") != std::string::npos);
    CHECK(at(25).find("parameter 'data' of method 'Callbacks::attach' cannot be exported: 'void *' cannot cross") !=
          std::string::npos);
    CHECK(at(26).find("cannot_cross.hpp:26:10: error: the result of method 'Callbacks::find' cannot be exported: a "
                      "raw pointer cannot cross processes (its address means nothing there) (return the value, or a "
                      "std::optional or std::unique_ptr of it, or mark it REMOTEOBJ_HIDE") != std::string::npos);
    CHECK(at(27).find("the result of method 'Callbacks::name_of' cannot be exported: a raw pointer cannot cross "
                      "processes") != std::string::npos);
    CHECK(at(28).find("the result of method 'Callbacks::maker' cannot be exported: 'std::function<int ()>' cannot "
                      "cross processes") != std::string::npos);
    CHECK(at(29).find("field 'Callbacks::lock' cannot be exported: 'std::mutex' cannot cross processes: it is a "
                      "resource of its own process") != std::string::npos);
    CHECK(at(30).find("field 'Callbacks::key' cannot be exported: type 'vendor::Slice' cannot cross processes: it is "
                      "neither a REMOTEOBJ class, a standard type the wire knows, nor a plain aggregate (it declares "
                      "a constructor) (declare a remoteobj::adapter<vendor::Slice> that converts it to a type that "
                      "crosses, as below, or make it REMOTEOBJ with public fields if it is yours, or mark it "
                      "REMOTEOBJ_HIDE to leave it out)\n"
                      "    template <> struct remoteobj::adapter<vendor::Slice> { using wire = std::string;") !=
          std::string::npos);
    CHECK(at(31).find("field 'Callbacks::member' cannot be exported: a function or member pointer cannot cross") !=
          std::string::npos);
    const ClassModel& callbacks = find_class(result.model, "Callbacks");  // the rest is still exported
    REQUIRE(callbacks.fields.size() == 1);
    CHECK(callbacks.fields[0].name == "fine");
}

TEST_CASE("standard types map to the kinds their wire form shares, spelled as the user's own types") {
    const ParseResult result = parse("std_types.hpp");
    REQUIRE(result.compiled);
    const ClassModel& kinds = find_class(result.model, "Kinds");
    auto field = [&](const std::string& name) -> const TypeModel& {
        const FieldModel* f = find_field(kinds, name);
        REQUIRE_MESSAGE(f, name);
        return f->type;
    };
    auto is = [&](const std::string& name, TypeKind kind, const std::string& spelling) {
        CHECK_MESSAGE(field(name).kind == kind, name);
        CHECK(field(name).spelling == spelling);
    };
    is("root", TypeKind::String, "std::filesystem::path");
    is("updated", TypeKind::Duration, "std::chrono::system_clock::time_point");
    is("started", TypeKind::Duration,
       "std::chrono::time_point<std::chrono::steady_clock, std::chrono::duration<long, std::ratio<1, 1000>>>");
    CHECK(field("updated").args.at(0).kind == TypeKind::Integer);  // the rep travels
    CHECK(field("updated").args.at(0).bits == 64);
    is("queue", TypeKind::Vector, "std::deque<int>");
    is("names", TypeKind::Vector, "std::list<std::string>");
    is("chain", TypeKind::Vector, "std::forward_list<int>");
    is("scores", TypeKind::Map, "std::multimap<std::string, int>");
    is("counts", TypeKind::Set, "std::multiset<int>");
    is("tags", TypeKind::Set, "std::unordered_set<std::string>");
    is("index", TypeKind::Map, "std::unordered_multimap<std::string, int>");
    is("bag", TypeKind::Set, "std::unordered_multiset<int>");
    is("flags", TypeKind::Bitset, "std::bitset<12>");
    CHECK(field("flags").bits == 12);
    is("z", TypeKind::Complex, "std::complex<float>");
    is("title", TypeKind::String, "std::u8string");
    is("choice", TypeKind::Variant, "std::variant<std::monostate, int>");
    CHECK(field("choice").args.at(0).kind == TypeKind::Monostate);
    is("code", TypeKind::Array, "std::array<char, 8>");
    is("grid", TypeKind::Array, "std::array<std::array<int, 3>, 2>");
    is("count", TypeKind::Optional, "std::unique_ptr<int>");
    is("note", TypeKind::Optional, "std::shared_ptr<const std::string>");
    is("boxes", TypeKind::Vector, "std::vector<std::unique_ptr<std::deque<int>>>");

    const MethodModel* sum = find_method(kinds, "sum");
    REQUIRE(sum);
    REQUIRE(sum->params.size() == 2);
    CHECK(sum->params[0].type.kind == TypeKind::Span);
    CHECK(sum->params[0].type.spelling == "std::span<const int>");
    CHECK(sum->params[0].type.bits == 0);
    CHECK(sum->params[1].type.spelling == "std::span<int, 4>");
    CHECK(sum->params[1].type.bits == 4);
    const MethodModel* lookup = find_method(kinds, "lookup");
    REQUIRE(lookup);
    CHECK(lookup->result.kind == TypeKind::CString);
    CHECK(lookup->params.at(0).type.kind == TypeKind::CString);

    // Different containers of the same elements are the same bytes: the same id.
    ClassModel a = kinds;
    for (auto& f : a.fields)
        if (f.name == "queue") f.type.spelling = "std::vector<int>";
    REQUIRE(assign_member_ids(a).empty());
    CHECK(find_field(a, "queue")->id == find_field(kinds, "queue")->id);
}

TEST_CASE("views as fields or results, std::monostate alone and containers of other comparators are refused") {
    const ParseResult result = parse("std_types.hpp");
    std::string all;
    for (const auto& e : result.errors) all += format_diagnostic(e) + "\n";
    auto has = [&](const std::string& part) { return all.find(part) != std::string::npos; };
    CHECK_MESSAGE(result.errors.size() == 13, all);
    CHECK(has("field 'Misplaced::view' cannot be exported: 'std::span<const int>' as a field would point into "
              "another process's memory (use a std::vector, or mark it REMOTEOBJ_HIDE"));
    CHECK(has("field 'Misplaced::text' cannot be exported: a const char* field would point into another process's "
              "memory (use std::string, or mark it"));
    CHECK(has("field 'Misplaced::nothing' cannot be exported: std::monostate carries nothing: it crosses as an "
              "alternative of a std::variant only"));
    CHECK(has("field 'Misplaced::modified' cannot be exported: a time point of '"));  // libstdc++'s name of file_clock
    CHECK(has("' cannot cross processes: only system_clock's and steady_clock's have an epoch both sides know "
              "(convert it to a std::chrono::system_clock::time_point, or mark it REMOTEOBJ_HIDE"));
    CHECK(has("field 'Misplaced::backwards' cannot be exported: a std::set with a comparator, hash, allocator or "
              "deleter of its own cannot be named by generated code"));
    CHECK(has("field 'Misplaced::gaussian' cannot be exported: std::complex of 'int' is unspecified by C++"));
    CHECK(has("field 'Misplaced::twice_absent' cannot be exported: std::optional of 'std::unique_ptr<int>' is not "
              "supported (an absent value has one meaning on the wire)"));
    CHECK(has("field 'Misplaced::many' cannot be exported: 'std::unique_ptr<int[]>' owns an array"));
    CHECK(has("field 'Misplaced::nothings' cannot be exported: std::vector of 'std::monostate' is not supported "
              "(std::monostate crosses as an alternative of a std::variant only, or mark it REMOTEOBJ_HIDE"));
    CHECK(has("the result of method 'Misplaced::window' cannot be exported: 'std::span<const int>' as a result would "
              "point into another process's memory"));
    CHECK(has("parameter 'flags' of method 'Misplaced::bits' cannot be exported: a std::span of bool cannot view"));
    CHECK(has("parameter 'nothing' of method 'Misplaced::hide' cannot be exported: std::monostate carries nothing"));
    CHECK(has("the result of method 'Misplaced::name' cannot be exported: a raw pointer cannot cross processes"));
    CHECK(all.find("yet") == std::string::npos);
    const ClassModel& misplaced = find_class(result.model, "Misplaced");
    REQUIRE(misplaced.fields.size() == 1);
    CHECK(misplaced.fields[0].name == "fine");
    CHECK(misplaced.methods.empty());
}

TEST_CASE("what generated code could not compile, or would empty, is refused at the member using it") {
    const ParseResult result = parse("fails_later.hpp");
    CHECK(result.compiled);
    auto at = [&](unsigned line) {
        std::string found;
        for (const auto& e : result.errors)
            if (e.location.line == line) found += format_diagnostic(e) + "\n";
        return found;
    };
    for (const auto& e : result.errors)
        CHECK_MESSAGE(format_diagnostic(e).find("fails_later.hpp:") != std::string::npos, format_diagnostic(e));
    CHECK(result.errors.size() == 8);
    CHECK(at(28).find("fails_later.hpp:28:38: error: the remoteobj::Remote member 'PrivateRemote::remote' must be "
                      "public: the generated proxy reaches the object through it (declare it under `public:`)") !=
          std::string::npos);
    CHECK(at(36).empty());  // a template constructor is no member to export
    CHECK(at(37).find("fails_later.hpp:37:40: error: parameter 'a' of method 'User::take_abstract' cannot be "
                      "exported: 'Abstract' is abstract: it is served through the concrete object that implements "
                      "it, never constructed by value (reach it as an object, through a method returning "
                      "`Abstract&` or a field of the concrete type, or mark it REMOTEOBJ_HIDE to leave it out)") !=
          std::string::npos);
    CHECK(at(38).find("fails_later.hpp:38:36: error: parameter 'n' of method 'User::take_no_default' cannot be "
                      "exported: 'NoDefault' crosses by value, and has no public default constructor to receive it "
                      "into (give it one, or declare `template <> struct remoteobj::adapter<NoDefault>` that "
                      "converts it to a type that crosses, or mark it REMOTEOBJ_HIDE to leave it out)") !=
          std::string::npos);
    CHECK(at(39).find("fails_later.hpp:39:12: error: the result of method 'User::secret' cannot be exported: "
                      "'Secret' crosses by value, but its data members 'hidden', 'also' are not public and would "
                      "arrive default-constructed (make them public, or declare `template <> struct "
                      "remoteobj::adapter<Secret>` that converts it to a type that crosses, or mark it "
                      "REMOTEOBJ_HIDE to leave it out)") != std::string::npos);
    CHECK(at(40).find("the result of method 'User::secrets' cannot be exported: 'Secret' crosses by value, but its "
                      "data members 'hidden', 'also' are not public") != std::string::npos);
    CHECK(at(41).find("the result of method 'User::make' cannot be exported: 'Abstract' is abstract") !=
          std::string::npos);
    CHECK(at(42).empty());  // a const reference to an object: its proxy
    CHECK(at(43).find("field 'User::none' cannot be exported: 'NoDefault' crosses by value, and has no public "
                      "default constructor") != std::string::npos);

    CHECK(at(58).find("fails_later.hpp:58:31: error: parameter 's' of method 'Keeper::put' cannot be exported: "
                      "'OneSecret' crosses by value, but its data member 'kept' is not public and would arrive "
                      "default-constructed (make it public, or declare `template <> struct "
                      "remoteobj::adapter<OneSecret>`") != std::string::npos);

    const ClassModel& user = find_class(result.model, "User");
    const MethodModel* shape = find_method(user, "shape");
    REQUIRE(shape);
    CHECK(shape->returns_object);
    CHECK(shape->object_const);
    CHECK_FALSE(find_class(result.model, "Abstract").crosses_by_value);
    CHECK(find_class(result.model, "Abstract").is_abstract);
    CHECK_FALSE(find_class(result.model, "NoDefault").crosses_by_value);
    CHECK_FALSE(find_class(result.model, "Secret").crosses_by_value);
}

TEST_CASE("nodiscard and deprecated with its message are recorded on the method") {
    const ParseResult result = parse("fails_later.hpp");
    const ClassModel& user = find_class(result.model, "User");
    const MethodModel* checked = find_method(user, "checked");
    const MethodModel* unchecked = find_method(user, "unchecked");
    REQUIRE(checked);
    REQUIRE(unchecked);
    CHECK(checked->nodiscard);
    CHECK_FALSE(checked->deprecated);
    CHECK_FALSE(unchecked->nodiscard);
    CHECK(unchecked->deprecated == std::optional<std::string>("use checked()"));
}

TEST_CASE("a T& or T* parameter of a value type is in-out, a const T* an input that may be null") {
    const ParseResult result = parse("in_out.hpp");
    CHECK(result.compiled);
    const ClassModel& accepted = find_class(result.model, "Accepted");
    REQUIRE(accepted.methods.size() == 4);

    const MethodModel* fill = find_method(accepted, "fill");
    REQUIRE(fill);
    CHECK(fill->params[0].passing == Passing::InOutReference);
    CHECK(fill->params[0].type.kind == TypeKind::Integer);
    CHECK(fill->has_in_out());

    // A pointer travels as the optional of what it points to: absent for null.
    const MethodModel* get = find_method(accepted, "get");
    REQUIRE(get);
    CHECK(get->params[0].passing == Passing::ByConstReference);
    CHECK(get->params[1].passing == Passing::InOutPointer);
    CHECK(get->params[1].type.kind == TypeKind::Optional);
    CHECK(get->params[1].type.spelling == "std::optional<std::string>");
    CHECK(get->params[1].type.args.at(0).kind == TypeKind::String);

    const MethodModel* length = find_method(accepted, "length");
    REQUIRE(length);
    CHECK(length->params[0].passing == Passing::ConstPointer);
    CHECK(length->params[0].type.kind == TypeKind::Optional);
    CHECK(length->params[0].default_value == std::optional<std::string>("nullptr"));
    CHECK_FALSE(length->has_in_out());

    CHECK(find_method(accepted, "append")->params[0].type.spelling == "std::vector<int>");
}

TEST_CASE("in-out changes the member's id: the reply differs") {
    const ParseResult result = parse("in_out.hpp");
    ClassModel cls = find_class(result.model, "Accepted");
    const auto before = cls.methods[0].id;
    cls.methods[0].params[0].passing = Passing::ByValue;
    REQUIRE(assign_member_ids(cls).empty());
    CHECK(cls.methods[0].id != before);
}

TEST_CASE("what cannot be sent and written back is refused at file:line:col, saying why and what to do") {
    const ParseResult result = parse("in_out.hpp");
    CHECK(result.compiled);
    auto at = [&](unsigned line) {
        std::string found;
        for (const auto& e : result.errors)
            if (e.location.line == line) found += format_diagnostic(e) + "\n";
        return found;
    };
    CHECK(result.errors.size() == 15);
    for (const auto& e : result.errors) {
        const std::string text = format_diagnostic(e);
        CHECK_MESSAGE(text.find("in_out.hpp:") != std::string::npos, text);
        CHECK_MESSAGE(text.find("mark it REMOTEOBJ_HIDE to leave it out)") != std::string::npos, text);
        CHECK_MESSAGE(text.find("Refused::") != std::string::npos, text);  // Accepted has none
    }
    CHECK(at(29).find("in_out.hpp:29:35: error: parameter 'out' of method 'Refused::pointer_to_pointer' cannot be "
                      "exported: 'int **' points to a pointer, whose address means nothing in another process (take "
                      "a pointer or a reference to the value, or mark it REMOTEOBJ_HIDE") != std::string::npos);
    CHECK(at(30).find("in_out.hpp:30:37: error: parameter 'out' of method 'Refused::reference_to_pointer' cannot be "
                      "exported: a reference to 'int *' would write an address of another process into the "
                      "caller's") != std::string::npos);
    CHECK(at(31).find("in_out.hpp:31:20: error: parameter 'values' of method 'Refused::array' cannot be exported: an "
                      "array parameter ('int[4]') is a pointer to its first element, and how many follow it is known "
                      "only to the caller (take a std::array or std::vector") != std::string::npos);
    CHECK(at(32).find("in_out.hpp:32:33: error: parameter 'text' of method 'Refused::view' cannot be exported: "
                      "'std::string_view' is a view of the caller's memory: through a non-const reference it could "
                      "not be written back (take the value it views, a std::string or a std::vector") !=
          std::string::npos);
    CHECK(at(33).find("in_out.hpp:33:36: error: parameter 'value' of method 'Refused::maybe' cannot be exported: a "
                      "null pointer and an empty 'std::optional<int>' would be the same on the wire (take a "
                      "'std::optional<int>&'") != std::string::npos);
    CHECK(at(34).find("in_out.hpp:34:27: error: method 'Refused::oneway' cannot be exported: it has an in-out "
                      "parameter (a non-const reference or a pointer), whose value the reply brings back, and it is "
                      "REMOTEOBJ_ONEWAY: no reply comes back to carry") != std::string::npos);
    CHECK(at(35).find("in_out.hpp:35:31: error: method 'Refused::streams' cannot be exported: it has an in-out "
                      "parameter") != std::string::npos);
    CHECK(at(36).find("in_out.hpp:36:10: error: method 'Refused::element' cannot be exported: it has an in-out "
                      "parameter (a non-const reference or a pointer), whose value the reply brings back, and it "
                      "returns a reference, which .view() keeps remote") != std::string::npos);
    CHECK(at(37).find("in_out.hpp:37:30: error: parameter 'text' of method 'Refused::moved' cannot be exported: an "
                      "rvalue reference would move from an object of the calling process (take the value") !=
          std::string::npos);
    CHECK(at(38).find("in_out.hpp:38:25: error: parameter 'served' of method 'Refused::object' cannot be exported: "
                      "only values and const references can be passed to another process") != std::string::npos);
    CHECK(at(39).find("in_out.hpp:39:35: error: parameter 'value' of method 'Refused::atomic' cannot be exported: "
                      "std::atomic is not copyable") != std::string::npos);
    CHECK(at(40).find("in_out.hpp:40:31: error: parameter 'values' of method 'Refused::span' cannot be exported: "
                      "'std::span<int>' is a view of the caller's memory: through a pointer it could not be written "
                      "back") != std::string::npos);
    CHECK(at(41).find("in_out.hpp:41:32: error: parameter 'values' of method 'Refused::array_reference' cannot be "
                      "exported: a C array ('int (&)[4]') crosses only as a data member of its own (take a std::array "
                      "or std::vector by reference to have it written back") != std::string::npos);
    CHECK(at(42).find("in_out.hpp:42:23: error: parameter 'out' of method 'Refused::buffer' cannot be exported: "
                      "'char *' is a C buffer of characters, whose length only the caller knows (take a std::string& "
                      "(or a std::vector<unsigned char>&) to have it written back, or a const char* to only read it") !=
          std::string::npos);
    CHECK(at(43).find("in_out.hpp:43:47: error: parameter 'text' of method 'Refused::view_pointer' cannot be exported: "
                      "a pointer to a 'std::string_view', itself a view of the caller's memory, would point into the "
                      "calling process (take the 'std::string_view' by value") != std::string::npos);
    const ClassModel& refused = find_class(result.model, "Refused");  // the rest is still exported
    CHECK(refused.methods.empty());
    REQUIRE(refused.fields.size() == 1);
    CHECK(refused.fields[0].name == "fine");
}

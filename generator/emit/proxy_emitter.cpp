// Writes the proxy header and its source; see proxy_emitter.hpp.
#include "emit/proxy_emitter.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "emit/description_emitter.hpp"
#include "emit/member_table_emitter.hpp"
#include "emit/naming.hpp"
#include "emit/type_emitter.hpp"
#include "model/wire_identity.hpp"

namespace remoteobj::gen {
namespace {

std::string traits_name(const ClassModel& cls, const FieldModel& field) { return member_stem(cls, field); }

std::string qualified_member(const ClassModel& cls, const std::string& member) {
    return quoted(cls.qualified_name + "::" + member);
}

// A call's name in messages: the member as this caller knows it, with its wire
// signature, so that an InterfaceMismatch from an older listener (which knows
// only the id) says which call it could not take: "Counter::add(int64) -> int64".
std::string method_what(const ClassModel& cls, const MethodModel& method) {
    return quoted(cls.qualified_name + "::" + member_signature(method).substr(std::string_view("method ").size()));
}

// The class identity a request carries (wire_identity.hpp), named interface_hash in the runtime.
std::string hash_literal(const ClassModel& cls) { return fmt::format("0x{:016x}ull", class_identity(cls)); }

// A field of another REMOTEOBJ class: a nested proxy, reached by a path step.
bool is_object_field(const FieldModel& field) { return field.type.kind == TypeKind::Object; }

// A remoteobj::Signal: a SignalView in the proxy, subscribed to, never read or written.
bool is_signal_field(const FieldModel& field) { return field.type.kind == TypeKind::Signal; }

// A field holding a value: read and written through a Field view and its value table.
bool is_value_field(const FieldModel& field) { return !is_object_field(field) && !is_signal_field(field); }

bool is_container(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Vector:
    case TypeKind::Array:
    case TypeKind::Set:
    case TypeKind::Optional:
    case TypeKind::Map:
        return true;
    default:
        return false;
    }
}

// The view class a field gets: containers have their operations.
const char* field_view(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Vector:
    case TypeKind::Array:
        return "SequenceField";
    case TypeKind::Set:
        return "SetField";
    case TypeKind::Map:
        return "MapField";
    case TypeKind::Optional:
        return "OptionalField";
    default:
        return "Field";
    }
}

// The first REMOTEOBJ base: its proxy is this proxy's base class, so its members
// are reachable through this one. (Further REMOTEOBJ bases: through super<B>().)
const BaseModel* proxy_base(const ClassModel& cls) {
    for (const BaseModel& base : cls.bases)
        if (base.is_remoteobj) return &base;
    return nullptr;
}

// Classes in an order where each comes after the classes of the same header it
// derives from or holds as fields (their proxies must be complete first).
std::vector<const ClassModel*> dependency_order(const HeaderModel& model) {
    std::vector<const ClassModel*> ordered;
    std::set<std::string> done;
    std::set<std::string> here;
    for (const ClassModel& cls : model.classes) here.insert(cls.qualified_name);
    auto needs = [&](const ClassModel& cls) {
        std::vector<std::string> names;
        for (const BaseModel& base : cls.bases) names.push_back(base.qualified_name);
        for (const FieldModel& field : cls.fields)
            if (field.type.kind == TypeKind::Object) names.push_back(field.type.spelling.substr(2));
        for (const MethodModel& method : cls.methods)
            if (method.returns_object) names.push_back(method.result.spelling.substr(2));
        return names;
    };
    while (ordered.size() < model.classes.size()) {
        bool progressed = false;
        for (const ClassModel& cls : model.classes) {
            if (done.count(cls.qualified_name)) continue;
            auto deps = needs(cls);
            if (std::all_of(deps.begin(), deps.end(),
                            [&](const std::string& d) { return !here.count(d) || done.count(d) || d == cls.qualified_name; })) {
                ordered.push_back(&cls);
                done.insert(cls.qualified_name);
                progressed = true;
            }
        }
        if (!progressed) {  // a cycle (only possible through pointers, which are refused): keep declaration order
            for (const ClassModel& cls : model.classes)
                if (!done.count(cls.qualified_name)) ordered.push_back(&cls), done.insert(cls.qualified_name);
        }
    }
    return ordered;
}

// Methods grouped by name, in declaration order of each name's first overload:
// one stub per name, with an operator() per overload and per omittable default.
std::vector<std::vector<const MethodModel*>> methods_by_name(const ClassModel& cls) {
    std::vector<std::vector<const MethodModel*>> groups;
    std::map<std::string, std::size_t> index;
    for (const MethodModel& method : cls.methods) {
        auto [it, added] = index.emplace(method.name, groups.size());
        if (added) groups.emplace_back();
        groups[it->second].push_back(&method);
    }
    return groups;
}

// The parameter list of a stub taking the first `argc` parameters.
std::string stub_params(const MethodModel& method, std::size_t argc) {
    std::string out;
    for (std::size_t i = 0; i < argc; ++i)
        out += fmt::format("{}{} {}", i ? ", " : "", param_type(method.params[i]), method.params[i].name);
    return out;
}

std::string result_type(const ClassModel& cls, const MethodModel& method) {
    if (method.streams) return fmt::format("::remoteobj::stream<{}>", value_type(method.result));
    if (method.returns_self) return fmt::format("const ::remoteobj::Proxy<{}>&", cpp_class(cls));
    if (method.returns_object) return fmt::format("::remoteobj::Proxy<{}>", method.result.spelling);
    return method.result.kind == TypeKind::Void ? "void" : value_type(method.result);
}

// The view `.view(args)` returns for a method returning a reference to a value.
std::string view_type(const ClassModel& cls, const MethodModel& method) {
    return fmt::format("::remoteobj::ReturnedView<::remoteobj::{}, ::remoteobj::generated::{}_0view>",
                       field_view(method.result), member_stem(cls, method));
}

// What `.async()` futures of a method hold: its value (nothing for void and for
// methods returning their own object).
std::string async_type(const MethodModel& method) {
    return method.result.kind == TypeKind::Void || method.returns_self ? "void" : value_type(method.result);
}

// --- the header ---

bool has_signals(const HeaderModel& model) {
    return std::any_of(model.classes.begin(), model.classes.end(), [](const ClassModel& cls) {
        return std::any_of(cls.fields.begin(), cls.fields.end(), is_signal_field);
    });
}

// "/// Declared at ledger.hpp:22.": where go-to-definition on a stub cannot take the
// user, the comment an IDE shows does (the file's name only: output never names
// where the tree lives).
std::string declared_at(const SourceLocation& where, const std::string& indent) {
    if (where.file.empty()) return "";
    const std::string file = where.file.substr(where.file.find_last_of('/') + 1);
    return fmt::format("{}/// Declared at {}:{}.\n", indent, file, where.line);
}

// The user's doc comment, then (its own paragraph, so the brief stays theirs) where it was declared.
std::string documented(const std::string& doc, const SourceLocation& where, const std::string& indent) {
    if (doc.empty() || where.file.empty()) return doc_comment(doc, indent) + declared_at(where, indent);
    return doc_comment(doc, indent) + indent + "///\n" + declared_at(where, indent);
}

// A traits struct: what a view needs to know of the member it stands for.
// `codec`: it also declares the encode/decode of its own value table.
struct TraitsSpec {
    std::string doc, name, value_type;
    std::uint32_t id;
    std::string interface;
    bool writable;
    std::string qualified_name;
    bool codec;
};

std::string emit_traits(const TraitsSpec& t) {
    return fmt::format(
        "/// {0}\n"
        "struct {1} {{\n"
        "    using value_type = {2};\n"
        "    static constexpr std::uint32_t id = {3};\n"
        "    static constexpr std::uint64_t interface = {4};\n"
        "    static constexpr bool writable = {5};\n"
        "    static constexpr const char* qualified_name = {6};\n"
        "{7}"
        "}};\n\n",
        t.doc, t.name, t.value_type, t.id, t.interface, t.writable ? "true" : "false", t.qualified_name,
        t.codec ? "    static void encode(flatbuffers::FlatBufferBuilder& fbb, const value_type& value);\n"
                  "    static value_type decode(::remoteobj::detail::Bytes bytes);\n"
                : "");
}

// A signal's traits: what its SignalView needs to subscribe; the runtime encodes
// the arguments itself, so there is no value table.
std::string emit_signal_traits(const ClassModel& cls, const FieldModel& field) {
    return fmt::format(
        "/// How {0}::{1} travels: its member id.\n"
        "struct {2} {{\n"
        "    using signal_type = {3};\n"
        "    static constexpr std::uint32_t id = {4};\n"
        "    static constexpr std::uint64_t interface = {5};\n"
        "    static constexpr const char* qualified_name = {6};\n"
        "}};\n\n",
        cls.qualified_name, field.name, traits_name(cls, field), field.type.spelling, field.id, hash_literal(cls),
        qualified_member(cls, field.name));
}

std::string emit_field_traits(const ClassModel& cls, const FieldModel& field) {
    return emit_traits({fmt::format("How {}::{} travels: its member id and value table.", cls.qualified_name, field.name),
                        traits_name(cls, field), value_type(field.type), field.id, hash_literal(cls), !field.is_const,
                        qualified_member(cls, field.name), true});
}

// The type of a method's member in the proxy: a callable struct with an operator()
// per overload and per omittable default. It lives in remoteobj::generated::stubs,
// not in the proxy, so that no name but the user's members is in the proxy's scope.
std::string stub_type(const ClassModel& cls, const MethodModel& method) {
    return "::remoteobj::generated::stubs::" + class_stem(cls) + "_" + method.name;
}

// `[[nodiscard]] [[deprecated("...")]] ` as the user's method has them, for its stub's
// call operators: a caller through the proxy is warned as a local caller is.
std::string stub_attributes(const ClassModel& cls, const MethodModel& method) {
    std::string out;
    if (method.nodiscard && result_type(cls, method) != "void") out += "[[nodiscard]] ";
    if (method.deprecated)
        out += method.deprecated->empty() ? "[[deprecated]] " : fmt::format("[[deprecated({})]] ", quoted(*method.deprecated));
    return out;
}

// Whether a stub returns its proxy (a method returning its own object, so calls
// chain): it then holds a reference to the proxy it is a member of.
bool chains(const std::vector<const MethodModel*>& overloads) {
    return std::any_of(overloads.begin(), overloads.end(), [](const MethodModel* m) { return m->returns_self; });
}

std::string emit_method_stub(const ClassModel& cls, const std::vector<const MethodModel*>& overloads) {
    const MethodModel& first = *overloads.front();
    std::string out = fmt::format("/// The stub of {}::{}: `p->{}(...)`.\n", cls.qualified_name, first.name, first.name);
    out += fmt::format("struct {}_{} : ::remoteobj::detail::Method {{\n", class_stem(cls), first.name);
    if (chains(overloads))
        out += fmt::format("    {}_{}(::remoteobj::detail::ProxyHandle owner_state, const ::remoteobj::Proxy<{}>& self_proxy) noexcept\n"
                           "        : Method(std::move(owner_state)), self_(self_proxy) {{}}\n",
                           class_stem(cls), first.name, cpp_class(cls));
    else
        out += "    using Method::Method;\n";
    if (overloads.size() == 1) out += fmt::format("    static constexpr std::uint32_t id = {};\n", first.id);
    for (const MethodModel* method : overloads) {
        out += documented(method->doc, method->location, "    ");
        if (method->oneway) out += "    /// One-way: sent, not waited for; what it throws is reported by the listener.\n";
        if (method->returns_self) out += "    /// Returns this proxy, so calls chain.\n";
        if (method->returns_object)
            out += "    /// The proxy of the object it returns; nothing is sent until that is used.\n";
        if (method->streams)
            out += "    /// Streams what it yields: each value arrives as it is yielded; dropping the stream cancels it.\n";
        for (std::size_t argc = method->params.size() + 1; argc-- > method->required_params();) {
            if (argc < method->params.size()) {
                std::string defaults;
                for (std::size_t i = argc; i < method->params.size(); ++i)
                    defaults += fmt::format("{}`{}` = {}", i > argc ? ", " : "", method->params[i].name,
                                            *method->params[i].default_value);
                out += fmt::format("    /// Leaves {} to the listening process's defaults.\n", defaults);
            }
            out += fmt::format("    {}{} operator()({}) const;\n", stub_attributes(cls, *method),
                               result_type(cls, *method), stub_params(*method, argc));
            if (method->returns_reference)
                out += fmt::format("    /// What it returns, kept in the listening process: a view.\n"
                                   "    {} view({}) const;\n",
                                   view_type(cls, *method), stub_params(*method, argc));
            if (!method->oneway && !method->returns_object && !method->streams)  // a stream is asynchronous already
                out += fmt::format("    /// Sends the call now; the future's get() waits for the result.\n"
                                   "    ::remoteobj::future<{}> async({}) const;\n",
                                   async_type(*method), stub_params(*method, argc));
        }
    }
    if (chains(overloads))
        out += fmt::format("\nprivate:\n    const ::remoteobj::Proxy<{}>& self_;  // what a chaining call returns\n", cpp_class(cls));
    return out + "};\n\n";
}

// The method's member in the proxy, with the comment an IDE shows when completing `p->`.
std::string emit_method_member(const ClassModel& cls, const MethodModel& first) {
    return documented(first.doc, first.location, "    ") + fmt::format("    {} {};\n", stub_type(cls, first), first.name);
}

// A parameter name of the proxy's constructors that names no exported member of
// `cls` or of the classes of `model` it derives from: under -Wshadow, a parameter
// named like a member warns, and a user may name a member anything.
std::string unshadowed(const HeaderModel& model, const ClassModel& cls, std::string name) {
    auto taken = [&](const std::string& candidate) {
        for (const ClassModel* c = &cls; c;) {
            for (const FieldModel& field : c->fields)
                if (field.name == candidate) return true;
            for (const MethodModel& method : c->methods)
                if (method.name == candidate) return true;
            const BaseModel* base = proxy_base(*c);
            auto next = base ? std::find_if(model.classes.begin(), model.classes.end(),
                                            [&](const ClassModel& m) { return m.qualified_name == base->qualified_name; })
                             : model.classes.end();
            c = next == model.classes.end() ? nullptr : &*next;
        }
        return false;
    };
    while (taken(name)) name += "_arg";
    return name;
}

// The step from a proxy to the object a field of `cls` holds.
std::string field_step(const FieldModel& field) {
    return fmt::format("::remoteobj::detail::Step{{::remoteobj::wire::StepKind::Field, {0}, 0, \"{1}\", 0, {{}}}}",
                       field.id, field.name);
}

// The proxy's one constructor that builds its members, each from `state` (the
// others delegate to it), in declaration order.
std::string member_initialisers(const ClassModel& cls, const std::string& state, bool holds_state) {
    std::vector<std::string> inits;
    if (const BaseModel* base = proxy_base(cls)) inits.push_back(fmt::format("::remoteobj::Proxy<::{}>({})", base->qualified_name, state));
    for (const FieldModel& field : cls.fields)
        inits.push_back(!is_object_field(field)
                            ? fmt::format("{}{{{}}}", field.name, state)
                            : fmt::format("{0}{{::remoteobj::detail::child_state({1}, {2}, "
                                          "::remoteobj::detail::ProxyTraits<{3}>::class_name)}}",
                                          field.name, state, field_step(field), field.type.spelling));
    for (const auto& overloads : methods_by_name(cls))
        inits.push_back(fmt::format("{}{{{}{}}}", overloads.front()->name, state, chains(overloads) ? ", *this" : ""));
    if (holds_state) inits.push_back(fmt::format("state_{{std::move({})}}", state));
    std::string out;
    for (std::size_t i = 0; i < inits.size(); ++i) out += fmt::format("{}{}", i ? ",\n          " : "", inits[i]);
    return out;
}

// The hidden friend through which the runtime finds the state of a Proxy<T>
// (detail::ProxyAccess): read from a member view, since the proxy has no member of
// its own. Empty for a class whose proxy base's friend already finds it.
std::string state_finder(const ClassModel& cls, const std::string& proxy, bool holds_state) {
    std::string found;
    // A value field's view and a signal's both hold the state as their owner.
    auto view_field = std::find_if_not(cls.fields.begin(), cls.fields.end(), is_object_field);
    auto object_field = std::find_if(cls.fields.begin(), cls.fields.end(), is_object_field);
    if (view_field != cls.fields.end())
        found = fmt::format("::remoteobj::detail::ProxyAccess::owner({}.{})", proxy, view_field->name);
    else if (!cls.methods.empty())
        found = fmt::format("::remoteobj::detail::ProxyAccess::owner({}.{})", proxy, cls.methods.front().name);
    else if (object_field != cls.fields.end())
        found = fmt::format("::remoteobj::detail::ProxyAccess::state({}.{}).parent()", proxy, object_field->name);
    else if (holds_state)
        found = proxy + ".state_";
    else
        return "";
    return fmt::format(
        "    friend const ::remoteobj::detail::ProxyHandle& remoteobj_proxy_state(const Proxy& {}) noexcept {{\n"
        "        return {};\n"
        "    }}\n",
        proxy, found);
}

std::string emit_proxy_class(const HeaderModel& model, const ClassModel& cls) {
    const BaseModel* base = proxy_base(cls);
    // A proxy with no member view to hold its state, and no proxy base, holds it itself.
    const bool holds_state = !base && cls.fields.empty() && cls.methods.empty();
    auto param = [&](const char* name) { return unshadowed(model, cls, name); };
    const std::string state = param("state");
    std::string out = doc_comment(cls.doc, "");
    // No base but the proxy of a REMOTEOBJ base, and no member but the user's: every
    // name after `p->` is one of theirs. The views share the state (detail::ProxyState).
    out += fmt::format(
        "template <>\n"
        "class Proxy<{0}>{1} {{\n"
        "{2}"
        "\n"
        "public:\n"
        "    /// The proxy whose views send their requests as `{3}` says.\n"
        "    explicit Proxy(::remoteobj::detail::ProxyHandle {3})\n"
        "        : {4} {{}}\n"
        "    explicit Proxy(::remoteobj::detail::Caller& {5},\n"
        "                   const char* {6} = ::remoteobj::detail::ProxyTraits<{0}>::class_name)\n"
        "        : Proxy(::remoteobj::detail::root_state({5}, {6})) {{}}\n"
        "    /// A standalone proxy of the object served at the other end of `channel`.\n"
        "    explicit Proxy(::remoteobj::Channel<{0}>& {7}) : Proxy(::remoteobj::detail::caller_of({7})) {{}}\n"
        "    Proxy(const Proxy& {8}) : Proxy(::remoteobj::detail::ProxyAccess::handle({8})) {{}}\n"
        "    Proxy& operator=(const Proxy&) = delete;\n",
        cpp_class(cls), base ? fmt::format(" : public ::remoteobj::Proxy<::{}>", base->qualified_name) : "",
        state_finder(cls, param("proxy"), holds_state), state, member_initialisers(cls, state, holds_state),
        param("caller"), param("name"), param("channel"), param("other"));
    for (const FieldModel& field : cls.fields) {
        out += "\n" + documented(field.doc, field.location, "    ");
        if (is_signal_field(field))
            out += fmt::format("    ::remoteobj::SignalView<::remoteobj::generated::{}> {};\n", traits_name(cls, field),
                               field.name);
        else if (is_value_field(field))
            out += fmt::format("    ::remoteobj::{}<::remoteobj::generated::{}> {};\n", field_view(field.type),
                               traits_name(cls, field), field.name);
        else
            out += fmt::format("    ::remoteobj::Proxy<{0}> {1};\n", field.type.spelling, field.name);
    }
    if (cls.subscript)
        out += fmt::format(
            "\n    /// `p[key]`: a view of an element, read{0} remotely through the class's operator[].\n"
            "    ::remoteobj::ItemView<::remoteobj::generated::{1}_0subscript, {2}, {3}> operator[](const {2}& {4}) const {{\n"
            "        return {{::remoteobj::detail::ProxyAccess::handle(*this), {4}}};\n"
            "    }}\n",
            cls.subscript->assignable ? " and written" : "", class_stem(cls), value_type(cls.subscript->key),
            value_type(cls.subscript->element), param("key"));
    for (const auto& overloads : methods_by_name(cls)) out += "\n" + emit_method_member(cls, *overloads.front());
    if (holds_state) out += "\nprivate:\n    ::remoteobj::detail::ProxyHandle state_;  // no member view to hold it\n";
    out += "};\n";
    return out;
}

// --- the source ---

std::string table(const std::string& name) { return fmt::format("{}::{}", schema_cpp_namespace, name); }

std::string emit_field_traits_source(const ClassModel& cls, const FieldModel& field) {
    const std::string traits = "::remoteobj::generated::" + traits_name(cls, field);
    const std::string value_table = table(member_stem(cls, field) + "_Value");
    const std::string wire = value_type(field.type);
    if (field.type.kind == TypeKind::Map)
        return fmt::format(
            "void {0}::encode(flatbuffers::FlatBufferBuilder& fbb, const value_type& value) {{\n"
            "    using Codec = ::remoteobj::detail::MapCodec<value_type>;\n"
            "    fbb.Finish({1}(fbb, Codec::keys(fbb, value), Codec::values(fbb, value)));\n"
            "}}\n\n"
            "auto {0}::decode(::remoteobj::detail::Bytes bytes) -> value_type {{\n"
            "    const auto* table = ::remoteobj::detail::verified_root<{2}>(bytes, qualified_name);\n"
            "    return ::remoteobj::detail::MapCodec<value_type>::from_wire(table->keys(), table->values());\n"
            "}}\n",
            traits, fmt::format("{}::Create{}_Value", schema_cpp_namespace, member_stem(cls, field)), value_table);
    return fmt::format(
        "void {0}::encode(flatbuffers::FlatBufferBuilder& fbb, const value_type& value) {{\n"
        "    fbb.Finish({1}(fbb, ::remoteobj::detail::to_wire<{2}>(fbb, value)));\n"
        "}}\n\n"
        "auto {0}::decode(::remoteobj::detail::Bytes bytes) -> value_type {{\n"
        "    return ::remoteobj::detail::from_wire<{2}>(\n"
        "        ::remoteobj::detail::verified_root<{3}>(bytes, qualified_name)->value());\n"
        "}}\n",
        traits, fmt::format("{}::Create{}_Value", schema_cpp_namespace, member_stem(cls, field)), wire, value_table);
}

// Arguments `0..argc` as the generated Create*_Args() takes them (a pointer's
// pointee, absent for null).
std::string wire_args(const MethodModel& method, std::size_t argc) {
    std::string out;
    for (std::size_t i = 0; i < argc; ++i)
        out += is_pointer(method.params[i])
                   ? fmt::format(", ::remoteobj::detail::pointee_to_wire(fbb, {})", method.params[i].name)
                   : fmt::format(", ::remoteobj::detail::to_wire<{}>(fbb, {})", codec_type(method.params[i].type),
                                 method.params[i].name);
    return out;
}

// The statements that write the values a reply brought back into the in-out
// arguments among the first `argc`, each named by `target(i)`, from the verified
// result table `remoteobj_reply`.
template <class Target>
std::string write_backs(const MethodModel& method, std::size_t argc, Target target) {
    std::string out;
    for (std::size_t i = 0; i < argc; ++i)
        if (is_in_out(method.params[i]))
            out += fmt::format("            ::remoteobj::detail::write_back({}, remoteobj_reply->{}());\n", target(i),
                               in_out_field(method.params[i]));
    return out;
}

// Whether an in-out argument is among the first `argc`: one left to its default
// (a pointer defaulting to null) is not sent, and nothing comes back for it.
bool passes_in_out(const MethodModel& method, std::size_t argc) {
    for (std::size_t i = 0; i < argc; ++i)
        if (is_in_out(method.params[i])) return true;
    return false;
}

// How a call of a method with in-out parameters reads its reply: the values come
// back into the caller's arguments, then the result is returned.
std::string in_out_decode(const ClassModel& cls, const MethodModel& method, std::size_t argc) {
    const std::string stem = member_stem(cls, method);
    std::string out = fmt::format(
        "[&](::remoteobj::detail::Bytes remoteobj_bytes) {{\n"
        "            const auto* remoteobj_reply = ::remoteobj::detail::verified_root<{}>(remoteobj_bytes, {});\n",
        table(stem + "_Result"), qualified_member(cls, method.name));
    out += write_backs(method, argc, [&](std::size_t i) { return method.params[i].name; });
    if (method.result.kind != TypeKind::Void)
        out += fmt::format("            return ::remoteobj::detail::from_wire<{}>(remoteobj_reply->value());\n",
                           value_type(method.result));
    return out + "        }";
}

// What an `.async()` future of such a method keeps to write the values back when
// its get() returns: pointers to the caller's objects (a pointer argument as given).
std::string in_out_future_write_back(const ClassModel& cls, const MethodModel& method, std::size_t argc) {
    std::string captures;
    for (std::size_t i = 0; i < argc; ++i)
        if (is_in_out(method.params[i]))
            captures += fmt::format("{}remoteobj_{} = {}{}", captures.empty() ? "" : ", ", i,
                                    method.params[i].passing == Passing::InOutReference ? "&" : "",
                                    method.params[i].name);
    return fmt::format(
        "[{}](::remoteobj::detail::Bytes remoteobj_bytes) {{\n"
        "            const auto* remoteobj_reply = ::remoteobj::detail::verified_root<{}>(remoteobj_bytes, {});\n"
        "{}"
        "        }}",
        captures, table(member_stem(cls, method) + "_Result"), qualified_member(cls, method.name),
        write_backs(method, argc, [&](std::size_t i) {
            return fmt::format("{}remoteobj_{}", method.params[i].passing == Passing::InOutReference ? "*" : "", i);
        }));
}

std::string emit_stub_source(const ClassModel& cls, const MethodModel& method) {
    const std::string stem = member_stem(cls, method);
    std::string out;
    if (method.returns_reference)
        out += fmt::format(
            "void ::remoteobj::generated::{0}_0view::encode(flatbuffers::FlatBufferBuilder& fbb, const value_type& value) {{\n"
            "    fbb.Finish({1}::Create{0}_Result(fbb, ::remoteobj::detail::to_wire<{2}>(fbb, value)));\n"
            "}}\n\n"
            "auto ::remoteobj::generated::{0}_0view::decode(::remoteobj::detail::Bytes bytes) -> value_type {{\n"
            "    return ::remoteobj::detail::from_wire<{2}>(\n"
            "        ::remoteobj::detail::verified_root<{1}::{0}_Result>(bytes, qualified_name)->value());\n"
            "}}\n\n",
            stem, schema_cpp_namespace, value_type(method.result));
    for (std::size_t argc = method.required_params(); argc <= method.params.size(); ++argc) {
        std::string encode = method.params.empty()
                                 ? "::remoteobj::detail::no_arguments{}"
                                 : fmt::format("[&](flatbuffers::FlatBufferBuilder& fbb) {{\n"
                                               "            fbb.Finish({}::Create{}_Args(fbb{}));\n"
                                               "        }}",
                                               schema_cpp_namespace, stem, wire_args(method, argc));
        std::string decode =
            passes_in_out(method, argc) ? in_out_decode(cls, method, argc)
            : method.result.kind == TypeKind::Void
                ? "::remoteobj::detail::no_value{}"
                : fmt::format("[](::remoteobj::detail::Bytes bytes) {{\n"
                              "            return ::remoteobj::detail::from_wire<{0}>(\n"
                              "                ::remoteobj::detail::verified_root<{1}>(bytes, {2})->value());\n"
                              "        }}",
                              value_type(method.result), table(stem + "_Result"), qualified_member(cls, method.name));
        if (method.streams) {  // no async(): a stream is asynchronous already
            out += fmt::format(
                "auto {0}::operator()({1}) const -> {2} {{\n"
                "    return owner().call_stream<{3}>(\n"
                "        {{::remoteobj::wire::Operation::Call, {4}, {5}, {6}, {7}, false}},\n"
                "        {8},\n"
                "        +[](::remoteobj::detail::Bytes bytes) -> {3} {{\n"
                "            return ::remoteobj::detail::from_wire<{3}>(\n"
                "                ::remoteobj::detail::verified_root<{9}>(bytes, {10})->value());\n"
                "        }});\n"
                "}}\n\n",
                stub_type(cls, method), stub_params(method, argc), result_type(cls, method), value_type(method.result),
                method.id, argc, method_what(cls, method), hash_literal(cls), encode,
                table(stem + "_Result"), qualified_member(cls, method.name));
            continue;
        }
        const std::string call = fmt::format(
            "owner().call(\n"
            "        {{::remoteobj::wire::Operation::Call, {0}, {1}, {2}, {3}, {4}}},\n"
            "        {5},\n"
            "        {6})",
            method.id, argc, method_what(cls, method), hash_literal(cls), method.oneway ? "true" : "false",
            encode, decode);
        std::string body =
            method.returns_self
                ? fmt::format("    {};\n    return self_;\n", call)
                : fmt::format("    return {};\n", call);
        if (method.returns_object)
            body = fmt::format(
                "    return {0}(::remoteobj::detail::child_state(\n"
                "        owner_handle(),\n"
                "        ::remoteobj::detail::Step{{::remoteobj::wire::StepKind::Call, {1}, 0, \"{2}\", {3},\n"
                "                                  ::remoteobj::detail::encoded({4})}},\n"
                "        ::remoteobj::detail::ProxyTraits<{5}>::class_name));\n",
                result_type(cls, method), method.id, method.name, argc, encode, method.result.spelling);
        out += fmt::format("auto {0}::operator()({2}) const -> {3} {{\n{4}}}\n\n",
                           stub_type(cls, method), method.name, stub_params(method, argc), result_type(cls, method), body);
        if (method.returns_reference)
            out += fmt::format(
                "auto {7}::view({2}) const -> {3} {{\n"
                "    return {3}(owner_handle(), ::remoteobj::detail::Step{{::remoteobj::wire::StepKind::Call, {4}, 0, \"{1}\", {5},\n"
                "        ::remoteobj::detail::encoded({6})}});\n"
                "}}\n\n",
                cpp_class(cls), method.name, stub_params(method, argc), view_type(cls, method), method.id, argc, encode,
                stub_type(cls, method));
        if (!method.oneway && !method.returns_object && passes_in_out(method, argc)) {
            // The future writes the in-out values back when its get() returns.
            const std::string result_decode =
                method.result.kind == TypeKind::Void
                    ? "+[](::remoteobj::detail::Bytes) {}"
                    : fmt::format("+[](::remoteobj::detail::Bytes remoteobj_bytes) {{\n"
                                  "            return ::remoteobj::detail::from_wire<{0}>(\n"
                                  "                ::remoteobj::detail::verified_root<{1}>(remoteobj_bytes, {2})->value());\n"
                                  "        }}",
                                  value_type(method.result), table(stem + "_Result"), qualified_member(cls, method.name));
            out += fmt::format(
                "auto {0}::async({1}) const -> ::remoteobj::future<{2}> {{\n"
                "    return owner().call_async_in_out<{2}>(\n"
                "        {{::remoteobj::wire::Operation::Call, {3}, {4}, {5}, {6}, false}},\n"
                "        {7},\n"
                "        {8},\n"
                "        {9});\n"
                "}}\n\n",
                stub_type(cls, method), stub_params(method, argc), async_type(method), method.id, argc,
                method_what(cls, method), hash_literal(cls), encode, result_decode,
                in_out_future_write_back(cls, method, argc));
        } else if (!method.oneway && !method.returns_object) {
            const std::string async_decode =
                method.result.kind == TypeKind::Void ? "+[](::remoteobj::detail::Bytes) {}" : "+" + decode;
            out += fmt::format(
                "auto {10}::async({2}) const -> ::remoteobj::future<{3}> {{\n"
                "    return owner().call_async<{3}>(\n"
                "        {{::remoteobj::wire::Operation::Call, {4}, {5}, {6}, {7}, false}},\n"
                "        {8},\n"
                "        {9});\n"
                "}}\n\n",
                cpp_class(cls), method.name, stub_params(method, argc), async_type(method), method.id, argc,
                method_what(cls, method), hash_literal(cls), encode, async_decode, stub_type(cls, method));
        }
    }
    return out;
}

std::string emit_dispatch_case(const ClassModel& cls, const FieldModel& field) {
    const std::string traits = "::remoteobj::generated::" + traits_name(cls, field);
    std::string out = fmt::format(
        "    case {0}:  // field {1}\n"
        "        if (request.op() == ::remoteobj::wire::Operation::Get) {{\n"
        "            {2}::encode(out, ::remoteobj::detail::load(self.{1}));\n"
        "            return;\n"
        "        }}\n",
        field.id, field.name, traits);
    if (!field.is_const)
        out += fmt::format(
            "        if (request.op() == ::remoteobj::wire::Operation::Set) {{\n"
            "            ::remoteobj::detail::store(self.{0}, {1}::decode(::remoteobj::detail::bytes_of(request.args())));\n"
            "            return;\n"
            "        }}\n",
            field.name, traits);
    if (!field.is_const && is_container(field.type))
        return out + fmt::format("        return ::remoteobj::detail::serve_container(self.{}, request, out, {});\n",
                                 field.name, qualified_member(cls, field.name));
    return out + "        break;\n";
}

std::string emit_signal_case(const FieldModel& field) {
    return fmt::format(
        "    case {0}:  // signal {1}\n"
        "        if (request.op() == ::remoteobj::wire::Operation::Subscribe) {{\n"
        "            ::remoteobj::detail::serve_signal(self.{1}, request);\n"
        "            return;\n"
        "        }}\n"
        "        break;\n",
        field.id, field.name);
}

// The first `argc` arguments, decoded from the verified table `args`. A span
// parameter views the vector received for it, a const char* points into the
// received string (or is null): both live until the call's full expression ends.
// An in-out argument is the local `in_out_<i>` (in_out_locals), which the reply
// then carries back; a pointer points to what was received, or is null.
std::string decoded_args(const MethodModel& method, std::size_t argc) {
    std::string out;
    for (std::size_t i = 0; i < argc; ++i) {
        const TypeModel& type = method.params[i].type;
        std::string arg = fmt::format("::remoteobj::detail::from_wire<{}>(args->{}())", value_type(type),
                                      method.params[i].name);
        if (is_in_out(method.params[i])) arg = fmt::format("in_out_{}", i);
        if (is_pointer(method.params[i])) arg = "::remoteobj::detail::pointer_to(" + arg + ")";
        if (type.kind == TypeKind::Span) arg = "::remoteobj::detail::lvalue(" + arg + ")";
        if (type.kind == TypeKind::CString) arg = "::remoteobj::detail::c_str(" + arg + ")";
        out += (i ? ", " : "") + arg;
    }
    return out;
}

// The received values of the in-out arguments among the first `argc`: the copies
// the member works on, whose values the reply carries back.
std::string in_out_locals(const MethodModel& method, std::size_t argc) {
    std::string out;
    for (std::size_t i = 0; i < argc; ++i)
        if (is_in_out(method.params[i]))
            out += fmt::format("            auto in_out_{} = ::remoteobj::detail::from_wire<{}>(args->{}());\n", i,
                               value_type(method.params[i].type), method.params[i].name);
    return out;
}

// The reply of a method with in-out parameters: its result (unless void), then the
// value each in-out argument among the first `argc` was left with.
std::string in_out_reply(const ClassModel& cls, const MethodModel& method, std::size_t argc) {
    std::string fields;
    if (method.result.kind != TypeKind::Void)
        fields += fmt::format(", ::remoteobj::detail::to_wire<{}>(out, result)", codec_type(method.result));
    for (std::size_t i = 0; i < method.params.size(); ++i) {
        if (!is_in_out(method.params[i])) continue;
        // One the caller left to the listener's default was not passed: nothing to bring back.
        fields += i < argc ? fmt::format(", ::remoteobj::detail::to_wire<{}>(out, in_out_{})",
                                         codec_type(method.params[i].type), i)
                           : ", {}";
    }
    return fmt::format("            out.Finish({}::Create{}_Result(out{}));\n", schema_cpp_namespace,
                       member_stem(cls, method), fields);
}

// `self.f(args)`, or for a virtual method the class's own implementation when the
// request came through super<T>().
std::string call_expression(const ClassModel& cls, const MethodModel& method, const std::string& args) {
    if (!method.is_virtual || method.is_pure) return fmt::format("self.{}({})", method.name, args);
    return fmt::format("(super ? self.{0}::{1}({2}) : self.{1}({2}))", cls.qualified_name, method.name, args);
}

std::string emit_dispatch_case(const ClassModel& cls, const MethodModel& method) {
    // Reached as a path step, never called for a value: a member all the same (a
    // BadRequest, not the InterfaceMismatch of an id this build lacks).
    if (method.returns_object) return fmt::format("    case {}:  // method {}: a path step\n        break;\n", method.id, method.name);
    const std::string stem = member_stem(cls, method);
    std::string out =
        fmt::format("    case {}: {{  // method {}{}\n", method.id, method.name, method.streams ? " (streams)" : "");
    out += "        if (request.op() != ::remoteobj::wire::Operation::Call) break;\n";
    if (!method.params.empty())
        out += fmt::format("        const auto* args = ::remoteobj::detail::verified_root<{}>(\n"
                           "            ::remoteobj::detail::bytes_of(request.args()), {});\n",
                           table(stem + "_Args"), qualified_member(cls, method.name));
    out += "        switch (request.argc()) {\n";
    for (std::size_t argc = method.required_params(); argc <= method.params.size(); ++argc) {
        const std::string call = call_expression(cls, method, decoded_args(method, argc));
        if (method.streams) {
            // The generator runs in the runtime, which sends each value it yields.
            out += fmt::format(
                "        case {0}:\n"
                "            ::remoteobj::detail::serve_stream(request, {1},\n"
                "                +[](flatbuffers::FlatBufferBuilder& fbb, const {2}& value) {{\n"
                "                    fbb.Finish({3}::Create{4}_Result(fbb, ::remoteobj::detail::to_wire<{2}>(fbb, value)));\n"
                "                }});\n"
                "            return;\n",
                argc, call, value_type(method.result), schema_cpp_namespace, stem);
        } else if (method.has_in_out()) {
            out += fmt::format("        case {}: {{\n{}", argc, in_out_locals(method, argc));
            out += method.result.kind == TypeKind::Void ? fmt::format("            {};\n", call)
                                                        : fmt::format("            decltype(auto) result = {};\n", call);
            out += in_out_reply(cls, method, argc) + "            return;\n        }\n";
        } else if (method.result.kind == TypeKind::Void) {
            out += fmt::format("        case {}:\n            {};\n            return;\n", argc, call);
        } else {
            out += fmt::format(
                "        case {0}: {{\n"
                "            decltype(auto) result = {1};\n"
                "            out.Finish({2}::Create{3}_Result(out, ::remoteobj::detail::to_wire<{4}>(out, result)));\n"
                "            return;\n"
                "        }}\n",
                argc, call, schema_cpp_namespace, stem, codec_type(method.result));
        }
    }
    out += "        }\n";
    // A newer caller passing a parameter this build's method lacks: not a bad request.
    out += fmt::format("        if (request.argc() > {})\n"
                       "            ::remoteobj::detail::throw_too_many_arguments({}, request, {});\n",
                       method.params.size(), qualified_member(cls, method.name), method.params.size());
    out += "        break;\n    }\n";
    return out;
}

// Following the path: into fields that are objects, and into base classes.
std::string emit_path_steps(const ClassModel& cls) {
    std::string out =
        "    if (const auto* path = request.path(); path && step < path->size()) {\n"
        "        const ::remoteobj::wire::Step& next = *path->Get(step);\n";
    for (const FieldModel& field : cls.fields)
        if (is_object_field(field))
            out += fmt::format(
                "        if (next.kind() == ::remoteobj::wire::StepKind::Field && next.member() == {0})\n"
                "            return ::remoteobj::detail::interface_of<{1}>().dispatch(&self.{2}, request, step + 1, "
                "false, out);\n",
                field.id, field.type.spelling, field.name);
    for (const MethodModel& method : cls.methods) {
        if (!method.returns_object && !method.returns_reference) continue;
        out += fmt::format("        if (next.kind() == ::remoteobj::wire::StepKind::Call && next.member() == {}) {{\n",
                           method.id);
        if (!method.params.empty())
            out += fmt::format("            const auto* args = ::remoteobj::detail::verified_root<{}>(\n"
                               "                ::remoteobj::detail::bytes_of(next.args()), {});\n",
                               table(member_stem(cls, method) + "_Args"), qualified_member(cls, method.name));
        out += "            switch (next.argc()) {\n";
        for (std::size_t argc = method.required_params(); argc <= method.params.size(); ++argc) {
            const std::string call_args = decoded_args(method, argc);
            if (method.returns_reference)
                out += fmt::format(
                    "            case {}:\n"
                    "                return ::remoteobj::detail::serve_reference<::remoteobj::generated::{}_0view>({}, request, step + 1, out);\n",
                    argc, member_stem(cls, method), call_expression(cls, method, call_args));
            else
                // A const reference too: dispatch takes the object's address as a
                // mutable one (the proxy of a const result is for reading).
                out += fmt::format(
                    "            case {}:\n"
                    "                return ::remoteobj::detail::interface_of<{}>().dispatch({}&{}{}, request, step + 1, false, out);\n",
                    argc, method.result.spelling,
                    method.object_const ? fmt::format("const_cast<{}*>(", method.result.spelling) : "",
                    call_expression(cls, method, call_args), method.object_const ? ")" : "");
        }
        out += "            }\n        }\n";
    }
    for (const BaseModel& base : cls.bases)
        if (base.is_remoteobj)
            out += fmt::format(
                "        if (next.kind() == ::remoteobj::wire::StepKind::Base &&\n"
                "            next.interface() == ::remoteobj::detail::ProxyTraits<::{0}>::interface_hash)\n"
                "            return ::remoteobj::detail::interface_of<::{0}>().dispatch(static_cast<::{0}*>(&self), "
                "request, step + 1, true, out);\n",
                base.qualified_name);
    out += fmt::format("        (void)next;  // a class without object fields or bases has no step to take\n"
                       "        ::remoteobj::detail::throw_bad_step({}, request, step);\n    }}\n",
                       quoted(cls.qualified_name));
    // A member declared by a base class, reached through this class's proxy.
    out += "    if (request.interface() != ::remoteobj::detail::ProxyTraits<" + cpp_class(cls) + ">::interface_hash) {\n";
    for (const BaseModel& base : cls.bases)
        if (base.is_remoteobj)
            out += fmt::format(
                "        if (request.interface() == ::remoteobj::detail::ProxyTraits<::{0}>::interface_hash)\n"
                "            return ::remoteobj::detail::interface_of<::{0}>().dispatch(static_cast<::{0}*>(&self), "
                "request, step, super, out);\n",
                base.qualified_name);
    out += fmt::format(
        "        ::remoteobj::detail::throw_interface_mismatch({}, ::remoteobj::detail::ProxyTraits<{}>::interface_hash, request);\n"
        "    }}\n",
        quoted(cls.qualified_name), cpp_class(cls));
    return out;
}

std::string emit_struct_codec(const ClassModel& cls) {
    const std::string table_name = struct_table(cpp_class(cls));
    std::string to_wire, from_wire;
    for (std::size_t i = 0; i < cls.fields.size(); ++i) {
        const FieldModel& field = cls.fields[i];
        to_wire += fmt::format(",\n        ::remoteobj::detail::to_wire<{}>(fbb, ::remoteobj::detail::load(value.{}))",
                               codec_type(field.type), field.name);
        from_wire += read_struct_field(field.name, field.type, i);
    }
    return fmt::format(
        "auto remoteobj::detail::Codec<{0}>::to_wire(flatbuffers::FlatBufferBuilder& fbb, const {0}&{4})\n"
        "    -> flatbuffers::Offset<::remoteobj::gen::{1}> {{\n"
        "    ::remoteobj::detail::write_every_field(fbb);\n"
        "    return ::remoteobj::gen::Create{1}(fbb{2});\n"
        "}}\n\n"
        "auto remoteobj::detail::Codec<{0}>::from_wire(const ::remoteobj::gen::{1}* table) -> {0} {{\n"
        "    {0} value{{}};\n"
        "    if (!table) return value;\n"
        "{3}"
        "    return value;\n"
        "}}\n\n",
        cpp_class(cls), table_name, to_wire, from_wire,
        cls.fields.empty() ? "" : " value");  // unnamed when unread: -Wunused-parameter
}

// The one description every Interface of a header points at: the text of its `<name>.remote.json`.
constexpr const char* description_variable = "remoteobj_description()";

// The text of the header's .remote.json, for Describe: a function that joins it
// from literals of at most `part` bytes each. One literal could exceed the 65,536
// characters a compiler must accept (Clang's -Woverlength-strings, in -Wpedantic,
// refused a description of 69 KB).
std::string emit_description_text(const std::string& text) {
    constexpr std::size_t part = 16384;
    std::string parts;
    for (std::size_t at = 0; at < text.size(); at += part)
        parts += fmt::format("        {},\n", cpp_string_literal(text.substr(at, part)));
    return fmt::format(
        "namespace {{\n"
        "// The text of this header's .remote.json: what a Describe request is answered with\n"
        "// (in parts: a compiler need not accept a string literal over 65,536 characters).\n"
        "[[maybe_unused]] const char* remoteobj_description() {{\n"
        "    static const char* const parts[] = {{\n"
        "{}"
        "        \"\"}};\n"
        "    static const std::string text = [] {{\n"
        "        std::string joined;\n"
        "        for (const char* p : parts) joined += p;\n"
        "        return joined;\n"
        "    }}();\n"
        "    return text.c_str();\n"
        "}}\n"
        "}}  // namespace\n\n",
        parts);
}

std::string emit_class_source(const ClassModel& cls) {
    std::string out = fmt::format("// --- {} ---\n\n", cls.qualified_name);
    for (const FieldModel& field : cls.fields)
        if (is_value_field(field)) out += emit_field_traits_source(cls, field) + "\n";
    for (const MethodModel& method : cls.methods) out += emit_stub_source(cls, method);

    const std::string dispatch = "dispatch_" + class_stem(cls);
    const std::string members = "members_" + class_stem(cls);
    out += fmt::format(
        "namespace {{\n\n"
        "// Runs one request on a {0}; only exported members can be reached.\n"
        "void {1}(void* object, const ::remoteobj::wire::Request& request, std::uint32_t step, bool super,\n"
        "        flatbuffers::FlatBufferBuilder& out) {{\n"
        "    auto& self = *static_cast<{2}*>(object);\n",
        cls.qualified_name, dispatch, cpp_class(cls));
    out += emit_path_steps(cls);
    out += fmt::format(
        "    if (request.op() == ::remoteobj::wire::Operation::Passto)\n"
        "        return ::remoteobj::detail::serve_passto(&self, ::remoteobj::detail::ProxyTraits<{}>::interface_hash, request, out);\n",
        cpp_class(cls));
    out += "    switch (request.member()) {\n";
    for (const FieldModel& field : cls.fields) {
        if (is_value_field(field)) out += emit_dispatch_case(cls, field);
        if (is_signal_field(field)) out += emit_signal_case(field);
        if (is_object_field(field))  // reached as a path step: a member, not an unknown id
            out += fmt::format("    case {}:  // field {}: a path step\n        break;\n", field.id, field.name);
    }
    for (const MethodModel& method : cls.methods) out += emit_dispatch_case(cls, method);
    if (cls.subscript) {
        const std::string key = fmt::format("::remoteobj::detail::ValueCodec<{}>::decode(::remoteobj::detail::key_of(request, {}))",
                                            value_type(cls.subscript->key), quoted(cls.qualified_name + "::operator[]"));
        const std::string element = value_type(cls.subscript->element);
        out += fmt::format(
            "    case {0}:  // operator[]\n"
            "        if (request.op() == ::remoteobj::wire::Operation::ItemGet) {{\n"
            "            ::remoteobj::detail::ValueCodec<{1}>::encode(out, self[{2}]);\n"
            "            return;\n"
            "        }}\n",
            cls.subscript->id, element, key);
        if (cls.subscript->assignable)
            out += fmt::format(
                "        if (request.op() == ::remoteobj::wire::Operation::ItemSet) {{\n"
                "            self[{1}] = ::remoteobj::detail::ValueCodec<{0}>::decode(::remoteobj::detail::bytes_of(request.args()));\n"
                "            return;\n"
                "        }}\n",
                element, key);
        out += "        break;\n";
    }
    out += fmt::format(
        "    default:  // a member of another version of the class, or with another signature\n"
        "        ::remoteobj::detail::throw_unknown_member({0}, request);\n"
        "    }}\n"
        "    (void)super;\n"
        "    (void)out;\n"
        "    ::remoteobj::detail::throw_bad_request({0}, request);\n"
        "}}\n\n"
        "{3}"
        "}}  // namespace\n\n"
        "template <>\n"
        "const ::remoteobj::detail::Interface& remoteobj::detail::interface_of<{1}>() {{\n"
        "    static const Interface interface{{{0}, ::remoteobj::detail::ProxyTraits<{1}>::interface_hash, &{2},\n"
        "                                     {4}, {5}}};\n"
        "    return interface;\n"
        "}}\n\n",
        quoted(cls.qualified_name), cpp_class(cls), dispatch, emit_member_table(cls, members),
        member_table_initialisers(cls, members), description_variable);
    if (cls.is_exception)
        out += fmt::format(
            "namespace {{\n"
            "// A {0} thrown in another process arrives here as a {0}, not as RemoteError.\n"
            "[[maybe_unused]] const bool {1}_registered = (::remoteobj::register_exception<{2}>(), true);\n"
            "}}  // namespace\n\n",
            cls.qualified_name, class_stem(cls), cpp_class(cls));
    return out;
}

}  // namespace

std::string emit_proxy_header(const HeaderModel& model, const EmitNames& names) {
    std::string out = fmt::format(
        "// Generated by remoteobj-gen from {0}. Do not edit: edit that header and rebuild.\n"
        "// The typed proxies of its REMOTEOBJ classes: `obj.remote->member` in user code.\n"
        "#pragma once\n\n"
        "#include <cstdint>\n"
        "#include <string>\n"
        "#include <string_view>\n"
        "#include <tuple>\n"
        "#include <utility>\n"
        "#include <variant>\n\n"
        "#include <remoteobj/proxy.hpp>\n"
        "#include <remoteobj/object_channel.hpp>\n"
        "#include <remoteobj/remote.hpp>\n"
        "{1}\n"
        "#include \"{0}\"\n\n",
        source_name(model, names), has_signals(model) ? "#include <remoteobj/signal.hpp>\n" : "");
    out += "namespace remoteobj::generated {\n\n";
    for (const ClassModel& cls : model.classes) {
        for (const FieldModel& field : cls.fields) {
            if (is_value_field(field)) out += emit_field_traits(cls, field);
            if (is_signal_field(field)) out += emit_signal_traits(cls, field);
        }
        for (const MethodModel& method : cls.methods)
            if (method.returns_reference)
                out += emit_traits({fmt::format("How what {}::{} returns travels when viewed: its result table.",
                                                cls.qualified_name, method.name),
                                    member_stem(cls, method) + "_0view", value_type(method.result), method.id,
                                    hash_literal(cls), method.reference_writable, qualified_member(cls, method.name),
                                    true});
        if (cls.subscript)
            out += emit_traits({fmt::format("How {}::operator[] travels: its member id; keys and elements as "
                                            "values.fbs tables.",
                                            cls.qualified_name),
                                class_stem(cls) + "_0subscript", value_type(cls.subscript->element), cls.subscript->id,
                                hash_literal(cls), cls.subscript->assignable,
                                quoted(cls.qualified_name + "::operator[]"), false});
    }
    out += "}  // namespace remoteobj::generated\n\nnamespace remoteobj {\n\n";
    // What each class is (its interface hash, its name, its one REMOTEOBJ base), and the
    // proxies' names, before any proxy: stubs and proxies refer to each other.
    for (const ClassModel& cls : model.classes) {
        out += fmt::format(
            "template <>\n"
            "struct detail::ProxyTraits<{0}> {{\n"
            "    static constexpr std::uint64_t interface_hash = {1};\n"
            "    static constexpr const char* class_name = {2};\n",
            cpp_class(cls), hash_literal(cls), quoted(cls.qualified_name));
        const auto remote_bases = std::count_if(cls.bases.begin(), cls.bases.end(),
                                                [](const BaseModel& b) { return b.is_remoteobj; });
        if (remote_bases == 1)  // what `remote.super()` (no base named) is
            out += fmt::format("    using base = ::{};\n", proxy_base(cls)->qualified_name);
        out += fmt::format("}};\ntemplate <>\nclass Proxy<{}>;\n\n", cpp_class(cls));
    }
    out += "}  // namespace remoteobj\n\nnamespace remoteobj::generated::stubs {\n\n";
    for (const ClassModel& cls : model.classes)
        for (const auto& overloads : methods_by_name(cls)) out += emit_method_stub(cls, overloads);
    out += "}  // namespace remoteobj::generated::stubs\n\nnamespace remoteobj {\n\n";
    for (const ClassModel* cls : dependency_order(model)) {
        out += fmt::format("template <>\nconst detail::Interface& detail::interface_of<{}>();\n\n", cpp_class(*cls));
        out += emit_proxy_class(model, *cls) + "\n";
    }
    out += "}  // namespace remoteobj\n";
    std::string codecs;
    for (const ClassModel& cls : model.classes) {
        if (!is_value_struct(model, cls)) continue;
        const std::string table_name = struct_table(cpp_class(cls));
        codecs += fmt::format(
            "namespace remoteobj::gen {{\nstruct {1};\n}}\n"
            "/// A {0} passed or returned by value travels as a table of its fields.\n"
            "template <>\n"
            "struct remoteobj::detail::Codec<{2}> {{\n"
            "    static flatbuffers::Offset<::remoteobj::gen::{1}> to_wire(flatbuffers::FlatBufferBuilder& fbb, const {2}& value);\n"
            "    static {2} from_wire(const ::remoteobj::gen::{1}* table);\n"
            "}};\n\n",
            cls.qualified_name, table_name, cpp_class(cls));
    }
    for (const TypeTable& type : type_tables(model))
        if (!is_shared(type.type)) codecs += type_codec_declarations(type);
    for (const ClassModel& cls : model.classes)
        if (is_value_struct(model, cls)) codecs += value_codec_declaration(cpp_class(cls));
    // Before the shared types' codecs, which may check these enums' values.
    std::string enums;
    for (const TypeModel& type : enum_types(model)) {
        if (type.enumerators.empty()) continue;  // an enum without enumerators is a strong integer: all values are its
        std::string values;
        for (std::int64_t value : type.enumerators) values += fmt::format("{}{}LL", values.empty() ? "" : ", ", value);
        // Guarded by name: another header that uses the same enum defines the same.
        const std::string guard = identifier("REMOTEOBJ_ENUMERATORS" + type.spelling);
        enums += fmt::format(
            "#ifndef {3}\n"
            "#define {3}\n"
            "/// The values a received {0} may have: its enumerators (anything else is refused).\n"
            "template <>\n"
            "struct remoteobj::detail::Enumerators<{0}> {{\n"
            "    static constexpr const char* name = {1};\n"
            "    static constexpr std::int64_t values[] = {{{2}}};\n"
            "}};\n"
            "#endif\n\n",
            type.spelling, quoted(type.spelling.substr(2)), values, guard);
    }
    std::string shared;
    for (const TypeTable& type : type_tables(model))
        if (is_shared(type.type)) shared += fmt::format("#include \"{}.remote.hpp\"\n", shared_path(type));
    if (!shared.empty()) shared = "\n// Types of standard values, generated once for every header that uses them.\n" + shared;
    if (!codecs.empty() || !shared.empty() || !enums.empty())
        out += "\n#include <remoteobj/value_codec.hpp>\n\n" + enums + shared + "\n" + codecs;
    return out;
}

std::string emit_proxy_source(const HeaderModel& model, const EmitNames& names) {
    std::string out = fmt::format(
        "// Generated by remoteobj-gen from {0}. Do not edit: edit that header and rebuild.\n"
        "// Proxy stubs (calling side) and dispatch (listening side) of its REMOTEOBJ classes.\n"
        "// The user's header first, as any user of it includes it: it includes the proxy\n"
        "// header at its end, so code after that include may use the proxies.\n"
        "#include \"{0}\"\n"
        "#include \"{1}\"\n\n"
        "#include <remoteobj/dispatch.hpp>\n"
        "#include <remoteobj/in_out.hpp>\n\n"
        "#include \"{2}\"\n\n",
        source_name(model, names), names.proxy_header, names.schema_header);
    const bool deprecates = std::any_of(model.classes.begin(), model.classes.end(), [](const ClassModel& cls) {
        return std::any_of(cls.methods.begin(), cls.methods.end(), [](const MethodModel& m) { return m.deprecated; });
    });
    if (deprecates)  // GCC's spelling, which Clang reads too
        out += "// Dispatch calls the methods the header deprecates: the warning is for their callers.\n"
               "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n\n";
    out += emit_description_text(emit_description(model, names));
    for (const TypeTable& type : type_tables(model))
        if (!is_shared(type.type)) out += type_codec_definitions(type, "");
    for (const ClassModel& cls : model.classes)
        if (is_value_struct(model, cls))
            out += value_codec_definition(cpp_class(cls), struct_table(cpp_class(cls)), "");
    for (const ClassModel& cls : model.classes) {
        if (is_value_struct(model, cls)) out += emit_struct_codec(cls);
        out += emit_class_source(cls);
    }
    return out;
}

}  // namespace remoteobj::gen

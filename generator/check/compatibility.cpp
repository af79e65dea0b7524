// Comparing two descriptions member by member; see compatibility.hpp.
//
// What is compatible follows from how members travel (generator/model/
// wire_identity.hpp): a remote object's members by id (the hash of kind, name
// and wire types), a by-value struct's fields by position, an enum's values as
// integers the receiver checks against the enumerators it knows.
#include "check/compatibility.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <llvm/Support/JSON.h>

namespace remoteobj::gen {
namespace {

namespace json = llvm::json;

struct Param {
    std::string name, wire;
    bool has_default = false;
};

struct Member {
    std::string kind, name, wire_signature, where;
    std::int64_t id = 0;
    std::string type_wire;     // a field's or signal's type
    std::vector<Param> params;  // a method's
};

struct StructField {
    std::string name, wire, where;
};

// A type that is not a member: by-value structs, plain aggregates and enums,
// compared wherever they appear.
struct NamedType {
    std::string where;                 // a member that uses it, or its own declaration
    std::vector<StructField> fields;   // by-value struct or aggregate, in order
    std::vector<std::int64_t> values;  // enum
    bool is_enum = false;
};

struct Class {
    std::string qualified_name, where;
    bool by_value = false;
    std::vector<Member> members;
};

struct Description {
    std::vector<Class> classes;
    std::map<std::string, NamedType> types;  // by C++ spelling
};

std::string text(const json::Object& object, llvm::StringRef key) {
    auto value = object.getString(key);
    return value ? value->str() : std::string();
}

std::string wire_of(const json::Object* type) { return type ? text(*type, "wire") : std::string(); }

// Records the enums and aggregates in a type tree, first seen at `where`.
void collect_types(const json::Object* type, const std::string& where, Description& out) {
    if (!type) return;
    const std::string kind = text(*type, "kind");
    const std::string spelling = text(*type, "cpp");
    if ((kind == "enum" || kind == "aggregate") && !out.types.count(spelling)) {
        NamedType named;
        named.where = where;
        named.is_enum = kind == "enum";
        if (const json::Array* values = type->getArray("enumerators"))
            for (const json::Value& v : *values)
                if (auto n = v.getAsInteger()) named.values.push_back(*n);
        const json::Array* names = type->getArray("fields");
        const json::Array* args = type->getArray("args");
        if (kind == "aggregate" && names && args)
            for (std::size_t i = 0; i < names->size() && i < args->size(); ++i)
                named.fields.push_back({(*names)[i].getAsString().value_or("").str(), wire_of((*args)[i].getAsObject()), where});
        out.types[spelling] = std::move(named);
    }
    if (const json::Array* args = type->getArray("args"))
        for (const json::Value& arg : *args) collect_types(arg.getAsObject(), where, out);
}

Member read_member(const json::Object& object, Description& out) {
    Member member;
    member.kind = text(object, "kind");
    member.name = text(object, "name");
    member.wire_signature = text(object, "wire_signature");
    member.where = text(object, "declared");
    member.id = object.getInteger("id").value_or(-1);
    member.type_wire = wire_of(object.getObject("type"));
    collect_types(object.getObject("type"), member.where, out);
    collect_types(object.getObject("result"), member.where, out);
    collect_types(object.getObject("key"), member.where, out);
    collect_types(object.getObject("element"), member.where, out);
    if (const json::Array* params = object.getArray("params"))
        for (const json::Value& p : *params) {
            const json::Object* param = p.getAsObject();
            if (!param) continue;
            const json::Value* fallback = param->get("default");
            member.params.push_back({text(*param, "name"), wire_of(param->getObject("type")),
                                     fallback && fallback->kind() != json::Value::Null});
            collect_types(param->getObject("type"), member.where, out);
        }
    return member;
}

// The description in `text`, or why it is none.
std::optional<Description> read_description(const std::string& name, const std::string& body, std::string& why) {
    auto parsed = json::parse(body);
    if (!parsed) {
        why = fmt::format("{}: not JSON: {}", name, llvm::toString(parsed.takeError()));
        return std::nullopt;
    }
    const json::Object* root = parsed->getAsObject();
    if (!root || text(*root, "format") != "remoteobj-description") {
        why = fmt::format("{}: not a remoteobj description (no \"format\": \"remoteobj-description\")", name);
        return std::nullopt;
    }
    // Version 1 numbered members by position: nothing to compare them by.
    if (root->getInteger("version").value_or(0) != 2) {
        why = fmt::format("{}: a description of version {}; this remoteobj-gen compares version 2 (regenerate it)",
                          name, root->getInteger("version").value_or(0));
        return std::nullopt;
    }
    Description out;
    if (const json::Array* classes = root->getArray("classes"))
        for (const json::Value& c : *classes) {
            const json::Object* object = c.getAsObject();
            if (!object) continue;
            Class cls;
            cls.qualified_name = text(*object, "qualified_name");
            cls.where = text(*object, "declared");
            cls.by_value = object->getBoolean("by_value").value_or(false);
            if (const json::Array* members = object->getArray("members"))
                for (const json::Value& m : *members)
                    if (const json::Object* member = m.getAsObject()) cls.members.push_back(read_member(*member, out));
            if (cls.by_value) {
                NamedType& named = out.types["::" + cls.qualified_name];
                named.where = cls.where;
                named.fields.clear();
                for (const Member& m : cls.members)
                    if (m.kind == "field") named.fields.push_back({m.name, m.type_wire, m.where});
            }
            out.classes.push_back(std::move(cls));
        }
    return out;
}

class Checker {
public:
    Checker(const Description& before, const Description& after) : old_(before), new_(after) {}

    std::vector<BreakingChange> run() {
        for (const Class& cls : old_.classes) {
            const Class* now = find_class(cls.qualified_name);
            if (!now) {
                report(cls.where, fmt::format("class '{}' was removed (a peer built before still uses it)",
                                              cls.qualified_name));
                continue;
            }
            if (!cls.by_value) compare_members(cls, *now);
        }
        for (const auto& [spelling, type] : old_.types) {
            auto it = new_.types.find(spelling);
            if (it == new_.types.end()) continue;  // no longer used: nothing travels
            if (type.is_enum)
                compare_enum(spelling, type, it->second);
            else
                compare_fields(spelling, type, it->second);
        }
        return std::move(breaking_);
    }

private:
    const Class* find_class(const std::string& name) const {
        for (const Class& cls : new_.classes)
            if (cls.qualified_name == name) return &cls;
        return nullptr;
    }

    void report(const std::string& where, std::string message) { breaking_.push_back({where, std::move(message)}); }

    // A member keeps working when NEW has its id; otherwise say what changed.
    void compare_members(const Class& before, const Class& after) {
        for (const Member& member : before.members) {
            const std::string what = fmt::format("{} '{}::{}'", member.kind, before.qualified_name, member.name);
            auto same_id = [&](const Member& m) { return m.kind == member.kind && m.id == member.id; };
            if (std::any_of(after.members.begin(), after.members.end(), same_id)) continue;
            std::vector<const Member*> renamed_types;  // the same name, another id
            for (const Member& m : after.members)
                if (m.kind == member.kind && m.name == member.name) renamed_types.push_back(&m);
            if (renamed_types.empty()) {
                report(member.where, fmt::format("{} was removed (a peer built before calls it: it would get "
                                                 "InterfaceMismatch)",
                                                 what));
                continue;
            }
            // Of overloads, the one with as many parameters is the likeliest change of this one.
            const Member* now = renamed_types.front();
            for (const Member* m : renamed_types)
                if (m->params.size() == member.params.size()) now = m;
            report(now->where, change_of(what, member, *now));
        }
    }

    static std::string change_of(const std::string& what, const Member& before, const Member& after) {
        if (before.kind == "method") {
            for (std::size_t i = 0; i < after.params.size(); ++i) {
                const Param& param = after.params[i];
                if (i >= before.params.size() && !param.has_default)
                    return fmt::format("{}: new parameter '{}' has no default (an older caller does not send it; "
                                       "give it a default)",
                                       what, param.name);
                if (i < before.params.size() && before.params[i].has_default && !param.has_default &&
                    before.params[i].wire == param.wire)
                    return fmt::format("{}: parameter '{}' lost its default (an older caller may leave it out)",
                                       what, param.name);
            }
        }
        return fmt::format("{} changed its wire signature from '{}' to '{}': a peer built before gets "
                           "InterfaceMismatch (add a new member instead, and keep the old one)",
                           what, before.wire_signature, after.wire_signature);
    }

    void compare_enum(const std::string& spelling, const NamedType& before, const NamedType& after) {
        for (std::int64_t value : before.values)
            if (std::find(after.values.begin(), after.values.end(), value) == after.values.end())
                report(after.where, fmt::format("enumerator value {} of '{}' was removed (a peer built before may "
                                                "still send it, and it would be refused)",
                                                value, spelling));
    }

    // By-value structs travel as tables whose fields are positional.
    void compare_fields(const std::string& spelling, const NamedType& before, const NamedType& after) {
        for (std::size_t i = 0; i < before.fields.size(); ++i) {
            const StructField& field = before.fields[i];
            if (i >= after.fields.size()) {
                report(field.where, fmt::format("field '{}' of by-value struct '{}' was removed (fields travel by "
                                                "position: keep it, and append new fields at the end)",
                                                field.name, spelling));
                return;
            }
            const StructField& now = after.fields[i];
            if (now.name != field.name) {
                const bool moved = std::any_of(after.fields.begin() + static_cast<std::ptrdiff_t>(i), after.fields.end(),
                                               [&](const StructField& f) { return f.name == field.name; });
                report(now.where,
                       moved ? fmt::format("field '{}' of by-value struct '{}' is inserted before '{}' (fields travel "
                                           "by position: append new fields at the end)",
                                           now.name, spelling, field.name)
                             : fmt::format("field '{}' of by-value struct '{}' was removed, renamed or moved: '{}' "
                                           "is in its place (fields travel by position)",
                                           field.name, spelling, now.name));
                return;  // every later field is shifted: one report says it
            }
            if (now.wire != field.wire)
                report(now.where, fmt::format("field '{}' of by-value struct '{}' changed type from '{}' to '{}'",
                                              field.name, spelling, field.wire, now.wire));
        }
    }

    const Description& old_;
    const Description& new_;
    std::vector<BreakingChange> breaking_;
};

}  // namespace

CompatibilityReport check_compatible(const std::string& old_name, const std::string& old_text,
                                     const std::string& new_name, const std::string& new_text) {
    CompatibilityReport report;
    std::optional<Description> before = read_description(old_name, old_text, report.unreadable);
    if (!before) return report;
    std::optional<Description> after = read_description(new_name, new_text, report.unreadable);
    if (!after) return report;
    report.breaking = Checker(*before, *after).run();
    return report;
}

}  // namespace remoteobj::gen

// Adapters and plain aggregates; see user_types.hpp.
#include "parse/user_types.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/QualTypeNames.h>

namespace remoteobj::gen {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "'" : ", '") + name + "'";
    return out;
}

// How generated code names the type: fully qualified, from the global namespace.
std::string spelled(clang::QualType canonical, const clang::ASTContext& context) {
    clang::PrintingPolicy policy(context.getLangOpts());
    return clang::TypeName::getFullyQualifiedName(canonical, context, policy, /*WithGlobalNsPrefix=*/true);
}

// The user's explicit specialisation remoteobj::adapter<T> of `canonical`, when the
// header (or one it includes) defines one; null otherwise.
const clang::CXXRecordDecl* find_adapter(clang::QualType canonical, const clang::ASTContext& context) {
    const clang::TranslationUnitDecl* unit = context.getTranslationUnitDecl();
    for (const clang::NamedDecl* scope : unit->lookup(&context.Idents.get("remoteobj"))) {
        const auto* ns = llvm::dyn_cast<clang::NamespaceDecl>(scope);
        if (!ns) continue;
        for (const clang::NamedDecl* found : ns->lookup(&context.Idents.get("adapter"))) {
            const auto* primary = llvm::dyn_cast<clang::ClassTemplateDecl>(found);
            if (!primary) continue;
            for (const clang::ClassTemplateSpecializationDecl* spec : primary->specializations()) {
                if (spec->getSpecializationKind() != clang::TSK_ExplicitSpecialization) continue;
                const clang::TemplateArgumentList& args = spec->getTemplateArgs();
                if (args.size() != 1 || args[0].getKind() != clang::TemplateArgument::Type) continue;
                if (args[0].getAsType().getCanonicalType().getUnqualifiedType() != canonical) continue;
                if (const clang::CXXRecordDecl* definition = spec->getDefinition()) return definition;
            }
        }
    }
    return nullptr;
}

// Whether `adapter` has a static member function `name` (a template one too).
bool has_static_function(const clang::CXXRecordDecl& adapter, const char* name, const clang::ASTContext& context) {
    for (const clang::NamedDecl* found : adapter.lookup(&context.Idents.get(name))) {
        const clang::NamedDecl* decl = found->getUnderlyingDecl();
        if (const auto* tmpl = llvm::dyn_cast<clang::FunctionTemplateDecl>(decl)) decl = tmpl->getTemplatedDecl();
        if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(decl); method && method->isStatic()) return true;
    }
    return false;
}

// What a value's field (or an adapter's wire) cannot be: a view of memory, a
// resource, nothing.
const char* not_a_value(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Void:
        return "void carries no value";
    case TypeKind::Atomic:
        return "a std::atomic cannot be copied";
    case TypeKind::StringView:
    case TypeKind::CString:
    case TypeKind::Span:
        return "a view would point into the other process's memory (use std::string or std::vector)";
    case TypeKind::Monostate:
        return "std::monostate crosses as an alternative of a std::variant only";
    case TypeKind::Signal:
        return "a remoteobj::Signal is emitted, not copied";
    default:
        return nullptr;
    }
}

std::variant<TypeModel, Unsupported> map_adapted(const clang::CXXRecordDecl& adapter, clang::QualType canonical,
                                                 const clang::ASTContext& context) {
    const std::string type = spelled(canonical, context);
    const std::string name = "remoteobj::adapter<" + type.substr(2) + ">";
    const std::string complete = "complete it as below";
    clang::QualType wire;
    for (const clang::NamedDecl* found : adapter.lookup(&context.Idents.get("wire")))
        if (const auto* alias = llvm::dyn_cast<clang::TypedefNameDecl>(found)) wire = alias->getUnderlyingType();
    if (wire.isNull())
        return Unsupported{name + " declares no `using wire = ...;`, the type it crosses as", complete,
                           adapter_example(type.substr(2))};
    for (const char* function : {"to_wire", "from_wire"})
        if (!has_static_function(adapter, function, context))
            return Unsupported{name + " declares no static " + function + "()", complete, adapter_example(type.substr(2))};
    const clang::PrintingPolicy policy(context.getLangOpts());
    const std::string wire_written = wire.getAsString(policy);
    if (wire->isReferenceType() || wire->isPointerType())
        return Unsupported{"the wire type of " + name + " is '" + wire_written + "': it must be a value, not a reference "
                                                                                "or a pointer",
                           "use a type that crosses by value, such as std::string"};
    auto mapped = map_type(wire.getUnqualifiedType(), context);
    if (auto* unsupported = std::get_if<Unsupported>(&mapped))
        return Unsupported{"the wire type of " + name + " cannot cross: " + unsupported->reason, unsupported->instead,
                           unsupported->example};
    TypeModel& wire_model = std::get<TypeModel>(mapped);
    if (const char* why = not_a_value(wire_model))
        return Unsupported{"the wire type of " + name + " is '" + wire_model.spelling + "': " + why,
                           "use a type that crosses by value"};
    if (wire_model.kind == TypeKind::Object)
        if (const clang::CXXRecordDecl* record = wire.getCanonicalType()->getAsCXXRecordDecl())
            if (auto refusal = value_refusal(*record)) return *refusal;
    TypeModel model;
    model.kind = TypeKind::Adapted;
    model.spelling = type;
    model.args.push_back(std::move(wire_model));
    return model;
}

// Why `record` is no plain aggregate, or "" when it is one.
std::string not_plain(const clang::CXXRecordDecl& record, const clang::PrintingPolicy& policy) {
    std::vector<std::string> hidden;
    for (const clang::FieldDecl* field : record.fields())
        if (field->getAccess() != clang::AS_public) hidden.push_back(field->getNameAsString());
    if (!hidden.empty())
        return (hidden.size() == 1 ? "its data member " + quoted_list(hidden) + " is"
                                   : "its data members " + quoted_list(hidden) + " are") +
               " not public";
    if (record.isUnion()) return "it is a union";
    if (record.isDynamicClass()) return "it has virtual members or bases";
    for (const clang::CXXConstructorDecl* constructor : record.ctors())
        if (!constructor->isImplicit()) return "it declares a constructor";
    for (const clang::Decl* decl : record.decls())
        if (const auto* tmpl = llvm::dyn_cast<clang::FunctionTemplateDecl>(decl))
            if (llvm::isa<clang::CXXConstructorDecl>(tmpl->getTemplatedDecl())) return "it declares a constructor";
    for (const clang::CXXBaseSpecifier& base : record.bases()) {
        const std::string base_name = base.getType().getAsString(policy);
        if (base.isVirtual() || base.getAccessSpecifier() != clang::AS_public)
            return "its base '" + base_name + "' is not a public, non-virtual base";
        const clang::CXXRecordDecl* base_record = base.getType()->getAsCXXRecordDecl();
        const clang::CXXRecordDecl* definition = base_record ? base_record->getDefinition() : nullptr;
        if (!definition) return "its base '" + base_name + "' is not defined here";
        if (std::string why = not_plain(*definition, policy); !why.empty())
            return "its base '" + base_name + "' is no plain aggregate: " + why;
    }
    return "";
}

// The plain aggregates being mapped, outermost first: one that holds itself (a
// tree of std::vector<Node>) has no table FlatBuffers could declare once.
std::vector<const clang::CXXRecordDecl*>& in_progress() {
    static std::vector<const clang::CXXRecordDecl*> records;
    return records;
}

// The fields of the plain aggregate `record`, its bases' first (as C++ initialises
// them), appended to `model`.
std::optional<Unsupported> add_fields(const clang::CXXRecordDecl& record, const std::string& type, TypeModel& model,
                                      const clang::ASTContext& context) {
    for (const clang::CXXBaseSpecifier& base : record.bases())
        if (auto refusal = add_fields(*base.getType()->getAsCXXRecordDecl()->getDefinition(), type, model, context))
            return refusal;
    const std::string adapter = "declare a remoteobj::adapter<" + type + "> as below";
    for (const clang::FieldDecl* field : record.fields()) {
        const std::string name = field->getNameAsString();
        const std::string of = "'" + type + "' crosses as a plain aggregate, but its field '" + name + "' ";
        if (name.empty()) return Unsupported{"'" + type + "' has an unnamed member, which generated code cannot name", adapter,
                                             adapter_example(type)};
        if (std::find(model.names.begin(), model.names.end(), name) != model.names.end())
            return Unsupported{of + "hides a base's field of that name", adapter, adapter_example(type)};
        if (field->getType()->isReferenceType())
            return Unsupported{of + "is a reference, which a received value cannot be stored into", adapter,
                               adapter_example(type)};
        if (field->isBitField())
            return Unsupported{of + "is a bit-field, which generated code cannot refer to", adapter,
                               adapter_example(type)};
        if (field->getType().isConstQualified())
            return Unsupported{of + "is const, so a received value cannot be stored into it", adapter,
                               adapter_example(type)};
        auto mapped = map_field_type(field->getType(), context);
        if (auto* unsupported = std::get_if<Unsupported>(&mapped))
            return Unsupported{of + "cannot: " + unsupported->reason, unsupported->instead, unsupported->example};
        TypeModel& field_model = std::get<TypeModel>(mapped);
        if (const char* why = not_a_value(field_model)) return Unsupported{of + "cannot: " + why, adapter, adapter_example(type)};
        if (field_model.kind == TypeKind::Object)
            if (const clang::CXXRecordDecl* nested = field->getType().getCanonicalType()->getAsCXXRecordDecl())
                if (auto refusal = value_refusal(*nested)) return refusal;
        model.args.push_back(std::move(field_model));
        model.names.push_back(name);
    }
    return std::nullopt;
}

std::variant<TypeModel, Unsupported> map_aggregate(const clang::CXXRecordDecl& record, const std::string& type,
                                                   const clang::ASTContext& context) {
    auto& stack = in_progress();
    if (std::find(stack.begin(), stack.end(), &record) != stack.end())
        return Unsupported{"'" + type + "' holds itself: a plain aggregate that nests itself has no table to travel as",
                           "declare a remoteobj::adapter<" + type + "> as below", adapter_example(type)};
    stack.push_back(&record);
    TypeModel model;
    model.kind = TypeKind::Aggregate;
    model.spelling = "::" + type;
    auto refusal = add_fields(record, type, model, context);
    stack.pop_back();
    if (refusal) return *refusal;
    return model;
}

}  // namespace

std::string adapter_example(const std::string& type) {
    return "    template <> struct remoteobj::adapter<" + type + "> { using wire = std::string;  // a type that crosses\n"
           "        static wire to_wire(const " + type + "&); static " + type + " from_wire(const wire&); };";
}

std::optional<std::variant<TypeModel, Unsupported>> map_if_adapted(clang::QualType canonical,
                                                                   const clang::ASTContext& context) {
    if (const clang::CXXRecordDecl* adapter = find_adapter(canonical, context))
        return map_adapted(*adapter, canonical, context);
    return std::nullopt;
}

std::variant<TypeModel, Unsupported> map_user_class(clang::QualType canonical, const clang::CXXRecordDecl& record,
                                                    const clang::ASTContext& context) {
    if (auto adapted = map_if_adapted(canonical, context)) return *adapted;
    const std::string type = spelled(canonical, context).substr(2);
    const std::string fixes = "declare a remoteobj::adapter<" + type + "> that converts it to a type that crosses, "
                              "as below, or make it REMOTEOBJ with public fields if it is yours";
    const clang::CXXRecordDecl* definition = record.getDefinition();
    if (!definition)
        return Unsupported{"type '" + type + "' cannot cross processes: it is declared, not defined, here", fixes,
                           adapter_example(type)};
    const clang::PrintingPolicy policy(context.getLangOpts());
    const std::string why = not_plain(*definition, policy);
    if (why.empty()) return map_aggregate(*definition, type, context);
    if (why.find("not public") != std::string::npos && why.rfind("its data member", 0) == 0)
        return Unsupported{"type '" + type + "' cannot cross processes by value: " + why +
                               ", so it is no plain aggregate (copying its public side would lose them)",
                           fixes, adapter_example(type)};
    return Unsupported{"type '" + type + "' cannot cross processes: it is neither a REMOTEOBJ class, a standard type "
                                         "the wire knows, nor a plain aggregate (" + why + ")",
                       fixes, adapter_example(type)};
}

}  // namespace remoteobj::gen

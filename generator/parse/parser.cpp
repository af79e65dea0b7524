// Reading annotated headers with Clang LibTooling; see parser.hpp.
#include "parse/parser.hpp"

#include <algorithm>
#include <memory>
#include <numeric>
#include <string_view>
#include <tuple>
#include <vector>

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Lex/Lexer.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <fmt/format.h>
#include <llvm/Support/Path.h>

#include "model/wire_identity.hpp"
#include "parse/type_mapper.hpp"

namespace remoteobj::gen {

std::string format_diagnostic(const Diagnostic& d) {
    return fmt::format("{}:{}:{}: error: {}", d.location.file, d.location.line, d.location.column, d.message);
}

namespace {

bool has_annotation(const clang::Decl* decl, llvm::StringRef what) {
    for (const auto* attr : decl->specific_attrs<clang::AnnotateAttr>())
        if (attr->getAnnotation() == what) return true;
    return false;
}

// The user's header may include its own generated `<name>.remote.hpp`, which does
// not exist the first time the generator reads the header: such includes are
// skipped (and, when the file exists, ParseOptions::blank_files hides it).
class SkipGeneratedIncludes : public clang::PPCallbacks {
public:
    bool FileNotFound(llvm::StringRef file_name) override { return file_name.ends_with(".remote.hpp"); }
};

class ClassCollector : public clang::RecursiveASTVisitor<ClassCollector> {
public:
    ClassCollector(clang::ASTContext& context, ParseResult& result) : context_(context), result_(result) {}

    bool VisitCXXRecordDecl(clang::CXXRecordDecl* record) {
        if (!record->isThisDeclarationADefinition() || !has_annotation(record, "remoteobj")) return true;
        if (!context_.getSourceManager().isInMainFile(record->getLocation())) return true;
        result_.model.classes.push_back(build_class(*record));
        return true;
    }

private:
    SourceLocation location_of(clang::SourceLocation where) const {
        const clang::SourceManager& sm = context_.getSourceManager();
        clang::PresumedLoc presumed = sm.getPresumedLoc(sm.getSpellingLoc(where));
        if (presumed.isInvalid()) return {};
        return {presumed.getFilename(), presumed.getLine(), presumed.getColumn()};
    }

    void error(clang::SourceLocation where, std::string message) {
        result_.errors.push_back({location_of(where), std::move(message)});
    }

    std::string doc_of(const clang::Decl* decl) const {
        const clang::RawComment* comment = context_.getRawCommentForDeclNoCache(decl);
        if (!comment) return "";
        return comment->getFormattedText(context_.getSourceManager(), context_.getDiagnostics());
    }

    std::string source_text(clang::SourceRange range) const {
        return clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(range),
                                           context_.getSourceManager(), context_.getLangOpts())
            .str();
    }

    // "<what> cannot be exported: <why> (<instead>, or mark it REMOTEOBJ_HIDE to leave it out)".
    // An `example` (an adapter to declare) follows on lines of its own, as a compiler's note.
    void refuse(clang::SourceLocation where, const std::string& what, const std::string& why,
                const std::string& instead = "", const std::string& example = "") {
        error(where, fmt::format("{} cannot be exported: {} ({}mark it REMOTEOBJ_HIDE to leave it out){}", what, why,
                                 instead.empty() ? "" : instead + ", or ", example.empty() ? "" : "\n" + example));
    }

    // Reports `mapped` at `where` when it is Unsupported; its model otherwise.
    std::optional<TypeModel> mapped_or_refused(std::variant<TypeModel, Unsupported> mapped, clang::SourceLocation where,
                                               const std::string& what) {
        if (auto* unsupported = std::get_if<Unsupported>(&mapped)) {
            refuse(where, what, unsupported->reason, unsupported->instead, unsupported->example);
            return std::nullopt;
        }
        return std::get<TypeModel>(std::move(mapped));
    }

    // Maps a member's type, reporting at `where` what makes it unexportable.
    std::optional<TypeModel> type_of(clang::QualType type, clang::SourceLocation where, const std::string& what) {
        return mapped_or_refused(map_type(type, context_), where, what);
    }

    enum class Role { Field, Argument, Result };

    // What only an argument can be (a view of the caller's memory), or only an
    // argument and a result (a C string), or only a variant's alternative
    // (std::monostate). Reports it at `where` when `type` may not be in `role`.
    bool misplaced(const TypeModel& type, clang::SourceLocation where, const std::string& what, Role role) {
        const char* as = role == Role::Field ? "a field" : role == Role::Result ? "a result" : "an argument";
        switch (type.kind) {
        case TypeKind::StringView:  // a result has its own message, naming string_view
            if (role != Role::Field) return false;
            refuse(where, what, "std::string_view as a field would point into another process's memory",
                   "use std::string");
            return true;
        case TypeKind::Span:
            if (role == Role::Argument) return false;
            refuse(where, what, fmt::format("'{}' as {} would point into another process's memory", type.spelling, as),
                   "use a std::vector");
            return true;
        case TypeKind::CString:
            if (role != Role::Field) return false;
            refuse(where, what, "a const char* field would point into another process's memory", "use std::string");
            return true;
        case TypeKind::Monostate:
            refuse(where, what, "std::monostate carries nothing: it crosses as an alternative of a std::variant only");
            return true;
        default:
            return false;
        }
    }

    static bool derives_from_std_exception(const clang::CXXRecordDecl& record) {
        if (record.getQualifiedNameAsString() == "std::exception") return true;
        if (!record.hasDefinition()) return false;
        for (const auto& base : record.bases()) {
            const auto* base_record = base.getType()->getAsCXXRecordDecl();
            if (base_record && derives_from_std_exception(*base_record)) return true;
        }
        return false;
    }

    static bool is_remote_member(clang::QualType type) {
        const auto* record = type.getCanonicalType()->getAsCXXRecordDecl();
        return record && record->getQualifiedNameAsString() == "remoteobj::Remote";
    }

    // The specialisation `type` is when it instantiates the class template
    // remoteobj::<name> (Signal, generator), else null.
    static const clang::ClassTemplateSpecializationDecl* remoteobj_template(clang::QualType type, llvm::StringRef name) {
        const auto* spec = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
            type.getCanonicalType()->getAsCXXRecordDecl());
        if (!spec || spec->getQualifiedNameAsString() != "remoteobj::" + name.str()) return nullptr;
        return spec;
    }

    // The type arguments of `spec`, packs expanded (Signal<int, std::string> -> int,
    // std::string), as `type` spells them when it can: errors then name them as
    // the user wrote them ("const std::string &", not "const std::basic_string<char> &").
    static std::vector<clang::QualType> type_arguments(clang::QualType type,
                                                       const clang::ClassTemplateSpecializationDecl& spec) {
        auto types_of = [](llvm::ArrayRef<clang::TemplateArgument> args) {
            std::vector<clang::QualType> out;
            for (const clang::TemplateArgument& arg : args) {
                if (arg.getKind() == clang::TemplateArgument::Pack) {
                    for (const clang::TemplateArgument& packed : arg.pack_elements())
                        if (packed.getKind() == clang::TemplateArgument::Type) out.push_back(packed.getAsType());
                } else if (arg.getKind() == clang::TemplateArgument::Type) {
                    out.push_back(arg.getAsType());
                }
            }
            return out;
        };
        std::vector<clang::QualType> canonical = types_of(spec.getTemplateArgs().asArray());
        const auto* written = type->getAs<clang::TemplateSpecializationType>();
        if (!written || written->isTypeAlias()) return canonical;
        std::vector<clang::QualType> sugared = types_of(written->template_arguments());
        return sugared.size() == canonical.size() ? sugared : canonical;
    }

    // Reports at `where` why the REMOTEOBJ class `type` names cannot cross by value
    // there (abstract, no default constructor, private data members), when it cannot.
    bool by_value_refused(clang::QualType type, clang::SourceLocation where, const std::string& what) {
        const auto* record = type.getCanonicalType()->getAsCXXRecordDecl();
        if (!record) return false;
        auto refusal = value_refusal(*record);
        if (refusal) refuse(where, what, refusal->reason, refusal->instead, refusal->example);
        return refusal.has_value();
    }

    // A REMOTEOBJ class holding a Remote<T>: an object reached through its proxy,
    // never a value to copy into another process.
    static bool is_remote_object(clang::QualType type) {
        const auto* record = type.getCanonicalType()->getAsCXXRecordDecl();
        const clang::CXXRecordDecl* definition = record ? record->getDefinition() : nullptr;
        if (!definition || !has_annotation(definition, "remoteobj")) return false;
        return std::any_of(definition->field_begin(), definition->field_end(),
                           [](const clang::FieldDecl* field) { return is_remote_member(field->getType()); });
    }

    // A value that crosses by itself, as a parameter taken by value does: what a
    // signal's emission carries and a streaming method yields. Reports at `where`
    // why `type` cannot, naming it as `what`.
    std::optional<TypeModel> crossing_value(clang::QualType type, clang::SourceLocation where, const std::string& what,
                                            const char* for_string_view) {
        auto refuse = [&](const std::string& why) -> std::optional<TypeModel> {
            error(where, fmt::format("{} cannot be exported: {} (mark it REMOTEOBJ_HIDE to leave it out)", what, why));
            return std::nullopt;
        };
        const clang::PrintingPolicy policy(context_.getLangOpts());
        if (type->isReferenceType())
            return refuse(fmt::format("a reference cannot cross processes (use the value type, '{}')",
                                      type.getNonReferenceType().getUnqualifiedType().getAsString(policy)));
        if (type->isVoidType()) return refuse("void carries no value");
        if (is_remote_object(type))
            // fmt, not "'" + std::string: GCC 12's -O3 -Wrestrict misfires on that.
            return refuse(fmt::format("'{}' holds a remoteobj::Remote: it is an object to reach, not a value to copy",
                                      type.getUnqualifiedType().getAsString(policy)));
        auto mapped = type_of(type.getUnqualifiedType(), where, what);
        if (!mapped) return std::nullopt;
        if (mapped->kind == TypeKind::Object && by_value_refused(type, where, what)) return std::nullopt;
        if (mapped->kind == TypeKind::Atomic) return refuse("std::atomic is not copyable");
        if (mapped->kind == TypeKind::StringView) return refuse(for_string_view);
        if (mapped->kind == TypeKind::CString || mapped->kind == TypeKind::Span)
            return refuse(fmt::format("'{}' would point into the other process (use std::string or std::vector)",
                                      mapped->spelling));
        if (mapped->kind == TypeKind::Monostate)
            return refuse("std::monostate carries nothing: it crosses as an alternative of a std::variant only");
        return mapped;
    }

    // How `param` is passed: by value, by const reference, in-out (`T&`, `T*` of a
    // value type) or as an input that may be null (`const T*`). Reports at its
    // location what cannot be passed (an rvalue reference, a pointer to a pointer,
    // an array, a reference to an object that lives in its process) and returns
    // nothing then. Pointers the type mapper knows (`const char*`, function and
    // void pointers) are left to it: passed by value.
    std::optional<Passing> passing_of(const clang::ParmVarDecl& param, const std::string& what) {
        const clang::PrintingPolicy policy(context_.getLangOpts());
        auto refuse = [&](const std::string& why, const std::string& instead) -> std::optional<Passing> {
            this->refuse(param.getLocation(), what, why, instead);
            return std::nullopt;
        };
        if (param.getOriginalType()->isArrayType())
            return refuse(fmt::format("an array parameter ('{}') is a pointer to its first element, and how many "
                                      "follow it is known only to the caller",
                                      param.getOriginalType().getAsString(policy)),
                          "take a std::array or std::vector, by reference to have it written back");
        const clang::QualType type = param.getType();
        if (type->isLValueReferenceType() && !type.getNonReferenceType().isConstQualified() &&
            type.getNonReferenceType()->isArrayType())
            return refuse(fmt::format("a C array ('{}') crosses only as a data member of its own",
                                      type.getAsString(policy)),
                          "take a std::array or std::vector by reference to have it written back");
        if (type->isRValueReferenceType())
            return refuse("an rvalue reference would move from an object of the calling process",
                          "take the value");
        if (type->isLValueReferenceType()) {
            const clang::QualType referred = type.getNonReferenceType();
            if (referred.isConstQualified()) return Passing::ByConstReference;
            if (referred->isPointerType())
                return refuse(fmt::format("a reference to '{}' would write an address of another process into the "
                                          "caller's",
                                          referred.getAsString(policy)),
                              "take a reference to the value");
            if (is_remote_object(referred))
                // What it has always been: an object is reached through its proxy, not passed.
                return refuse("only values and const references can be passed to another process", "");
            return Passing::InOutReference;
        }
        if (!type->isPointerType() || type->isFunctionPointerType()) return Passing::ByValue;
        const clang::QualType pointee = type->getPointeeType();
        if (pointee->isCharType() && !pointee.isConstQualified())
            return refuse(fmt::format("'{}' is a C buffer of characters, whose length only the caller knows",
                                      type.getAsString(policy)),
                          "take a std::string& (or a std::vector<unsigned char>&) to have it written back, or a "
                          "const char* to only read it");
        if (pointee->isVoidType() || pointee->isFunctionType() || pointee->isCharType() ||
            is_remote_object(pointee))
            return Passing::ByValue;  // the type mapper says why not (a const char* crosses as a string)
        if (pointee->isPointerType() || pointee->isArrayType() || pointee->isMemberPointerType())
            return refuse(fmt::format("'{}' points to a pointer, whose address means nothing in another process",
                                      type.getAsString(policy)),
                          "take a pointer or a reference to the value");
        return pointee.isConstQualified() ? Passing::ConstPointer : Passing::InOutPointer;
    }

    // Whether the value behind an in-out parameter or a pointer can be sent and
    // received back: a value of its own (no view, no atomic), and for a pointer
    // one whose null and empty differ on the wire. Reports at `where` when not.
    bool crosses_through_pointer_or_in_out(const ParamModel& p, clang::SourceLocation where, const std::string& what) {
        switch (p.type.kind) {
        case TypeKind::StringView:
        case TypeKind::Span:
        case TypeKind::CString:
            if (p.passing == Passing::ConstPointer)
                refuse(where, what, fmt::format("a pointer to a '{}', itself a view of the caller's memory, would "
                                                "point into the calling process",
                                                p.type.spelling),
                       fmt::format("take the '{}' by value", p.type.spelling));
            else
                refuse(where, what, fmt::format("'{}' is a view of the caller's memory: through {} it could not be "
                                                "written back",
                                                p.type.spelling,
                                                p.passing == Passing::InOutReference ? "a non-const reference"
                                                                                     : "a pointer"),
                       "take the value it views, a std::string or a std::vector");
            return false;
        case TypeKind::Atomic:
            refuse(where, what, "std::atomic is not copyable");
            return false;
        case TypeKind::Monostate:
            refuse(where, what, "std::monostate carries nothing: it crosses as an alternative of a std::variant only");
            return false;
        case TypeKind::Optional:
            if (p.passing == Passing::InOutReference) return true;
            refuse(where, what, fmt::format("a null pointer and an empty '{}' would be the same on the wire",
                                            p.type.spelling),
                   fmt::format("take a '{}&'", p.type.spelling));
            return false;
        default:
            return true;
        }
    }

    // `std::optional<T>` for the pointee T of a pointer parameter: what travels.
    static TypeModel nullable(TypeModel pointee) {
        TypeModel model;
        model.kind = TypeKind::Optional;
        model.spelling = "std::optional<" + pointee.spelling + ">";
        model.args.push_back(std::move(pointee));
        return model;
    }

    // An in-out parameter's value comes back in the method's reply: a method whose
    // call has no reply of its own (one-way, streaming, or reached as a path step
    // because it returns a reference) cannot have one. Reports it at `where`.
    bool in_out_allowed(const MethodModel& model, clang::SourceLocation where, const std::string& what) {
        const char* why = model.oneway          ? "it is REMOTEOBJ_ONEWAY: no reply comes back to carry"
                          : model.streams        ? "it streams what it yields: its replies carry those values only"
                          : model.returns_object ? "it returns a reference to an object, reached without a reply "
                                                   "of its own"
                          : model.returns_reference ? "it returns a reference, which .view() keeps remote without "
                                                      "a reply to carry"
                                                    : nullptr;
        if (!why) return true;
        error(where, fmt::format("{} cannot be exported: it has an in-out parameter (a non-const reference or a "
                                 "pointer), whose value the reply brings back, and {} (take the parameter by value "
                                 "and return what it would bring back, or mark it REMOTEOBJ_HIDE to leave it out)",
                                 what, why));
        return false;
    }

    // `remoteobj::Signal<Args...> name;`: subscribers receive each emission's arguments.
    std::optional<FieldModel> build_signal(const ClassModel& cls, const clang::FieldDecl& field,
                                           const clang::ClassTemplateSpecializationDecl& signal) {
        const std::string name = field.getNameAsString();
        TypeModel type;
        type.kind = TypeKind::Signal;
        bool ok = true;
        std::string list;
        const clang::PrintingPolicy policy(context_.getLangOpts());
        const std::vector<clang::QualType> args = type_arguments(field.getType(), signal);
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string what = fmt::format("argument {} ('{}') of signal '{}::{}'", i + 1,
                                                 args[i].getAsString(policy), cls.qualified_name, name);
            auto arg = crossing_value(args[i], field.getLocation(), what,
                                      "std::string_view would point into the emitting process (use std::string)");
            if (!arg) {
                ok = false;
                continue;
            }
            list += (list.empty() ? "" : ", ") + arg->spelling;
            type.args.push_back(std::move(*arg));
        }
        if (!ok) return std::nullopt;
        type.spelling = "::remoteobj::Signal<" + list + ">";
        FieldModel model;
        model.name = name;
        model.type = std::move(type);
        model.is_const = field.getType().isConstQualified();
        model.doc = doc_of(&field);
        model.location = location_of(field.getLocation());
        return model;
    }

    ClassModel build_class(const clang::CXXRecordDecl& record) {
        ClassModel cls;
        cls.name = record.getNameAsString();
        cls.qualified_name = record.getQualifiedNameAsString();
        cls.doc = doc_of(&record);
        cls.location = location_of(record.getLocation());
        for (const auto& base : record.bases()) {
            const auto* base_record = base.getType()->getAsCXXRecordDecl();
            if (!base_record) continue;
            cls.bases.push_back({base_record->getQualifiedNameAsString(), has_annotation(base_record, "remoteobj")});
        }
        cls.is_exception = derives_from_std_exception(record);
        cls.is_abstract = record.isAbstract();
        cls.crosses_by_value = !value_refusal(record);
        for (const clang::FieldDecl* field : record.fields()) {
            if (field->getAccess() != clang::AS_public && is_remote_member(field->getType())) {
                // The generated proxy and dispatch reach the object through it.
                error(field->getLocation(),
                      fmt::format("the remoteobj::Remote member '{}::{}' must be public: the generated proxy "
                                  "reaches the object through it (declare it under `public:`)",
                                  cls.qualified_name, field->getNameAsString()));
                continue;
            }
            if (field->getAccess() != clang::AS_public || has_annotation(field, "remoteobj_hide")) continue;
            if (is_remote_member(field->getType())) {
                cls.has_remote = true;
                continue;
            }
            if (const auto* signal = remoteobj_template(field->getType(), "Signal")) {
                if (auto model = build_signal(cls, *field, *signal)) {
                    cls.fields.push_back(std::move(*model));
                }
                continue;
            }
            const std::string what = fmt::format("field '{}::{}'", cls.qualified_name, field->getName().str());
            // Before type_of, which would call it a reference to a reference.
            if (field->getType()->isReferenceType()) {
                error(field->getLocation(), what + " cannot be exported: reference members are not supported "
                                                   "(mark it REMOTEOBJ_HIDE to leave it out)");
                continue;
            }
            auto type = mapped_or_refused(map_field_type(field->getType(), context_), field->getLocation(), what);
            if (!type || misplaced(*type, field->getLocation(), what, Role::Field)) continue;
            FieldModel model;
            model.name = field->getNameAsString();
            model.type = std::move(*type);
            model.is_const = field->getType().isConstQualified();
            model.doc = doc_of(field);
            model.location = location_of(field->getLocation());
            cls.fields.push_back(std::move(model));
        }
        for (const clang::Decl* decl : record.decls()) {
            if (decl->getAccess() != clang::AS_public || decl->isImplicit()) continue;
            if (has_annotation(decl, "remoteobj_hide")) continue;
            if (const auto* tmpl = llvm::dyn_cast<clang::FunctionTemplateDecl>(decl)) {
                // `template <class T> REMOTEOBJ_HIDE void f(T)`: the attribute is the method's.
                if (has_annotation(tmpl->getTemplatedDecl(), "remoteobj_hide")) continue;
                // A constructor is no member to export, template or not.
                if (llvm::isa<clang::CXXConstructorDecl>(tmpl->getTemplatedDecl())) continue;
                error(tmpl->getLocation(),
                      fmt::format("method template '{}::{}' cannot be exported: a template has no single "
                                  "signature to generate (mark it REMOTEOBJ_HIDE to leave it out)",
                                  cls.qualified_name, tmpl->getNameAsString()));
                continue;
            }
            const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(decl);
            if (!method || method->isStatic() || llvm::isa<clang::CXXConstructorDecl>(method) ||
                llvm::isa<clang::CXXDestructorDecl>(method) || method->isDeleted())
                continue;
            // An exception class's what() travels as the exception's message.
            if (cls.is_exception && method->getNameAsString() == "what") continue;
            // Assigning or comparing whole objects has no meaning across processes:
            // those operators stay local, silently.
            if (method->isCopyAssignmentOperator() || method->isMoveAssignmentOperator()) continue;
            switch (method->getOverloadedOperator()) {
            case clang::OO_EqualEqual:
            case clang::OO_ExclaimEqual:
            case clang::OO_Less:
            case clang::OO_LessEqual:
            case clang::OO_Greater:
            case clang::OO_GreaterEqual:
            case clang::OO_Spaceship:
                continue;
            default:
                break;
            }
            if (method->getOverloadedOperator() == clang::OO_Subscript) {
                build_subscript(cls, *method);
                continue;
            }
            if (auto model = build_method(cls, *method)) cls.methods.push_back(std::move(*model));
        }
        // Ids come from each member's name and wire types, never its position.
        for (const IdCollision& collision : assign_member_ids(cls))
            result_.errors.push_back(
                {collision.second_location,
                 fmt::format("{} of '{}' has the same wire id as {} ({}: rename one, or mark it REMOTEOBJ_HIDE)",
                             collision.second, cls.qualified_name, collision.first,
                             collision.same_signature
                                 ? "the same wire signature: an id counts only the parameters without a default"
                                 : "their signatures' hashes collide")});
        return cls;
    }

    // operator[]: one per class; the non-const overload wins over the const one.
    void build_subscript(ClassModel& cls, const clang::CXXMethodDecl& method) {
        const std::string what = fmt::format("'{}::operator[]'", cls.qualified_name);
        if (method.getNumParams() != 1) return;  // not a C++ subscript operator
        auto key = type_of(method.getParamDecl(0)->getType().getNonReferenceType().getUnqualifiedType(),
                           method.getLocation(), "the key of " + what);
        clang::QualType result = method.getReturnType();
        const bool assignable = result->isLValueReferenceType() && !result.getNonReferenceType().isConstQualified();
        auto element = type_of(result.getNonReferenceType().getUnqualifiedType(), method.getLocation(),
                               "the element of " + what);
        if (!key || !element) return;
        auto scalar_or_string = [](const TypeModel& t) {
            return t.kind == TypeKind::Bool || t.kind == TypeKind::Integer || t.kind == TypeKind::Floating ||
                   t.kind == TypeKind::Enum || t.kind == TypeKind::String;
        };
        if (!scalar_or_string(*key) || !scalar_or_string(*element)) {
            error(method.getLocation(), what + " cannot be exported: keys and elements must be numbers, bool, "
                                               "enums or std::string (mark it REMOTEOBJ_HIDE to leave it out)");
            return;
        }
        if (cls.subscript) {
            if (cls.subscript->assignable || !assignable) return;  // keep the one that can be written
            cls.subscript->key = std::move(*key);
            cls.subscript->element = std::move(*element);
            cls.subscript->assignable = true;
            return;
        }
        cls.subscript = SubscriptModel{0, std::move(*key), std::move(*element), assignable,
                                       location_of(method.getLocation())};
    }

    std::optional<MethodModel> build_method(const ClassModel& cls, const clang::CXXMethodDecl& method) {
        const std::string what = fmt::format("method '{}::{}'", cls.qualified_name, method.getNameAsString());
        if (method.isOverloadedOperator() || llvm::isa<clang::CXXConversionDecl>(method)) {
            error(method.getLocation(), what + " cannot be exported: operators are not exported yet "
                                               "(mark it REMOTEOBJ_HIDE to leave it out)");
            return std::nullopt;
        }
        MethodModel model;
        model.name = method.getNameAsString();
        model.is_const = method.isConst();
        model.oneway = has_annotation(&method, "remoteobj_oneway");
        model.doc = doc_of(&method);
        model.location = location_of(method.getLocation());
        bool ok = true;

        // Carried onto the stub, so that the proxy warns where a local call would.
        model.nodiscard = method.hasAttr<clang::WarnUnusedResultAttr>();
        if (const auto* deprecated = method.getAttr<clang::DeprecatedAttr>())
            model.deprecated = deprecated->getMessage().str();
        model.is_virtual = method.isVirtual();
        model.is_pure = method.isPureVirtual();
        clang::QualType result = method.getReturnType();
        if (result->isReferenceType()) {
            const auto* referred = result.getNonReferenceType()->getAsCXXRecordDecl();
            const clang::CXXRecordDecl* definition = referred ? referred->getDefinition() : nullptr;
            const bool remote_object = definition && has_annotation(definition, "remoteobj");
            if (referred && referred->getCanonicalDecl() == method.getParent()->getCanonicalDecl()) {
                // `T& chain()`: returns its own object, for chaining.
                model.returns_self = true;
                result = context_.VoidTy;
            } else if (remote_object) {
                // `Child& child_at(int)`: the proxy of that object, reached by calling this.
                model.returns_object = true;
                model.object_const = result.getNonReferenceType().isConstQualified();
                result = result.getNonReferenceType();
            } else if (!result->isLValueReferenceType()) {
                error(method.getReturnTypeSourceRange().getBegin(),
                      what + " cannot be exported: it returns an rvalue reference (return a value, "
                             "or mark it REMOTEOBJ_HIDE to leave it out)");
                ok = false;
            } else {
                // A reference to a value: a copy when called, kept remote through view().
                model.returns_reference = true;
                model.reference_writable = !result.getNonReferenceType().isConstQualified();
                result = result.getNonReferenceType();
            }
        }
        if (const auto* generator = ok ? remoteobj_template(result, "generator") : nullptr) {
            // `remoteobj::generator<T> scan(int)`: streams each T it yields.
            model.streams = true;
            const std::vector<clang::QualType> yielded = type_arguments(result, *generator);
            std::optional<TypeModel> type;
            if (yielded.size() == 1 && yielded[0]->isVoidType())
                error(method.getLocation(), what + " cannot be exported: remoteobj::generator<void> yields no "
                                                   "values (return void, or mark it REMOTEOBJ_HIDE to leave it out)");
            else if (yielded.size() == 1)
                type = crossing_value(yielded[0], method.getLocation(), "the values " + what + " yields",
                                      "std::string_view would point into the other process (yield std::string)");
            ok = ok && type;
            if (type) model.result = std::move(*type);
        } else if (ok && result->isPointerType() && !result->isFunctionPointerType() &&
                   !result->getPointeeType()->isVoidType() &&
                   std::holds_alternative<Unsupported>(map_type(result.getUnqualifiedType(), context_))) {
            // `int* find(int)`: a pointer to a value of this process (a const char* crosses as a string).
            refuse(method.getLocation(), "the result of " + what,
                   "a raw pointer cannot cross processes (its address means nothing there)",
                   "return the value, or a std::optional or std::unique_ptr of it");
            ok = false;
        } else if (ok) {
            auto type = type_of(result.getUnqualifiedType(), method.getLocation(), "the result of " + what);
            if (type && misplaced(*type, method.getLocation(), "the result of " + what, Role::Result))
                type.reset();
            if (type && type->kind == TypeKind::StringView) {
                error(method.getLocation(), what + " cannot be exported: returning std::string_view would "
                                                   "point into the other process (return std::string, or "
                                                   "mark it REMOTEOBJ_HIDE to leave it out)");
                type.reset();
            }
            if (type && type->kind == TypeKind::Object && !model.returns_object &&
                by_value_refused(result, method.getLocation(), "the result of " + what))
                type.reset();
            ok = ok && type;
            if (type) model.result = std::move(*type);
        }

        unsigned index = 0;
        for (const clang::ParmVarDecl* param : method.parameters()) {
            ParamModel p;
            p.name = param->getName().empty() ? fmt::format("arg{}", index) : param->getNameAsString();
            ++index;
            clang::QualType type = param->getType();
            const std::string param_what = fmt::format("parameter '{}' of {}", p.name, what);
            if (auto passing = passing_of(*param, param_what)) {
                p.passing = *passing;
            } else {
                ok = false;
                continue;
            }
            if (p.passing != Passing::ByValue) type = type->getPointeeType();  // a reference's too
            auto mapped = type_of(type.getUnqualifiedType(), param->getLocation(), param_what);
            if (!mapped) {
                ok = false;
                continue;
            }
            p.type = std::move(*mapped);
            if (p.passing != Passing::ByValue && p.passing != Passing::ByConstReference &&
                !crosses_through_pointer_or_in_out(p, param->getLocation(), param_what)) {
                ok = false;
                continue;
            }
            if (p.type.kind == TypeKind::Object && by_value_refused(type, param->getLocation(), param_what)) {
                ok = false;
                continue;
            }
            if (misplaced(p.type, param->getLocation(), param_what, Role::Argument)) {
                ok = false;
                continue;
            }
            if (p.type.kind == TypeKind::Atomic) {
                error(param->getLocation(), param_what + " cannot be exported: std::atomic is not copyable "
                                                         "(mark it REMOTEOBJ_HIDE to leave it out)");
                ok = false;
                continue;
            }
            if (param->hasDefaultArg()) p.default_value = source_text(param->getDefaultArgRange());
            if (is_pointer(p)) p.type = nullable(std::move(p.type));
            model.params.push_back(std::move(p));
        }
        if (ok && model.has_in_out() && !in_out_allowed(model, method.getLocation(), what)) ok = false;
        if (model.oneway && model.streams) {
            error(method.getLocation(), what + " is REMOTEOBJ_ONEWAY but streams what it yields, and a stream "
                                               "needs the caller's replies (remove REMOTEOBJ_ONEWAY, or mark it "
                                               "REMOTEOBJ_HIDE to leave it out)");
            ok = false;
        } else if (model.oneway && (model.result.kind != TypeKind::Void || model.returns_self || model.returns_object)) {
            error(method.getLocation(), what + " is REMOTEOBJ_ONEWAY but returns a value nobody would receive "
                                               "(return void, or mark it REMOTEOBJ_HIDE to leave it out)");
            ok = false;
        }
        if (!ok) return std::nullopt;
        return model;
    }

    clang::ASTContext& context_;
    ParseResult& result_;
};

class CollectorConsumer : public clang::ASTConsumer {
public:
    explicit CollectorConsumer(ParseResult& result) : result_(result) {}
    void HandleTranslationUnit(clang::ASTContext& context) override {
        ClassCollector(context, result_).TraverseDecl(context.getTranslationUnitDecl());
        const clang::SourceManager& sm = context.getSourceManager();
        for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it)
            result_.dependencies.push_back(it->first.getName().str());
        std::sort(result_.dependencies.begin(), result_.dependencies.end());
    }

private:
    ParseResult& result_;
};

class CollectAction : public clang::ASTFrontendAction {
public:
    explicit CollectAction(ParseResult& result) : result_(result) {}

protected:
    bool BeginSourceFileAction(clang::CompilerInstance& ci) override {
        ci.getPreprocessor().addPPCallbacks(std::make_unique<SkipGeneratedIncludes>());
        // Function bodies are skipped: only declarations are exported, and a body may
        // use the class's own proxy, which does not exist until this run has written it.
        ci.getFrontendOpts().SkipFunctionBodies = true;
        return true;
    }
    std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&, llvm::StringRef) override {
        return std::make_unique<CollectorConsumer>(result_);
    }

private:
    ParseResult& result_;
};

class CollectActionFactory : public clang::tooling::FrontendActionFactory {
public:
    explicit CollectActionFactory(ParseResult& result) : result_(result) {}
    std::unique_ptr<clang::FrontendAction> create() override { return std::make_unique<CollectAction>(result_); }

private:
    ParseResult& result_;
};

}  // namespace

ParseResult parse_header(const ParseOptions& options) {
    ParseResult result;
    llvm::SmallString<256> absolute(options.header);
    llvm::sys::fs::make_absolute(absolute);
    llvm::sys::path::remove_dots(absolute, true);
    result.model.header_path = std::string(absolute);

    // The header is read as a C++ source of its own; comments are kept for docs,
    // REMOTEOBJ_GENERATING lets a header tell the generator from the compiler.
    std::vector<std::string> args = {"-xc++", "-std=c++20", "-fparse-all-comments",
                                     "-Wno-pragma-once-outside-header", "-DREMOTEOBJ_GENERATING=1"};
    if (!options.resource_dir.empty()) args.push_back("-resource-dir=" + options.resource_dir);
    args.insert(args.end(), options.compiler_args.begin(), options.compiler_args.end());

    clang::tooling::FixedCompilationDatabase database(".", args);
    clang::tooling::ClangTool tool(database, {result.model.header_path});
    for (const std::string& blank : options.blank_files) tool.mapVirtualFile(blank, "");
    CollectActionFactory factory(result);
    result.compiled = tool.run(&factory) == 0;
    // Fields are visited before methods, so the errors are not in the header's
    // order; a reader goes through them top to bottom, as a compiler's. Errors at
    // one place keep the order they were found in (their index breaks the tie:
    // std::stable_sort, with libstdc++ 12 under Clang 19, warns of a deprecated
    // buffer in the user's build).
    std::vector<std::size_t> order(result.errors.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const SourceLocation& a = result.errors[x].location;
        const SourceLocation& b = result.errors[y].location;
        return std::tie(a.file, a.line, a.column, x) < std::tie(b.file, b.line, b.column, y);
    });
    std::vector<Diagnostic> sorted;
    sorted.reserve(order.size());
    for (std::size_t i : order) sorted.push_back(std::move(result.errors[i]));
    result.errors = std::move(sorted);
    return result;
}

}  // namespace remoteobj::gen

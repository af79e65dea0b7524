// Which C++ types the wire supports; see type_mapper.hpp.
#include "parse/type_mapper.hpp"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/Basic/SourceManager.h>

namespace remoteobj::gen {
namespace {

// The std:: class template `record` instantiates, or "" when it is none.
std::string std_template_name(const clang::CXXRecordDecl* record) {
    const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record);
    if (!spec || !spec->isInStdNamespace()) return "";
    return spec->getSpecializedTemplate()->getNameAsString();
}

// basic_string<char> (std::string) and not basic_string<wchar_t> and friends.
bool is_char_instance(const clang::ClassTemplateSpecializationDecl* spec) {
    if (!spec || spec->getTemplateArgs().size() < 1) return false;
    const clang::TemplateArgument& arg = spec->getTemplateArgs()[0];
    if (arg.getKind() != clang::TemplateArgument::Type) return false;
    const clang::QualType element = arg.getAsType().getCanonicalType();
    return element->isSpecificBuiltinType(clang::BuiltinType::Char_S) ||
           element->isSpecificBuiltinType(clang::BuiltinType::Char_U);
}

TypeModel integer(const clang::QualType& type, const clang::ASTContext& context) {
    TypeModel model;
    model.kind = TypeKind::Integer;
    model.bits = static_cast<unsigned>(context.getTypeSize(type));
    model.is_signed = type->isSignedIntegerType();
    clang::PrintingPolicy policy(context.getLangOpts());
    model.spelling = type.getUnqualifiedType().getAsString(policy);
    return model;
}

// What may sit inside a container, pair, tuple or variant: any value type, and
// containers of them to any depth (not an atomic, a string_view or void).
bool can_be_element(const TypeModel& type) {
    return type.kind != TypeKind::Void && type.kind != TypeKind::Atomic && type.kind != TypeKind::StringView;
}

TypeModel simple(TypeKind kind, std::string spelling, unsigned bits = 0, bool is_signed = false) {
    TypeModel model;
    model.kind = kind;
    model.spelling = std::move(spelling);
    model.bits = bits;
    model.is_signed = is_signed;
    return model;
}

}  // namespace

std::variant<TypeModel, Unsupported> map_type(clang::QualType type, const clang::ASTContext& context) {
    const clang::QualType canonical = type.getCanonicalType().getUnqualifiedType();
    clang::PrintingPolicy policy(context.getLangOpts());
    const std::string written = canonical.getAsString(policy);

    if (canonical->isVoidType()) return simple(TypeKind::Void, "void");
    if (canonical->isBooleanType()) return simple(TypeKind::Bool, "bool");
    if (canonical->isPointerType() || canonical->isMemberPointerType())
        return Unsupported{"a raw pointer cannot cross processes (its address means nothing there)"};
    if (canonical->isReferenceType()) return Unsupported{"a reference to a reference is not supported"};

    if (const auto* enum_type = canonical->getAs<clang::EnumType>()) {
        const clang::EnumDecl* decl = enum_type->getDecl();
        if (!decl->getIdentifier()) return Unsupported{"an unnamed enum cannot be named in generated code"};
        TypeModel model = simple(TypeKind::Enum, "::" + decl->getQualifiedNameAsString());
        model.args.push_back(integer(decl->getIntegerType().getCanonicalType(), context));
        for (const clang::EnumConstantDecl* enumerator : decl->enumerators()) {
            const llvm::APSInt& value = enumerator->getInitVal();
            model.enumerators.push_back(value.isSigned() ? value.getSExtValue()
                                                         : static_cast<std::int64_t>(value.getZExtValue()));
        }
        return model;
    }
    if (canonical->isIntegerType()) {
        if (canonical->isSpecificBuiltinType(clang::BuiltinType::Int128) ||
            canonical->isSpecificBuiltinType(clang::BuiltinType::UInt128))
            return Unsupported{"128-bit integers have no FlatBuffers field type"};
        if (canonical->isWideCharType() || canonical->isChar16Type() || canonical->isChar32Type())
            return Unsupported{"wide character types are not supported; use an integer type"};
        return integer(canonical, context);
    }
    if (canonical->isRealFloatingType()) {
        unsigned bits = static_cast<unsigned>(context.getTypeSize(canonical));
        if (bits != 32 && bits != 64)
            return Unsupported{"only float and double have FlatBuffers field types (not " + written + ")"};
        return simple(TypeKind::Floating, written, bits, true);
    }
    if (const auto* record = canonical->getAsCXXRecordDecl()) {
        for (const auto* attr : record->specific_attrs<clang::AnnotateAttr>())
            if (attr->getAnnotation() == "remoteobj") {
                TypeModel model = simple(TypeKind::Object, "::" + record->getQualifiedNameAsString());
                const clang::SourceManager& sources = context.getSourceManager();
                model.declared_in = sources.getFilename(sources.getSpellingLoc(record->getLocation())).str();
                return model;
            }
        const std::string name = std_template_name(record);
        const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record);
        if (spec && record->getQualifiedNameAsString() == "std::chrono::duration") {
            auto rep = map_type(spec->getTemplateArgs()[0].getAsType(), context);
            if (auto* unsupported = std::get_if<Unsupported>(&rep)) return *unsupported;
            TypeModel model = simple(TypeKind::Duration, written);
            model.args.push_back(std::get<TypeModel>(rep));
            return model;
        }
        if (name == "basic_string" && is_char_instance(spec)) return simple(TypeKind::String, "std::string");
        if (name == "basic_string_view" && is_char_instance(spec))
            return simple(TypeKind::StringView, "std::string_view");
        if (name == "vector" || name == "array" || name == "set" || name == "optional" || name == "map" ||
            name == "unordered_map") {
            const auto& targs = spec->getTemplateArgs();
            auto element = [&](unsigned i) -> std::variant<TypeModel, Unsupported> {
                auto mapped = map_type(targs[i].getAsType(), context);
                if (auto* model = std::get_if<TypeModel>(&mapped); model && !can_be_element(*model))
                    return Unsupported{"std::" + name + " of '" + model->spelling + "' is not supported"};
                if (auto* model = std::get_if<TypeModel>(&mapped); model && name == "optional" &&
                                                                  model->kind == TypeKind::Optional)
                    return Unsupported{"std::optional of '" + model->spelling +
                                       "' is not supported (an absent value has one meaning on the wire)"};
                return mapped;
            };
            auto first = element(0);
            if (auto* unsupported = std::get_if<Unsupported>(&first)) return *unsupported;
            TypeModel model;
            model.args.push_back(std::get<TypeModel>(first));
            const std::string e = model.args[0].spelling;  // a copy: args grows below
            if (name == "vector") {
                model.kind = TypeKind::Vector;
                model.spelling = "std::vector<" + e + ">";
            } else if (name == "array") {
                model.kind = TypeKind::Array;
                model.bits = static_cast<unsigned>(targs[1].getAsIntegral().getZExtValue());
                model.spelling = "std::array<" + e + ", " + std::to_string(model.bits) + ">";
            } else if (name == "set") {
                model.kind = TypeKind::Set;
                model.spelling = "std::set<" + e + ">";
            } else if (name == "optional") {
                model.kind = TypeKind::Optional;
                model.spelling = "std::optional<" + e + ">";
            } else {
                auto second = element(1);
                if (auto* unsupported = std::get_if<Unsupported>(&second)) return *unsupported;
                model.kind = TypeKind::Map;
                model.args.push_back(std::get<TypeModel>(second));
                model.spelling = "std::" + name + "<" + e + ", " + model.args[1].spelling + ">";
            }
            return model;
        }
        if (name == "pair" || name == "tuple" || name == "variant") {
            TypeModel model;
            model.kind = name == "variant" ? TypeKind::Variant : TypeKind::Tuple;
            std::string list;
            for (const clang::TemplateArgument& arg : spec->getTemplateArgs().asArray()) {
                if (arg.getKind() == clang::TemplateArgument::Pack) {
                    for (const clang::TemplateArgument& packed : arg.pack_elements()) {
                        auto element = map_type(packed.getAsType(), context);
                        if (auto* unsupported = std::get_if<Unsupported>(&element)) return *unsupported;
                        model.args.push_back(std::get<TypeModel>(element));
                    }
                } else {
                    auto element = map_type(arg.getAsType(), context);
                    if (auto* unsupported = std::get_if<Unsupported>(&element)) return *unsupported;
                    model.args.push_back(std::get<TypeModel>(element));
                }
            }
            for (const TypeModel& element : model.args) {
                if (!can_be_element(element))
                    return Unsupported{"std::" + name + " of '" + element.spelling + "' is not supported"};
                list += (list.empty() ? "" : ", ") + element.spelling;
            }
            model.spelling = "std::" + name + "<" + list + ">";
            return model;
        }
        if (name == "atomic") {
            auto inner = map_type(spec->getTemplateArgs()[0].getAsType(), context);
            if (auto* unsupported = std::get_if<Unsupported>(&inner)) return *unsupported;
            TypeModel value = std::get<TypeModel>(inner);
            TypeModel model = simple(TypeKind::Atomic, "std::atomic<" + value.spelling + ">");
            model.args.push_back(std::move(value));
            return model;
        }
        return Unsupported{"type '" + written + "' is not supported yet (supported: arithmetic types, bool, "
                           "enums, std::string, std::string_view arguments, std::atomic fields, std::chrono::duration, "
                           "REMOTEOBJ structs, and std::vector, std::array, std::set, std::optional, std::map, "
                           "std::unordered_map, std::pair, std::tuple, std::variant of those)"};
    }
    return Unsupported{"type '" + written + "' cannot cross processes"};
}

}  // namespace remoteobj::gen

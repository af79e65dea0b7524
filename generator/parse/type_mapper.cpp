// Which C++ types the wire supports; see type_mapper.hpp.
#include "parse/type_mapper.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/Basic/SourceManager.h>

#include "parse/user_types.hpp"

namespace remoteobj::gen {
namespace {

// `decl`'s qualified name without inline namespaces ("std::filesystem::path", not
// "std::filesystem::__cxx11::path"; "std::chrono::system_clock", not "..._V2::..."):
// what a user writes, whatever the standard library calls it inside.
std::string plain_name(const clang::NamedDecl* decl) {
    std::string name = decl->getNameAsString();
    for (const clang::DeclContext* context = decl->getDeclContext(); context; context = context->getParent()) {
        if (const auto* ns = llvm::dyn_cast<clang::NamespaceDecl>(context)) {
            if (ns->isInline() || ns->isAnonymousNamespace()) continue;
            name = ns->getNameAsString() + "::" + name;
        } else if (const auto* record = llvm::dyn_cast<clang::RecordDecl>(context)) {
            name = record->getNameAsString() + "::" + name;
        }
    }
    return name;
}

// Whether `decl` is declared in namespace std or one nested in it (std::chrono).
bool within_std(const clang::Decl& decl) {
    for (const clang::DeclContext* context = decl.getDeclContext(); context; context = context->getParent())
        if (context->isStdNamespace()) return true;
    return false;
}

// The std:: class template `record` instantiates, or "" when it is none.
std::string std_template_name(const clang::CXXRecordDecl* record) {
    const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record);
    if (!spec || !spec->isInStdNamespace()) return "";
    return spec->getSpecializedTemplate()->getNameAsString();
}

// The record a type names, when it names one.
const clang::CXXRecordDecl* record_of(clang::QualType type) {
    return type.isNull() ? nullptr : type.getCanonicalType()->getAsCXXRecordDecl();
}

// The character type of a basic_string / basic_string_view instance.
bool has_char_type(const clang::ClassTemplateSpecializationDecl* spec, clang::BuiltinType::Kind kind) {
    if (!spec || spec->getTemplateArgs().size() < 1) return false;
    const clang::TemplateArgument& arg = spec->getTemplateArgs()[0];
    if (arg.getKind() != clang::TemplateArgument::Type) return false;
    return arg.getAsType().getCanonicalType()->isSpecificBuiltinType(kind);
}

// basic_string<char> (std::string) and not basic_string<wchar_t> and friends.
bool is_char_instance(const clang::ClassTemplateSpecializationDecl* spec) {
    return has_char_type(spec, clang::BuiltinType::Char_S) || has_char_type(spec, clang::BuiltinType::Char_U);
}

// Whether the template arguments of `spec` from `first` on are the standard
// library's defaults (std::less<K>, std::hash<K>, std::equal_to<K>, an allocator,
// std::char_traits, std::default_delete): generated code names the container
// without them, so another comparator or allocator would be another type there.
bool default_extras(const clang::ClassTemplateSpecializationDecl& spec, unsigned first, clang::QualType key) {
    const auto& args = spec.getTemplateArgs();
    for (unsigned i = first; i < args.size(); ++i) {
        if (args[i].getKind() != clang::TemplateArgument::Type) continue;  // a size, an extent
        const auto* extra = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(record_of(args[i].getAsType()));
        if (!extra || !extra->isInStdNamespace()) return false;
        const std::string name = extra->getSpecializedTemplate()->getNameAsString();
        if (name == "allocator" || name == "char_traits" || name == "default_delete") continue;
        if (name != "less" && name != "hash" && name != "equal_to") return false;
        const auto& of = extra->getTemplateArgs();
        if (of.size() != 1 || of[0].getKind() != clang::TemplateArgument::Type ||
            of[0].getAsType().getCanonicalType() != key.getCanonicalType())
            return false;
    }
    return true;
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
// containers of them to any depth (not an atomic, a view, a pointer or void; a
// variant's std::monostate is let in by the variant itself).
bool can_be_element(const TypeModel& type) {
    switch (type.kind) {
    case TypeKind::Void:
    case TypeKind::Atomic:
    case TypeKind::StringView:
    case TypeKind::CString:
    case TypeKind::Span:
    case TypeKind::Monostate:
    case TypeKind::Signal:
        return false;
    default:
        return true;
    }
}

TypeModel simple(TypeKind kind, std::string spelling, unsigned bits = 0, bool is_signed = false) {
    TypeModel model;
    model.kind = kind;
    model.spelling = std::move(spelling);
    model.bits = bits;
    model.is_signed = is_signed;
    return model;
}

// What to hold instead of `element` inside a container, pair, tuple or variant.
std::string element_instead(const TypeModel& element) {
    switch (element.kind) {
    case TypeKind::Atomic:
        return "hold the values themselves: an atomic is read and written as a field of its own";
    case TypeKind::StringView:
    case TypeKind::CString:
        return "use std::string";
    case TypeKind::Span:
        return "use a std::vector";
    case TypeKind::Monostate:
        return "std::monostate crosses as an alternative of a std::variant only";
    default:
        return "";
    }
}

std::string adapter_for(const std::string& written) {
    return "declare `template <> struct remoteobj::adapter<" + written + ">` that converts it to a type that crosses";
}

// Types that are a resource of their process, not a value: a thread, a lock, a
// stream, a future. Nothing of them means anything in another process.
bool is_process_resource(const std::string& std_name) {
    static constexpr std::array<std::string_view, 28> names = {
        "mutex", "recursive_mutex", "timed_mutex", "recursive_timed_mutex", "shared_mutex", "shared_timed_mutex",
        "condition_variable", "condition_variable_any", "thread", "jthread", "future", "shared_future", "promise",
        "packaged_task", "unique_lock", "shared_lock", "lock_guard", "scoped_lock", "basic_istream", "basic_ostream",
        "basic_iostream", "basic_ifstream", "basic_ofstream", "basic_fstream", "basic_stringstream",
        "basic_istringstream", "basic_ostringstream", "weak_ptr"};
    return std::find(names.begin(), names.end(), std_name) != names.end();
}

std::variant<TypeModel, Unsupported> map_pointer(clang::QualType canonical, const std::string& written) {
    if (canonical->isMemberPointerType() || canonical->isFunctionPointerType() ||
        canonical->getPointeeType()->isFunctionType())
        return Unsupported{"a function or member pointer cannot cross processes: an address of code or of a member "
                           "means nothing in another process",
                           "send the data the function needs, or subscribe to a remoteobj::Signal for callbacks"};
    const clang::QualType pointee = canonical->getPointeeType();
    if (pointee->isVoidType())
        return Unsupported{"'" + written + "' cannot cross processes: neither the address nor the type hidden "
                                           "behind a void pointer means anything in another process",
                           "pass the data it points to as a value of its own type"};
    const bool is_char = pointee->isSpecificBuiltinType(clang::BuiltinType::Char_S) ||
                         pointee->isSpecificBuiltinType(clang::BuiltinType::Char_U);
    if (is_char && pointee.isConstQualified() && !pointee.isVolatileQualified())
        return simple(TypeKind::CString, "const char*");
    if (is_char)
        return Unsupported{"a raw pointer cannot cross processes (its address means nothing there)",
                           "take a `const char*` or a std::string for a string"};
    return Unsupported{"a raw pointer cannot cross processes (its address means nothing there)",
                       "pass the value, or a std::optional or std::unique_ptr of it"};
}

bool is_remote_member(const clang::FieldDecl& field) {
    const clang::CXXRecordDecl* record = record_of(field.getType());
    return record && record->getQualifiedNameAsString() == "remoteobj::Remote";
}

bool holds_remote(const clang::CXXRecordDecl& record) {
    const clang::CXXRecordDecl* definition = record.getDefinition();
    return definition && std::any_of(definition->field_begin(), definition->field_end(),
                                     [](const clang::FieldDecl* field) { return is_remote_member(*field); });
}

bool has_remoteobj_annotation(const clang::CXXRecordDecl& record) {
    for (const auto* attr : record.specific_attrs<clang::AnnotateAttr>())
        if (attr->getAnnotation() == "remoteobj") return true;
    return false;
}

// As map_type, for a value that crosses by itself (an element, an alternative):
// a REMOTEOBJ class there must be one that can cross by value.
std::variant<TypeModel, Unsupported> map_value(clang::QualType type, const clang::ASTContext& context) {
    auto mapped = map_type(type, context);
    const auto* model = std::get_if<TypeModel>(&mapped);
    if (!model || model->kind != TypeKind::Object) return mapped;
    if (const clang::CXXRecordDecl* record = record_of(type))
        if (auto refusal = value_refusal(*record)) return *refusal;
    return mapped;
}

}  // namespace

std::optional<Unsupported> value_refusal(const clang::CXXRecordDecl& declared) {
    const clang::CXXRecordDecl* record = declared.getDefinition();
    if (!record) return std::nullopt;
    const std::string name = record->getQualifiedNameAsString();
    const std::string adapter = adapter_for(name);
    if (record->isAbstract())
        return Unsupported{"'" + name + "' is abstract: it is served through the concrete object that implements it, "
                                        "never constructed by value",
                           "reach it as an object, through a method returning `" + name + "&` or a field of the "
                           "concrete type"};
    // One declared, or an implicit one (one the class's members delete implicitly is
    // caught by their own refusals: a reference member, a const one).
    bool default_constructible = record->hasDefaultConstructor();
    for (const clang::CXXConstructorDecl* constructor : record->ctors())
        if (constructor->isDefaultConstructor())
            default_constructible = !constructor->isDeleted() && constructor->getAccess() == clang::AS_public;
    if (!default_constructible)
        return Unsupported{"'" + name + "' crosses by value, and has no public default constructor to receive it into",
                           "give it one, or " + adapter, adapter_example(name)};
    std::string hidden;
    for (const clang::FieldDecl* field : record->fields()) {
        if (field->getAccess() == clang::AS_public || is_remote_member(*field)) continue;
        hidden += (hidden.empty() ? "'" : ", '") + field->getNameAsString() + "'";
    }
    if (!hidden.empty())
        return Unsupported{"'" + name + "' crosses by value, but its data member" +
                               (hidden.find(',') == std::string::npos ? " " + hidden + " is" : "s " + hidden + " are") +
                               " not public and would arrive default-constructed",
                           (hidden.find(',') == std::string::npos ? "make it public, or " : "make them public, or ") +
                               adapter,
                           adapter_example(name)};
    for (const clang::FieldDecl* field : record->fields()) {
        if (field->getAccess() != clang::AS_public) continue;
        const clang::CXXRecordDecl* nested = record_of(field->getType());
        if (!nested || !nested->getDefinition() || !has_remoteobj_annotation(*nested->getDefinition())) continue;
        if (auto refusal = value_refusal(*nested)) return refusal;
    }
    return std::nullopt;
}

std::variant<TypeModel, Unsupported> map_type(clang::QualType type, const clang::ASTContext& context) {
    const clang::QualType canonical = type.getCanonicalType().getUnqualifiedType();
    clang::PrintingPolicy policy(context.getLangOpts());
    const std::string written = canonical.getAsString(policy);

    if (canonical->isVoidType()) return simple(TypeKind::Void, "void");
    if (canonical->isBooleanType()) return simple(TypeKind::Bool, "bool");
    if (canonical->isPointerType() || canonical->isMemberPointerType()) return map_pointer(canonical, written);
    if (canonical->isReferenceType()) return Unsupported{"a reference to a reference is not supported", ""};
    if (canonical->isArrayType())
        return Unsupported{"a C array crosses only as a data member of its own (here it would be '" + written + "')",
                           "use std::array"};

    if (const auto* enum_type = canonical->getAs<clang::EnumType>()) {
        const clang::EnumDecl* decl = enum_type->getDecl();
        if (!decl->getIdentifier()) return Unsupported{"an unnamed enum cannot be named in generated code", "name it"};
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
            return Unsupported{"128-bit integers have no FlatBuffers field type", "split it into two 64-bit integers"};
        if (canonical->isWideCharType() || canonical->isChar16Type() || canonical->isChar32Type())
            return Unsupported{"wide character types are not supported", "use an integer type"};
        return integer(canonical, context);
    }
    if (canonical->isRealFloatingType()) {
        unsigned bits = static_cast<unsigned>(context.getTypeSize(canonical));
        if (bits != 32 && bits != 64)
            return Unsupported{"only float and double have FlatBuffers field types (not " + written + ")",
                               "use double"};
        return simple(TypeKind::Floating, written, bits, true);
    }
    const auto* record = canonical->getAsCXXRecordDecl();
    if (!record) return Unsupported{"type '" + written + "' cannot cross processes", ""};

    for (const auto* attr : record->specific_attrs<clang::AnnotateAttr>())
        if (attr->getAnnotation() == "remoteobj") {
            // A REMOTEOBJ value that cannot cross as it is (private data ...) crosses through the
            // adapter the user declared for it; an object holding a Remote is never a value.
            if (value_refusal(*record) && !holds_remote(*record))
                if (auto adapted = map_if_adapted(canonical, context)) return *adapted;
            TypeModel model = simple(TypeKind::Object, "::" + record->getQualifiedNameAsString());
            const clang::SourceManager& sources = context.getSourceManager();
            model.declared_in = sources.getFilename(sources.getSpellingLoc(record->getLocation())).str();
            return model;
        }
    // A class of the user's or a vendor's: through its adapter, as a plain aggregate, or refused.
    if (!within_std(*record)) return map_user_class(canonical, *record, context);
    const std::string name = std_template_name(record);
    const std::string plain = plain_name(record);
    const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record);

    // What can never cross: code, types known only at run time, resources of a process.
    if (plain == "std::function" || plain == "std::move_only_function" || plain == "std::packaged_task")
        return Unsupported{"'" + written + "' cannot cross processes: a function's code and what it captured stay "
                                           "in its own process",
                           "send the data it would work on, or subscribe to a remoteobj::Signal for callbacks"};
    if (plain == "std::any")
        return Unsupported{"std::any cannot cross processes: the type it holds is known only at run time, in its "
                           "own process",
                           "use a std::variant of the types it may hold"};
    if (record->isInStdNamespace() && is_process_resource(name.empty() ? record->getNameAsString() : name))
        return Unsupported{"'" + written + "' cannot cross processes: it is a resource of its own process (a thread, "
                                           "a lock, a stream, a future), not a value",
                           ""};

    if (plain == "std::filesystem::path") return simple(TypeKind::String, "std::filesystem::path");
    if (plain == "std::monostate") return simple(TypeKind::Monostate, "std::monostate");
    if (!spec) return map_user_class(canonical, *record, context);  // a standard type the wire does not know
    const auto& targs = spec->getTemplateArgs();

    if (plain == "std::chrono::duration") {
        auto rep = map_type(targs[0].getAsType(), context);
        if (auto* unsupported = std::get_if<Unsupported>(&rep)) return *unsupported;
        TypeModel model = simple(TypeKind::Duration, written);
        model.args.push_back(std::get<TypeModel>(rep));
        return model;
    }
    if (plain == "std::chrono::time_point") {
        const clang::CXXRecordDecl* clock = record_of(targs[0].getAsType());
        const std::string clock_name = clock ? plain_name(clock) : "";
        if (clock_name != "std::chrono::system_clock" && clock_name != "std::chrono::steady_clock")
            return Unsupported{"a time point of '" + targs[0].getAsType().getAsString(policy) +
                                   "' cannot cross processes: only system_clock's and steady_clock's have an epoch "
                                   "both sides know",
                               "convert it to a std::chrono::system_clock::time_point"};
        auto duration = map_type(targs[1].getAsType(), context);
        if (auto* unsupported = std::get_if<Unsupported>(&duration)) return *unsupported;
        TypeModel& d = std::get<TypeModel>(duration);
        TypeModel model = simple(TypeKind::Duration, "std::" + clock_name.substr(5) + "::time_point");
        // The clock's own time_point names its default duration; any other is spelled out.
        clang::QualType own;
        for (const clang::NamedDecl* found : clock->lookup(&context.Idents.get("duration")))
            if (const auto* alias = llvm::dyn_cast<clang::TypeDecl>(found)) own = context.getTypeDeclType(alias);
        if (own.isNull() || own.getCanonicalType() != targs[1].getAsType().getCanonicalType())
            model.spelling = "std::chrono::time_point<std::" + clock_name.substr(5) + ", " + d.spelling + ">";
        model.args = d.args;  // the rep: what travels
        return model;
    }

    if (name == "basic_string" || name == "basic_string_view") {
        if (!default_extras(*spec, 1, {})) {
            if (auto adapted = map_if_adapted(canonical, context)) return *adapted;
            return Unsupported{"a string with a char_traits or allocator of its own cannot be named by generated code",
                               "use std::string, or " + adapter_for(written)};
        }
        if (name == "basic_string" && is_char_instance(spec)) return simple(TypeKind::String, "std::string");
        if (name == "basic_string" && has_char_type(spec, clang::BuiltinType::Char8))
            return simple(TypeKind::String, "std::u8string");
        if (name == "basic_string_view" && is_char_instance(spec))
            return simple(TypeKind::StringView, "std::string_view");
        return Unsupported{"'" + written + "' cannot cross processes: strings cross as UTF-8",
                           "convert it to a std::string or std::u8string"};
    }
    if (name == "bitset") {
        const auto bits = targs[0].getAsIntegral().getZExtValue();
        return simple(TypeKind::Bitset, "std::bitset<" + std::to_string(bits) + ">", static_cast<unsigned>(bits));
    }
    if (name == "complex") {
        auto part = map_type(targs[0].getAsType(), context);
        if (auto* unsupported = std::get_if<Unsupported>(&part)) return *unsupported;
        TypeModel& p = std::get<TypeModel>(part);
        if (p.kind != TypeKind::Floating)
            return Unsupported{"std::complex of '" + p.spelling + "' is unspecified by C++", "use float or double"};
        TypeModel model = simple(TypeKind::Complex, "std::complex<" + p.spelling + ">");
        model.args.push_back(std::move(p));
        return model;
    }

    struct Container {
        const char* name;
        TypeKind kind;
        unsigned values;  // template arguments that are elements: 2 for a map's key and value
    };
    static constexpr std::array<Container, 17> containers = {{
        {"vector", TypeKind::Vector, 1},
        {"deque", TypeKind::Vector, 1},
        {"list", TypeKind::Vector, 1},
        {"forward_list", TypeKind::Vector, 1},
        {"array", TypeKind::Array, 1},
        {"set", TypeKind::Set, 1},
        {"multiset", TypeKind::Set, 1},
        {"unordered_set", TypeKind::Set, 1},
        {"unordered_multiset", TypeKind::Set, 1},
        {"map", TypeKind::Map, 2},
        {"multimap", TypeKind::Map, 2},
        {"unordered_map", TypeKind::Map, 2},
        {"unordered_multimap", TypeKind::Map, 2},
        {"optional", TypeKind::Optional, 1},
        {"unique_ptr", TypeKind::Optional, 1},
        {"shared_ptr", TypeKind::Optional, 1},
        {"span", TypeKind::Span, 1},
    }};
    const auto container = std::find_if(containers.begin(), containers.end(),
                                        [&](const Container& c) { return name == c.name; });
    if (container != containers.end()) {
        const bool pointer = name == "unique_ptr" || name == "shared_ptr";
        const clang::QualType first_type = targs[0].getAsType();
        if (pointer && first_type->isArrayType())
            return Unsupported{"'" + written + "' owns an array of a length only its process knows",
                               "use a std::vector"};
        if (!default_extras(*spec, container->values, first_type))
            return Unsupported{"a std::" + name + " with a comparator, hash, allocator or deleter of its own "
                                                  "cannot be named by generated code",
                               // No adapter: the runtime's codecs of the standard containers take any
                               // comparator, and would be chosen over it.
                               "use the standard ones"};
        auto element = [&](unsigned i) -> std::variant<TypeModel, Unsupported> {
            auto mapped = map_value(targs[i].getAsType(), context);
            auto* model = std::get_if<TypeModel>(&mapped);
            if (model && !can_be_element(*model))
                return Unsupported{"std::" + name + " of '" + model->spelling + "' is not supported",
                                   element_instead(*model)};
            if (model && container->kind == TypeKind::Optional && model->kind == TypeKind::Optional)
                return Unsupported{"std::" + name + " of '" + model->spelling +
                                       "' is not supported (an absent value has one meaning on the wire)",
                                   ""};
            if (model && container->kind == TypeKind::Span && model->kind == TypeKind::Bool &&
                targs[1].getAsIntegral().isAllOnes())
                return Unsupported{"a std::span of bool cannot view the std::vector<bool> it would receive (its bits "
                                   "are packed)",
                                   "take a std::vector<bool>"};
            return mapped;
        };
        auto first = element(0);
        if (auto* unsupported = std::get_if<Unsupported>(&first)) return *unsupported;
        TypeModel model;
        model.kind = container->kind;
        model.args.push_back(std::get<TypeModel>(first));
        const std::string e = model.args[0].spelling;  // a copy: args grows below
        const std::string constant = first_type.isConstQualified() ? "const " : "";
        if (container->values == 2) {
            auto second = element(1);
            if (auto* unsupported = std::get_if<Unsupported>(&second)) return *unsupported;
            model.args.push_back(std::get<TypeModel>(second));
            model.spelling = "std::" + name + "<" + e + ", " + model.args[1].spelling + ">";
        } else if (name == "array") {
            model.bits = static_cast<unsigned>(targs[1].getAsIntegral().getZExtValue());
            model.spelling = "std::array<" + e + ", " + std::to_string(model.bits) + ">";
        } else if (name == "span") {
            const llvm::APSInt& extent = targs[1].getAsIntegral();
            model.spelling = "std::span<" + constant + e;
            if (!extent.isAllOnes()) {
                if (extent == 0) return Unsupported{"a std::span of no elements carries nothing", "leave it out"};
                model.bits = static_cast<unsigned>(extent.getZExtValue());
                model.spelling += ", " + std::to_string(model.bits);
            }
            model.spelling += ">";
        } else {
            // A pointer's const element stays const: std::shared_ptr<const T> is another type.
            model.spelling = "std::" + name + "<" + (pointer ? constant : "") + e + ">";
        }
        return model;
    }
    if (name == "pair" || name == "tuple" || name == "variant") {
        TypeModel model;
        model.kind = name == "variant" ? TypeKind::Variant : TypeKind::Tuple;
        std::string list;
        for (const clang::TemplateArgument& arg : targs.asArray()) {
            if (arg.getKind() == clang::TemplateArgument::Pack) {
                for (const clang::TemplateArgument& packed : arg.pack_elements()) {
                    auto element = map_value(packed.getAsType(), context);
                    if (auto* unsupported = std::get_if<Unsupported>(&element)) return *unsupported;
                    model.args.push_back(std::get<TypeModel>(element));
                }
            } else {
                auto element = map_value(arg.getAsType(), context);
                if (auto* unsupported = std::get_if<Unsupported>(&element)) return *unsupported;
                model.args.push_back(std::get<TypeModel>(element));
            }
        }
        for (const TypeModel& element : model.args) {
            const bool alternative = name == "variant" && element.kind == TypeKind::Monostate;
            if (!can_be_element(element) && !alternative)
                return Unsupported{"std::" + name + " of '" + element.spelling + "' is not supported",
                                   element_instead(element)};
            list += (list.empty() ? "" : ", ") + element.spelling;
        }
        model.spelling = "std::" + name + "<" + list + ">";
        return model;
    }
    if (name == "atomic") {
        auto inner = map_type(targs[0].getAsType(), context);
        if (auto* unsupported = std::get_if<Unsupported>(&inner)) return *unsupported;
        TypeModel value = std::get<TypeModel>(inner);
        TypeModel model = simple(TypeKind::Atomic, "std::atomic<" + value.spelling + ">");
        model.args.push_back(std::move(value));
        return model;
    }
    return map_user_class(canonical, *record, context);  // a standard template the wire does not know
}

std::variant<TypeModel, Unsupported> map_field_type(clang::QualType type, const clang::ASTContext& context) {
    const clang::ArrayType* array = context.getAsArrayType(type.getCanonicalType());
    if (!array) return map_type(type, context);
    const auto* constant = llvm::dyn_cast<clang::ConstantArrayType>(array);
    if (!constant)
        return Unsupported{"an array of unknown length cannot cross processes", "use a std::vector or a std::array"};
    auto element = map_field_type(constant->getElementType(), context);
    auto* model = std::get_if<TypeModel>(&element);
    if (!model) return element;
    if (const clang::CXXRecordDecl* record = model->kind == TypeKind::Object ? record_of(constant->getElementType()) : nullptr)
        if (auto refusal = value_refusal(*record)) return *refusal;
    if (!can_be_element(*model))
        return Unsupported{"a C array of '" + model->spelling + "' is not supported", element_instead(*model)};
    TypeModel array_model;
    array_model.kind = TypeKind::Array;
    array_model.bits = static_cast<unsigned>(constant->getSize().getZExtValue());
    array_model.spelling = "std::array<" + model->spelling + ", " + std::to_string(array_model.bits) + ">";
    array_model.args.push_back(std::move(*model));
    return array_model;
}

}  // namespace remoteobj::gen

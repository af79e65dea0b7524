// Clang types -> TypeModel. Says which C++ types can cross the wire, and why not
// when they cannot.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <clang/AST/ASTContext.h>
#include <clang/AST/Type.h>

#include "model/model.hpp"

namespace remoteobj::gen {

/// A type that cannot be exported: why, and (when there is one) what to do instead
/// ("pass the value it points to"), which the message puts before the
/// REMOTEOBJ_HIDE way out.
struct Unsupported {
    std::string reason;
    std::string instead;
    /// Lines of code that would fix it (an adapter to declare), printed under the
    /// error as a compiler prints a note; "" when there is none.
    std::string example = "";
};

/// Maps a value type (references and top-level const already removed).
std::variant<TypeModel, Unsupported> map_type(clang::QualType type, const clang::ASTContext& context);

/// Maps the type of a data member: as map_type, and a C array `T[N]` too, which
/// travels and reads as the std::array<T, N> it is spelled as.
std::variant<TypeModel, Unsupported> map_field_type(clang::QualType type, const clang::ASTContext& context);

/// Why the REMOTEOBJ class `record` cannot cross by value (as an argument, a result,
/// an element, a field of a value), when it cannot: it is abstract (served through
/// its concrete object, never constructed), it has no default constructor to
/// receive it into, or data members that are not public (they would arrive
/// default-constructed, silently).
std::optional<Unsupported> value_refusal(const clang::CXXRecordDecl& record);

}  // namespace remoteobj::gen

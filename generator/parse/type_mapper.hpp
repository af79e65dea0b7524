// Clang types -> TypeModel. Says which C++ types can cross the wire, and why not
// when they cannot.
#pragma once

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
};

/// Maps a value type (references and top-level const already removed).
std::variant<TypeModel, Unsupported> map_type(clang::QualType type, const clang::ASTContext& context);

/// Maps the type of a data member: as map_type, and a C array `T[N]` too, which
/// travels and reads as the std::array<T, N> it is spelled as.
std::variant<TypeModel, Unsupported> map_field_type(clang::QualType type, const clang::ASTContext& context);

}  // namespace remoteobj::gen

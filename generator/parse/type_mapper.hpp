// Clang types -> TypeModel. Says which C++ types can cross the wire, and why not
// when they cannot.
#pragma once

#include <string>
#include <variant>

#include <clang/AST/ASTContext.h>
#include <clang/AST/Type.h>

#include "model/model.hpp"

namespace remoteobj::gen {

/// A type that cannot be exported, and why.
struct Unsupported {
    std::string reason;
};

/// Maps a value type (references and top-level const already removed).
std::variant<TypeModel, Unsupported> map_type(clang::QualType type, const clang::ASTContext& context);

}  // namespace remoteobj::gen

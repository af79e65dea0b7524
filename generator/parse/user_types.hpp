// The class types a user does not annotate: a type with a remoteobj::adapter<T>
// the header declares (found in the AST, never by matching text), and plain
// aggregates of any header (a vendor's `ReadOptions`). Says why any other class
// cannot cross, with the fixes: an adapter (an example to copy), or REMOTEOBJ.
#pragma once

#include <optional>
#include <variant>

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Type.h>

#include "parse/type_mapper.hpp"

namespace remoteobj::gen {

/// Maps `record` (the class `canonical` names; not REMOTEOBJ): an Adapted type when
/// the header declares remoteobj::adapter<T> for it, else an Aggregate when it is a
/// plain aggregate (public non-static data members only, no user-declared
/// constructor, no virtual member, bases plain aggregates too), else Unsupported.
std::variant<TypeModel, Unsupported> map_user_class(clang::QualType canonical, const clang::CXXRecordDecl& record,
                                                    const clang::ASTContext& context);

/// `canonical` through the remoteobj::adapter<T> the header declares for it (an Adapted
/// type, or why the adapter does not do), or nullopt when it declares none.
std::optional<std::variant<TypeModel, Unsupported>> map_if_adapted(clang::QualType canonical,
                                                                   const clang::ASTContext& context);

/// The two lines of an adapter for `type`, to copy into the header and complete.
std::string adapter_example(const std::string& type);

}  // namespace remoteobj::gen

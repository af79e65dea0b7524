// What names a class and its members on the wire (issue #30): a member's id is a
// hash of its canonical text (kind, name, the wire types of what it takes and
// gives), never its position, so that adding, removing or reordering other
// members changes nothing for it; a class is named by its qualified name.
//
// The texts use wire types (`int64`, `[string]`), never C++ spellings, which
// differ between compilers and platforms for the same bytes. Nothing here may
// depend on declaration order, or two builds of one header would disagree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace remoteobj::gen {

/// The type as the bytes on the wire see it: "int32", "uint8", "float64", "string",
/// "[int32]", "optional<string>", "app::Color(int32)", "app::Point".
std::string wire_type(const TypeModel& type);

/// The canonical text a member's id hashes: "field total: int32",
/// "signal changed(int32, string)", "method add(int64) -> int64" (only the
/// parameters without a default: a new trailing parameter with a default keeps
/// the id), "subscript [string] -> int32".
std::string member_signature(const FieldModel& field);
std::string member_signature(const MethodModel& method);
std::string member_signature(const SubscriptModel& subscript);

/// FNV-1a, 32 bits (the width of a request's `member`): stable across compilers
/// and runs, which std::hash is not.
std::uint32_t member_id(std::string_view signature);

/// The class's identity on the wire (a request's `interface`, the handshake's):
/// FNV-1a, 64 bits, of "class <qualified name>". Only another class differs;
/// another version of the same class does not.
std::uint64_t class_identity(const ClassModel& cls);

/// Two members of one class whose ids are equal (practically never).
struct IdCollision {
    std::string first, second;  // "field 'total'", "method 'add(int32) -> int32'"
    SourceLocation second_location;
    /// The two canonical texts are equal (overloads that differ only in
    /// parameters with a default), not merely their hashes.
    bool same_signature = false;
};

/// Gives every member of `cls` its id from its signature; returns the collisions,
/// which the generator refuses.
std::vector<IdCollision> assign_member_ids(ClassModel& cls);

}  // namespace remoteobj::gen

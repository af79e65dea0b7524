// Model -> `<name>.remote.json`: what each class exports, for tools and other
// languages that reach a served object without its C++ header (issue #30).
//
// Per class: its name, doc comment, interface hash and every exported member, with
// its kind, wire id, signature, doc comment and the FlatBuffers tables its values
// travel in (`<name>.remote.fbs` beside it). Types are trees of kinds ("integer"
// with its bits, "vector" of its element, "object" naming a class...), so a reader
// can encode and decode values by the rules of docs/description.md without the
// schema compiler.
#pragma once

#include <string>

#include "emit/emit_names.hpp"
#include "model/model.hpp"

namespace remoteobj::gen {

/// The description format's version: a reader refuses a higher one.
inline constexpr int description_version = 2;

std::string emit_description(const HeaderModel& model, const EmitNames& names = {});

}  // namespace remoteobj::gen

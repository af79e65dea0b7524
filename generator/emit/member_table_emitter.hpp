// Model -> the C++ that hands the runtime a class's members and its description
// (detail::Interface::members, ::description; issue #30 item 3): the listener's
// Hello announces the table, and a Describe request is answered with the text.
//
// Both come from the same model, and the text from the same emitter, as
// `<name>.remote.json`: what travels can never say something the file does not.
#pragma once

#include <string>

#include "model/model.hpp"

namespace remoteobj::gen {

/// A namespace-scope `const ::remoteobj::detail::MemberInfo <array_name>[]` of the
/// class's own members, sorted by wire id (empty text for a class without any).
std::string emit_member_table(const ClassModel& cls, const std::string& array_name);

/// The initialisers `<members>, <count>` of detail::Interface for that table.
std::string member_table_initialisers(const ClassModel& cls, const std::string& array_name);

/// `text` as a C++ string literal: one quoted piece per line, escaped.
std::string cpp_string_literal(const std::string& text);

}  // namespace remoteobj::gen

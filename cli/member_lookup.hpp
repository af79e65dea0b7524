// Finding a member of the served class in its description by the name a person
// typed, and, when there is none, the names closest to it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace remoteobj::cli {

/// The member of `served` (a class of the description) named `name` of kind
/// `kind` ("method", "field"), for a call with `argc` arguments when there are
/// overloads. Throws UsageError naming the closest names when there is none.
const nlohmann::json& find_member(const nlohmann::json& served, std::string_view name, std::string_view kind,
                                  std::size_t argc = 0);

}  // namespace remoteobj::cli

// The commands, each given a connected ServedObject and the operands after its
// address: they check what the person typed against the description, send one
// request, and print the outcome on stdout. Errors are thrown (UsageError, or what
// the member threw); main.cpp turns them into messages and exit statuses.
#pragma once

#include <string>
#include <vector>

#include "served_object.hpp"

namespace remoteobj::cli {

/// `remoteobj describe ADDRESS`: one line per member (`json`: the description as sent).
void run_describe(ServedObject& object, bool json);

/// `remoteobj call ADDRESS METHOD [ARG...]`: prints the result as JSON (nothing for void).
void run_call(ServedObject& object, const std::string& method, const std::vector<std::string>& args);

/// `remoteobj get ADDRESS FIELD`: prints the value as JSON.
void run_get(ServedObject& object, const std::string& field);

/// `remoteobj set ADDRESS FIELD VALUE`.
void run_set(ServedObject& object, const std::string& field, const std::string& value);

}  // namespace remoteobj::cli

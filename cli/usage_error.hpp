// The errors of the command itself (not of the member it calls): each one ends
// the command with exit status 2 and its message on stderr. Never thrown for an
// exception the member raised (that is exit status 1).
#pragma once

#include <stdexcept>
#include <string>

namespace remoteobj::cli {

/// A command the tool cannot carry out as given: bad usage, no such member, a
/// value of the wrong type or out of range, a type it cannot encode yet.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace remoteobj::cli

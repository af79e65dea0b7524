// `remoteobj-gen --check-compatible OLD.remote.json NEW.remote.json`: whether a
// caller or listener built from OLD keeps working against one built from NEW
// (docs/changing-an-interface.md). Reads descriptions only, never a header, and
// never changes a file.
#pragma once

#include <string>
#include <vector>

namespace remoteobj::gen {

/// One breaking change, as a compiler reports it: `where` is "file:line:col"
/// (NEW's place of the member, or OLD's for what was removed).
struct BreakingChange {
    std::string where;
    std::string message;
};

/// What comparing two descriptions found: `unreadable` says why a file could not
/// be read as a description (then `breaking` is empty).
struct CompatibilityReport {
    std::string unreadable;
    std::vector<BreakingChange> breaking;
};

/// Compares the descriptions in the texts `old_text` and `new_text` (`*_name` name
/// them in messages about the files themselves).
CompatibilityReport check_compatible(const std::string& old_name, const std::string& old_text,
                                     const std::string& new_name, const std::string& new_text);

}  // namespace remoteobj::gen

// Where remoteobj-gen writes, and how its outputs name the user's header: the
// file-system side of the tool, kept out of main() so that it can be tested.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace remoteobj::gen {

/// How a generated file in `out_dir` includes `header`: relative to the include
/// directory (a `-I` of `compiler_args`) that gives the shortest name, else relative
/// to `out_dir`. Never absolute, so that a build tree can move and caches hit.
std::string include_spelling(const std::filesystem::path& header, const std::vector<std::string>& compiler_args,
                             const std::filesystem::path& out_dir);

/// Writes `text` to `path` unless it already holds exactly that, through a
/// temporary file renamed into place: a build running two generators that write the
/// same shared file, or a compiler reading it meanwhile, never sees half a file.
/// Returns false (errno set) when it cannot.
bool write_if_changed(const std::filesystem::path& path, const std::string& text);

}  // namespace remoteobj::gen

// Which of a target's compile options reach Clang when the generator parses a
// header. They are the build's own, often meant for GCC, and Clang refuses the
// whole parse for one option it does not know. Only leaves options out; never
// adds or rewrites one.
#pragma once

#include <string>
#include <vector>

namespace remoteobj::gen {

/// `args` without the options Clang 19's driver does not know or does not support
/// (GCC's `-fanalyzer`, `-fconcepts-diagnostics-depth=2` ...) and without warning
/// options (`-W...`, `-Werror...`, `-w`, `-pedantic...`): the generator reports no
/// warnings of its own, and an unknown `-Wno-...` under `-Werror` would be an error.
/// `-Wp,`, `-Wl,` and `-Wa,` are not warnings and stay. Clang's option table
/// decides, so an option's separate value (`-include x`, `-Xclang -Wfoo`) goes or
/// stays with it, and the rest keep their order.
std::vector<std::string> filter_compiler_args(const std::vector<std::string>& args);

}  // namespace remoteobj::gen

// Stack traces for exceptions: where an exception was thrown, as text.
//
// Throws are observed by wrapping __cxa_throw, which records the raw return
// addresses of the throwing thread (cheap: no symbols looked up); they are turned
// into "function at file:line" only when an exception is described for another
// process.
#pragma once

#include <string>
#include <vector>

namespace remoteobj::detail {

/// Where the exception being handled on this thread was thrown, innermost frame
/// first; empty when it was not observed (thrown before the runtime was loaded,
/// or by a rethrow of a foreign exception).
std::vector<std::string> current_exception_trace();

/// The demangled name of the function at `address` (from the symbol table, or
/// the dynamic one); "" when unknown.
std::string symbol_at(const void* address);

}  // namespace remoteobj::detail

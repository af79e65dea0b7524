// Clang AST -> model: parses one annotated header and builds a HeaderModel of its
// REMOTEOBJ classes. Never formats output code; that is emit/'s job.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace remoteobj::gen {

/// Something in the user's header the generator cannot export.
struct Diagnostic {
    SourceLocation location;
    std::string message;
};

/// "file:line:col: error: message", as compilers print it (IDEs jump to it).
std::string format_diagnostic(const Diagnostic& diagnostic);

struct ParseOptions {
    std::string header;                       // the annotated header to read
    std::vector<std::string> compiler_args;   // -I, -D, -std ... of the target that uses it
    std::string resource_dir;                 // Clang's builtin headers (stddef.h ...)
    // Files read as empty: the header's own generated proxy header, which it may
    // include and which must not feed back into its own generation.
    std::vector<std::string> blank_files;
};

struct ParseResult {
    HeaderModel model;
    std::vector<Diagnostic> errors;  // members that cannot be exported, by file, line, column
    bool compiled = false;           // false: Clang itself reported errors (printed on stderr)
    std::vector<std::string> dependencies;  // every file the header includes, for a depfile
};

ParseResult parse_header(const ParseOptions& options);

}  // namespace remoteobj::gen

// What the emitters are told about the files around them: how the generated files
// name each other and the user's header, and where other headers' schemas are.
// The parser knows none of this; remoteobj-gen's command line (CMake) does.
#pragma once

#include <map>
#include <string>

namespace remoteobj::gen {

struct EmitNames {
    std::string proxy_header;   // "counter.remote.hpp", as the .cpp includes it
    std::string schema_header;  // "counter.remote_generated.h", flatc's output
    /// How the generated header includes the user's header: through one of the
    /// target's include directories, else relative to the generated file; never
    /// an absolute path, so build trees are reproducible. Empty: the model's path.
    std::string user_header;
    /// Other headers of the target (absolute path -> the name of their generated
    /// files, "net/client"): where the schema of a struct they declare is.
    std::map<std::string, std::string> siblings;
};

}  // namespace remoteobj::gen

// Asking a served object for its description (issue #30 item 3): the text of the
// `<name>.remote.json` its listener was built with (docs/description.md), which
// tools (the `remoteobj` command, the Python package) read to reach its members
// without the C++ header.
//
//     remoteobj::Description d = remoteobj::describe("unix:/run/app/counter.sock");
//     d.served_class;   // "Counter": which class of the description is served
//     d.json;           // {"format": "remoteobj-description", "version": 2, ...}
//
// On the wire it is one request, Operation::Describe, with any class id and no
// member; the reply's value is the JSON text itself (UTF-8, not a FlatBuffer).
// The listener answers it without reaching the object (no dispatch, no member
// runs); its serving loop still takes the object's mutex for each batch of
// frames it serves, so a Describe waits while the owner holds that mutex.
#pragma once

#include <string>
#include <string_view>

#include "remoteobj/connection.hpp"

namespace remoteobj {

/// What a listener says about the object it serves.
struct Description {
    std::string served_class;  // the qualified name of the served class, as its greeting names it
    std::string json;          // the description of the header that declares it
};

/// Connects to `address` ("unix:/path", "unix:@name") as any class, asks for the
/// description, and closes. Throws what connect<T>() throws (but never
/// InterfaceMismatch for the class), and InterfaceMismatch from a listener too
/// old to answer Describe.
Description describe(std::string_view address, connect_options options = {});

}  // namespace remoteobj

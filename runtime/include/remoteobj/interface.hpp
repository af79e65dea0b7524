// What the generated code tells the runtime about one REMOTEOBJ class: its name,
// its class identity hash, the function that runs a request on an object of it,
// its members as the wire names them, and its description. The runtime never sees
// a class's members any other way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

#include <flatbuffers/flatbuffers.h>

namespace remoteobj::wire {
struct Request;
}

namespace remoteobj::detail {

/// The most steps a path may have: a proxy never builds a longer one, and a
/// listener refuses one (each step is a nested dispatch on its stack).
inline constexpr std::size_t max_path_steps = 64;

/// Runs `request` on `object` (a T*), from path step `step` on, and finishes the
/// member's value table in `value` (or leaves it empty for void). `super`: call
/// this class's own implementation of virtual methods (a `super<T>()` proxy).
/// Throws BadRequest for a request that names no exported member or carries a
/// malformed argument table; whatever the member itself throws passes through.
using DispatchFn = void (*)(void* object, const wire::Request& request, std::uint32_t step, bool super,
                            flatbuffers::FlatBufferBuilder& value);

/// One exported member, as the wire and the description name it.
struct MemberInfo {
    std::uint32_t id;            // its wire id: FNV-1a (32 bits) of `wire_signature`
    const char* name;            // "scale", "operator[]"
    const char* kind;            // "field", "method", "signal", "subscript"
    const char* wire_signature;  // "method scale(int32) -> int32", as `<name>.remote.json` has it
};

struct Interface {
    const char* class_name;
    std::uint64_t hash;  // the class's identity: FNV-1a (64 bits) of `class <qualified name>`
    DispatchFn dispatch;
    // The class's own members (not its bases'), sorted by id. The generator writes
    // them and `description` from the same model as `<name>.remote.json`.
    const MemberInfo* members = nullptr;
    std::size_t member_count = 0;
    /// The description of the header that declares the class: the very text of its
    /// `<name>.remote.json`, which a Describe request is answered with.
    const char* description = nullptr;
};

/// Defined by the generated `<header>.remote.cpp` for each REMOTEOBJ class; only
/// declared here, so code that names it compiles before the generator has run.
template <class T>
const Interface& interface_of();

/// An object together with what serving it needs.
struct Target {
    void* object = nullptr;
    const Interface& (*interface)() = nullptr;
    std::recursive_mutex* mutex = nullptr;
};

}  // namespace remoteobj::detail

// What the generated code tells the runtime about one REMOTEOBJ class: its name,
// the hash of its exported interface, and the function that runs a request on an
// object of it. The runtime never sees a class's members any other way.
#pragma once

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

struct Interface {
    const char* class_name;
    std::uint64_t hash;  // of every exported member's name, kind and types
    DispatchFn dispatch;
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

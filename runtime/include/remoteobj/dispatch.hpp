// What generated dispatch functions use on the listening side: the codecs, the
// verified reading of argument tables, and the error for requests that name no
// exported member. Included by generated `.remote.cpp` files only.
#pragma once

#include "remoteobj/codec.hpp"
#include "remoteobj/container.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/proxy.hpp"

namespace remoteobj::detail {

/// Throws ProtocolError: `request` names no member of `class_name` that accepts its
/// operation and argument count.
[[noreturn]] void throw_bad_request(const char* class_name, const wire::Request& request);

/// Throws BadRequest: path step `step` leads nowhere from `class_name`.
[[noreturn]] void throw_bad_step(const char* class_name, const wire::Request& request, std::uint32_t step);

/// Throws InterfaceMismatch: the caller's idea of `class_name` (the request's
/// interface hash) is not the listener's (`hash`).
[[noreturn]] void throw_interface_mismatch(const char* class_name, std::uint64_t hash, const wire::Request& request);

}  // namespace remoteobj::detail

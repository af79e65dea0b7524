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

/// Throws InterfaceMismatch: `request` names a member id `class_name` does not have
/// (a member of another version of the class, or with another signature). The
/// caller names the member in the message: the listener knows only the id.
[[noreturn]] void throw_unknown_member(const char* class_name, const wire::Request& request);

/// Throws InterfaceMismatch: `request` passes more arguments than this build's
/// method has (`most`): the caller's is a newer version with more parameters.
[[noreturn]] void throw_too_many_arguments(const char* class_name, const wire::Request& request, std::uint8_t most);

/// Throws BadRequest (InterfaceMismatch for a member id it lacks): path step `step` leads nowhere from `class_name`.
[[noreturn]] void throw_bad_step(const char* class_name, const wire::Request& request, std::uint32_t step);

/// Throws InterfaceMismatch: the request's class identity (wire::Request::interface)
/// is not `class_name`'s (`hash`), nor that of one of its bases.
[[noreturn]] void throw_interface_mismatch(const char* class_name, std::uint64_t hash, const wire::Request& request);

}  // namespace remoteobj::detail

// Exceptions that crossed a process boundary: what is known about them
// (RemoteInfo), and how they are rethrown as their original type.
//
// A rethrown exception is catchable as the type that was thrown when that type is
// a standard exception, one of remoteobj's own, or registered with
// register_exception<E>(); anything else becomes remoteobj::RemoteError. Either
// way remote_info(e) tells where it came from. Process, Proxy and Except all rethrow
// through here.
#pragma once

#include <exception>
#include <shared_mutex>
#include <string>
#include <typeinfo>
#include <vector>

#include "remoteobj/error.hpp"

namespace remoteobj {

/// Where and how an exception was thrown in another process.
struct RemoteInfo {
    std::string type;     // demangled type name, e.g. "std::out_of_range"
    std::string message;  // what()
    std::string group;    // the Except group it was recorded in ("" = default or none)
    std::string process_name;
    int pid = 0;
    std::vector<std::string> trace;  // "function at file:line", innermost first
    int code = 0;                    // std::system_error only
    std::string category;            // std::system_error only
};

namespace detail {

/// Carries the RemoteInfo of a rethrown exception.
class RemoteInfoHolder {
public:
    explicit RemoteInfoHolder(RemoteInfo info) : info_(std::move(info)) {}
    virtual ~RemoteInfoHolder() = default;
    const RemoteInfo& remote_info() const noexcept { return info_; }

private:
    RemoteInfo info_;
};

/// E as rethrown here: still an E for `catch`, with the remote message and info.
template <class E>
class Rethrown final : public E, public RemoteInfoHolder {
public:
    template <class... Args>
    Rethrown(RemoteInfo info, Args&&... args) : E(std::forward<Args>(args)...), RemoteInfoHolder(std::move(info)) {}
    const char* what() const noexcept override { return remote_info().message.c_str(); }
};

using ExceptionFactory = std::exception_ptr (*)(const RemoteInfo&);
void register_exception_factory(const std::string& type_name, ExceptionFactory factory);
std::string demangled_name(const std::type_info& type);
/// A mangled symbol name, demangled ("" stays "", a plain C name stays itself).
std::string demangle_symbol(const char* symbol);
/// Guards the registry; remoteobj::process holds it across fork().
std::shared_mutex& exception_registry_mutex();

template <class E>
std::exception_ptr make_rethrown(const RemoteInfo& info) {
    if constexpr (std::is_constructible_v<E, const std::string&>)
        return std::make_exception_ptr(Rethrown<E>(info, info.message));
    else
        return std::make_exception_ptr(Rethrown<E>(info));
}

/// The exception `info` describes, as its own type where that type is known here.
std::exception_ptr make_exception(const RemoteInfo& info);

/// Describes the exception being handled (call inside a catch block): its type,
/// message, the stack where it was thrown, this process's pid and name.
RemoteInfo describe_current_exception();

/// This process's name in messages (set by remoteobj::process in its children).
const std::string& this_process_name();
void set_this_process_name(std::string name);

}  // namespace detail

/// An exception thrown in another process whose type cannot be recreated here.
/// `type()` is the demangled name of what was thrown there; what() its message.
class RemoteError : public Error, public detail::RemoteInfoHolder {
public:
    explicit RemoteError(RemoteInfo info) : Error(info.message), RemoteInfoHolder(std::move(info)) {}
    const std::string& type() const noexcept { return remote_info().type; }
};

/// Makes exceptions of type E thrown in another process arrive here as E (and not
/// as RemoteError). E must be constructible from a message string, or by default.
/// Call it in both processes, before fork() is simplest. REMOTEOBJ exception
/// classes are registered by their generated code.
template <class E>
void register_exception() {
    detail::register_exception_factory(detail::demangled_name(typeid(E)), &detail::make_rethrown<E>);
}

/// What is known about `e` if it came from another process; nullptr if it did not.
inline const RemoteInfo* remote_info(const std::exception& e) noexcept {
    const auto* holder = dynamic_cast<const detail::RemoteInfoHolder*>(&e);
    return holder ? &holder->remote_info() : nullptr;
}

}  // namespace remoteobj

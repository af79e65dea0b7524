// The exceptions remoteobj throws (RemoteError, for what the other process threw,
// is in remote_exception.hpp). Every one derives from remoteobj::Error, so
// a caller can handle "anything that went wrong across the process boundary"
// in one place, or pick out the case it can act on.
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace remoteobj {

/// Base of every exception the library throws.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A request was made but no process listens on that object (yet, or any more).
class NotListening : public Error {
public:
    using Error::Error;
};

/// The listening process died or closed its end while a request was pending.
class PeerLost : public Error {
public:
    using Error::Error;
};

/// A child process died by a signal or exited without delivering its result.
class ProcessDied : public Error {
public:
    using Error::Error;
};

/// The other side sent bytes that are not a valid message, or named a member
/// that does not exist; also what a listener answers to such a request.
class ProtocolError : public Error {
public:
    using Error::Error;
};

/// The two processes were built from different versions of a class's header.
class InterfaceMismatch : public ProtocolError {
public:
    using ProtocolError::ProtocolError;
};

/// The operating system refused what the library needed (descriptors, memory
/// maps, threads): `code()` holds the errno. An Error like the others, so one
/// `catch (const remoteobj::Error&)` covers every failure of the library.
class SystemError : public Error {
public:
    SystemError(int error, const std::string& what)
        : Error(what + ": " + std::generic_category().message(error)), code_(error, std::generic_category()) {}
    const std::error_code& code() const noexcept { return code_; }

private:
    std::error_code code_;
};

/// A listener refused this process (its uid is not among those it allows).
class AccessDenied : public Error {
public:
    using Error::Error;
};

/// A listener refused this connection for now: it serves as many connections as
/// it may (listen_options::max_connections), or ran out of descriptors. Connecting
/// again once others have ended may succeed.
class Busy : public Error {
public:
    using Error::Error;
};

/// A wait that was given a time limit ran out.
class Timeout : public Error {
public:
    using Error::Error;
};

}  // namespace remoteobj

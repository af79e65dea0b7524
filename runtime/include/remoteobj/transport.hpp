// The seam between the calling side and the way its bytes reach a listener: a
// framed byte stream to one listening process, whose death the kernel tells.
//
// A Caller (and so every proxy, future and Batch) talks to a CallerTransport and
// nothing else. The shared pipes a Remote<T> makes before fork() are one transport
// (link.hpp, runtime/src/transport/pipe_link.cpp); a connection to a named
// endpoint over a UNIX socket is another (connection.hpp,
// runtime/src/transport/unix_socket.cpp), and so is a pipe pair a link's listening
// session hands another process over such a socket. Generated code never sees which.
#pragma once

#include <cstddef>
#include <cstdint>

#include "remoteobj/channel.hpp"

namespace remoteobj::detail {

/// How long a caller that found a listener's stream or socket gone waits for the
/// listener's pidfd to say whether it died: a dying process's descriptors close
/// before its pidfd says so. Only on that path, never on a call's.
inline constexpr int listener_death_grace_ms = 200;

struct Interface;
class ListenerMembers;

/// Where the next request goes.
struct Route {
    std::uint32_t epoch = 0;  // the listening session the request is for
    int listener = 0;         // the process that serves it (its pidfd is watched)
    bool here = false;        // this very process listens: serve in place, send nothing
    /// The members the listener announced on this connection (null: none known, as
    /// in place): a call to one of this caller's members it lacks is refused before sending.
    const ListenerMembers* members = nullptr;
};

/// The calling end of a transport.
class CallerTransport {
public:
    virtual ~CallerTransport() = default;

    /// Throws NotListening unless a listener is there now; `what` names the call.
    virtual void check_listening(const char* what) = 0;
    /// Where a request goes now. Before the first request to a listener, checks the
    /// protocol version and interface hash it announced against `ours` (throws
    /// ProtocolError, InterfaceMismatch).
    virtual Route route(const Interface& ours, const char* what) = 0;

    /// The largest message either side sends or accepts.
    virtual std::size_t max_message() const noexcept = 0;
    /// Replies (and Closed) from the listener.
    virtual FrameReader& replies() noexcept = 0;
    /// Where requests are written (non-blocking).
    virtual FrameWriter request_writer() const noexcept = 0;
    virtual int request_fd() const noexcept = 0;
    /// Whether replies() reads a descriptor that blocks, and that only this process
    /// reads (its own connection): a reader without a deadline may then wait in the
    /// read itself, one system call, where it otherwise polls first. The end of the
    /// stream (end-of-file) then tells the listener's death.
    virtual bool replies_block() const noexcept { return false; }

    /// Whether the connection replies() reads was made for an earlier listening
    /// session (its replies, if any, are still to be taken before it is let go), by
    /// another process (a fork()'s parent: never read here), or was closed by its
    /// listener, which serves on (it dropped this caller's connection: a new one is
    /// made for the next call).
    enum class Stale { no, earlier_session, other_process, closed };
    virtual Stale stale() const noexcept { return Stale::no; }
    /// The caller read the end of the connection's stream.
    virtual void connection_ended() noexcept {}
    /// Lets go of a stale connection; the next route() connects anew.
    virtual void drop_connection() noexcept {}
};

}  // namespace remoteobj::detail

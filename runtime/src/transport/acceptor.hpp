// Where a ConnectionListener's connections come from: the seam between serving
// connections and the way they arrive.
//
// A listening UNIX socket is one source (unix_socket.hpp). Another transport that
// carries the same framed byte stream over something else (gRPC's streams, say)
// hands the listener one end of a socketpair per connection (AdoptedConnections),
// and moves the bytes between the other end and its own carrier: the listener
// serves every connection the same way, whatever carries it.
#pragma once

#include <deque>
#include <memory>
#include <mutex>

#include "remoteobj/channel.hpp"

namespace remoteobj::detail {

/// A connection as an Acceptor hands it over.
struct Accepted {
    Fd socket;  // non-blocking, O_CLOEXEC; empty when no connection waits
    /// Where its replies go instead of `socket`, if not there (a gRPC stream's
    /// sink: no thread is woken to carry them).
    std::shared_ptr<FrameSink> replies = nullptr;
};

class Acceptor {
public:
    virtual ~Acceptor() = default;
    /// Readable (poll()) while a connection waits to be accepted.
    virtual int fd() const noexcept = 0;
    /// A connection waiting to be accepted.
    virtual Accepted accept() = 0;
};

/// Connections another thread hands over as connected sockets. Shared between the
/// listener (through its Acceptor) and whoever adopts: close() ends adoption.
class AdoptedConnections {
public:
    AdoptedConnections();

    /// Queues `connection` for the listener and rings it; false (the socket is
    /// closed) once the listener has stopped.
    bool adopt(Accepted connection);
    /// The next queued connection, or one with an empty socket.
    Accepted take();
    int fd() const noexcept { return ready_.get(); }
    /// Whether close() was called: adopt() refuses.
    bool closed();
    /// Closes what is queued and refuses what comes after.
    void close() noexcept;

    /// The Acceptor a ConnectionListener takes from these; destroying it close()s them.
    static std::unique_ptr<Acceptor> acceptor(std::shared_ptr<AdoptedConnections> adopted);

private:
    std::mutex mutex_;
    std::deque<Accepted> queued_;
    bool closed_ = false;
    Fd ready_;  // an eventfd: rung while queued_ is not empty
};

/// A connected pair of stream sockets (AF_UNIX, O_CLOEXEC, O_NONBLOCK): the
/// listener's end and the carrier's.
void open_socket_pair(Fd& one, Fd& other);

}  // namespace remoteobj::detail

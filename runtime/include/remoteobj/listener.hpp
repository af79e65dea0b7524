// The serving side: reads requests, runs each on the object under its mutex, one
// at a time, and writes the reply.
//
// One serving loop (connection_listener.hpp) serves every connection of every
// transport: a link's listening session (where every calling process, the link's
// maker included, gets a connection of its own), named endpoints, gRPC's adopted
// connections, shared-memory rings. A background listener owns a thread; a
// foreground one serves only inside process_requests(). Either way, when it stops
// it answers every request already sent (or refuses it, with fulfill_final =
// false) and then announces that it has closed, so no caller is left waiting. A
// malformed request gets an error reply; it never stops the listener, and never
// runs anything but an exported member.
//
// Nothing on the path of a request watches for dead peers (that would cost a
// system call per request): each connection's end-of-file says its caller died,
// and a link's listener in any process but the link's maker also waits, in the
// same epoll set, on the maker's pidfd, and stops listening when it dies.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/detail/outbound.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/link.hpp"
#include "remoteobj/wire/remoteobj_generated.h"

namespace remoteobj {

/// How a listener ends, and who may connect to a named endpoint (listen_at).
struct listen_options {
    /// Serve requests already sent when the listener stops (true), or refuse them
    /// with NotListening (false).
    bool fulfill_final = true;
    /// listen_at("unix:/path"): the socket file's mode. Connecting needs write
    /// permission on it, so the default lets only its owner in.
    unsigned mode = 0600;
    /// listen_at(): the uids whose processes may connect (checked with the kernel's
    /// SO_PEERCRED); empty: this process's own uid only. Others get AccessDenied.
    std::vector<uid_t> allow_uids = {};
    /// listen_at(), and a link's other processes: the connections served at once.
    /// A caller past it (or past the process's descriptor limit) is refused at once
    /// with remoteobj::Busy, never left waiting.
    std::size_t max_connections = 1024;
};

/// Tag: serve only inside process_requests(), never on a thread of our own.
struct foreground_t {
    explicit foreground_t() = default;
};
inline constexpr foreground_t foreground{};

}  // namespace remoteobj

namespace remoteobj::detail {

/// Runs one verified request on `target` and builds the size-prefixed reply
/// envelope in `reply` (the member's value table is built in place inside it).
/// `refuse`: answer NotListening without running anything. A reply over
/// `max_message` is replaced by an error that names the limit.
void serve_request(const Target& target, const wire::Request& request, std::uint32_t epoch, bool refuse,
                   flatbuffers::FlatBufferBuilder& reply, std::size_t max_message = default_max_frame);

/// A one-way request's failure, which nobody waits for, is told on stderr (never
/// lost): `reply` is what serve_request built for it.
void report_oneway_failure(const Target& target, const wire::Request& request,
                           const flatbuffers::FlatBufferBuilder& reply);

/// Whether process `pid` still runs (a zombie does not): a listener killed outright
/// leaves the shared flag set, and this tells it apart from a live one.
bool still_running(int pid);

/// What a ListenGuard holds: a listener of any transport, as its guard sees it.
class Serving {
public:
    virtual ~Serving() = default;
    /// False once it stopped, or met a stream it could not read on from.
    virtual bool running() const noexcept = 0;
    /// Readable (poll) from the moment running() turns false.
    virtual int ended_fd() const noexcept = 0;
    /// Foreground: readable (poll, epoll) while process_requests() has something
    /// to do, and once the listener has stopped; -1 for a listener with a thread.
    virtual int ready_fd() const noexcept { return -1; }
    /// Stops serving: refuses new requests, settles those already sent, says so.
    /// From a request it serves, it stops after that request and is joined by the
    /// next stop() from another thread.
    virtual void stop() = 0;
    /// Whether the calling thread is its own (serving a request).
    virtual bool on_own_thread() const noexcept = 0;
    /// For a guard destroyed on its own thread: the thread takes it over and
    /// deletes it when it ends. Call stop() first.
    virtual void orphan() noexcept = 0;
};

class ConnectionListener;

/// The listening session of a fork()-made link: announces this process as the
/// listener in the link's shared flags, and serves every calling process, the
/// maker included, on the serving loop at the session's address (a thread of its
/// own, or inside process_requests() in the foreground).
class Listener final : public Serving {
public:
    enum class Mode { background, foreground };

    /// Starts listening: announces this process as the listener of `link`.
    /// Throws Error when someone already listens on it.
    Listener(Link& link, const Target& target, Mode mode, listen_options options);
    ~Listener() override;
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    /// Serves every request that has fully arrived; never blocks. Returns how many.
    std::size_t process_requests();

    /// False once the listener stopped, or the link's maker died or closed it.
    bool running() const noexcept override;
    int ended_fd() const noexcept override;
    int ready_fd() const noexcept override;
    Mode mode() const noexcept { return mode_; }

    /// Stops listening: refuses new requests, settles those already sent, says so.
    /// From a request this listener serves, it stops serving after that request and
    /// is joined by the next stop() from another thread.
    void stop() override;
    bool on_own_thread() const noexcept override;
    void orphan() noexcept override;

private:
    // Tells the link's callers that nobody listens here any more (once).
    void withdraw() noexcept;

    Link& link_;
    Target target_;
    Mode mode_;
    std::uint32_t epoch_ = 0;
    Fd creator_;  // the link's maker's pidfd, when it is another process
    std::atomic<bool> withdrawn_{false};
    std::unique_ptr<ConnectionListener> loop_;
};

}  // namespace remoteobj::detail

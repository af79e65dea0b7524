// The serving side of a Link: reads requests, runs each on the object under its
// mutex, one at a time, and writes the reply.
//
// A background listener owns a thread; a foreground one serves only inside
// process_requests(). Either way, when it stops it answers every request already
// sent (or refuses it, with fulfill_final = false) and then announces that it has
// closed, so no caller is left waiting. A malformed request gets an error reply;
// it never stops the listener, and never runs anything but an exported member.
//
// Nothing on the path of a request watches for dead peers (that would cost a
// system call per request). Instead, a listener in any process but the link's
// creator has a watcher thread that waits on the creator's pidfd and stops
// listening when it dies. Only the maker writes to the link's pipes (every other
// process calls over a connection of its own), so that watcher covers the rest of
// a frame too large for one write() as well.
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

/// The listener of a fork()-made link: serves the maker's pipes, and the
/// connections of every other process (a ConnectionListener at the session's
/// address, on a thread of its own, or inside process_requests() in the foreground).
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

    /// False once the listener stopped, or met a stream it could not read on from,
    /// or the link's creator died.
    bool running() const noexcept override { return running_.load(std::memory_order_acquire); }
    int ended_fd() const noexcept override { return ended_.get(); }
    int ready_fd() const noexcept override { return ready_.get(); }
    Mode mode() const noexcept { return mode_; }

    /// Stops listening: refuses new requests, settles those already sent, says so.
    /// From a request this listener serves, it stops serving after that request and
    /// is joined by the next stop() from another thread.
    void stop() override;
    bool on_own_thread() const noexcept override;
    void orphan() noexcept override;

private:
    void run();
    // The watcher thread: waits for the link's creator to die, or for stop().
    void watch_creator();
    // Stops listening because nobody is left to call, without joining anything
    // (the listener's thread may be the one calling stop()).
    void creator_died();
    // Ends a read() the thread waits in (background, blocking_), from another thread.
    void end_blocking_read() noexcept;
    // Waits for the rest of a frame that is partly here. `timeout_ms` 0 only
    // looks. False when listening must end.
    bool await_rest_of_frame(int timeout_ms);
    // Whether the link's maker, the pipes' only writer, is watched (the watcher
    // thread): then the rest of a large frame is read with blocking reads.
    bool writer_is_watched() const noexcept;
    void end_running() noexcept;
    // Writes the replies kept for batched requests, if any.
    void flush_staged();
    // Sends the maker what its Outbound has: emissions, streamed values.
    void deliver();
    // Waits (poll) up to `timeout_ms` (-1: as long as it takes) for requests, an
    // emission or stop(); false when listening must end.
    bool await_requests_or_emissions(int timeout_ms);
    // Serves one frame; false when the stream is broken and serving must end.
    bool serve_frame(Bytes frame, bool refuse);
    // Serves the requests that have arrived. `until_drained`: stops once a read
    // found the pipe empty, for a caller that waits (poll) before serving again.
    std::size_t serve_pending(bool refuse, bool until_drained = false);
    void finish();
    // Foreground: makes ready_, the epoll set of everything process_requests() serves.
    void watch_for_ready();

    Link& link_;
    Target target_;
    Mode mode_;
    std::unique_ptr<ConnectionListener> others_;  // the other processes' connections
    listen_options options_;
    std::uint32_t epoch_ = 0;
    Fd wake_;
    // A blocking descriptor of the request pipe (its own open file description,
    // from /proc/self/fd), so the background thread waits in read(): one system
    // call per request instead of poll() then read(). stop() ends that wait with
    // pthread_cancel(), the only place the thread can be cancelled. Empty where
    // /proc is not mounted (or under ThreadSanitizer): the thread polls instead.
    Fd blocking_;
    Fd ended_;    // rung by end_running()
    // Foreground only: an epoll set of the request pipe, the other processes'
    // connections (their listener's own epoll set), the emissions' bell, ended_ and
    // again_, which process_requests() rings when it leaves work for the next call.
    Fd ready_;
    Fd again_;
    int creator_pid_ = 0;  // the link's creator, when it is another process
    Fd creator_;           // its pidfd, watched by watcher_
    std::thread watcher_;
    bool finished_ = false;  // finish() ran
    bool broken_ = false;    // the request stream cannot be read on from (an oversized frame)
    std::atomic<bool> running_{true};
    std::atomic<bool> stopped_{false};
    bool joined_ = false;    // stop() joined the threads (never on the listener's own thread)
    std::atomic<bool> orphaned_{false};  // the thread deletes this when it ends
    std::mutex serve_mutex_;  // one foreground process_requests() at a time
    flatbuffers::FlatBufferBuilder reply_;
    // Replies to batched requests while more of the batch is already here: written
    // together once the requests that have arrived are served.
    std::vector<std::uint8_t> staged_;
    Fd events_wake_;                    // rung when an emission waits for the maker
    std::shared_ptr<EventBell> bell_;   // rings events_wake_; shared with the maker's subscriptions' queues
    std::unique_ptr<Outbound> maker_;   // the maker's connection (the pipes): its subscriptions and streams
    std::thread thread_;
};

}  // namespace remoteobj::detail

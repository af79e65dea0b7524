// The one serving loop: every connection of every transport (a link's listening
// session, where every calling process gets a pipe pair or rings; a named
// endpoint's sockets; gRPC's adopted connections), and the socket or acceptor
// they come from, served by one thread, or inside process_requests().
//
// Readiness comes from epoll, so that a round costs what its ready connections
// cost, however many sit idle; past listen_options::max_connections (or out of
// descriptors) a new caller is refused at once with Busy, never left waiting.
//
// Each connection is its own stream with its own frame state and its own queue
// of replies: one caller's partial frame, silence, oversized announcement or
// death touches only its connection, which is dropped; the others are served on.
// Requests from all of them run one at a time under the object's mutex. A
// caller that does not read its replies is not read from either (its replies wait
// in its queue), so it cannot make the listener block. Access is checked on the
// kernel's word (SO_PEERCRED) before anything is served.
#pragma once

#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/detail/outbound.hpp"
#include "remoteobj/detail/shared_ring.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/listener.hpp"
#include "transport/unix_socket.hpp"

namespace remoteobj::detail {

/// What a connection goes on over once greeted: the socket itself, or what the
/// greeting hands the caller (SCM_RIGHTS), as a link's listening session does.
enum class Handover { none, pipes, rings };

/// What a link's listening session (listener.cpp) adds to the serving loop.
struct SessionHooks {
    /// The link's maker's pidfd, when it is another process: its death ends
    /// listening (-2: it was dead before listening started).
    int creator_pidfd = -1;
    /// The link's request pipe, where the maker's Closed ends listening; nothing
    /// else read there is served.
    FrameReader* maker_door = nullptr;
    /// Called once when listening ends, for whatever reason, before callers are told.
    std::function<void()> on_end;
    /// What the thread deletes when it ends orphaned (orphan()); null: the loop itself.
    Serving* owner = nullptr;
};

class ConnectionListener final : public Serving {
public:
    /// Listens at `address` ("unix:/path" or "unix:@name") and starts serving
    /// `target` on a thread of its own, or (`foreground`) only inside
    /// process_requests(). Its greetings name `epoch`. Throws Error (bad address, a
    /// live listener there already) or SystemError, having started nothing.
    /// `handover`: each connection, once greeted, goes on over a pipe pair, or a
    /// pair of rings in shared memory, whose caller's ends travel with the greeting
    /// (SCM_RIGHTS): what a link's session offers, for a pipe's cost per call or less.
    ConnectionListener(std::string_view address, const Target& target, listen_options options,
                       std::size_t max_message, std::uint32_t epoch = 1, bool foreground = false,
                       Handover handover = Handover::none, SessionHooks hooks = {});
    /// Serves the connections `acceptor` brings (see transport/acceptor.hpp);
    /// `source` names where they come from, in messages.
    ConnectionListener(std::unique_ptr<Acceptor> acceptor, std::string_view source, const Target& target,
                       listen_options options, std::size_t max_message);
    ~ConnectionListener() override;
    ConnectionListener(const ConnectionListener&) = delete;
    ConnectionListener& operator=(const ConnectionListener&) = delete;

    bool running() const noexcept override { return running_.load(std::memory_order_acquire); }
    int ended_fd() const noexcept override { return ended_.get(); }
    void stop() override;
    bool on_own_thread() const noexcept override;
    void orphan() noexcept override;

    /// Asks the thread to stop, without waiting for it (safe from any thread, and
    /// from a request it serves); stop() joins it.
    void request_stop() noexcept;
    /// Foreground: accepts and serves what has arrived; never blocks. How many
    /// requests it served.
    std::size_t process_requests();
    /// Its epoll set: readable while a connection, a caller at the door, an
    /// emission or work left over from the last round waits, and once it stopped.
    int ready_fd() const noexcept override { return foreground_ ? epoll_.get() : -1; }

private:
    // A shared-memory connection's parts, as this side holds them.
    struct Rings {
        Rings(std::size_t capacity, int caller_pid);
        SharedRegion region;                        // ring 0: requests, ring 1: replies
        Fd request_wake, room_wake;                 // ours: the caller rings them
        // The caller's bell for replies: a pipe, so that it sleeps in one read()
        // whose end-of-file is our death; we ring the write end, and keep the read
        // end (handed over) so that ringing a dead caller raises no SIGPIPE.
        Fd caller_reply_bell_read, caller_reply_bell;
        Fd caller_room_wake;                        // the caller's: we ring it
        Fd caller_pidfd;                            // its death ends the connection
        RingReader requests;
        RingWriter replies;
    };

    struct Client;
    // One descriptor of a client as registered with epoll (its event's data points
    // here): what it waits for now, so that only a change costs a system call.
    struct Watch {
        Client* client = nullptr;
        int fd = -1;
        std::uint32_t events = 0;
        bool added = false;
    };

    // One caller's connection: a socket, or the pipe pair or rings handed over on one.
    struct Client {
        // A socket: requests and replies on `socket`.
        Client(Fd socket, PeerCredentials credentials, std::size_t max_message);
        // A pipe pair: requests read from `requests`, replies written to `replies`;
        // `guard` is the reply pipe's read end, kept so that a reply to a caller
        // that died fills the pipe instead of raising SIGPIPE here (its death is
        // the request pipe's end-of-file).
        Client(Fd requests, Fd replies, Fd guard, PeerCredentials credentials, std::size_t max_message);
        // Rings in shared memory: requests and replies there, sleeping on eventfds.
        Client(std::unique_ptr<Rings> shared, PeerCredentials credentials, std::size_t max_message);
        ~Client();
        Client(const Client&) = delete;
        // Every descriptor it holds, for the fork() registry.
        std::vector<const Fd*> descriptors() const;
        Client& operator=(const Client&) = delete;
        FrameWriter writer() const noexcept {
            if (rings) return FrameWriter(&rings->replies, rings->room_wake.get());
            if (sink) return FrameWriter(sink.get());
            return FrameWriter(out.get() >= 0 ? out.get() : in.get(), !piped());
        }
        // Polled for room for its replies (writer().prepare_wait() says for what).
        int out_fd() const noexcept { return sink ? sink->room_fd() : out.get() >= 0 ? out.get() : in.get(); }
        bool piped() const noexcept { return out.get() >= 0; }

        Fd in;     // the socket, or the request pipe's read end
        Fd out;    // the reply pipe's write end (empty for a socket)
        Fd guard;  // the reply pipe's read end (empty for a socket)
        std::unique_ptr<Rings> rings;  // a shared-memory connection (then no descriptor above)
        std::shared_ptr<FrameSink> sink;  // where its replies go instead of `in` (a gRPC stream)
        PeerCredentials peer;
        FrameReader reader;
        std::vector<std::uint8_t> out_queue;  // replies the connection did not take yet
        std::size_t out_sent = 0;
        bool gone = false;                    // closed, broken or hostile: dropped after this round
        bool caller_died = false;             // a ring caller's pidfd said so this round
        std::unique_ptr<Outbound> outbound;   // its subscriptions' emissions and its streams
        // Its descriptors in epoll: the socket or request pipe, and where it waits for
        // room (reply pipe, sink); a ring client's pidfd and two eventfds.
        Watch watches[3];
        bool pending_delivery = false;        // in pending_delivery_
    };

    void run();
    // After a round: whether work is left that no descriptor of the epoll set will
    // announce (messages left over for the next round, ring bytes that came as
    // their reader armed its bell).
    bool work_left();
    // Waits up to `timeout_ms` (-1: as long as it takes) for connections and
    // requests, and serves what came, adding how many to `served`. False once
    // stop() was asked for.
    bool serve_round(int timeout_ms, std::size_t& served);
    // Accepts every waiting connection, greets those allowed, refuses the others.
    void accept_clients();
    // Greets `socket`'s caller and hands it a pipe pair; the client on those pipes,
    // or null when it left meanwhile.
    std::unique_ptr<Client> hand_over(Fd socket, PeerCredentials peer);
    // Greets `socket`'s caller with `handed` attached; false when it left meanwhile.
    bool greet_handing_over(const Fd& socket, std::span<const int> handed);
    std::unique_ptr<Client> hand_over_rings(Fd socket, PeerCredentials peer);
    // Arms a ring client's wake-ups before the round sleeps; false when it has
    // work already, so the round must not sleep.
    bool poll_rings(Client& client);
    // Adds a new client's descriptors to epoll; false (the client dropped) when
    // epoll cannot take them.
    bool watch_new(Client& client);
    // Makes epoll wait for what a socket or pipe client waits for now: requests,
    // or room for its queued replies. A system call only when that changed.
    void watch(Client& client);
    bool set_watch(Watch& watch, Client& client, int fd, std::uint32_t events);
    void unwatch(Client& client) noexcept;
    // Greets `socket`'s caller with a refusal: Busy when `busy`, else AccessDenied.
    void refuse(Accepted accepted, PeerCredentials peer, const std::string& why, bool busy);
    // The descriptors ran out: accepts one caller with the spare descriptor, to tell
    // it so rather than leave it waiting.
    enum class Spared { refused, none_waiting, failed };
    Spared refuse_for_descriptors(const SystemError& why);
    // After poll(): serves a ring client that has requests, or room for its replies.
    std::size_t serve_rings(Client& client, bool died);
    // Spins while no ring client has work, within the spin budget; whether one has.
    bool spin_for_rings();
    bool allowed(uid_t uid) const noexcept;
    // Finishes reply_ as the greeting of this listener, refusing when `refused` is set
    // (for now only, when `busy`).
    void finish_hello(flatbuffers::Offset<flatbuffers::String> class_name,
                      flatbuffers::Offset<flatbuffers::String> refused, bool busy = false);
    // Serves what `client` sent (refusing it when `refuse`), as long as its replies
    // go out; stops at a reply its socket does not take. Then deliver().
    std::size_t serve_client(Client& client, bool refuse);
    std::size_t serve_frames(Client& client, bool refuse);
    // Sends `client` what its Outbound has (emissions, streamed values) while its
    // connection takes them at once.
    void deliver(Client& client);
    // Queues or writes one whole frame to `client`; `batched`: a reply of a Batch
    // with more of it here, which a ring client sees with the rest of them.
    void send(Client& client, Bytes frame, bool batched = false);
    // Writes what is queued for `client`; true when nothing is left.
    bool flush(Client& client);
    void drop_gone_clients();
    // Gives free heap back to the system once a crowd of clients has mostly gone.
    void trim_after_crowd() noexcept;
    // Says on stderr (rate-limited: peers cause it) that `client` was dropped, and why.
    void report_dropped(const Client& client, const std::exception& why) const;
    void end_running() noexcept;
    // Settles every connection's pending requests and tells each that it closed.
    void finish();

    // Makes the epoll set, then starts the serving thread, unless foreground;
    // `source` names it in messages.
    void start(std::string_view source);
    // Reads what came at the maker's door; true when it is the maker's Closed.
    bool maker_closed();
    // The thread's last act, orphaned or not.
    void end_thread();
    void set_accepting(bool accepting);

    std::unique_ptr<Acceptor> acceptor_;  // let go by finish()
    Target target_;
    listen_options options_;
    std::size_t max_message_;
    std::uint32_t epoch_;
    bool foreground_;
    Handover handover_;
    SessionHooks hooks_;
    int ring_clients_ = 0;       // how many of clients_ are rings
    int rounds_without_poll_ = 0;  // rounds that found ring work by spinning
    SpinPolicy spin_;              // how long a round spins for ring work before it sleeps, and whether it does now
    Fd epoll_;
    Fd spare_;  // a descriptor kept for refusing a caller once they run out
    std::vector<epoll_event> ready_;
    std::vector<Client*> pending_delivery_;  // clients whose Outbound had more than a round's worth
    Fd wake_;   // rung by stop()
    Fd ended_;  // rung by end_running()
    // Foreground: rung by process_requests() when it leaves work that no other
    // descriptor of the epoll set (ready_fd()) will announce.
    Fd again_;
    std::recursive_mutex foreground_mutex_;  // one process_requests() at a time, and stop() after it
    std::atomic<std::thread::id> foreground_thread_{};  // the thread inside process_requests()
    Fd events_wake_;                    // rung when an emission waits for one of the clients
    std::shared_ptr<EventBell> bell_;   // rings events_wake_; shared with the subscriptions' queues
    std::vector<std::unique_ptr<Client>> clients_;
    std::size_t clients_peak_ = 0;  // the most clients_ held since the heap was last trimmed
    flatbuffers::FlatBufferBuilder reply_;
    std::vector<std::uint8_t> delivering_;  // deliver()'s messages, written together
    std::atomic<bool> running_{true};
    std::atomic<bool> stopped_{false};
    bool joined_ = false;
    bool orphaned_ = false;
    bool finished_ = false;
    bool accept_paused_ = false;  // out of descriptors: accept again once a client leaves
    std::thread thread_;
};

}  // namespace remoteobj::detail

// The calling side of a transport (transport.hpp): turns one operation on a
// member into a request, sends it, and waits for its reply without ever hanging
// on a dead listener.
//
// Calls from several threads are serialised on one mutex and each gets its own
// reply. When the listener is this very process, the request is served in place
// and never crosses the pipe.
#pragma once

#include <cstdint>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/deadline.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/transport.hpp"
#include "remoteobj/wire/remoteobj_generated.h"

namespace remoteobj::detail {

/// Which member a call is for, and how.
struct CallSpec {
    wire::Operation op;
    std::uint32_t member;
    std::uint8_t argc;
    const char* what;         // "Counter::toggle", for messages
    std::uint64_t interface;  // hash of the class that declares the member
    bool oneway = false;      // send, and do not wait for a reply
    std::uint64_t stream = 0;   // Subscribe, Unsubscribe, Credit, Cancel: which subscription or stream
    std::uint32_t window = 0;   // a streaming call: values it may send ahead; Credit: how many more
};

/// Encodes nothing: for requests without arguments.
struct no_arguments {
    void operator()(flatbuffers::FlatBufferBuilder&) const noexcept {}
};

/// Decodes nothing: for void results.
struct no_value {
    void operator()(Bytes) const noexcept {}
};

/// One step from the root object to the object a proxy stands for.
struct Step {
    wire::StepKind kind;
    std::uint32_t member = 0;     // Field, Call: the member's id
    std::uint64_t interface = 0;  // Base: the base class's interface hash
    const char* name = "";        // for messages ("child", "super<Base>")
    std::uint8_t argc = 0;        // Call: arguments passed
    std::vector<std::uint8_t> args;  // Call: the argument table
};

using Path = std::vector<Step>;

/// One request in flight: where its reply lands. Pooled by the Caller, so the
/// steady state allocates nothing.
struct ReplySlot {
    std::uint64_t id = 0;             // its place in slots_ in the low 32 bits (see Caller::acquire_slot)
    std::uint32_t index = 0;          // its place in slots_
    std::uint32_t epoch = 0;
    int listener = 0;                // the pid the request went to
    const char* what = "";
    bool in_use = false;
    bool done = false;
    bool reading = false;             // its owner holds the reading role (see Caller)
    bool before_fork = false;         // sent by the parent of this fork()ed process
    bool awaited = false;             // its owner waits for it (counted in Caller::awaited_)
    Bytes reply;                      // the whole (verified) response frame, once done
    std::vector<std::uint8_t> frame;  // where `reply` lives when another thread's reader delivered it
    std::exception_ptr error;         // NotListening / PeerLost decided on this side
    // A streaming call: its values, each a whole response frame, arrive before its
    // last response (`reply`, once done); read under the Caller's lock.
    bool stream = false;
    std::deque<std::vector<std::uint8_t>> values;

    /// Whether its owner has something to take: the reply, or a streamed value.
    bool arrived() const noexcept { return done || !values.empty(); }
};

/// One subscription of this process (signal.hpp), as its event thread sees it.
/// Guarded by the Caller's lock.
struct Subscriber {
    std::uint64_t id = 0;
    const char* what = "";
    std::function<void(Bytes)> deliver;  // decodes an emission's arguments and calls the user's callback
    int pid = 0;                         // the process that subscribed (a fork()'s child does not own it)
    bool ended = false;                  // unsubscribed, or its connection ended
    bool running = false;                // its callback runs now, on the event thread
    std::uint64_t dropped = 0;
    std::uint64_t failures = 0;
    std::exception_ptr last_failure;
    std::exception_ptr ended_by;
};

/// Sends requests and hands each reply to its slot.
///
/// One mutex guards everything; a synchronous call takes it twice: once to build
/// and write its request (and, when nobody reads replies yet, to take the reading
/// role), once to give its slot back. In between it waits and reads without it.
/// Only one thread at a time reads replies (the reading role); a reply for another
/// thread's slot is copied there, while the reader's own reply is decoded where
/// it was read, since nobody reads again until the reader gives its role back.
class Caller {
public:
    /// `local`: what this process serves when it is the listener; read at each
    /// call, so a Channel<T> may name its object only when it starts listening.
    Caller(CallerTransport& transport, const Target& local);
    ~Caller();
    Caller(const Caller&) = delete;
    Caller& operator=(const Caller&) = delete;

    /// Runs `encode(FlatBufferBuilder&)` to build the argument table (it must
    /// Finish() it, or leave the builder empty for no arguments), performs the
    /// operation remotely, and returns `decode(Bytes)` of the reply's value table.
    template <class Encode, class Decode>
    decltype(auto) call(const Path& path, const CallSpec& spec, Encode&& encode, Decode&& decode) {
        return call(path, spec, [](flatbuffers::FlatBufferBuilder&) {}, std::forward<Encode>(encode),
                    std::forward<Decode>(decode));
    }

    /// The same, for container operations: `encode_key` builds the index or key.
    template <class EncodeKey, class Encode, class Decode>
    decltype(auto) call(const Path& path, const CallSpec& spec, EncodeKey&& encode_key, Encode&& encode,
                        Decode&& decode) {
        ReplySlot* slot =
            send(path, spec, std::forward<EncodeKey>(encode_key), std::forward<Encode>(encode), Await::now);
        if (!slot) return std::forward<Decode>(decode)(Bytes{});  // one-way: nothing comes back
        Held held(*this, slot);
        return std::forward<Decode>(decode)(await(*slot));
    }

    /// Whether the reply will be awaited at once (a synchronous call), so the
    /// sender may take the reading role while it holds the lock anyway.
    enum class Await { later, now };

    /// Sends the request and returns its slot without waiting (null for one-way).
    template <class EncodeKey, class Encode>
    ReplySlot* send(const Path& path, const CallSpec& spec, EncodeKey&& encode_key, Encode&& encode,
                    Await when = Await::later) {
        std::unique_lock lock(mutex_);
        begin_request(lock, spec);
        // Both tables are built in place, inside the request: never copied.
        const flatbuffers::uoffset_t key = nested(std::forward<EncodeKey>(encode_key));
        const flatbuffers::uoffset_t args = nested(std::forward<Encode>(encode));
        return finish_request(lock, path, spec, key, args, when);
    }

    /// Waits for the reply in `slot` (reading replies for every waiter while
    /// nobody else does) and returns its value bytes, valid until the slot is
    /// released. Throws what the reply says.
    Bytes await(ReplySlot& slot);

    /// Whether the reply has arrived, reading what is already there; never blocks.
    bool ready(ReplySlot& slot);

    /// Gives the slot back (and the reading role, if its owner holds it); a reply
    /// still to come for it is dropped.
    void release(ReplySlot* slot) noexcept;

    /// From cork() to the matching uncork(), asynchronous and one-way requests are
    /// kept and written together (see remoteobj::Batch); a synchronous call, and
    /// waiting for any reply, writes them out first. Nested corks count.
    void cork();
    void uncork();
    /// Writes out what is kept, now.
    void flush();

    /// Subscribes to the Signal `spec` names (its op is Subscribe): registers
    /// `deliver` under a new subscription id, and returns once the owner has
    /// registered it too. Starts this caller's event thread.
    std::shared_ptr<Subscriber> subscribe(const Path& path, CallSpec spec, std::function<void(Bytes)> deliver);
    /// Ends a subscription: once this returns its callback is not running (unless
    /// this is that callback) and is never called again; the owner is told.
    void unsubscribe(const std::shared_ptr<Subscriber>& subscriber) noexcept;
    /// Reads a Subscriber's counters under the lock.
    template <class Read>
    auto read_subscriber(const Subscriber& subscriber, Read&& read) {
        std::lock_guard lock(mutex_);
        return std::forward<Read>(read)(subscriber);
    }

    /// Starts a streaming call (spec.window > 0): its slot, which receives values
    /// until its last response.
    template <class Encode>
    ReplySlot* send_stream(const Path& path, const CallSpec& spec, Encode&& encode) {
        return send(path, spec, [](flatbuffers::FlatBufferBuilder&) {}, std::forward<Encode>(encode));
    }
    /// The next value of the stream in `slot` (a whole response frame) into `value`;
    /// false once the stream ended. Throws what ended it otherwise (its generator's
    /// exception, PeerLost, Timeout under a deadline: the stream stays usable then).
    bool next_value(ReplySlot& slot, std::vector<std::uint8_t>& value);
    /// Grants the stream `id` `more` values, or (more = 0) cancels it; never throws
    /// (a listener that is gone has nothing to grant or cancel).
    void steer_stream(std::uint64_t id, std::uint32_t more, std::uint64_t interface, const char* what) noexcept;

private:
    // Releases a slot when a synchronous call ends, however it ends.
    struct Held {
        Caller& caller;
        ReplySlot* slot;
        Held(Caller& c, ReplySlot* s) : caller(c), slot(s) {}
        ~Held() { caller.release(slot); }
    };

    // The reading role held for a while (when free), given back with a wake-up for
    // the threads waiting for it, however that while ends.
    struct ReadingRole {
        Caller& caller;
        bool held = false;
        void take();  // if nobody holds it
        void give_back() noexcept;
        ~ReadingRole() { give_back(); }
    };

    // Builds `encode`'s table inside the request; its offset, or 0 for none.
    template <class Encode>
    flatbuffers::uoffset_t nested(Encode&& encode) {
        const flatbuffers::uoffset_t mark = begin_nested();
        std::forward<Encode>(encode)(request_);
        return end_nested(mark);
    }
    flatbuffers::uoffset_t begin_nested();
    flatbuffers::uoffset_t end_nested(flatbuffers::uoffset_t mark);

    // Waits until no request is being written; checks that someone listens, and
    // starts a new request.
    void begin_request(std::unique_lock<std::mutex>& lock, const CallSpec& spec);
    // Lets go of the transport's connection when it is stale (transport.hpp): once
    // no thread reads it, takes in what it still holds for this process's requests,
    // fails those left without a reply, and drops it; lock held.
    void leave_stale_connection(std::unique_lock<std::mutex>& lock, const char* what);
    // fork(): every Caller's lock is held across it (so its state is whole), and the
    // child forgets what the parent's other threads had in flight.
    static void hold_all_for_fork() noexcept;
    static void release_all_after_fork() noexcept;
    static void reset_all_in_child() noexcept;
    void forget_other_threads() noexcept;
    // Writes `out` (a request, or the kept ones and a request) to the listener,
    // waiting for room without the lock if the pipe is full; lock held on return.
    // Empties `corked_` however it ends: `out` may be its bytes. A corrupted ring
    // ends the connection (the next call connects anew) and throws ProtocolError.
    void write_out(std::unique_lock<std::mutex>& lock, Bytes out, const char* what);
    // write_out() itself, which throws the ring's ProtocolError as it comes.
    void write_frames(std::unique_lock<std::mutex>& lock, Bytes out, const char* what);
    // The rest of a write the pipe did not take at once; lock not held.
    // `abandonable`: nothing of it is written yet and it holds no kept requests, so
    // this thread's deadline may end the wait (a frame half written cannot be).
    void write_rest(const FrameWriter& writer, Bytes rest, int pidfd, bool abandonable, const char* what);
    // Writes out the kept requests, if any; lock held.
    void flush_corked(std::unique_lock<std::mutex>& lock);
    // How many bytes of batched requests are kept before they are written.
    std::size_t batch_limit() const noexcept;
    ReplySlot* finish_request(std::unique_lock<std::mutex>& lock, const Path& path, const CallSpec& spec,
                              flatbuffers::uoffset_t key, flatbuffers::uoffset_t args, Await when);
    // A free slot (or a new one) set up for the request numbered `sequence`: its
    // id is the sequence and the slot's index; lock held.
    ReplySlot* acquire_slot(std::uint64_t sequence, std::uint32_t epoch, int listener, const char* what);
    // The slot awaiting the reply `id`, or null (a reply nobody waits for); lock held.
    ReplySlot* slot_of(std::uint64_t id) noexcept;
    // Serves the request just built in this process (which listens); lock held on
    // entry and return, not while serving.
    ReplySlot* serve_here(std::unique_lock<std::mutex>& lock, const CallSpec& spec, std::uint32_t epoch,
                          std::uint64_t sequence, int listener);
    // Gives the slot back; lock held.
    void release_locked(ReplySlot* slot) noexcept;
    // Makes the calling thread the reader, for `slot`; lock held, reading_ false.
    void take_reading(ReplySlot& slot) noexcept;
    // Takes in the replies that have arrived, or (block) waits until `mine` has
    // its reply; called by the reader, without the lock. `mine` (may be null) is
    // the reader's own slot, whose reply stays where it was read.
    // Returns false when `until` passed first (blocking only). What cannot be read
    // (a corrupted ring, a reply that fails verification) ends the connection as
    // connection_unreadable() says.
    bool pump(ReplySlot* mine, bool block, deadline::clock::time_point until = deadline::clock::time_point::max());
    // pump() itself, which throws ProtocolError at what it cannot read.
    bool read_replies(ReplySlot* mine, bool block, deadline::clock::time_point until);
    // pump() for a reader without a deadline on a transport whose replies block
    // (its own connection): waits in read() itself, until `mine` has its reply.
    bool pump_blocking(ReplySlot& mine);
    // Waits, until this thread's deadline, for no request to be being written; lock held.
    void wait_for_builder(std::unique_lock<std::mutex>& lock, const char* what);
    void take(Bytes frame, ReplySlot* mine);
    // An Event: queued for the event thread; lock not held.
    void take_event(const wire::Event& event);
    // The connection reached its end (`how` it did): everything pending fails, with
    // NotListening when the listener said Closed first (it stopped), ProtocolError
    // when it lives (it dropped the connection), else PeerLost; every subscription
    // ends; lock not held.
    void connection_closed(const char* how);
    // The listener's end wrote what cannot be read (`what`): nothing after it can be
    // trusted, so everything pending fails with ProtocolError, every subscription
    // ends, and the next call connects anew; lock not held.
    void connection_unreadable(const char* what);
    // A ring's bell ended: what the listener wrote before is taken, then as
    // connection_closed(); lock not held.
    void stream_ended(FrameReader& replies, const char* how);
    // Whether the listening process the reader watches lives (after a short grace:
    // its stream's end may come before its pidfd says it died).
    bool listener_alive() const;
    // The listener the reader watched died: what it wrote before is taken, then the
    // requests sent to it fail and every subscription ends; lock not held.
    void listener_died(FrameReader& replies);
    // The connection ended (`why`): every subscription ends; lock held.
    void end_subscriptions(const std::exception_ptr& why);
    // The event thread: reads replies while subscriptions are open and nobody else
    // reads, and runs the callbacks of what arrived, one at a time.
    void run_events();
    // The event thread's reading: takes in what arrives until an emission is
    // queued, the listener is gone, or the thread is told to stop.
    void pump_events();
    // Stops and joins the event thread (not from it).
    void stop_events() noexcept;
    // Makes the calling thread the reader, without a slot; lock held, reading_ false.
    void take_reading_role() noexcept;
    // The owner of `slot` waits for it while another thread reads: counted, so that
    // the event thread does not read (and, if it does, is asked to let go); lock held.
    void want_reading(ReplySlot& slot) noexcept;
    // The owner of `slot` no longer waits for it; lock held.
    void unwant_reading(ReplySlot& slot) noexcept;
    // Marks every pending slot for which `lost(slot)` with `error(slot)`; lock held.
    template <class Lost, class Error>
    void fail_pending(Lost&& lost, Error&& error);

    CallerTransport& transport_;
    const Target& local_;

    std::mutex mutex_;                   // everything below, except what the reader owns
    std::condition_variable changed_;    // a slot is done, the reading or writing role is free
    std::condition_variable events_changed_;  // for the event thread: emissions, subscriptions, stop
    flatbuffers::FlatBufferBuilder request_;
    std::uint64_t next_id_ = 1;
    bool writing_ = false;  // a request is being written without the lock (the pipe was full)
    bool reading_ = false;  // some thread reads replies
    int corks_ = 0;                      // Batches open on this caller
    std::vector<std::uint8_t> corked_;   // their requests, not written yet
    std::vector<std::unique_ptr<ReplySlot>> slots_;
    std::vector<std::uint32_t> free_slots_;  // indices into slots_ of the slots not in use
    int pidfd_owner_ = 0;
    Fd pidfd_;
    Fd retired_pidfd_;  // the previous one, which a reader may still be polling

    // Subscriptions (signal.hpp) and what arrived for them, not delivered yet.
    std::vector<std::shared_ptr<Subscriber>> subscribers_;
    struct Emission {
        std::shared_ptr<Subscriber> subscriber;
        std::vector<std::uint8_t> args;
    };
    std::deque<Emission> emissions_;
    std::atomic<std::size_t> emissions_queued_{0};  // emissions_.size(), read by the event thread's pump
    std::uint64_t next_subscription_ = 1;
    std::unique_ptr<std::thread> event_thread_;
    std::thread::id event_thread_id_;
    Fd event_stop_;             // rung to end the event thread's wait
    bool events_stopping_ = false;
    bool events_reading_ = false;  // the event thread holds the reading role
    bool yield_asked_ = false;     // ...and was asked to let go of it
    int awaited_ = 0;              // slots whose owners wait while another thread reads
    std::chrono::steady_clock::time_point last_awaited_{};  // when awaited_ last fell to 0

    // The reader's own: set when the role is taken, used without the lock.
    int reader_pidfd_ = -1;
    int reader_owner_ = 0;
    // The listener sent Closed on this connection: whatever is left unanswered when
    // its stream ends was not served because it stopped. Until the connection is let go.
    bool listener_closed_ = false;
};

/// Throws Timeout: this thread's deadline passed while `what` waited.
[[noreturn]] void throw_timeout(const char* what);

/// Throws the exception a non-Ok response stands for.
[[noreturn]] void throw_failure(const wire::Response& response, const char* what);

}  // namespace remoteobj::detail

// What the listening side sends a caller without being asked: the emissions of
// the Signals it subscribed to, and the values of its streaming calls (methods
// that return remoteobj::generator<T>).
//
// One Outbound per connection. A listener serves each request with its
// connection's Outbound current on the serving thread, so that a Subscribe or a
// streaming call knows where its messages go; the listener then sends what the
// Outbound has whenever the connection takes more.
//
// Emissions come from the owner's threads, so each subscription has a queue of its
// own, bounded: a subscriber that does not read cannot make the owner wait or
// grow without limit. When a queue is full its oldest emission is dropped and
// counted, and the subscriber is told how many with the next one it gets. Stream
// values are produced on the listener's thread, under the object's mutex, only
// while the caller has granted credit: never more than a window ahead of it.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/wire/remoteobj_generated.h"

namespace remoteobj::detail {

/// A listener's wake-up for emissions: rung (an eventfd) when a queue of one of its
/// connections gets something, at most once until the listener has looked.
class EventBell {
public:
    explicit EventBell(int fd) noexcept : fd_(fd) {}
    /// From any thread.
    void ring() noexcept;
    /// The listener is about to look at every queue: the next emission rings again.
    void heard() noexcept { rung_.store(false); }
    /// The listener is gone (its eventfd about to close): ringing does nothing.
    void silence() noexcept;

private:
    std::mutex mutex_;  // against silence(): the descriptor may be closed and its number reused
    int fd_;
    std::atomic<bool> rung_{false};
};

/// One subscription's emissions not sent yet. Shared by the Signal, which posts
/// from the owner's threads, and the connection, whose listener takes them.
/// How much one subscription's queue holds before the oldest emissions go.
struct QueueLimits {
    std::size_t count = 1024;  // emissions
    std::size_t bytes = std::size_t{16} << 20;  // their encoded arguments, in all
};

class EventQueue {
public:
    EventQueue(std::uint64_t subscription, QueueLimits limits, std::shared_ptr<EventBell> bell);

    /// Adds an emission's argument table (values.Arguments); false once the
    /// subscription ended, when the Signal lets go of the queue.
    bool post(Bytes args);
    /// The oldest emission, and how many were dropped before it; false if none.
    bool take(std::vector<std::uint8_t>& args, std::uint64_t& dropped_before);
    bool empty() const;
    /// Ends the subscription: nothing more is posted, and what is queued is dropped.
    void end() noexcept;
    bool ended() const;
    std::uint64_t subscription() const noexcept { return subscription_; }
    /// Emissions dropped because the queue was full (in count or in bytes), since it was made.
    std::uint64_t dropped() const;

private:
    const std::uint64_t subscription_;
    const QueueLimits limits_;
    std::shared_ptr<EventBell> bell_;
    mutable std::mutex mutex_;
    std::deque<std::vector<std::uint8_t>> queued_;
    std::size_t queued_bytes_ = 0;
    std::uint64_t dropped_since_taken_ = 0;
    std::uint64_t dropped_total_ = 0;
    bool ended_ = false;
};

/// A streaming call's producer: the generator the method returned.
class StreamSource {
public:
    virtual ~StreamSource() = default;
    /// Runs the generator to its next value and builds that value's table in `fbb`
    /// (finished, as a nested buffer). False when the generator returned; throws
    /// what it threw.
    virtual bool next(flatbuffers::FlatBufferBuilder& fbb) = 0;
};

/// One connection's unasked messages; used by its listener's thread only, except
/// for the queues, which the owner's threads post to.
class Outbound {
public:
    explicit Outbound(std::shared_ptr<EventBell> bell) noexcept : bell_(std::move(bell)) {}
    ~Outbound();
    Outbound(const Outbound&) = delete;
    Outbound& operator=(const Outbound&) = delete;

    /// A new subscription `id` (chosen by the caller); its queue, for the Signal.
    /// Throws BadRequest when the id is taken.
    std::shared_ptr<EventQueue> subscribe(std::uint64_t id, QueueLimits limits);
    void unsubscribe(std::uint64_t id) noexcept;

    /// The request being served (`id`) streams: `source` sends up to `window`
    /// values before the caller grants more. Its reply is the stream's last message.
    void start_stream(std::uint64_t id, std::uint32_t window, std::unique_ptr<StreamSource> source);
    void credit(std::uint64_t id, std::uint32_t more) noexcept;
    /// Destroys the stream's generator (its frame, and so its locals' destructors);
    /// call under the object's mutex.
    void cancel(std::uint64_t id) noexcept;
    /// Whether the request just served started a stream (and so has no reply now).
    bool take_deferred() noexcept { return std::exchange(deferred_, false); }

    /// Whether it holds a subscription or a stream (its listener must then wake for
    /// emissions).
    bool active() const noexcept { return !subscriptions_.empty() || !streams_.empty(); }
    /// Whether next_message() has something now.
    bool has_work() const;

    /// Builds the next message (a size-prefixed envelope: an Event, or a stream's
    /// value or end) into `out`; false when there is none. A stream's value is
    /// produced under `object_mutex`. A message over `max_message` becomes the
    /// stream's error (an event that large is dropped, and said on stderr).
    bool next_message(flatbuffers::FlatBufferBuilder& out, std::recursive_mutex& object_mutex,
                      std::size_t max_message);

    /// Appends to `out` what the connection is sent this round: messages from
    /// next_message() (built in `scratch`), at most 256 of them or 64 KiB, so that an
    /// owner emitting without pause never keeps the listener from serving
    /// requests, and so that they go out in one write. How many it appended.
    int collect(std::vector<std::uint8_t>& out, flatbuffers::FlatBufferBuilder& scratch,
                std::recursive_mutex& object_mutex, std::size_t max_message);

    /// The connection ended: every subscription ends and every stream's generator
    /// is destroyed (under `object_mutex`).
    void close(std::recursive_mutex& object_mutex) noexcept;

private:
    struct Stream {
        std::unique_ptr<StreamSource> source;
        std::uint32_t credit = 0;
    };
    bool next_event(flatbuffers::FlatBufferBuilder& out, std::size_t max_message);
    bool next_value(flatbuffers::FlatBufferBuilder& out, std::recursive_mutex& object_mutex, std::size_t max_message);

    std::shared_ptr<EventBell> bell_;
    std::map<std::uint64_t, std::shared_ptr<EventQueue>> subscriptions_;
    std::map<std::uint64_t, Stream> streams_;
    std::uint64_t next_event_from_ = 0;   // round-robin over subscriptions: where the next look starts
    std::uint64_t next_value_from_ = 0;   // and over streams
    std::vector<std::uint8_t> scratch_;
    bool deferred_ = false;
};

/// The connection whose request the calling thread serves, or null (a request
/// served in place, in the calling process itself).
Outbound* serving_outbound() noexcept;

/// Makes `outbound` the serving connection of this thread for its lifetime.
class ServingFor {
public:
    explicit ServingFor(Outbound* outbound) noexcept;
    ~ServingFor();
    ServingFor(const ServingFor&) = delete;
    ServingFor& operator=(const ServingFor&) = delete;

private:
    Outbound* previous_;
};

/// The serving connection, or BadRequest naming `what` when there is none.
Outbound& outbound_for(const char* what);

/// Whether `op` is one of the requests about a subscription or a stream that
/// name no member (Unsubscribe, Credit, Cancel).
bool is_stream_control(wire::Operation op) noexcept;

}  // namespace remoteobj::detail

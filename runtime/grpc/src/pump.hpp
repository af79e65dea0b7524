// Carries a connection's bytes between one gRPC bidirectional stream and the
// remoteobj end that speaks over a local socket.
//
// A remoteobj connection over gRPC is the same framed byte stream as over a UNIX
// socket, in messages that are plain bytes (gRPC's generic API: no protobuf).
// Frames are not parsed here: the ends verify them, as on every transport, and a
// message's boundaries mean nothing.
//
// - What the stream brings is written to the local socket (one end of a
//   socketpair), whose other end the remoteobj side reads as it reads any socket:
//   the caller's SocketConnection, or the listener's ConnectionListener. The gRPC
//   thread that received it writes it; what the socket does not take at once waits
//   here, and the next message is asked for only once it has gone, so a reader
//   that does not read holds the sender back through HTTP/2's flow control.
// - What the remoteobj side sends is offered to the Pump as a FrameSink, by the
//   thread that sends it (the caller's, the listener's): it goes out from that
//   thread, one message at a time, the next once gRPC has taken the last; at most
//   queue_bound bytes wait, and a writer beyond that waits for room. No thread is
//   woken to carry a request or a reply.
// - The process's one PumpHub thread (pump_hub.hpp) watches every Pump's local
//   socket for its end (end-of-file: that side closed) and writes what the socket
//   did not take at once: no thread per connection.
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "remoteobj/channel.hpp"

namespace remoteobj::grpc::detail {

using remoteobj::detail::Bytes;
using remoteobj::detail::Fd;

/// What a Pump needs of the gRPC stream: its reactor's operations.
class StreamOps {
public:
    virtual ~StreamOps() = default;
    virtual void start_read(::grpc::ByteBuffer* into) = 0;
    virtual void start_write(const ::grpc::ByteBuffer* from) = 0;
    /// Everything was sent and the local end closed. (The client half-closes; the
    /// server finishes the call.)
    virtual void end_writes() = 0;
    /// The Pump's thread has made its last operation on the stream. (The client
    /// lets the call end; the server finishes it, unless end_writes() did.)
    virtual void finished() = 0;
};

/// Which end of the call a pump serves: they end differently.
enum class Side { client, server };

class Pump final : public remoteobj::detail::FrameSink {
public:
    /// The most bytes one message carries (a receiver takes 4 MiB by default).
    static constexpr std::size_t message_bytes = 1u << 20;
    /// The most bytes offered and not yet taken by gRPC; a writer beyond waits.
    static constexpr std::size_t queue_bound = 4u << 20;

    /// `local`: the pump's end of the socketpair (non-blocking).
    Pump(Fd local, StreamOps& stream, Side side);
    ~Pump() override;
    Pump(const Pump&) = delete;
    Pump& operator=(const Pump&) = delete;

    /// Asks for the first message and has the PumpHub watch the local socket.
    void start();
    /// Returns once the Pump has made its last operation on the stream (at once
    /// if it was never started, or on the hub's own thread).
    void join();

    // FrameSink: from the remoteobj side's threads.
    std::size_t offer(Bytes bytes) override;
    int room_fd() const noexcept override { return room_.get(); }

    // The reactor's reactions, from gRPC's threads.
    void read_done(bool ok);
    void write_done(bool ok);
    /// The call is over for the other side (cancelled, failed, its peer gone): the
    /// local end is closed, and the thread ends once no write is outstanding.
    void cancelled();

private:
    friend class PumpHub;
    // What an epoll event of the hub names: this Pump's bell, or its local socket.
    struct HubWatch {
        Pump* pump;
        bool local;
    };

    // The hub's thread: the bell rang, or the local socket is ready for `revents`.
    // True once the Pump has ended (the hub detached it and calls release() after
    // the events it took with this one).
    bool on_ready(bool local, std::uint32_t revents);
    // The local socket is ready: writes what waits, reads what a writer without the sink sent.
    void react(std::uint32_t revents);
    // The last operations on the stream.
    void finish();
    // Lets join() return.
    void release();
    // With mutex_ held: writes what waits for the local socket; true once nothing waits.
    bool flush_pending();
    // With mutex_ held: writes `in_` to the local socket, keeping what it did not take;
    // then asks for the next message if nothing is left.
    void deliver_arrived();
    // With mutex_ held: `bytes` into the queue, and the next message out if none is.
    void enqueue(Bytes bytes);
    void send_next();
    std::size_t queued() const noexcept { return outgoing_.size() - outgoing_sent_; }

    StreamOps& stream_;
    Side side_;
    Fd local_;
    Fd notify_;  // an eventfd: rung when the thread has something to do
    Fd room_;    // an eventfd: rung when room came for a writer offer() turned away
    // The hub's: what epoll knows of this Pump (its thread only).
    HubWatch bell_watch_{this, false};
    HubWatch local_watch_{this, true};
    std::uint32_t local_events_ = 0;  // what the local socket is watched for
    bool local_watched_ = false;
    bool ended_by_hub_ = false;
    bool half_closed_ = false;  // a server told its listener that the caller sends no more

    std::mutex mutex_;
    ::grpc::ByteBuffer in_;                 // the message being received
    ::grpc::ByteBuffer out_;                // the message being sent
    std::vector<::grpc::Slice> pending_;    // received bytes the local socket has not taken yet
    std::size_t pending_offset_ = 0;        // of pending_.front()
    std::vector<std::uint8_t> outgoing_;    // offered bytes not yet in a message
    std::size_t outgoing_sent_ = 0;         // of outgoing_, already in a message
    bool writing_ = false;                  // out_ is gRPC's until write_done()
    bool starved_ = false;                  // offer() turned a writer away: ring room_ when there is room
    bool remote_done_ = false;              // no more messages will come
    bool local_done_ = false;               // the local end closed
    bool writes_ended_ = false;             // end_writes() was called
    bool cancelled_ = false;
    bool broken_ = false;                   // a write failed: the stream takes nothing more
    bool local_broken_ = false;             // writing to the local socket failed: its reader is gone
    bool ended_ = false;                    // the hub made its last operation
    bool started_ = false;
    bool released_ = false;                 // join() may return
    std::condition_variable released_changed_;
};

}  // namespace remoteobj::grpc::detail

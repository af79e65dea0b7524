// Moves bytes between a local stream socket and one gRPC bidirectional stream.
//
// A remoteobj connection over gRPC is the same framed byte stream as over a UNIX
// socket: the listener (ConnectionListener) and the caller (SocketConnection) each
// hold one end of a socketpair, and a Pump on each side carries what crosses it
// through the gRPC stream, in messages that are plain bytes (gRPC's generic API:
// no protobuf). Frames are not parsed here: the ends verify them, as on every
// transport, and a message's boundaries mean nothing.
//
// Bytes from the local socket go out one message at a time (at most chunk_bytes),
// read by the pump's thread; the next is read once gRPC has taken the last, so a
// slow network holds the local writer back through the socket's buffer. Bytes
// from the stream are written to the local socket by the gRPC thread that
// received them; what the socket does not take at once waits here, and the next
// message is asked for only once it has gone: a local end that does not read holds
// the remote writer back through HTTP/2's flow control.
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "remoteobj/channel.hpp"

namespace remoteobj::grpc::detail {

using remoteobj::detail::Fd;

/// What a Pump needs of the gRPC stream: its reactor's operations.
class StreamOps {
public:
    virtual ~StreamOps() = default;
    virtual void start_read(::grpc::ByteBuffer* into) = 0;
    virtual void start_write(const ::grpc::ByteBuffer* from) = 0;
    /// The local end closed: nothing more will be written. (The client half-closes;
    /// the server finishes the call.)
    virtual void end_writes() = 0;
    /// The pump's thread has made its last operation on the stream. (The client
    /// lets the call end; the server finishes it, unless end_writes() did.)
    virtual void finished() = 0;
};

/// Which end of the call a pump serves: they end differently.
enum class Side { client, server };

class Pump {
public:
    /// The most bytes of the local socket one message carries.
    static constexpr std::size_t chunk_bytes = 256u << 10;

    /// `local`: the pump's end of the socketpair (non-blocking).
    Pump(Fd local, StreamOps& stream, Side side);
    ~Pump();
    Pump(const Pump&) = delete;
    Pump& operator=(const Pump&) = delete;

    /// Asks for the first message and starts the thread that reads the local socket.
    void start();
    /// The thread has ended: the stream will be written no more. Then join().
    void join();

    // The reactor's reactions, from gRPC's threads.
    void read_done(bool ok);
    void write_done(bool ok);
    /// The call is over for the other side (cancelled, failed, its peer gone): the
    /// local end is closed, and the thread ends once no write is outstanding.
    void cancelled();

private:
    void run();
    // Writes what waits for the local socket; true once nothing waits.
    bool flush_pending();
    // Writes `in_` to the local socket, keeping what it did not take; then asks for
    // the next message if nothing is left.
    void deliver_arrived();

    // Whether the thread is done: nothing outstanding, and nothing more to carry.
    bool over() const noexcept;

    StreamOps& stream_;
    Side side_;
    Fd local_;
    Fd notify_;  // an eventfd: gRPC's threads ring it when the thread has work
    std::thread thread_;
    std::vector<std::uint8_t> chunk_;

    std::mutex mutex_;
    ::grpc::ByteBuffer in_;                 // the message being received
    ::grpc::ByteBuffer out_;                // the message being sent
    std::vector<::grpc::Slice> pending_;    // received bytes the local socket has not taken yet
    std::size_t pending_offset_ = 0;        // of pending_.front()
    bool writing_ = false;                  // out_ is gRPC's until write_done()
    bool remote_done_ = false;              // no more messages will come
    bool local_done_ = false;               // the local end closed; end_writes() was called
    bool cancelled_ = false;
    bool local_broken_ = false;             // writing to the local socket failed: its reader is gone
    bool ended_ = false;                    // the thread made its last operation
};

}  // namespace remoteobj::grpc::detail

// Carrying a connection's bytes through a gRPC stream; see pump.hpp.
#include "pump.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "remoteobj/error.hpp"

namespace remoteobj::grpc::detail {

using remoteobj::detail::drain;
using remoteobj::detail::open_eventfd;
using remoteobj::detail::ring;

namespace {
// The thread's reads of the local socket: only a writer that does not use the sink
// sends bytes that way.
constexpr std::size_t chunk_bytes = 64u << 10;
}  // namespace

Pump::Pump(Fd local, StreamOps& stream, Side side)
    : stream_(stream),
      side_(side),
      local_(std::move(local)),
      notify_(open_eventfd()),
      room_(open_eventfd()),
      chunk_(chunk_bytes) {}

Pump::~Pump() { join(); }

void Pump::start() {
    {
        std::lock_guard lock(mutex_);
        stream_.start_read(&in_);
    }
    thread_ = std::thread([this] { run(); });
}

void Pump::join() {
    if (thread_.joinable()) thread_.join();
}

std::size_t Pump::offer(Bytes bytes) {
    std::lock_guard lock(mutex_);
    if (ended_ || cancelled_ || broken_ || writes_ended_)
        throw PeerLost("the gRPC stream of this connection has ended");
    const std::size_t waiting = queued();
    const std::size_t room = waiting >= queue_bound ? 0 : queue_bound - waiting;
    const std::size_t taken = std::min(room, bytes.size());
    if (taken < bytes.size()) starved_ = true;
    enqueue(bytes.first(taken));
    return taken;
}

void Pump::enqueue(Bytes bytes) {
    if (bytes.empty()) return;
    outgoing_.insert(outgoing_.end(), bytes.begin(), bytes.end());
    if (!writing_) send_next();
}

void Pump::send_next() {
    const std::size_t n = std::min(queued(), message_bytes);
    if (n == 0) return;
    ::grpc::Slice slice(outgoing_.data() + outgoing_sent_, n);
    out_ = ::grpc::ByteBuffer(&slice, 1);
    outgoing_sent_ += n;
    if (outgoing_sent_ == outgoing_.size()) {
        outgoing_.clear();
        outgoing_sent_ = 0;
    } else if (outgoing_sent_ > outgoing_.size() / 2) {
        outgoing_.erase(outgoing_.begin(), outgoing_.begin() + static_cast<std::ptrdiff_t>(outgoing_sent_));
        outgoing_sent_ = 0;
    }
    writing_ = true;
    stream_.start_write(&out_);
}

bool Pump::flush_pending() {
    while (!pending_.empty()) {
        if (local_broken_ || !local_) {
            pending_.clear();
            break;
        }
        const ::grpc::Slice& slice = pending_.front();
        const std::size_t left = slice.size() - pending_offset_;
        const ssize_t n = ::send(local_.get(), slice.begin() + pending_offset_, left, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return false;
            local_broken_ = true;  // its reader closed: what still comes is dropped
            continue;
        }
        pending_offset_ += static_cast<std::size_t>(n);
        if (pending_offset_ == slice.size()) {
            pending_.erase(pending_.begin());
            pending_offset_ = 0;
        }
    }
    pending_offset_ = 0;
    return true;
}

void Pump::deliver_arrived() {
    pending_.clear();
    pending_offset_ = 0;
    if (!in_.Dump(&pending_).ok()) pending_.clear();
    in_.Clear();
    if (flush_pending()) stream_.start_read(&in_);
    else ring(notify_.get());  // the thread waits for room, then asks for more
}

void Pump::read_done(bool ok) {
    {
        std::lock_guard lock(mutex_);
        if (ok && !ended_ && !cancelled_) {
            deliver_arrived();
            return;
        }
        remote_done_ = true;
    }
    ring(notify_.get());
}

void Pump::write_done(bool ok) {
    std::lock_guard lock(mutex_);
    writing_ = false;
    out_.Clear();
    if (!ok) {
        broken_ = true;  // the stream broke: nothing more goes out
        outgoing_.clear();
        outgoing_sent_ = 0;
        ring(room_.get());  // a writer waiting for room learns it
        ring(notify_.get());
        return;
    }
    if (queued() > 0 && !cancelled_) send_next();
    if (starved_ && queued() < queue_bound) {
        starved_ = false;
        ring(room_.get());
    }
    // The thread waits for the last write only to end the call.
    if (!writing_ && (local_done_ || cancelled_ || remote_done_)) ring(notify_.get());
}

void Pump::cancelled() {
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
    }
    ring(notify_.get());
}

void Pump::run() {
    bool half_closed = false;  // a server told its listener that the caller sends no more
    for (;;) {
        short events = 0;
        {
            std::lock_guard lock(mutex_);
            if ((cancelled_ || broken_) && !writing_) break;
            const bool sent_all = !writing_ && queued() == 0;
            if (local_done_ && sent_all && !writes_ended_) {
                writes_ended_ = true;
                stream_.end_writes();
                if (side_ == Side::server) break;  // the call is finished
            }
            // A client is done once the server finished and what it sent has been passed on.
            if (side_ == Side::client && remote_done_ && !writing_ && (pending_.empty() || local_broken_)) break;
            if (!local_done_) events |= POLLIN;  // its end-of-file (or bytes, from a writer without the sink)
            if (!pending_.empty()) events |= POLLOUT;
            // The caller closed its side (or died) and everything it sent has been
            // passed on: the listener reads end-of-file, drops the connection, and
            // closes its end, which ends this call.
            if (side_ == Side::server && remote_done_ && pending_.empty() && !half_closed) {
                ::shutdown(local_.get(), SHUT_WR);
                half_closed = true;
            }
        }
        pollfd fds[2] = {{notify_.get(), POLLIN, 0}, {local_.get(), events, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            std::fprintf(stderr, "remoteobj: gRPC pump: poll: %s\n", std::strerror(errno));
            std::lock_guard lock(mutex_);
            cancelled_ = true;
            continue;
        }
        if (fds[0].revents) (void)drain(notify_.get());
        const short revents = fds[1].revents;
        if ((events & POLLOUT) && revents) {
            std::lock_guard lock(mutex_);
            if (flush_pending() && !remote_done_ && !cancelled_) stream_.start_read(&in_);
        }
        if (!(events & POLLIN) || !(revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = ::recv(local_.get(), chunk_.data(), chunk_.size(), MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        std::lock_guard lock(mutex_);
        if (n > 0 && !cancelled_ && !broken_) enqueue(Bytes(chunk_.data(), static_cast<std::size_t>(n)));
        else if (n <= 0) local_done_ = true;  // end-of-file, or the socket broke: its end is gone
    }
    std::lock_guard lock(mutex_);
    ended_ = true;
    local_ = Fd{};  // the local end reads what was passed on, then end-of-file
    pending_.clear();
    ring(room_.get());  // a writer waiting for room learns that none will come
    stream_.finished();
}

}  // namespace remoteobj::grpc::detail

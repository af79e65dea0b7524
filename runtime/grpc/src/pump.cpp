// Carrying a connection's bytes through a gRPC stream; see pump.hpp.
#include "pump.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "pump_hub.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj::grpc::detail {

using remoteobj::detail::drain;
using remoteobj::detail::open_eventfd;
using remoteobj::detail::ring;

namespace {
// The hub's reads of a local socket: only a writer that does not use the sink sends
// bytes that way. One buffer for every Pump: only the hub's thread reads.
constexpr std::size_t chunk_bytes = 64u << 10;
thread_local std::vector<std::uint8_t> hub_chunk;
}  // namespace

Pump::Pump(Fd local, StreamOps& stream, Side side)
    : stream_(stream),
      side_(side),
      local_(std::move(local)),
      notify_(open_eventfd()),
      room_(open_eventfd()) {}

Pump::~Pump() { join(); }

void Pump::start() {
    {
        std::lock_guard lock(mutex_);
        stream_.start_read(&in_);
        started_ = true;
    }
    PumpHub::instance().attach(*this, POLLIN);
}

void Pump::join() {
    if (PumpHub::on_hub_thread()) return;  // ending it there: nothing to wait for
    std::unique_lock lock(mutex_);
    released_changed_.wait(lock, [this] { return released_ || !started_; });
}

void Pump::release() {
    // Notified under the lock: once join() sees released_, the Pump may be
    // destroyed, its condition variable with it.
    std::lock_guard lock(mutex_);
    released_ = true;
    released_changed_.notify_all();
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

bool Pump::on_ready(bool local, std::uint32_t revents) {
    if (local) react(revents);
    else (void)drain(notify_.get());
    // What to wait for next, or the end.
    short events = 0;
    bool end = false;
    {
        std::lock_guard lock(mutex_);
        const bool sent_all = !writing_ && queued() == 0;
        if ((cancelled_ || broken_) && !writing_) {
            end = true;
        } else if (local_done_ && sent_all && !writes_ended_) {
            writes_ended_ = true;
            stream_.end_writes();
            end = side_ == Side::server;  // the call is finished
        }
        // A client is done once the server finished and what it sent has been passed on.
        if (side_ == Side::client && remote_done_ && !writing_ && (pending_.empty() || local_broken_)) end = true;
        if (!local_done_) events |= POLLIN;  // its end-of-file (or bytes, from a writer without the sink)
        if (!pending_.empty()) events |= POLLOUT;
        // The caller closed its side (or died) and everything it sent has been
        // passed on: the listener reads end-of-file, drops the connection, and
        // closes its end, which ends this call.
        if (!end && side_ == Side::server && remote_done_ && pending_.empty() && !half_closed_) {
            ::shutdown(local_.get(), SHUT_WR);
            half_closed_ = true;
        }
    }
    if (end) {
        ended_by_hub_ = true;
        PumpHub::instance().detach(*this);
        finish();
        return true;
    }
    PumpHub::instance().rewatch(*this, events);
    return false;
}

void Pump::react(std::uint32_t revents) {
    if ((local_events_ & POLLOUT) && revents) {
        std::lock_guard lock(mutex_);
        if (flush_pending() && !remote_done_ && !cancelled_) stream_.start_read(&in_);
    }
    if (!(local_events_ & POLLIN) || !(revents & (POLLIN | POLLHUP | POLLERR))) return;
    hub_chunk.resize(chunk_bytes);
    const ssize_t n = ::recv(local_.get(), hub_chunk.data(), hub_chunk.size(), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    std::lock_guard lock(mutex_);
    if (n > 0 && !cancelled_ && !broken_) enqueue(Bytes(hub_chunk.data(), static_cast<std::size_t>(n)));
    else if (n <= 0) local_done_ = true;  // end-of-file, or the socket broke: its end is gone
}

void Pump::finish() {
    {
        std::lock_guard lock(mutex_);
        ended_ = true;
        local_ = Fd{};  // the local end reads what was passed on, then end-of-file
        pending_.clear();
        ring(room_.get());  // a writer waiting for room learns that none will come
    }
    // Outside the lock: ended_ keeps every other thread off the stream from here on.
    stream_.finished();
}

}  // namespace remoteobj::grpc::detail

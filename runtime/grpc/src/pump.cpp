// Carrying a connection's bytes through a gRPC stream; see pump.hpp.
#include "pump.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace remoteobj::grpc::detail {

using remoteobj::detail::drain;
using remoteobj::detail::open_eventfd;
using remoteobj::detail::ring;

Pump::Pump(Fd local, StreamOps& stream, Side side)
    : stream_(stream), side_(side), local_(std::move(local)), notify_(open_eventfd()), chunk_(chunk_bytes) {}

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

bool Pump::flush_pending() {
    while (!pending_.empty()) {
        const ::grpc::Slice& slice = pending_.front();
        if (local_broken_ || !local_) {
            pending_.clear();
            break;
        }
        const auto* begin = slice.begin() + pending_offset_;
        const std::size_t left = slice.size() - pending_offset_;
        const ssize_t n = ::send(local_.get(), begin, left, MSG_NOSIGNAL | MSG_DONTWAIT);
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
    {
        std::lock_guard lock(mutex_);
        writing_ = false;
        out_.Clear();
        if (!ok) remote_done_ = true;  // the stream broke: nothing more goes out either
    }
    ring(notify_.get());
}

void Pump::cancelled() {
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
    }
    ring(notify_.get());
}

bool Pump::over() const noexcept {
    if (writing_) return false;  // gRPC holds out_ until write_done()
    if (cancelled_) return true;
    if (side_ == Side::server) return local_done_;  // end_writes() finished the call
    // A client is done once the server finished and what it sent has been passed on.
    return remote_done_ && (pending_.empty() || local_broken_);
}

void Pump::run() {
    bool half_closed = false;  // a server told its listener that the caller sends no more
    for (;;) {
        short events = 0;
        {
            std::unique_lock lock(mutex_);
            if (over()) break;
            if (!writing_ && !local_done_ && !remote_done_) events |= POLLIN;
            if (!writing_ && !local_done_ && side_ == Side::server && remote_done_) events |= POLLIN;
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
        if (cancelled_) continue;
        if (n > 0) {
            ::grpc::Slice slice(chunk_.data(), static_cast<std::size_t>(n));
            out_ = ::grpc::ByteBuffer(&slice, 1);
            writing_ = true;
            stream_.start_write(&out_);
        } else {
            local_done_ = true;  // end-of-file, or the socket broke: its end is gone
            stream_.end_writes();
        }
    }
    std::lock_guard lock(mutex_);
    ended_ = true;
    local_ = Fd{};  // the local end reads what was passed on, then end-of-file
    pending_.clear();
    stream_.finished();
}

}  // namespace remoteobj::grpc::detail

// Frames over non-blocking pipes; see channel.hpp.
#include "remoteobj/channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "remoteobj/error.hpp"

namespace remoteobj::detail {
namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

constexpr std::size_t prefix_size = sizeof(std::uint32_t);
// operator new[] returns 16-byte aligned storage, so offset 0 of the buffer is aligned.
constexpr std::size_t frame_alignment = 8;
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ % frame_alignment == 0);
constexpr std::size_t initial_capacity = 64 * 1024;

std::uint32_t load_prefix(const std::uint8_t* p) {
    // FlatBuffers writes the size prefix little-endian; so does every host we build for.
    std::uint32_t size;
    std::memcpy(&size, p, sizeof size);
    return size;
}

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

Fd::~Fd() {
    if (fd_ >= 0) ::close(fd_);
}

int Fd::release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
}

Ready wait_fd(int fd, short events, int other, int timeout_ms) {
    pollfd fds[2] = {{fd, events, 0}, {other, POLLIN, 0}};
    for (;;) {
        int n = ::poll(fds, other >= 0 ? 2 : 1, timeout_ms);
        if (n < 0) {
            // A signal handler ran; the wait restarts with the full timeout, which
            // only ever lengthens it, never ends it early.
            if (errno == EINTR) continue;
            throw_errno("poll");
        }
        if (n == 0) return Ready::Timeout;
        // The descriptor we wait on wins ties: a reply that arrived just before the
        // peer died is still delivered.
        if (fds[0].revents != 0) return Ready::Fd;
        return Ready::Other;
    }
}

Fd open_pidfd(int pid) {
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) {
        if (errno == ESRCH) return Fd{};  // already gone
        throw_errno("pidfd_open");
    }
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);  // pidfds are created close-on-exec; say so anyway
    return Fd{fd};
}

void open_pipe(Fd& read_end, Fd& write_end) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw_errno("pipe2");
    read_end = Fd{fds[0]};
    write_end = Fd{fds[1]};
}

void FrameWriter::write(Bytes frame, int abort_fd) const {
    const std::uint8_t* p = frame.data();
    std::size_t left = frame.size();
    while (left > 0) {
        ssize_t n = ::write(fd_, p, left);
        if (n > 0) {
            p += n;
            left -= static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            if (wait_fd(fd_, POLLOUT, abort_fd, -1) == Ready::Other)
                throw PeerLost("the other process went away while a message to it was being written");
            continue;
        }
        if (n < 0 && errno == EPIPE) throw PeerLost("the other process closed its end of the pipe");
        throw_errno("write");
    }
}

FrameReader::FrameReader(int fd, std::size_t max_frame)
    : fd_(fd), max_frame_(max_frame),
      buffer_(new std::uint8_t[initial_capacity]),
      capacity_(initial_capacity) {}

FrameReader::~FrameReader() = default;

void FrameReader::make_room(std::size_t needed) {
    std::size_t pending = end_ - begin_;
    if (needed <= capacity_ - begin_) return;
    if (needed <= capacity_) {
        std::memmove(buffer_.get(), buffer_.get() + begin_, pending);
    } else {
        std::size_t capacity = capacity_;
        while (capacity < needed) capacity *= 2;
        std::unique_ptr<std::uint8_t[]> bigger(new std::uint8_t[capacity]);
        std::memcpy(bigger.get(), buffer_.get() + begin_, pending);
        buffer_ = std::move(bigger);
        capacity_ = capacity;
    }
    begin_ = 0;
    end_ = pending;
}

FrameReader::Status FrameReader::next(Bytes& frame) {
    for (;;) {
        std::size_t pending = end_ - begin_;
        std::size_t wanted = prefix_size;
        if (pending >= prefix_size) {
            std::uint32_t size = load_prefix(buffer_.get() + begin_);
            if (size > max_frame_)
                throw ProtocolError(fmt::format(
                    "received a frame of {} bytes, over the limit of {} bytes", size, max_frame_));
            wanted = prefix_size + size;
            if (pending >= wanted) {
                // FlatBuffers reads scalars in place, so the frame must sit where its own
                // alignment holds; a frame following an odd-sized one is moved down.
                if (reinterpret_cast<std::uintptr_t>(buffer_.get() + begin_) % frame_alignment != 0) {
                    std::memmove(buffer_.get(), buffer_.get() + begin_, pending);
                    begin_ = 0;
                    end_ = pending;
                }
                frame = Bytes(buffer_.get() + begin_, wanted);
                begin_ += wanted;
                return Status::Frame;
            }
        }
        if (begin_ == end_) begin_ = end_ = 0;
        make_room(std::max(wanted, pending + 4096));
        ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
        if (n > 0) {
            end_ += static_cast<std::size_t>(n);
            continue;
        }
        if (n == 0) return Status::Closed;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return Status::Empty;
        throw_errno("read");
    }
}

}  // namespace remoteobj::detail

// Frames over non-blocking pipes; see channel.hpp.
#include "remoteobj/channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "remoteobj/detail/shared_ring.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj::detail {
namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw SystemError(errno, what);
}

constexpr std::size_t prefix_size = sizeof(std::uint32_t);
// operator new[] returns 16-byte aligned storage, so offset 0 of the buffer is aligned.
constexpr std::size_t frame_alignment = 8;
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ % frame_alignment == 0);
constexpr std::size_t initial_capacity = 64 * 1024;
// Above this, an empty reader gives its buffer back (as envelope.hpp's shrink_above).
constexpr std::size_t shrink_capacity = 1u << 20;

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

namespace {
std::atomic<int> cached_pid{0};
void forget_pid() noexcept { cached_pid.store(0, std::memory_order_relaxed); }
}  // namespace

int checked_pid() noexcept {
    // Whoever caches the pid first makes every fork()'s child forget it.
    [[maybe_unused]] static const int registered = ::pthread_atfork(nullptr, nullptr, &forget_pid);
    const int pid = static_cast<int>(::getpid());
    cached_pid.store(pid, std::memory_order_relaxed);
    return pid;
}

int this_pid() noexcept {
    const int pid = cached_pid.load(std::memory_order_relaxed);
    return pid != 0 ? pid : checked_pid();
}

namespace {

// The descriptors close_in_children() names. Its mutex is held across fork() (the
// prepare handler), so the child finds the list whole.
std::mutex& children_mutex() {
    static std::mutex mutex;
    return mutex;
}
std::vector<int>& closed_in_children() {
    static std::vector<int> fds;
    return fds;
}
void before_fork() noexcept { children_mutex().lock(); }
void after_fork_in_parent() noexcept { children_mutex().unlock(); }
void after_fork_in_child() noexcept {
    for (int fd : closed_in_children()) ::close(fd);
    closed_in_children().clear();  // keeps its memory: nothing is allocated in the child
    children_mutex().unlock();
}

}  // namespace

void install_children_handlers() {
    [[maybe_unused]] static const int registered =
        ::pthread_atfork(&before_fork, &after_fork_in_parent, &after_fork_in_child);
}

void close_in_children(int fd) {
    install_children_handlers();
    std::lock_guard lock(children_mutex());
    closed_in_children().push_back(fd);
}

void keep_in_children(int fd) noexcept {
    std::lock_guard lock(children_mutex());
    auto& fds = closed_in_children();
    for (std::size_t i = 0; i < fds.size(); ++i)
        if (fds[i] == fd) {
            fds[i] = fds.back();
            fds.pop_back();
            return;
        }
}

Fd open_eventfd() {
    int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) throw_errno("eventfd");
    return Fd{fd};
}

void ring(int eventfd) noexcept {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(eventfd, &one, sizeof one);
}

void open_pipe(Fd& read_end, Fd& write_end, bool blocking_read_end) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | (blocking_read_end ? 0 : O_NONBLOCK)) != 0) throw_errno("pipe2");
    read_end = Fd{fds[0]};
    write_end = Fd{fds[1]};
    // The two ends are two open file descriptions: each has its own O_NONBLOCK.
    if (blocking_read_end && ::fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) throw_errno("fcntl(O_NONBLOCK)");
}

std::int64_t spin_budget_ns(int peer_pid) noexcept {
    if (const char* set = std::getenv("REMOTEOBJ_SPIN_NS")) return static_cast<std::int64_t>(std::atoll(set));
    // Where either end may run: spinning pays when the two can run at once, which
    // needs two CPUs between them (a peer confined to another single CPU than ours
    // counts, a peer sharing our only one does not).
    cpu_set_t ours, theirs;
    if (::sched_getaffinity(0, sizeof ours, &ours) != 0) return 0;
    if (peer_pid <= 0 || ::sched_getaffinity(peer_pid, sizeof theirs, &theirs) != 0) CPU_ZERO(&theirs);
    cpu_set_t both;
    CPU_OR(&both, &ours, &theirs);
    if (CPU_COUNT(&both) < 2) return 0;
    // A cross-CPU wake-up costs tens of microseconds on the machines this runs on,
    // and a budget shorter than the gaps between a caller's calls makes each of
    // them pay one (docs/performance.md#shared-memory-issue-16 has the measurements).
    return 200'000;
}

bool drain(int bell) noexcept {
    std::uint64_t rung[8];  // an eventfd's count, or the rings a pipe holds (8 bytes each)
    return ::read(bell, rung, sizeof rung) != 0;
}

short FrameWriter::prepare_wait() const noexcept {
    if (sink_) return POLLIN;  // its eventfd, rung once room came after a refusal
    if (!ring_) return POLLOUT;
    return ring_->arm() ? POLLIN : 0;
}

void FrameWriter::awake() const noexcept {
    if (sink_) {
        drain(fd_);
        return;
    }
    if (!ring_) return;
    ring_->disarm();
    drain(fd_);
}

std::size_t FrameWriter::try_write(Bytes frame) const {
    if (ring_) return ring_->write(frame);
    if (sink_) return sink_->offer(frame);
    std::size_t done = 0;
    while (done < frame.size()) {
        const ssize_t n = socket_ ? ::send(fd_, frame.data() + done, frame.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT)
                                  : ::write(fd_, frame.data() + done, frame.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            // A short write means the pipe is full: asking again would only say EAGAIN.
            if (done < frame.size()) break;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
            throw PeerLost("the other process closed its end of the connection");
        throw_errno("write");
    }
    return done;
}

void FrameWriter::write(Bytes frame, int abort_fd) const {
    for (;;) {
        frame = frame.subspan(try_write(frame));
        if (frame.empty()) return;
        const short events = prepare_wait();
        if (events == 0) continue;  // room came meanwhile
        const Ready ready = wait_fd(fd_, events, abort_fd, -1);
        awake();
        if (ready == Ready::Other) throw PeerLost("the other process went away while a message to it was being written");
    }
}

FrameReader::FrameReader(int fd, std::size_t max_frame, Source source)
    : fd_(fd), max_frame_(max_frame), source_(source),
      buffer_(new std::uint8_t[initial_capacity]),
      capacity_(initial_capacity) {}

FrameReader::~FrameReader() = default;

void FrameReader::start_over() {
    begin_ = end_ = 0;
    // Empty after a large frame: back to the steady-state size (a frame handed out
    // before this read is not read any more).
    if (capacity_ > shrink_capacity) {
        buffer_.reset(new std::uint8_t[initial_capacity]);
        capacity_ = initial_capacity;
    }
}

std::size_t FrameReader::room_for(std::size_t wanted, std::size_t pending) const noexcept {
    // A frame's whole size is reserved at once up to a few MiB (one allocation for
    // the common large message); beyond that the buffer doubles as bytes arrive, so
    // a peer that announces 4 GiB and sends nothing makes nobody reserve it.
    constexpr std::size_t reserved_at_once = 4u << 20;
    const std::size_t least = pending + 4096;
    if (wanted <= reserved_at_once) return std::max(wanted, least);
    return std::max(least, std::min(wanted, 2 * capacity_));
}

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

bool FrameReader::fill(int fd) {
    if (source_ == Source::ring && !fill_from_ring()) return false;
    std::size_t pending = end_ - begin_;
    if (pending == 0) start_over();
    std::size_t wanted = prefix_size;
    if (pending >= prefix_size) {
        std::uint32_t size = load_prefix(buffer_.get() + begin_);
        if (size <= max_frame_) wanted = prefix_size + size;  // else next() refuses it, before any growth
    }
    make_room(room_for(wanted, pending));
    const std::size_t room = capacity_ - end_;
    const long n = source_ == Source::ring ? read_some(room) : ::read(fd, buffer_.get() + end_, room);
    if (n > 0) {
        end_ += static_cast<std::size_t>(n);
        drained_ = static_cast<std::size_t>(n) < room;
        return true;
    }
    if (n == 0 || errno == ECONNRESET) return false;  // a socket's peer that closed with bytes unread
    if (errno == EINTR || errno == EAGAIN) return true;
    throw_errno("read");
}

bool FrameReader::has_frame() const noexcept {
    std::size_t pending = end_ - begin_;
    return pending >= prefix_size && pending - prefix_size >= load_prefix(buffer_.get() + begin_);
}

bool FrameReader::needs_more() const noexcept {
    std::size_t pending = end_ - begin_;
    if (pending < prefix_size) return true;
    std::uint32_t size = load_prefix(buffer_.get() + begin_);
    return size <= max_frame_ && pending - prefix_size < size;
}

bool FrameReader::arm() noexcept {
    if (source_ != Source::ring || armed_) return true;
    armed_ = ring_->arm();
    return armed_;
}

void FrameReader::disarm() noexcept {
    if (!armed_) return;
    ring_->disarm();
    armed_ = false;
}

bool FrameReader::woke() noexcept { return source_ != Source::ring || drain(fd_); }

bool FrameReader::ring_has_bytes() const { return source_ == Source::ring && ring_->available() > 0; }

long FrameReader::read_some(std::size_t room) {
    if (source_ == Source::ring) {
        if (armed_) {  // bytes came after all: the writer need not ring any more
            ring_->disarm();
            armed_ = false;
            // A pipe bell may be empty (the writer had not seen us armed): what is
            // in it is read by the next wait instead, which then returns at once.
            if (!bell_blocks_) drain(fd_);
        }
        const std::size_t n = ring_->read(std::span(buffer_.get() + end_, room));
        if (n > 0) return static_cast<long>(n);
        armed_ = ring_->arm();  // empty: from now on, poll() on fd_ sees the next bytes
        if (!armed_) return static_cast<long>(ring_->read(std::span(buffer_.get() + end_, room)));
        errno = EAGAIN;
        return -1;
    }
    return source_ == Source::socket ? ::recv(fd_, buffer_.get() + end_, room, MSG_DONTWAIT)
                                     : ::read(fd_, buffer_.get() + end_, room);
}

void FrameReader::recheck_placement() noexcept {
    if (++sleeps_ < sleeps_between_placements) return;
    sleeps_ = 0;
    if (const std::int64_t budget = spin_budget_ns(peer_pid_); budget != spin_.max_ns())
        spin_ = SpinPolicy(budget, run_out_);
}

bool FrameReader::fill_from_ring() {
    if (armed_) {  // spinning is quicker than being rung: the writer need not ring
        ring_->disarm();
        armed_ = false;
    }
    if (ring_->available() == 0) (void)spin_.spin([this] { return ring_->available() != 0; });
    if (ring_->available() > 0 || !ring_->arm()) return true;
    recheck_placement();
    if (bell_blocks_) {
        std::uint64_t rung[8];
        long n;
        do n = ::read(fd_, rung, sizeof rung);
        while (n < 0 && errno == EINTR);
        ring_->disarm();
        if (n < 0) throw_errno("read");
        // End-of-file: the writer's process and every copy of its end are gone, once
        // what it wrote before is taken.
        return !(n == 0 && ring_->available() == 0);
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {peer_pidfd_, POLLIN, 0}};
    int n;
    do n = ::poll(fds, 2, -1);
    while (n < 0 && errno == EINTR);
    ring_->disarm();
    drain(fd_);
    // Its death ends the stream, once what it wrote before is taken.
    return !(fds[1].revents && ring_->available() == 0);
}

FrameReader::Status FrameReader::next(Bytes& frame) {
    bool emptied = false;  // a read of this call emptied the descriptor
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
        if (emptied) return Status::Empty;
        if (begin_ == end_) start_over();
        // A blocking pipe is read only once it holds bytes (or its end).
        if (source_ == Source::blocking_pipe && wait_fd(fd_, POLLIN, -1, 0) == Ready::Timeout) {
            drained_ = true;
            return Status::Empty;
        }
        make_room(room_for(wanted, pending));
        const std::size_t room = capacity_ - end_;
        const long n = read_some(room);
        if (n > 0) {
            end_ += static_cast<std::size_t>(n);
            // A pipe's read returns all it holds, up to `room`: less means it is empty now.
            emptied = drained_ = static_cast<std::size_t>(n) < room;
            continue;
        }
        if (n == 0 || errno == ECONNRESET) return Status::Closed;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            drained_ = true;
            return Status::Empty;
        }
        throw_errno("read");
    }
}

}  // namespace remoteobj::detail

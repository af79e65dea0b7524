// Bytes and frames over file descriptors: the lowest layer of the runtime.
//
// A frame is a FlatBuffer finished with a 4-byte little-endian size prefix, so a
// message goes out in one write() and the reader needs no extra header. This
// layer knows nothing of requests or objects; it must never block without also
// watching a second descriptor (a peer's pidfd or a stop signal), because a
// wait that only watches the pipe can hang forever when the peer dies. The one
// exception, FrameReader::fill() on a blocking descriptor, is for a thread that
// another can cancel (the listener's; see Listener::stop()).
//
// System calls are what a call costs on the machines this runs on (see
// docs/performance.md), so this layer makes none that can only fail: no read
// after a short read, no write after a short write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "remoteobj/detail/spin_policy.hpp"

namespace remoteobj::detail {

using Bytes = std::span<const std::uint8_t>;

/// Owns one file descriptor; closes it on destruction.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();

    int get() const noexcept { return fd_; }
    int release() noexcept;
    explicit operator bool() const noexcept { return fd_ >= 0; }

private:
    int fd_ = -1;
};

/// What ended a wait.
enum class Ready { Fd, Other, Timeout };

/// Waits until `fd` is ready for `events` (POLLIN/POLLOUT) or `other` is readable
/// (`other` < 0: not watched). `timeout_ms` < 0 waits without limit. EINTR is retried.
Ready wait_fd(int fd, short events, int other, int timeout_ms);

/// A pidfd for `pid`: readable once that process has exited.
Fd open_pidfd(int pid);

/// getpid(), without a system call per use: cached, and forgotten in the child
/// of every fork() (pthread_atfork). Callers compare it at every request.
int this_pid() noexcept;
/// getpid() itself, which also corrects this_pid()'s cache: for the few places
/// where a stale cache would do harm (a child made by the raw fork system call
/// runs no pthread_atfork handler, and would take its parent's pid for its own).
int checked_pid() noexcept;

/// Closes `fd` in the child of every fork() (a pthread_atfork handler) from now
/// until keep_in_children(fd): the end of a connection stays in the process that
/// made it, so its peer sees end-of-file when that process dies, even while a child
/// forked from it lives on (Linux has no close-on-fork flag). A child made by the
/// raw fork system call runs no handler and keeps it.
void close_in_children(int fd);
void keep_in_children(int fd) noexcept;
/// Installs the fork() handlers of close_in_children() now (once). A lock held
/// while descriptors are registered (a Caller's, which connects under it) must be
/// taken before fork() ahead of the registry's: fork handlers' prepare parts run
/// last-installed first, so such a lock's handler is installed after this.
void install_children_handlers();

/// A new eventfd (O_CLOEXEC, O_NONBLOCK): a signal that poll() sees readable once
/// rung, until someone reads it.
Fd open_eventfd();

/// Rings an eventfd from open_eventfd(). Cannot fail short of the counter
/// overflowing, which would take 2^64 rings.
void ring(int eventfd) noexcept;

/// Makes the pair of descriptors of a new pipe, both O_CLOEXEC and O_NONBLOCK
/// (the read end blocking instead, if `blocking_read_end`: for a reader that waits
/// in read(), FrameReader::Source::blocking_pipe).
void open_pipe(Fd& read_end, Fd& write_end, bool blocking_read_end = false);

class RingReader;
class RingWriter;

/// How long an end of a shared-memory connection spins before it sleeps, in
/// nanoseconds: 0 when this process and its peer `peer_pid` may only run on one and
/// the same CPU now (spinning there only keeps the other end from running); two
/// processes pinned to different CPUs spin, whatever their own masks' sizes. Without
/// the peer's mask (no pid, another PID namespace), our own mask decides alone. REMOTEOBJ_SPIN_NS
/// overrides it. Two system calls: asked as a connection is made, and again now
/// and then by a reader that keeps sleeping (the processes may have moved).
std::int64_t spin_budget_ns(int peer_pid) noexcept;

/// Reads what rang a bell (an eventfd's count, or the bytes in a pipe), so that
/// poll() waits on it again; false at a pipe bell's end-of-file (its writer is
/// gone). Never call it on a blocking pipe that may be empty.
bool drain(int bell) noexcept;

/// Where frames go on a transport that is not a descriptor (a gRPC stream): it
/// keeps what it is offered, up to a bound, and sends it on by itself, so that the
/// writing thread hands frames over without waking another.
class FrameSink {
public:
    virtual ~FrameSink() = default;
    /// Takes what it has room for of `bytes` now (all of it, below its bound);
    /// throws PeerLost once its stream has ended.
    virtual std::size_t offer(Bytes bytes) = 0;
    /// An eventfd, rung when room comes after offer() took less than it was offered.
    virtual int room_fd() const noexcept = 0;
};

/// Writes whole frames to a non-blocking descriptor, into a ring, or to a sink.
class FrameWriter {
public:
    /// `socket`: `fd` is a socket, written with send(MSG_NOSIGNAL) so that a peer
    /// that closed its end gives PeerLost, never SIGPIPE.
    explicit FrameWriter(int fd, bool socket = false) noexcept : fd_(fd), socket_(socket) {}
    /// Into `ring`, sleeping on the eventfd `wake` (which its reader rings) for room.
    FrameWriter(RingWriter* ring, int wake) noexcept : fd_(wake), socket_(false), ring_(ring) {}
    /// To `sink`, waiting on its room_fd() for room.
    explicit FrameWriter(FrameSink* sink) noexcept : fd_(sink->room_fd()), socket_(false), sink_(sink) {}

    /// Whether it writes into a ring in shared memory (no system call per write).
    bool into_ring() const noexcept { return ring_ != nullptr; }
    /// Before waiting for room: the descriptor to poll, and for what (0: do not
    /// wait, room came meanwhile). awake() once the wait is over.
    short prepare_wait() const noexcept;
    int room_fd() const noexcept { return fd_; }
    void awake() const noexcept;
    /// Writes `frame` completely, waiting while the pipe is full. Throws PeerLost
    /// when `abort_fd` becomes readable first (the peer died or we were told to stop).
    void write(Bytes frame, int abort_fd) const;

    /// Writes as much of `frame` as the pipe takes now, without waiting; returns
    /// how much that was (all of it, for a frame that fits: the common case).
    std::size_t try_write(Bytes frame) const;

private:
    int fd_;
    bool socket_;
    RingWriter* ring_ = nullptr;
    FrameSink* sink_ = nullptr;
};

/// Reads frames from a non-blocking descriptor into a buffer it reuses.
class FrameReader {
public:
    enum class Status { Frame, Empty, Closed };

    /// What `fd` is, so that next() reads it without waiting while fill() may wait
    /// on the same descriptor: a non-blocking descriptor (read), a socket (recv
    /// with MSG_DONTWAIT, whatever the descriptor's own mode), a blocking pipe
    /// (read only when poll() says something is there: a pipe has no per-call
    /// flag, and its other users need it blocking), or a ring in shared memory
    /// (attach(RingReader*, ...); `fd` is then the eventfd its writer rings once
    /// next() found it empty and armed it, or fill() sleeps).
    enum class Source { nonblocking, socket, blocking_pipe, ring };

    FrameReader(int fd, std::size_t max_frame, Source source = Source::nonblocking);
    ~FrameReader();
    FrameReader(const FrameReader&) = delete;
    FrameReader& operator=(const FrameReader&) = delete;

    /// Takes the next complete frame (size prefix included, 8-byte aligned), reading
    /// what the descriptor holds without blocking. `frame` stays valid until the next
    /// call. Empty: no complete frame yet. Closed: end of file. Throws ProtocolError
    /// for a frame larger than the limit (the stream cannot be resynchronised).
    /// A read that comes back short has emptied the descriptor: Empty follows it
    /// without a second read that would only say so (each read is a system call).
    Status next(Bytes& frame);

    /// Reads once from `fd` (another descriptor of the same stream, which may block:
    /// a listener's way to wait) into the buffer next() takes frames from. False at
    /// end of file. Not noexcept: read() is a cancellation point, and a thread
    /// cancelled in it must be able to unwind.
    bool fill(int fd);

    /// Whether a complete frame is already buffered (next() returns it without reading).
    bool has_frame() const noexcept;

    /// Whether next() can only say Empty until more bytes arrive: no complete frame
    /// is buffered, and no size prefix over the limit either (which next() refuses).
    bool needs_more() const noexcept;

    /// No complete frame is buffered and the last read emptied the descriptor: a
    /// reader that is about to wait anyway can wait now instead of reading first.
    /// (A ring's reader has also armed its wake-up: waiting on fd() is safe.)
    bool drained() const noexcept { return drained_ && !has_frame() && (source_ != Source::ring || armed_); }

    /// Some bytes of a frame are buffered, and not all of them: its writer is
    /// somewhere in the middle of it (or died there).
    bool partial() const noexcept { return end_ > begin_ && needs_more(); }
    /// The bytes its buffer holds room for now (steady state: 64 KiB).
    std::size_t capacity() const noexcept { return capacity_; }

    int fd() const noexcept { return fd_; }
    void attach(int fd) noexcept { fd_ = fd; }
    void attach(int fd, Source source) noexcept {
        fd_ = fd;
        source_ = source;
    }
    /// A ring's reader about to sleep on fd(): arms its wake-up, and says false
    /// when bytes are there already (then it stays unarmed). Always true otherwise.
    bool arm() noexcept;
    /// A ring's reader busy again (spinning, say): its writer need not ring.
    void disarm() noexcept;
    /// Bytes are there to read now, without a system call (a ring's reader only;
    /// false for a descriptor). Throws ProtocolError for a corrupted ring.
    bool ring_has_bytes() const;
    /// Whether it spins on a ring before sleeping: the writer runs beside it (on
    /// another CPU), rather than only while this end sleeps.
    bool spins() const noexcept { return source_ == Source::ring && spin_.enabled() && !spin_.resting(); }

    /// Reads `ring`: `wake` is the bell its writer rings (an eventfd), `peer_pidfd`
    /// the writer's process `peer_pid`, whose death ends a fill() (as end-of-file
    /// would), and whose placement says whether to spin.
    void attach(RingReader* ring, int wake, int peer_pidfd, int peer_pid) noexcept {
        fd_ = wake;
        source_ = Source::ring;
        ring_ = ring;
        peer_pidfd_ = peer_pidfd;
        peer_pid_ = peer_pid;
        spin_ = SpinPolicy(spin_budget_ns(peer_pid), run_out_);
    }
    /// The same, for a caller's replies: the bell is the read end of a blocking pipe
    /// that only the writer's process can write, so fill() sleeps in read() on it,
    /// one system call where poll() and a read are two, and its end-of-file is the
    /// writer's death. A reply is due whenever it waits, so a spin that runs out is
    /// a strike (SpinPolicy::RunOut).
    void attach_with_pipe_bell(RingReader* ring, int bell, int peer_pidfd, int peer_pid) noexcept {
        run_out_ = SpinPolicy::RunOut::strike;
        attach(ring, bell, peer_pidfd, peer_pid);
        bell_blocks_ = true;
    }
    /// poll() said fd() is readable: takes what rang it, so that the next poll()
    /// waits (a ring's reader; nothing otherwise). False when it was a pipe bell's
    /// end-of-file: its writer is gone, and fd() stays readable.
    bool woke() noexcept;

private:
    // Nothing pending: reads start at the buffer's start, in a buffer of the
    // steady-state size again after a large frame.
    void start_over();
public:
    /// The largest frame it accepts from now on.
    void set_max_frame(std::size_t max_frame) noexcept { max_frame_ = max_frame; }

private:
    void make_room(std::size_t needed);
    // One read of what the descriptor or ring holds into [end_, end_ + room): as read().
    long read_some(std::size_t room);
    // A ring's fill(): spins, then sleeps on fd_ until bytes come or the writer dies.
    bool fill_from_ring();
    // Every `sleeps_between_placements` sleeps, asks again where the two ends may
    // run: a process pinned (or unpinned) after the connection was made.
    void recheck_placement() noexcept;
    static constexpr unsigned sleeps_between_placements = 256;
    // How much room to make for a frame of `wanted` bytes of which `pending` are here.
    std::size_t room_for(std::size_t wanted, std::size_t pending) const noexcept;

    int fd_;
    std::size_t max_frame_;
    Source source_;
    RingReader* ring_ = nullptr;
    int peer_pidfd_ = -1;
    int peer_pid_ = 0;
    unsigned sleeps_ = 0;  // since the placement was last asked
    SpinPolicy::RunOut run_out_ = SpinPolicy::RunOut::neutral;
    bool armed_ = false;  // a ring's writer rings fd_ after writing
    bool bell_blocks_ = false;  // fd_ is a blocking pipe: read only once poll() says it holds bytes
    SpinPolicy spin_;  // how long fill() spins on a ring before it sleeps, and whether it does now
    std::unique_ptr<std::uint8_t[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;  // first byte not yet handed out
    std::size_t end_ = 0;    // one past the last byte read
    bool drained_ = false;   // the last read found the descriptor empty (short read, EAGAIN)
};

}  // namespace remoteobj::detail

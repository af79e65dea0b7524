// The calling end of a connection to a named endpoint; see connection.hpp.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include <cstring>

#include <fmt/format.h>

#include "remoteobj/connection.hpp"
#include "remoteobj/deadline.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/link.hpp"
#include "transport/unix_socket.hpp"

namespace remoteobj::detail {

namespace {

// A greeting is a class name, its member table (at most max_announced_members of
// names and signatures, in practice a few KiB) and perhaps a refusal: anything
// larger is not one.
constexpr std::uint32_t max_greeting = 1u << 20;

}  // namespace

const Interface& any_class() noexcept {
    static const Interface any{"(any class)", 0, nullptr};
    return any;
}

SocketConnection::SocketConnection(std::string_view address, const Interface& ours, std::size_t max_message,
                                   bool take_handed_over)
    : address_(address),
      max_message_(max_message),
      owner_(checked_pid()),
      fd_(connect_unix(parse_unix_address(address))),
      replies_(fd_.get(), max_message, FrameReader::Source::socket) {
    // The kernel's word for who listens (never what the peer says): its pidfd is
    // what a waiting caller watches.
    listener_ = peer_credentials(fd_.get()).pid;
    greet(ours, take_handed_over);
}

SocketConnection::SocketConnection(Fd connected, std::string_view address, const Interface& ours,
                                   std::size_t max_message, FrameSink* requests)
    : address_(address),
      max_message_(max_message),
      owner_(checked_pid()),
      fd_(std::move(connected)),
      request_sink_(requests),
      replies_(fd_.get(), max_message, FrameReader::Source::socket) {
    greet(ours, false);  // listener_ stays 0: no process of this machine to watch
}

void SocketConnection::greet(const Interface& ours, bool take_handed_over) {
    close_in_children(fd_.get());
    struct Registered {  // undone if what follows throws
        SocketConnection& connection;
        bool done = false;
        ~Registered() {
            if (done) return;
            for (const Fd* fd : connection.descriptors()) keep_in_children(fd->get());
        }
    } registered{*this};
    read_greeting(ours, take_handed_over);
    registered.done = true;
}

std::vector<Fd*> SocketConnection::descriptors() {
    std::vector<Fd*> open;
    for (Fd* fd : {&fd_, &request_pipe_, &reply_pipe_, &request_guard_, &reply_wake_, &room_wake_,
                   &listener_request_wake_, &listener_room_wake_, &listener_pidfd_})
        if (*fd) open.push_back(fd);
    return open;
}

SocketConnection::~SocketConnection() {
    if (this_pid() == owner_) {
        for (const Fd* fd : descriptors()) keep_in_children(fd->get());
        return;  // the Fds close them
    }
    // A forked child's copy: the descriptors were closed at the fork, and their
    // numbers may name something else of the child's by now. (The region's memfd
    // and mapping are inherited as they are, and go with region_.)
    for (Fd* fd : descriptors()) [[maybe_unused]] const int closed = fd->release();
}

void SocketConnection::check_listening(const char* what) {
    if (this_pid() != owner_)
        throw Error(fmt::format("{}: this connection to {} belongs to process {}, which made it; a process forked "
                                "from it calls through a connect() of its own",
                                what, address_, owner_));
    if (ended_)
        throw PeerLost(fmt::format("{}: the connection to {} ended: its listener stopped, died or dropped it (connect "
                                   "again once one listens)",
                                   what, listener_named()));
}

std::string SocketConnection::listener_named() const {
    if (listener_ > 0) return fmt::format("the listener at {} (pid {})", address_, listener_);
    return fmt::format("the listener at {}", address_);
}

void SocketConnection::receive_greeting(std::span<std::uint8_t> into, std::vector<Fd>& fds, const Interface& ours) {
    const auto until = deadline::current();
    std::size_t got = 0;
    while (got < into.size()) {
        const long n = receive_with_descriptors(fd_.get(), into.subspan(got), fds, 5);
        if (n > 0) {
            got += static_cast<std::size_t>(n);
            continue;
        }
        if (n == 0)
            throw PeerLost(fmt::format("{}: the listener at {} closed the connection before greeting it",
                                       ours.class_name, address_));
        if (wait_fd(fd_.get(), POLLIN, -1, poll_timeout(until)) == Ready::Timeout && deadline::clock::now() >= until)
            throw Timeout(fmt::format("{}: the listener at {} did not greet this connection before this thread's "
                                      "remoteobj::deadline",
                                      ours.class_name, address_));
    }
}

void SocketConnection::read_greeting(const Interface& ours, bool take) {
    // Read with recvmsg(), not through replies_: descriptors may come with it, and
    // exactly the greeting is taken (what follows is replies_'s).
    std::vector<Fd> fds;
    std::uint8_t prefix[sizeof(std::uint32_t)];
    receive_greeting(prefix, fds, ours);
    std::uint32_t size;
    std::memcpy(&size, prefix, sizeof size);
    if (size > max_greeting)
        throw ProtocolError(fmt::format("{}: what listens at {} announced a greeting of {} bytes; no remoteobj "
                                        "listener sends one over {}",
                                        ours.class_name, address_, size, max_greeting));
    std::vector<std::uint8_t> frame(sizeof prefix + size);  // operator new's alignment, as verification wants
    std::memcpy(frame.data(), prefix, sizeof prefix);
    receive_greeting(std::span(frame).subspan(sizeof prefix), fds, ours);
    const wire::Envelope* envelope = verify_envelope(frame);
    const wire::Hello* hello = envelope ? envelope->message_as_Hello() : nullptr;
    if (!hello)
        throw ProtocolError(fmt::format("{}: what listens at {} did not greet this connection as a remoteobj "
                                        "listener does",
                                        ours.class_name, address_));
    if (hello->refused() && hello->refused()->size() > 0) {
        if (hello->busy()) throw Busy(hello->refused()->str());
        throw AccessDenied(hello->refused()->str());
    }
    if (hello->protocol() != protocol_version)
        throw ProtocolError(fmt::format("{}: {} speaks protocol version {}, this process {}",
                                        ours.class_name, listener_named(), hello->protocol(), protocol_version));
    if (&ours != &any_class() && hello->interface() != ours.hash)
        throw InterfaceMismatch(fmt::format(
            "{}: {} serves {} built from a different header (caller's interface hash "
            "{:016x}, listener's {:016x}); rebuild both",
            ours.class_name, listener_named(), hello->class_name() ? hello->class_name()->str() : "?", ours.hash,
            hello->interface()));
    epoch_ = hello->epoch();
    if (&ours == &any_class()) {
        if (hello->class_name()) served_class_ = hello->class_name()->str();
    } else {
        served_class_ = ours.class_name;  // checked above: the class it serves is ours
        members_.take(*hello, std::move(frame), ours, [this] { return listener_named(); });
    }
    if (take && fds.size() == 5) take_rings(fds, ours);
    else if (take && !fds.empty()) take_pipes(fds, ours);
    // Descriptors nobody asked for are closed with `fds`.
}

void SocketConnection::take_pipes(std::vector<Fd>& fds, const Interface& ours) {
    auto refuse = [&](std::string_view why) {
        return ProtocolError(fmt::format("{}: the listener at {} (pid {}) handed over descriptors that are not this "
                                         "connection's pipes: {}",
                                         ours.class_name, address_, listener_, why));
    };
    if (fds.size() != 3) throw refuse(fmt::format("{} of them, where 3 belong", fds.size()));
    struct stat st[3];
    int status[3];
    for (std::size_t i = 0; i < 3; ++i) {
        if (::fstat(fds[i].get(), &st[i]) != 0 || !S_ISFIFO(st[i].st_mode)) throw refuse("one is not a pipe");
        status[i] = ::fcntl(fds[i].get(), F_GETFL);
    }
    // Written without waiting, read waiting in read(); the third is the request
    // pipe's read end, kept only so that writing to a dead listener cannot raise
    // SIGPIPE here.
    if ((status[0] & O_ACCMODE) != O_WRONLY || !(status[0] & O_NONBLOCK))
        throw refuse("the first is not a non-blocking write end");
    if ((status[1] & O_ACCMODE) != O_RDONLY || (status[1] & O_NONBLOCK)) throw refuse("the second is not a blocking read end");
    if ((status[2] & O_ACCMODE) != O_RDONLY) throw refuse("the third is not a read end");
    const bool same_request_pipe = st[0].st_dev == st[2].st_dev && st[0].st_ino == st[2].st_ino;
    const bool same_as_replies = st[0].st_dev == st[1].st_dev && st[0].st_ino == st[1].st_ino;
    if (!same_request_pipe || same_as_replies) throw refuse("they are not two pipes in the order expected");
    request_pipe_ = std::move(fds[0]);
    reply_pipe_ = std::move(fds[1]);
    request_guard_ = std::move(fds[2]);
    for (const Fd* fd : {&request_pipe_, &reply_pipe_, &request_guard_}) close_in_children(fd->get());
    // The socket has done its part: the listener's end of it is closed already.
    keep_in_children(fd_.get());
    fd_ = Fd{};
    replies_.attach(reply_pipe_.get(), FrameReader::Source::blocking_pipe);
}

void SocketConnection::take_rings(std::vector<Fd>& fds, const Interface& ours) {
    try {
        region_ = std::make_unique<SharedRegion>(std::move(fds[0]), 2);
    } catch (const ProtocolError& e) {
        throw ProtocolError(fmt::format("{}: the listener at {} (pid {}) handed over a region that is not this "
                                        "connection's rings: {}",
                                        ours.class_name, address_, listener_, e.what()));
    }
    // The bell for replies: a blocking pipe's read end, which we sleep in (see
    // FrameReader::attach_with_pipe_bell). Anything else would hang or spin there.
    struct stat bell;
    const int bell_status = ::fcntl(fds[1].get(), F_GETFL);
    if (::fstat(fds[1].get(), &bell) != 0 || !S_ISFIFO(bell.st_mode) || (bell_status & O_ACCMODE) != O_RDONLY ||
        (bell_status & O_NONBLOCK))
        throw ProtocolError(fmt::format("{}: the listener at {} (pid {}) handed over descriptors that are not this "
                                        "connection's rings: the second is not a blocking pipe's read end",
                                        ours.class_name, address_, listener_));
    reply_wake_ = std::move(fds[1]);
    room_wake_ = std::move(fds[2]);
    listener_request_wake_ = std::move(fds[3]);
    listener_room_wake_ = std::move(fds[4]);
    listener_pidfd_ = open_pidfd(listener_);
    if (!listener_pidfd_)
        throw PeerLost(fmt::format("{}: the listener at {} (pid {}) died as it greeted this connection",
                                   ours.class_name, address_, listener_));
    request_ring_ = std::make_unique<RingWriter>(*region_, 0, listener_request_wake_.get());
    reply_ring_ = std::make_unique<RingReader>(*region_, 1, listener_room_wake_.get());
    for (const Fd* fd : {&reply_wake_, &room_wake_, &listener_request_wake_, &listener_room_wake_, &listener_pidfd_})
        close_in_children(fd->get());
    keep_in_children(fd_.get());
    fd_ = Fd{};
    replies_.attach_with_pipe_bell(reply_ring_.get(), reply_wake_.get(), listener_pidfd_.get(), listener_);
}

bool SocketConnection::ended_unread() noexcept {
    try {
        if (replies_.has_frame() || replies_.ring_has_bytes()) return true;
    } catch (const ProtocolError&) {
        return true;  // a corrupted ring: this connection is over
    }
    return wait_fd(replies_.fd(), POLLIN, -1, 0) != Ready::Timeout;
}

}  // namespace remoteobj::detail

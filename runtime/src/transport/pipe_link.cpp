// A fork()-made link: the flags page, eventfd and pipes of one Remote<T> or
// Channel<T>, made before fork(); see link.hpp.
#include "remoteobj/link.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <new>
#include <system_error>

#include <fmt/format.h>

#include "remoteobj/connection.hpp"
#include "remoteobj/deadline.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/listener.hpp"
#include "transport/unix_socket.hpp"

namespace remoteobj::detail {
namespace {

constexpr std::string_view handle_prefix = "remoteobj-link:";

void* map_page(int fd) {
    void* page = ::mmap(nullptr, sizeof(SharedFlags), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) throw SystemError(errno, "mmap of the shared flags");
    return page;
}

// A memfd rather than MAP_ANONYMOUS: a page that only fork() can share would not
// survive exec(), and a file descriptor can be passed on.
Fd open_flags_file() {
    Fd fd{::memfd_create("remoteobj-link", MFD_CLOEXEC)};
    if (!fd) throw SystemError(errno, "memfd_create for the shared flags");
    if (::ftruncate(fd.get(), sizeof(SharedFlags)) != 0)
        throw SystemError(errno, "ftruncate of the shared flags");
    return fd;
}

// "remoteobj-<pid>-<16 random hex digits>": unguessable, so no other program takes
// a session's name first by chance or on purpose (it could only refuse it).
std::string random_socket_name() {
    std::uint64_t random = 0;
    if (::getrandom(&random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
        throw SystemError(errno, "getrandom for the link's socket name");
    return fmt::format("remoteobj-{}-{:016x}", ::getpid(), random);
}

// The roles of a handle's six numbers, in its order, for messages.
constexpr std::array<const char*, 6> roles = {
    "the request pipe's read end", "the request pipe's write end", "the reply pipe's read end",
    "the reply pipe's write end",  "the change eventfd",           "the shared flags memfd"};

std::array<int, 6> as_array(const LinkFds& f) {
    return {f.request_read, f.request_write, f.reply_read, f.reply_write, f.changed, f.flags};
}

[[noreturn]] void refuse(int fd, std::size_t role, const std::string& what) {
    throw Error(fmt::format("remoteobj: cannot adopt the link: descriptor {} ({}) {}", fd, roles[role], what));
}

// Where /proc names it ("anon_inode:[eventfd]"); empty without /proc.
std::string proc_name(int fd) {
    char buffer[256];
    const std::string path = fmt::format("/proc/self/fd/{}", fd);
    ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

// Checks everything that can be checked before mapping the page; changes nothing.
void check_inherited(const LinkFds& fds) {
    const auto all = as_array(fds);
    struct stat st[6];
    for (std::size_t i = 0; i < all.size(); ++i) {
        const int fd = all[i];
        if (fd < 0) refuse(fd, i, "is negative");
        for (std::size_t j = 0; j < i; ++j)
            if (all[j] == fd) refuse(fd, i, fmt::format("is also given as {}", roles[j]));
        if (::fstat(fd, &st[i]) != 0)
            refuse(fd, i, fmt::format("is not open in this process ({}): was it kept across exec()?",
                                      std::strerror(errno)));
        const int status = ::fcntl(fd, F_GETFL);
        const int access = status & O_ACCMODE;
        if (i < 4) {
            if (!S_ISFIFO(st[i].st_mode)) refuse(fd, i, "is not a pipe");
            const bool read_end = i % 2 == 0;
            if (access != (read_end ? O_RDONLY : O_WRONLY))
                refuse(fd, i, read_end ? "is not a pipe's read end" : "is not a pipe's write end");
        } else if (i == 4) {
            const std::string name = proc_name(fd);
            if (S_ISFIFO(st[i].st_mode) || S_ISREG(st[i].st_mode) || (!name.empty() && name != "anon_inode:[eventfd]"))
                refuse(fd, i, fmt::format("is not an eventfd ({})", name.empty() ? "a pipe or file" : name));
        } else {
            if (!S_ISREG(st[i].st_mode)) refuse(fd, i, "is not a memfd (not a regular file)");
            if (st[i].st_size < static_cast<off_t>(sizeof(SharedFlags)))
                refuse(fd, i, fmt::format("holds {} bytes, fewer than the {} of the shared flags", st[i].st_size,
                                          sizeof(SharedFlags)));
            if (access != O_RDWR) refuse(fd, i, "is not open for reading and writing");
        }
        // O_NONBLOCK belongs to the open file description, which the link's creator
        // shares with every process of the link: checked, never changed.
        if (i < 5 && !(status & O_NONBLOCK)) refuse(fd, i, "is blocking, which no link's descriptor is");
    }
    // Two ends of one pipe share an inode; the two pipes must not.
    auto same = [&](int a, int b) { return st[a].st_dev == st[b].st_dev && st[a].st_ino == st[b].st_ino; };
    if (!same(0, 1)) refuse(all[1], 1, fmt::format("is not the other end of descriptor {}", all[0]));
    if (!same(2, 3)) refuse(all[3], 3, fmt::format("is not the other end of descriptor {}", all[2]));
    if (same(0, 2)) refuse(all[2], 2, fmt::format("is the same pipe as descriptor {}", all[0]));
}

// Only fcntl() until it fails: fit for the child of a fork() of a threaded process.
void clear_cloexec(int fd) {
    if (::fcntl(fd, F_SETFD, 0) != 0)
        throw Error(fmt::format("remoteobj: cannot keep descriptor {} of a link across exec(): {}", fd,
                                std::strerror(errno)));
}

}  // namespace

std::string format_link_handle(const LinkFds& fds) {
    return fmt::format("{}{},{},{},{},{},{}", handle_prefix, fds.request_read, fds.request_write, fds.reply_read,
                       fds.reply_write, fds.changed, fds.flags);
}

LinkFds parse_link_handle(std::string_view handle) {
    auto malformed = [&](std::string_view why) {
        return Error(fmt::format("remoteobj: '{}' is not a link handle ({}); expected '{}' and six descriptor "
                                 "numbers, as Channel<T>::keep_across_exec() returns",
                                 handle.substr(0, 80), why, handle_prefix));
    };
    if (!handle.starts_with(handle_prefix)) throw malformed("no prefix");
    std::string_view rest = handle.substr(handle_prefix.size());
    std::array<int, 6> numbers{};
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        if (i > 0) {
            if (rest.empty() || rest.front() != ',') throw malformed("fewer than six numbers");
            rest.remove_prefix(1);
        }
        auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), numbers[i]);
        if (ec != std::errc() || numbers[i] < 0) throw malformed(fmt::format("number {} is not a descriptor", i + 1));
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    }
    if (!rest.empty()) throw malformed("something follows the sixth number");
    return {numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5]};
}

Link::Link(link_options options)
    : changed_(open_eventfd()),
      flags_fd_(open_flags_file()),
      flags_(new (map_page(flags_fd_.get())) SharedFlags{}),
      max_message_(options.max_message),
      requests_(-1, door_max_frame),
      no_replies_(-1, options.max_message) {
    try {
        open_pipe(request_read_, request_write_);
        open_pipe(reply_read_, reply_write_);
    } catch (...) {
        // No destructor runs for a constructor that throws: the page is given back
        // here (70,000 failed links once filled the process's map count).
        flags_->~SharedFlags();
        ::munmap(flags_, sizeof(SharedFlags));
        throw;
    }
    requests_.attach(request_read_.get());
    socket_name_ = random_socket_name();
    static_assert(sizeof flags_->socket_name > 36, "room for the socket name");
    std::memcpy(flags_->socket_name, socket_name_.data(), std::min(socket_name_.size(), sizeof flags_->socket_name - 1));
    flags_->creator_pid.store(checked_pid());
    flags_->max_message.store(options.max_message);
    shared_memory_ = options.shared_memory;
    flags_->shared_memory.store(options.shared_memory ? 1 : 0);
    flags_->magic.store(shared_flags_magic);
}

Link::Link(const LinkFds& inherited) : requests_(-1, door_max_frame), no_replies_(-1, default_max_frame) {
    check_inherited(inherited);
    void* page = ::mmap(nullptr, sizeof(SharedFlags), PROT_READ | PROT_WRITE, MAP_SHARED, inherited.flags, 0);
    if (page == MAP_FAILED) refuse(inherited.flags, 5, fmt::format("cannot be mapped ({})", std::strerror(errno)));
    // The page already holds the creator's SharedFlags: used as it is, never constructed.
    auto* flags = std::launder(static_cast<SharedFlags*>(page));
    if (const std::uint32_t magic = flags->magic.load(); magic != shared_flags_magic) {
        ::munmap(page, sizeof(SharedFlags));
        refuse(inherited.flags, 5,
               fmt::format("does not hold this version's shared flags (magic {:#010x}, expected {:#010x}): is the "
                           "other program built with another version of remoteobj?",
                           magic, shared_flags_magic));
    }
    // Checked: from here on the descriptors are ours. Our own children must not
    // inherit them unless keep_across_exec() is called again.
    flags_ = flags;
    socket_name_ = std::string(flags->socket_name, ::strnlen(flags->socket_name, sizeof flags->socket_name - 1));
    max_message_ = static_cast<std::size_t>(flags->max_message.load());  // the maker's limit
    shared_memory_ = flags->shared_memory.load() != 0;
    no_replies_.set_max_frame(max_message_);
    request_read_ = Fd{inherited.request_read};
    request_write_ = Fd{inherited.request_write};
    reply_read_ = Fd{inherited.reply_read};
    reply_write_ = Fd{inherited.reply_write};
    changed_ = Fd{inherited.changed};
    flags_fd_ = Fd{inherited.flags};
    for (int fd : as_array(inherited)) ::fcntl(fd, F_SETFD, FD_CLOEXEC);  // cannot fail on an open descriptor
    requests_.attach(request_read_.get());
}

Link::~Link() {
    flags_->~SharedFlags();
    ::munmap(flags_, sizeof(SharedFlags));
}

LinkFds Link::fds() const noexcept {
    return {request_read_.get(), request_write_.get(), reply_read_.get(),
            reply_write_.get(),  changed_.get(),       flags_fd_.get()};
}

void Link::keep_across_exec() const {
    if (flags_->creator_pid.load() == this_pid())
        throw Error("remoteobj: keep_across_exec() belongs in the child of fork(), just before exec(): in the "
                    "process that made the link it would pass the link to every program this process starts");
    for (int fd : as_array(fds())) clear_cloexec(fd);
}

bool Link::serving_here() const noexcept {
    // Checked with getpid() (the cache may be a raw fork's parent's pid): only on
    // this path, so a remote call costs no extra system call.
    const int pid = here_pid_.load(std::memory_order_acquire);
    return pid != 0 && pid == this_pid() && pid == checked_pid();
}

void Link::check_listening(const char* what) {
    // The page's flag is a hint, which every process of the link can write: where
    // it says nobody listens, the session's socket has the last word.
    // (A listener that stopped closed its socket as it did, even one stopped by a
    // request it served, so a call made after that reply is refused here.)
    if (flags_->listening.load() == 1 || serving_here() || session_answers()) return;
    throw NotListening(fmt::format("{}: nobody listens on this object (start remote.listen() in the "
                                   "other process, and wait_until_listening() here)",
                                   what));
}

std::string Link::session_address() const { return fmt::format("unix:@{}", socket_name_); }

bool Link::session_answers() const noexcept {
    try {
        (void)connect_unix(parse_unix_address(session_address()), deadline::clock::time_point::max());
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

Route Link::route(const Interface& ours, const char* what) {
    if (serving_here()) return {here_epoch_.load(std::memory_order_acquire), this_pid(), true};
    // Every process, the maker included, calls over a connection of its own that
    // the listening session hands it: which process serves it, in which session,
    // and whether it speaks this protocol and interface, its greeting says (the
    // kernel's word, never the shared page's, which every process of the link can
    // write).
    if (!connection_) connection_ = connect_session(ours, what);
    return connection_->route(ours, what);
}

std::unique_ptr<SocketConnection> Link::connect_session(const Interface& ours, const char* what) const {
    try {
        return std::make_unique<SocketConnection>(session_address(), ours, max_message_, /*take_handed_over=*/true);
    } catch (const NotListening&) {
        throw_unreachable(what);
    } catch (const PeerLost&) {
        // Closed before its greeting: the session ended (NotListening) or its
        // listener died (PeerLost), as the flags and the kernel tell apart.
        throw_unreachable(what);
    }
}

void Link::throw_unreachable(const char* what) const {
    // The page only picks the exception: a listener killed outright never cleared
    // its flag, and its callers are told it died, as on every transport.
    const int pid = flags_->listening.load() == 1 ? flags_->listener_pid.load() : 0;
    if (pid > 0) {
        // A dying process's socket closes before its pidfd says it died: a short grace.
        const Fd pidfd = open_pidfd(pid);
        if (!pidfd || wait_fd(pidfd.get(), POLLIN, -1, listener_death_grace_ms) != Ready::Timeout)
            throw PeerLost(fmt::format("{}: the listening process {} died", what, pid));
    }
    throw NotListening(fmt::format("{}: nobody listens on this object now (the listener stopped; start "
                                   "remote.listen() in some process)",
                                   what));
}

CallerTransport::Stale Link::stale() const noexcept {
    if (!connection_) return Stale::no;
    if (connection_->owner() != this_pid()) return Stale::other_process;
    if (connection_ended_) return Stale::closed;
    // A later session in the page hints that this connection's ended; the
    // connection itself says whether it did (its Closed or end-of-file waits), so
    // the page, which every process of the link can write, cuts nobody off.
    if (connection_->epoch() != flags_->epoch.load() && connection_->ended_unread()) return Stale::earlier_session;
    return Stale::no;
}

void Link::drop_connection() noexcept {
    connection_.reset();
    connection_ended_ = false;
}

bool Link::replies_block() const noexcept { return connection_ != nullptr; }

FrameReader& Link::replies() noexcept {
    // Replies are read only for requests sent over the connection (a Caller drops
    // a connection only once nothing is in flight on it).
    return connection_ ? connection_->replies() : no_replies_;
}

FrameWriter Link::request_writer() const noexcept {
    return connection_ ? connection_->request_writer() : FrameWriter(-1);
}

int Link::request_fd() const noexcept { return connection_ ? connection_->request_fd() : -1; }


void Link::notify_changed() const noexcept { ring(changed_.get()); }

void Link::drain_changed() const noexcept { drain(changed_.get()); }

}  // namespace remoteobj::detail

// The UNIX socket transport's system calls; see unix_socket.hpp.
#include "transport/unix_socket.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "remoteobj/error.hpp"

namespace remoteobj::detail {
namespace {

constexpr std::string_view scheme = "unix:";

Fd new_socket(int flags) {
    Fd fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0)};
    if (!fd) throw SystemError(errno, "socket(AF_UNIX)");
    return fd;
}

int connect_once(const Fd& fd, const UnixAddress& address) {
    int result;
    do result = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address.addr), address.length);
    while (result != 0 && errno == EINTR);
    return result == 0 ? 0 : errno;
}

// Whether a listener answers at `address` now (a stale socket file refuses). Never
// waits: a live socket whose backlog is full (a stopped listener, one that never
// accepts) says EAGAIN at once, and is as live as one that accepts.
bool answers(const UnixAddress& address) {
    Fd probe = new_socket(SOCK_NONBLOCK);
    const int error = connect_once(probe, address);
    return error == 0 || error == EAGAIN;
}

[[noreturn]] void throw_connect_error(int error, const UnixAddress& address) {
    if (error == ENOENT || error == ECONNREFUSED)
        throw NotListening(fmt::format("remoteobj: nobody listens at {} ({})", address.text, std::strerror(error)));
    if (error == EACCES || error == EPERM)
        throw AccessDenied(fmt::format("remoteobj: this process (uid {}) may not connect to {}: the socket "
                                       "file's mode forbids it (listen_options{{.mode}})",
                                       ::getuid(), address.text));
    throw SystemError(error, fmt::format("remoteobj: connecting to {}", address.text));
}

}  // namespace

UnixAddress parse_unix_address(std::string_view text) {
    UnixAddress address;
    address.text = std::string(text);
    auto refuse = [&](std::string_view why) {
        return Error(fmt::format("remoteobj: '{}' is not an address to listen at or connect to: {} (expected "
                                 "'unix:/path/to.sock' or 'unix:@abstract-name')",
                                 text.substr(0, 200), why));
    };
    if (!text.starts_with(scheme)) throw refuse("it does not start with 'unix:'");
    std::string_view rest = text.substr(scheme.size());
    if (rest.empty() || rest == "@") throw refuse("it names no socket");
    if (rest.find('\0') != std::string_view::npos) throw refuse("it holds a NUL byte");
    address.addr.sun_family = AF_UNIX;
    // sun_path holds 108 bytes: a path needs its NUL, an abstract name its leading NUL.
    constexpr std::size_t room = sizeof(address.addr.sun_path) - 1;
    address.abstract = rest.front() == '@';
    const std::string_view name = address.abstract ? rest.substr(1) : rest;
    if (name.size() > room) throw refuse(fmt::format("it is {} bytes long, and a UNIX socket takes {}", name.size(), room));
    char* path = address.addr.sun_path;
    std::memcpy(path + (address.abstract ? 1 : 0), name.data(), name.size());
    if (!address.abstract) address.path = std::string(name);
    address.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + 1);
    return address;
}

Fd connect_unix(const UnixAddress& address, deadline::clock::time_point until) {
    if (until == deadline::clock::time_point::max()) {
        // No limit: a blocking connect() waits only while the listener's backlog is
        // full, which its accepting empties.
        Fd fd = new_socket(0);
        if (const int error = connect_once(fd, address)) throw_connect_error(error, address);
        return fd;
    }
    // Under a deadline: a UNIX socket never connects in the background (a full
    // backlog is EAGAIN, not EINPROGRESS, and nothing can be polled for), so the
    // attempt is made again, a little less often each time, until the deadline.
    Fd fd = new_socket(SOCK_NONBLOCK);
    auto pause = std::chrono::microseconds(200);
    for (;;) {
        const int error = connect_once(fd, address);
        if (error == 0) break;
        if (error != EAGAIN) throw_connect_error(error, address);
        const auto now = deadline::clock::now();
        if (now >= until)
            throw Timeout(fmt::format("remoteobj: the listener at {} accepted no connection before this thread's "
                                      "remoteobj::deadline (its backlog is full: it is stopped, or does not accept)",
                                      address.text));
        std::this_thread::sleep_for(std::min<deadline::clock::duration>(pause, until - now));
        pause = std::min(pause * 2, std::chrono::microseconds(20'000));
    }
    // Blocking from here on, as without a deadline.
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) throw SystemError(errno, "fcntl(F_SETFL)");
    return fd;  // its reader may wait in read(); writes and polling reads say MSG_DONTWAIT
}

PeerCredentials peer_credentials(int socket) {
    ucred cred{};
    socklen_t length = sizeof cred;
    if (::getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0)
        throw SystemError(errno, "getsockopt(SO_PEERCRED)");
    return {cred.pid, cred.uid, cred.gid};
}

void send_with_descriptors(int socket, std::span<const std::uint8_t> bytes, std::span<const int> fds) {
    iovec data{const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
    std::vector<char> control(CMSG_SPACE(fds.size_bytes()));
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(fds.size_bytes());
    std::memcpy(CMSG_DATA(header), fds.data(), fds.size_bytes());
    ssize_t n;
    do n = ::sendmsg(socket, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
        throw PeerLost("the other process closed its end of the connection");
    if (n < 0) throw SystemError(errno, "sendmsg(SCM_RIGHTS)");
    if (static_cast<std::size_t>(n) != bytes.size())
        throw Error(fmt::format("remoteobj: a new connection took {} of the {} bytes of its greeting", n, bytes.size()));
}

long receive_with_descriptors(int socket, std::span<std::uint8_t> into, std::vector<Fd>& fds, std::size_t max_fds) {
    iovec data{into.data(), into.size()};
    // Room for max_fds descriptors, aligned as a cmsghdr must be.
    std::vector<cmsghdr> control(CMSG_SPACE(max_fds * sizeof(int)) / sizeof(cmsghdr) + 1);
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control.data();
    message.msg_controllen = CMSG_SPACE(max_fds * sizeof(int));
    ssize_t n;
    do n = ::recvmsg(socket, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) return -1;
    if (n < 0 && errno == ECONNRESET) return 0;
    if (n < 0) throw SystemError(errno, "recvmsg");
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
            fds.emplace_back(fd);
        }
    }
    return static_cast<long>(n);
}

UnixListeningSocket::UnixListeningSocket(const UnixAddress& address, unsigned mode) : fd_(new_socket(SOCK_NONBLOCK)) {
    // Permission bits only: setuid, setgid and sticky bits mean nothing on a socket
    // but that someone passed a number they did not mean.
    if ((mode & ~0777u) != 0)
        throw Error(fmt::format("remoteobj: listen_options{{.mode = 0{:o}}} at {}: a socket file takes permission "
                                "bits only (0777 at most); 0{:o} are not",
                                mode, address.text, mode & ~0777u));
    // The file bind() creates takes the socket's own mode (less the umask): set
    // first, so that it is never more open than asked, even for an instant.
    if (!address.abstract && ::fchmod(fd_.get(), mode) != 0) throw SystemError(errno, "fchmod of a socket");
    bind_replacing_stale(address);
    if (!address.abstract) {
        path_ = address.path;
        // Exactly `mode`: the umask may have taken bits the user asked for.
        struct stat st {};
        if (::chmod(path_.c_str(), mode) != 0 || ::stat(path_.c_str(), &st) != 0) {
            const int error = errno;
            ::unlink(path_.c_str());
            throw SystemError(error, fmt::format("remoteobj: setting the mode of {}", address.text));
        }
        device_ = st.st_dev;
        inode_ = st.st_ino;
    }
    if (::listen(fd_.get(), SOMAXCONN) != 0) {
        const int error = errno;
        if (!path_.empty()) ::unlink(path_.c_str());
        throw SystemError(error, fmt::format("remoteobj: listen() at {}", address.text));
    }
    // A child forked while this listens must not keep the address alive after it ends.
    close_in_children(fd_.get());
}

void UnixListeningSocket::bind_replacing_stale(const UnixAddress& address) {
    const auto* addr = reinterpret_cast<const sockaddr*>(&address.addr);
    if (::bind(fd_.get(), addr, address.length) == 0) return;
    const int error = errno;
    if (error != EADDRINUSE) throw SystemError(error, fmt::format("remoteobj: bind() at {}", address.text));
    // An abstract name vanishes with its socket: taken means taken by a live one.
    if (address.abstract)
        throw Error(fmt::format("remoteobj: {} is already in use by a live listener", address.text));
    struct stat st {};
    if (::lstat(address.path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode))
        throw Error(fmt::format("remoteobj: {} exists and is not a socket; not replaced", address.text));
    if (answers(address))
        throw Error(fmt::format("remoteobj: {} is already served by a live listener (one that accepts, or a busy one "
                                "whose backlog is full); not taken over",
                                address.text));
    // A socket file nobody answers at: a listener that died left it.
    if (::unlink(address.path.c_str()) != 0 && errno != ENOENT)
        throw SystemError(errno, fmt::format("remoteobj: removing the stale socket {}", address.text));
    if (::bind(fd_.get(), addr, address.length) != 0)
        throw SystemError(errno, fmt::format("remoteobj: bind() at {}", address.text));
}

UnixListeningSocket::~UnixListeningSocket() {
    keep_in_children(fd_.get());
    if (path_.empty()) return;
    // Removed only while it is still ours: a listener that replaced it keeps its own.
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_) ::unlink(path_.c_str());
}

Accepted UnixListeningSocket::accept() {
    for (;;) {
        Fd fd{::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK)};
        if (fd) return {std::move(fd)};
        // A client that gave up before it was accepted, or a signal: try the next.
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EAGAIN) return {};
        throw SystemError(errno, "accept4");
    }
}

}  // namespace remoteobj::detail

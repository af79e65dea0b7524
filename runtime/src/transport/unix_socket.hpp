// The UNIX socket transport's system calls: addresses ("unix:/path",
// "unix:@abstract"), a listening socket with its access control, connecting, and
// the peer's credentials as the kernel reports them (never as the peer says).
// Knows nothing of requests or objects.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "remoteobj/channel.hpp"
#include "remoteobj/deadline.hpp"
#include "transport/acceptor.hpp"

namespace remoteobj::detail {

/// A parsed "unix:" address.
struct UnixAddress {
    std::string text;  // as the user wrote it, for messages
    sockaddr_un addr{};
    socklen_t length = 0;
    bool abstract = false;  // "unix:@name": Linux's abstract namespace, no file
    std::string path;       // the socket file, for a path address
};

/// Parses "unix:/path" or "unix:@name"; throws Error naming what is wrong.
UnixAddress parse_unix_address(std::string_view address);

/// Connects to a listening socket (a blocking descriptor, O_CLOEXEC). Throws
/// NotListening when nobody listens there, AccessDenied when the file's mode
/// forbids it, Timeout when the listener's backlog stays full until `until` (this
/// thread's remoteobj::deadline by default; without one, it waits for room),
/// SystemError for anything else.
Fd connect_unix(const UnixAddress& address, deadline::clock::time_point until = deadline::current());

/// What the kernel says of the process at the other end of a connected socket.
struct PeerCredentials {
    int pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
};
PeerCredentials peer_credentials(int socket);

/// Sends all of `bytes` at once (a fresh connection's buffer takes a greeting
/// whole) with `fds` attached (SCM_RIGHTS: the peer gets descriptors of its own
/// for the same files). Throws PeerLost when the peer has gone, SystemError
/// otherwise, Error when the socket took only part of it.
void send_with_descriptors(int socket, std::span<const std::uint8_t> bytes, std::span<const int> fds);

/// One read of at most `into.size()` bytes that does not wait, appending to `fds`
/// the descriptors that came attached (O_CLOEXEC; beyond `max_fds` in all, the
/// kernel closes them). How many bytes: 0 at the end of the stream, -1 when none
/// are there yet. Throws SystemError.
long receive_with_descriptors(int socket, std::span<std::uint8_t> into, std::vector<Fd>& fds,
                              std::size_t max_fds);

/// A listening socket bound to an address. A path address's file is created with
/// `mode` (never wider, even for an instant) and removed again when this ends,
/// unless another socket has taken its place meanwhile. A stale file left by a
/// dead listener is replaced; a live listener's is not (Error).
class UnixListeningSocket final : public Acceptor {
public:
    UnixListeningSocket(const UnixAddress& address, unsigned mode);
    ~UnixListeningSocket() override;
    UnixListeningSocket(const UnixListeningSocket&) = delete;
    UnixListeningSocket& operator=(const UnixListeningSocket&) = delete;

    int fd() const noexcept override { return fd_.get(); }
    Accepted accept() override;

private:
    void bind_replacing_stale(const UnixAddress& address);

    Fd fd_;
    std::string path_;  // removed at the end, if it is still our socket
    dev_t device_ = 0;
    ino_t inode_ = 0;
};

}  // namespace remoteobj::detail

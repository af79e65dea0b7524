// The calling end of a connection to a named endpoint; see connection.hpp.
#include <poll.h>

#include <fmt/format.h>

#include "remoteobj/connection.hpp"
#include "remoteobj/deadline.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/link.hpp"
#include "transport/unix_socket.hpp"

namespace remoteobj::detail {

SocketConnection::SocketConnection(std::string_view address, const Interface& ours, std::size_t max_message)
    : address_(address),
      max_message_(max_message),
      owner_(checked_pid()),
      fd_(connect_unix(parse_unix_address(address))),
      replies_(fd_.get(), max_message, true) {
    close_in_children(fd_.get());
    struct Registered {  // undone if what follows throws
        int fd;
        bool done = false;
        ~Registered() {
            if (!done) keep_in_children(fd);
        }
    } registered{fd_.get()};
    // The kernel's word for who listens (never what the peer says): its pidfd is
    // what a waiting caller watches.
    listener_ = peer_credentials(fd_.get()).pid;
    read_greeting(ours);
    registered.done = true;
}

SocketConnection::~SocketConnection() {
    if (this_pid() == owner_) {
        keep_in_children(fd_.get());
        return;  // fd_ closes it
    }
    // A forked child's copy: the descriptor was closed at the fork, and its number
    // may name something else of the child's by now.
    [[maybe_unused]] const int closed_at_fork = fd_.release();
}

void SocketConnection::check_listening(const char* what) {
    if (this_pid() != owner_)
        throw Error(fmt::format("{}: this connection to {} belongs to process {}, which made it; a process forked "
                                "from it calls through a connect() of its own",
                                what, address_, owner_));
}

void SocketConnection::read_greeting(const Interface& ours) {
    const auto until = deadline::current();
    Bytes frame;
    for (;;) {
        const auto status = replies_.next(frame);
        if (status == FrameReader::Status::Closed)
            throw PeerLost(fmt::format("{}: the listener at {} closed the connection before greeting it",
                                       ours.class_name, address_));
        if (status == FrameReader::Status::Frame) break;
        if (wait_fd(fd_.get(), POLLIN, -1, poll_timeout(until)) == Ready::Timeout &&
            deadline::clock::now() >= until)
            throw Timeout(fmt::format("{}: the listener at {} did not greet this connection before this thread's "
                                      "remoteobj::deadline",
                                      ours.class_name, address_));
    }
    const wire::Envelope* envelope = verify_envelope(frame);
    const wire::Hello* hello = envelope ? envelope->message_as_Hello() : nullptr;
    if (!hello)
        throw ProtocolError(fmt::format("{}: what listens at {} did not greet this connection as a remoteobj "
                                        "listener does",
                                        ours.class_name, address_));
    if (hello->refused() && hello->refused()->size() > 0) throw AccessDenied(hello->refused()->str());
    if (hello->protocol() != protocol_version)
        throw ProtocolError(fmt::format("{}: the listener at {} (pid {}) speaks protocol version {}, this process {}",
                                        ours.class_name, address_, listener_, hello->protocol(), protocol_version));
    if (hello->interface() != ours.hash)
        throw InterfaceMismatch(fmt::format(
            "{}: the listener at {} (pid {}) serves {} built from a different header (caller's interface hash "
            "{:016x}, listener's {:016x}); rebuild both",
            ours.class_name, address_, listener_, hello->class_name() ? hello->class_name()->str() : "?", ours.hash,
            hello->interface()));
    epoch_ = hello->epoch();
}

}  // namespace remoteobj::detail

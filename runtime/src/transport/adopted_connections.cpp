// Connections handed to a listener as connected sockets; see acceptor.hpp.
#include <sys/socket.h>

#include <cerrno>

#include "remoteobj/error.hpp"
#include "transport/acceptor.hpp"

namespace remoteobj::detail {

namespace {

class AdoptedAcceptor final : public Acceptor {
public:
    explicit AdoptedAcceptor(std::shared_ptr<AdoptedConnections> adopted) : adopted_(std::move(adopted)) {}
    ~AdoptedAcceptor() override { adopted_->close(); }
    int fd() const noexcept override { return adopted_->fd(); }
    Accepted accept() override { return adopted_->take(); }

private:
    std::shared_ptr<AdoptedConnections> adopted_;
};

}  // namespace

AdoptedConnections::AdoptedConnections() : ready_(open_eventfd()) {}

bool AdoptedConnections::adopt(Accepted connection) {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    queued_.push_back(std::move(connection));
    ring(ready_.get());
    return true;
}

Accepted AdoptedConnections::take() {
    std::lock_guard lock(mutex_);
    if (queued_.empty()) {
        (void)drain(ready_.get());  // poll() waits on it again until the next adopt()
        return {};
    }
    Accepted connection = std::move(queued_.front());
    queued_.pop_front();
    return connection;
}

bool AdoptedConnections::closed() {
    std::lock_guard lock(mutex_);
    return closed_;
}

void AdoptedConnections::close() noexcept {
    std::lock_guard lock(mutex_);
    closed_ = true;
    queued_.clear();
}

std::unique_ptr<Acceptor> AdoptedConnections::acceptor(std::shared_ptr<AdoptedConnections> adopted) {
    return std::make_unique<AdoptedAcceptor>(std::move(adopted));
}

void open_socket_pair(Fd& one, Fd& other) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) != 0)
        throw SystemError(errno, "socketpair");
    one = Fd(fds[0]);
    other = Fd(fds[1]);
}

}  // namespace remoteobj::detail

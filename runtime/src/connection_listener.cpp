// Serving a named endpoint's connections; see connection_listener.hpp.
#include "connection_listener.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj::detail {
namespace {

// A reply queue over this is given back once it empties.
constexpr std::size_t shrink_queue_above = 1u << 20;

}  // namespace

ConnectionListener::Client::Client(Fd socket, PeerCredentials credentials, std::size_t max_message)
    : in(std::move(socket)), peer(credentials), reader(in.get(), max_message, FrameReader::Source::socket) {
    close_in_children(in.get());  // its caller sees end-of-file when this process dies
}

ConnectionListener::Client::Client(Fd requests, Fd replies, Fd guard_end, PeerCredentials credentials,
                                   std::size_t max_message)
    : in(std::move(requests)), out(std::move(replies)), guard(std::move(guard_end)), peer(credentials),
      reader(in.get(), max_message) {
    for (int fd : {in.get(), out.get(), guard.get()}) close_in_children(fd);
}

ConnectionListener::Client::~Client() {
    for (const Fd* fd : {&in, &out, &guard})
        if (*fd) keep_in_children(fd->get());
}

ConnectionListener::ConnectionListener(std::string_view address, const Target& target, listen_options options,
                                       std::size_t max_message, std::uint32_t epoch, bool foreground,
                                       bool hand_over_pipes)
    : socket_(std::make_unique<UnixListeningSocket>(parse_unix_address(address), options.mode)),
      target_(target),
      options_(std::move(options)),
      max_message_(max_message),
      epoch_(epoch),
      foreground_(foreground),
      hand_over_pipes_(hand_over_pipes),
      wake_(open_eventfd()),
      ended_(open_eventfd()) {
    if (foreground_) return;
    try {
        thread_ = std::thread([this] {
            run();
            if (orphaned_) delete this;  // its guard was destroyed by a request it served
        });
    } catch (const std::system_error& e) {
        throw SystemError(e.code().value(), fmt::format("{}: starting the listener at {}",
                                                        target_.interface().class_name, address));
    }
}

ConnectionListener::~ConnectionListener() { stop(); }

bool ConnectionListener::on_own_thread() const noexcept {
    return thread_.joinable() && thread_.get_id() == std::this_thread::get_id();
}

void ConnectionListener::request_stop() noexcept {
    if (!stopped_.exchange(true)) ring(wake_.get());
}

void ConnectionListener::stop() {
    request_stop();
    if (foreground_) {
        finish();
        return;
    }
    if (on_own_thread()) {
        // A request this listener serves stops it: it ends after this request, and
        // the next stop() from another thread joins it.
        end_running();
        return;
    }
    if (joined_) return;
    joined_ = true;
    if (thread_.joinable()) thread_.join();
}

void ConnectionListener::orphan() noexcept {
    orphaned_ = true;
    thread_.detach();
}

void ConnectionListener::end_running() noexcept {
    running_.store(false, std::memory_order_release);
    ring(ended_.get());
}

bool ConnectionListener::allowed(uid_t uid) const noexcept {
    if (options_.allow_uids.empty()) return uid == ::geteuid();
    return std::find(options_.allow_uids.begin(), options_.allow_uids.end(), uid) != options_.allow_uids.end();
}

void ConnectionListener::run() {
    std::size_t served = 0;
    while (running() && serve_round(-1, served)) {
    }
    finish();
}

std::size_t ConnectionListener::process_requests() {
    if (!running() || stopped_.load()) return 0;
    std::size_t served = 0;
    serve_round(0, served);
    return served;
}

bool ConnectionListener::serve_round(int timeout_ms, std::size_t& served) {
    std::vector<pollfd>& fds = polled_;
    fds.clear();
    polled_clients_.clear();
    fds.push_back({wake_.get(), POLLIN, 0});
    fds.push_back({accept_paused_ ? -1 : socket_->fd(), POLLIN, 0});
    for (const auto& client : clients_) {
        const bool waiting_to_write = !client->out_queue.empty();
        // While its replies wait, nothing is read from it; a pipe's caller that dies
        // meanwhile still shows as POLLHUP on its request pipe.
        if (!waiting_to_write || client->piped()) {
            fds.push_back({client->in.get(), static_cast<short>(waiting_to_write ? 0 : POLLIN), 0});
            polled_clients_.push_back(client.get());
        }
        if (waiting_to_write) {
            fds.push_back({client->out_fd(), POLLOUT, 0});
            polled_clients_.push_back(client.get());
        }
    }
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0) {
        if (errno == EINTR) return true;
        std::fprintf(stderr, "remoteobj: %s listener stopped: poll: %s\n", target_.interface().class_name,
                     std::strerror(errno));
        return false;
    }
    if (fds[0].revents) return false;  // stop()
    if (fds[1].revents) accept_clients();
    // Only the clients polled this round: accept_clients() may have added more.
    for (std::size_t i = 2; i < fds.size() && running(); ++i) {
        Client& client = *polled_clients_[i - 2];
        const short revents = fds[i].revents;
        if (!revents || client.gone) continue;
        if (!client.out_queue.empty()) {
            if (revents & (POLLERR | POLLHUP)) client.gone = true;  // on either of its descriptors
            else if (fds[i].fd == client.out_fd() && flush(client))
                served += serve_client(client, false);  // what is buffered already
        } else {
            served += serve_client(client, false);
        }
    }
    drop_gone_clients();
    return true;
}

void ConnectionListener::accept_clients() {
    for (;;) {
        Fd fd;
        try {
            fd = socket_->accept();
        } catch (const SystemError& e) {
            // Out of descriptors: the socket stays readable, so stop asking until a
            // client leaves instead of spinning on it.
            std::fprintf(stderr, "remoteobj: %s listener cannot accept a connection now: %s\n",
                         target_.interface().class_name, e.what());
            accept_paused_ = true;
            return;
        }
        if (!fd) return;
        PeerCredentials peer;
        try {
            peer = peer_credentials(fd.get());
        } catch (const SystemError&) {
            continue;  // gone already: nothing to greet
        }
        const bool welcome = allowed(peer.uid);
        if (welcome && hand_over_pipes_) {
            if (auto client = hand_over(std::move(fd), peer)) clients_.push_back(std::move(client));
            continue;
        }
        auto client = std::make_unique<Client>(std::move(fd), peer, max_message_);
        reply_.Clear();
        const char* name = target_.interface().class_name;
        auto class_name = reply_.CreateString(name);
        flatbuffers::Offset<flatbuffers::String> refused;
        if (!welcome)
            refused = reply_.CreateString(fmt::format(
                "the listener of {} (pid {}) refuses uid {}: only uids in listen_options{{.allow_uids}} may connect "
                "({})",
                name, ::getpid(), peer.uid,
                options_.allow_uids.empty() ? fmt::format("by default its own, {}", ::geteuid())
                                            : fmt::format("{}", fmt::join(options_.allow_uids, ", "))));
        finish_hello(class_name, refused);
        try {
            send(*client, bytes_of(reply_));  // a fresh socket's buffer takes it whole
        } catch (const Error&) {
            continue;  // it left at once
        }
        if (welcome) clients_.push_back(std::move(client));
    }
}

void ConnectionListener::finish_hello(flatbuffers::Offset<flatbuffers::String> class_name,
                                      flatbuffers::Offset<flatbuffers::String> refused) {
    auto hello = wire::CreateHello(reply_, protocol_version, target_.interface().hash, class_name, epoch_, refused);
    reply_.FinishSizePrefixed(wire::CreateEnvelope(reply_, wire::Message::Hello, hello.Union()));
}

std::unique_ptr<ConnectionListener::Client> ConnectionListener::hand_over(Fd socket, PeerCredentials peer) {
    // The caller writes requests without waiting (its ends of the request pipe are
    // non-blocking) and waits for replies in read() (its reply end blocks); this
    // side polls both of its ends.
    Fd request_read, request_write, reply_read, reply_write;
    try {
        open_pipe(request_read, request_write);
        open_pipe(reply_read, reply_write, /*blocking read end*/ true);
    } catch (const SystemError& e) {
        std::fprintf(stderr, "remoteobj: %s listener cannot make a connection's pipes now: %s\n",
                     target_.interface().class_name, e.what());
        return nullptr;  // the caller sees its connection closed
    }
    reply_.Clear();
    finish_hello(reply_.CreateString(target_.interface().class_name), {});
    // What the caller keeps: where it writes requests, where it reads replies, and
    // the request pipe's read end, so that a request to a listener that died fills
    // the pipe instead of raising SIGPIPE there.
    const int handed[] = {request_write.get(), reply_read.get(), request_read.get()};
    try {
        send_with_descriptors(socket.get(), bytes_of(reply_), handed);
    } catch (const Error&) {
        return nullptr;  // it left at once
    }
    return std::make_unique<Client>(std::move(request_read), std::move(reply_write), std::move(reply_read), peer,
                                    max_message_);
}

std::size_t ConnectionListener::serve_client(Client& client, bool refuse) {
    std::size_t served = 0;
    try {
        Bytes frame;
        while (!client.gone && client.out_queue.empty()) {
            const auto status = client.reader.next(frame);
            if (status == FrameReader::Status::Empty) return served;
            if (status == FrameReader::Status::Closed) {
                client.gone = true;
                return served;
            }
            // Garbage between frame boundaries names no request to answer, but the
            // framing holds: serving goes on with the next frame.
            const wire::Envelope* envelope = verify_envelope(frame);
            const wire::Request* request = envelope ? envelope->message_as_Request() : nullptr;
            if (!request) continue;
            serve_request(target_, *request, epoch_, refuse, reply_, max_message_);
            ++served;
            if (request->oneway())
                report_oneway_failure(target_, *request, reply_);
            else
                send(client, bytes_of(reply_));
            // The last read emptied the socket: back to poll() rather than a read
            // that would only say so (a system call per request saved).
            if (client.reader.drained()) return served;
        }
    } catch (const PeerLost&) {
        client.gone = true;  // it closed its end while we wrote
    } catch (const std::exception& e) {
        // An oversized frame (its stream cannot be resynchronised) or a failed read:
        // this connection ends, the others are served on.
        std::fprintf(stderr, "remoteobj: %s listener dropped the connection of pid %d: %s\n",
                     target_.interface().class_name, client.peer.pid, e.what());
        client.gone = true;
    }
    return served;
}

void ConnectionListener::send(Client& client, Bytes frame) {
    if (!client.out_queue.empty()) {
        client.out_queue.insert(client.out_queue.end(), frame.begin(), frame.end());
        return;
    }
    const std::size_t sent = client.writer().try_write(frame);
    if (sent < frame.size()) {
        // Its socket is full: the rest waits, and nothing more is read from it until
        // it reads its replies.
        client.out_queue.assign(frame.begin() + static_cast<std::ptrdiff_t>(sent), frame.end());
        client.out_sent = 0;
    }
}

bool ConnectionListener::flush(Client& client) {
    try {
        const Bytes rest = Bytes(client.out_queue).subspan(client.out_sent);
        client.out_sent += client.writer().try_write(rest);
    } catch (const Error&) {
        client.gone = true;
        return false;
    }
    if (client.out_sent < client.out_queue.size()) return false;
    client.out_queue.clear();
    client.out_sent = 0;
    if (client.out_queue.capacity() > shrink_queue_above) std::vector<std::uint8_t>().swap(client.out_queue);
    return true;
}

void ConnectionListener::drop_gone_clients() {
    const auto gone = std::remove_if(clients_.begin(), clients_.end(), [](const auto& c) { return c->gone; });
    if (gone == clients_.end()) return;
    clients_.erase(gone, clients_.end());
    accept_paused_ = false;  // a descriptor came free
}

void ConnectionListener::finish() {
    if (finished_) return;
    finished_ = true;
    end_running();
    socket_.reset();  // refuses new callers at once, and removes the socket file
    // Requests that have fully arrived are served (or refused); each caller is then
    // told that this listener closed, and its connection ends. Nothing here waits
    // for a caller: a reply its socket does not take is lost with the connection,
    // which the caller sees as PeerLost.
    reply_.Clear();
    for (const auto& client : clients_) {
        if (!client->out_queue.empty() && !flush(*client)) continue;
        serve_client(*client, !options_.fulfill_final);
        if (client->gone || !client->out_queue.empty()) continue;
        reply_.Clear();
        auto closed = wire::CreateClosed(reply_, epoch_);
        reply_.FinishSizePrefixed(wire::CreateEnvelope(reply_, wire::Message::Closed, closed.Union()));
        try {
            send(*client, bytes_of(reply_));
        } catch (const Error&) {
            // It is gone already: nobody to tell.
        }
    }
    clients_.clear();
}

}  // namespace remoteobj::detail

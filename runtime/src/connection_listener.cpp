// Serving a named endpoint's connections; see connection_listener.hpp.
#include "connection_listener.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "remoteobj/envelope.hpp"
#include "peer_report.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj::detail {
namespace {

// A reply queue over this is given back once it empties.
constexpr std::size_t shrink_queue_above = 1u << 20;
// Fewer clients than this at once leave too little behind to be worth a heap trim.
constexpr std::size_t trim_after_clients = 64;
// Each direction of a shared-memory connection: a frame larger crosses in pieces.
constexpr std::size_t ring_capacity = 1u << 20;
// Rounds that found ring work by spinning, between two polls of everything else
// (stop, new connections, sockets and pipes, the ring callers' deaths).
constexpr int rounds_between_polls = 64;
// The epoll tokens of what is not a client (a client's is the address of its Watch).
enum : std::uint64_t {
    token_stop,
    token_accept,
    token_emitted,
    token_again,    // foreground: work left over from the last round
    token_creator,  // a link's maker died
    token_door,     // something came at a link's door
    tokens_not_clients
};
// Ready descriptors taken per round.
constexpr int ready_per_round = 256;

// A pipe to ring as a bell: its blocking read end into `read_end`, and its
// (non-blocking) write end returned.
Fd open_bell(Fd& read_end) {
    Fd write_end;
    open_pipe(read_end, write_end, true);
    return write_end;
}

}  // namespace

ConnectionListener::Client::Client(Fd socket, PeerCredentials credentials, std::size_t max_message)
    : in(std::move(socket)), peer(credentials), reader(in.get(), max_message, FrameReader::Source::socket) {
    for (const Fd* fd : descriptors()) close_in_children(fd->get());  // its caller sees end-of-file when we die
}

ConnectionListener::Client::Client(Fd requests, Fd replies, Fd guard_end, PeerCredentials credentials,
                                   std::size_t max_message)
    : in(std::move(requests)), out(std::move(replies)), guard(std::move(guard_end)), peer(credentials),
      reader(in.get(), max_message) {
    for (const Fd* fd : descriptors()) close_in_children(fd->get());
}

ConnectionListener::Rings::Rings(std::size_t capacity, int caller_pid)
    : region(2, capacity),
      request_wake(open_eventfd()),
      room_wake(open_eventfd()),
      caller_reply_bell(open_bell(caller_reply_bell_read)),
      caller_room_wake(open_eventfd()),
      caller_pidfd(open_pidfd(caller_pid)),
      requests(region, 0, caller_room_wake.get()),
      replies(region, 1, caller_reply_bell.get()) {}

ConnectionListener::Client::Client(std::unique_ptr<Rings> shared, PeerCredentials credentials,
                                   std::size_t max_message)
    : rings(std::move(shared)), peer(credentials), reader(-1, max_message) {
    reader.attach(&rings->requests, rings->request_wake.get(), rings->caller_pidfd.get(), credentials.pid);
    for (const Fd* fd : descriptors()) close_in_children(fd->get());
}

ConnectionListener::Client::~Client() {
    for (const Fd* fd : descriptors()) keep_in_children(fd->get());
}

std::vector<const Fd*> ConnectionListener::Client::descriptors() const {
    std::vector<const Fd*> open;
    for (const Fd* fd : {&in, &out, &guard}) open.push_back(fd);
    if (rings)
        for (const Fd* fd : {&rings->request_wake, &rings->room_wake, &rings->caller_reply_bell_read,
                             &rings->caller_reply_bell, &rings->caller_room_wake, &rings->caller_pidfd})
            open.push_back(fd);
    std::erase_if(open, [](const Fd* fd) { return !*fd; });
    return open;
}

ConnectionListener::ConnectionListener(std::string_view address, const Target& target, listen_options options,
                                       std::size_t max_message, std::uint32_t epoch, bool foreground,
                                       Handover handover, SessionHooks hooks)
    : acceptor_(std::make_unique<UnixListeningSocket>(parse_unix_address(address), options.mode)),
      target_(target),
      options_(std::move(options)),
      max_message_(max_message),
      epoch_(epoch),
      foreground_(foreground),
      handover_(handover),
      hooks_(std::move(hooks)),
      wake_(open_eventfd()),
      ended_(open_eventfd()),
      again_(foreground ? open_eventfd() : Fd{}),
      events_wake_(open_eventfd()),
      bell_(std::make_shared<EventBell>(events_wake_.get())) {
    start(address);
}

ConnectionListener::ConnectionListener(std::unique_ptr<Acceptor> acceptor, std::string_view source,
                                       const Target& target, listen_options options, std::size_t max_message)
    : acceptor_(std::move(acceptor)),
      target_(target),
      options_(std::move(options)),
      max_message_(max_message),
      epoch_(1),
      foreground_(false),
      handover_(Handover::none),
      wake_(open_eventfd()),
      ended_(open_eventfd()),
      events_wake_(open_eventfd()),
      bell_(std::make_shared<EventBell>(events_wake_.get())) {
    start(source);
}

void ConnectionListener::start(std::string_view source) {
    epoll_ = Fd{::epoll_create1(EPOLL_CLOEXEC)};
    if (!epoll_) throw SystemError(errno, "epoll_create1");
    const int door = hooks_.maker_door ? hooks_.maker_door->fd() : -1;
    for (auto [fd, token] : {std::pair{wake_.get(), token_stop}, std::pair{acceptor_->fd(), token_accept},
                             std::pair{events_wake_.get(), token_emitted}, std::pair{again_.get(), token_again},
                             std::pair{hooks_.creator_pidfd, token_creator}, std::pair{door, token_door}}) {
        if (fd < 0) continue;
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = token;
        if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) throw SystemError(errno, "epoll_ctl");
    }
    ready_.resize(ready_per_round);
    spare_ = Fd{::open("/dev/null", O_RDONLY | O_CLOEXEC)};  // none: refusals at the limit go unsaid
    if (hooks_.creator_pidfd == -2) request_stop();  // the maker died first: nobody is left to call
    if (foreground_) return;
    try {
        thread_ = std::thread([this] {
            run();
            end_thread();
        });
    } catch (const std::system_error& e) {
        throw SystemError(e.code().value(), fmt::format("{}: starting the listener at {}",
                                                        target_.interface().class_name, source));
    }
}

ConnectionListener::~ConnectionListener() {
    stop();
    bell_->silence();  // Signals may outlive this listener: its eventfd closes now
}

bool ConnectionListener::on_own_thread() const noexcept {
    const auto self = std::this_thread::get_id();
    return (thread_.joinable() && thread_.get_id() == self) || foreground_thread_.load() == self;
}

void ConnectionListener::end_thread() {
    // Its guard was destroyed by a request it served: what owns this loop goes now.
    if (!orphaned_) return;
    if (hooks_.owner) delete hooks_.owner;
    else delete this;
}

void ConnectionListener::request_stop() noexcept {
    if (!stopped_.exchange(true)) ring(wake_.get());
}

void ConnectionListener::stop() {
    request_stop();
    if (on_own_thread()) {
        // A request this listener serves stops it: it ends after this request, and
        // the next stop() from another thread joins it. Its socket closes now, so
        // that a caller who has this request's reply finds nobody listening.
        acceptor_.reset();
        end_running();
        return;
    }
    if (foreground_) {
        std::lock_guard lock(foreground_mutex_);  // after a process_requests() on another thread
        finish();
        return;
    }
    if (joined_) return;
    joined_ = true;
    if (thread_.joinable()) thread_.join();
}

void ConnectionListener::orphan() noexcept {
    orphaned_ = true;
    if (thread_.joinable()) thread_.detach();
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
    std::unique_lock lock(foreground_mutex_);
    if (finished_) return 0;
    std::size_t served = 0;
    drain(again_.get());
    foreground_thread_.store(std::this_thread::get_id());
    const bool go_on = !stopped_.load() && serve_round(0, served) && !stopped_.load();
    foreground_thread_.store({});
    if (!go_on) {
        // Stopped (by a request it served, the maker's death, stop()): settled here.
        finish();
        if (orphaned_) {
            lock.unlock();
            end_thread();  // its guard went with a request it served
        }
        return served;
    }
    if (work_left()) ring(again_.get());  // ready_fd() stays readable for it
    return served;
}

bool ConnectionListener::work_left() {
    if (!running() || stopped_.load()) return false;
    if (!pending_delivery_.empty()) return true;
    for (const auto& client : clients_)
        if (client->rings && !client->gone && !poll_rings(*client)) return true;  // armed, unless bytes came
    return false;
}

bool ConnectionListener::serve_round(int timeout_ms, std::size_t& served) {
    // Ring clients first: while one has work within the spin budget, the round
    // neither sleeps nor polls, except every few rounds for everything else.
    bool ring_work = ring_clients_ > 0 && timeout_ms != 0 && spin_for_rings();
    if (ring_work && ++rounds_without_poll_ < rounds_between_polls) {
        for (const auto& client : clients_)
            if (client->rings && !client->gone) served += serve_rings(*client, false);
        drop_gone_clients();
        return !stopped_.load(std::memory_order_acquire);
    }
    rounds_without_poll_ = 0;
    if (ring_clients_ > 0)
        for (const auto& client : clients_)
            if (client->rings && !client->gone && !poll_rings(*client)) ring_work = true;
    // A connection with unasked messages left over from the last round.
    const bool to_deliver = !pending_delivery_.empty();
    const int ready = ::epoll_wait(epoll_.get(), ready_.data(), static_cast<int>(ready_.size()),
                                   ring_work || to_deliver ? 0 : timeout_ms);
    if (ready < 0) {
        if (errno == EINTR) return true;
        std::fprintf(stderr, "remoteobj: %s listener stopped: epoll_wait: %s\n", target_.interface().class_name,
                     std::strerror(errno));
        return false;
    }
    bool accept = false, emitted = false;
    for (int i = 0; i < ready; ++i) {
        const std::uint64_t token = ready_[static_cast<std::size_t>(i)].data.u64;
        if (token == token_stop) return false;  // stop()
        // The link's maker died, or destroyed its object: nobody is left to call.
        if (token == token_creator || (token == token_door && maker_closed())) {
            request_stop();
            return false;
        }
        accept = accept || token == token_accept;
        emitted = emitted || token == token_emitted;
    }
    if (accept) accept_clients();
    if (emitted) {
        (void)drain(events_wake_.get());
        bell_->heard();  // from here on, an emission rings again
    }
    // Only the clients that were ready: accept_clients() may have added more.
    for (int i = 0; i < ready && running(); ++i) {
        const epoll_event& event = ready_[static_cast<std::size_t>(i)];
        if (event.data.u64 < tokens_not_clients) continue;
        const Watch& watched = *static_cast<const Watch*>(event.data.ptr);
        Client& client = *watched.client;
        const std::uint32_t revents = event.events;
        if (client.gone) continue;
        if (client.rings) {
            if (watched.fd == client.rings->caller_pidfd.get()) client.caller_died = true;
            else drain(watched.fd);  // rung: read, so that the next wait sleeps again
            continue;
        }
        if (!client.out_queue.empty()) {
            if (revents & (EPOLLERR | EPOLLHUP)) client.gone = true;  // on either of its descriptors
            else if (watched.fd == client.out_fd() && (client.writer().awake(), flush(client)))
                served += serve_client(client, false);  // what is buffered already
        } else {
            served += serve_client(client, false);
        }
        watch(client);
    }
    // Ring clients by what their rings hold, whatever woke the round.
    if (ring_clients_ > 0)
        for (const auto& client : clients_)
            if (client->rings && !client->gone && running()) served += serve_rings(*client, client->caller_died);
    if (emitted) {
        for (const auto& client : clients_) {
            deliver(*client);
            watch(*client);
        }
    } else if (to_deliver) {
        for (Client* client : std::exchange(pending_delivery_, {})) {
            client->pending_delivery = false;
            deliver(*client);
            watch(*client);
        }
    }
    drop_gone_clients();
    return true;
}

bool ConnectionListener::maker_closed() {
    // Every process of the link holds the door's write end, so it is never closed;
    // what any of them writes there is read and dropped, except a Closed.
    FrameReader& door = *hooks_.maker_door;
    try {
        Bytes frame;
        for (;;) {
            const auto status = door.next(frame);
            if (status != FrameReader::Status::Frame) return false;
            const wire::Envelope* envelope = verify_envelope(frame);
            if (envelope && envelope->message_as_Closed()) return true;
        }
    } catch (const std::exception& e) {
        // A frame over door_max_frame: the door cannot be read on from, and is shut.
        report_peer(fmt::format("remoteobj: {} listener stopped reading the link's door: {}",
                                target_.interface().class_name, e.what()));
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, door.fd(), nullptr);
        return false;
    }
}

bool ConnectionListener::poll_rings(Client& client) {
    // Its pidfd and both eventfds are in epoll for good; the rings' flags say
    // whether the caller rings them.
    if (client.out_queue.empty()) return client.reader.arm();  // false: requests came meanwhile
    return client.writer().prepare_wait() != 0;                 // 0: room came meanwhile
}

bool ConnectionListener::set_watch(Watch& watched, Client& client, int fd, std::uint32_t events) {
    if (watched.added && watched.events == events) return true;
    epoll_event event{};
    event.events = events;
    event.data.ptr = &watched;
    watched.client = &client;
    if (::epoll_ctl(epoll_.get(), watched.added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) != 0) {
        report_peer(fmt::format("remoteobj: {} listener dropped the connection of pid {}: epoll_ctl: {}",
                                target_.interface().class_name, client.peer.pid, std::strerror(errno)));
        client.gone = true;
        return false;
    }
    watched.fd = fd;
    watched.events = events;
    watched.added = true;
    return true;
}

bool ConnectionListener::watch_new(Client& client) {
    if (client.rings) {
        const Rings& rings = *client.rings;
        int slot = 0;
        for (int fd : {rings.caller_pidfd.get(), rings.request_wake.get(), rings.room_wake.get()})
            if (!set_watch(client.watches[slot++], client, fd, EPOLLIN)) return false;
        return true;
    }
    watch(client);
    return !client.gone;
}

void ConnectionListener::watch(Client& client) {
    if (client.rings || client.gone) return;
    const bool waiting = !client.out_queue.empty();
    const int in = client.in.get(), out = client.out_fd();
    // While its replies wait, nothing is read from it; a pipe's caller that dies
    // meanwhile still shows as EPOLLHUP on its request pipe (reported whatever the
    // events asked for).
    constexpr std::uint32_t requests = EPOLLIN, nothing = 0;
    const std::uint32_t room = waiting ? static_cast<std::uint16_t>(client.writer().prepare_wait()) : nothing;
    if (out == in) {
        (void)set_watch(client.watches[0], client, in, waiting ? room : requests);
        return;
    }
    if (!set_watch(client.watches[0], client, in, waiting ? nothing : requests)) return;
    (void)set_watch(client.watches[1], client, out, room);
}

void ConnectionListener::unwatch(Client& client) noexcept {
    // Before its descriptors close: a forked child's copy of one would keep its
    // registration, and its events would name a client that is gone.
    for (Watch& watched : client.watches)
        if (watched.added) ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, watched.fd, nullptr);
}

void ConnectionListener::set_accepting(bool accepting) {
    epoll_event event{};
    event.events = accepting ? std::uint32_t{EPOLLIN} : 0;
    event.data.u64 = token_accept;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, acceptor_->fd(), &event);
    accept_paused_ = !accepting;
}

std::size_t ConnectionListener::serve_rings(Client& client, bool died) {
    client.reader.disarm();  // awake: the caller need not ring any more
    std::size_t served = 0;
    const std::uint64_t rung = client.rings->replies.rings();
    try {
        if (!client.out_queue.empty()) {
            client.rings->replies.disarm();
            if (flush(client)) served += serve_client(client, false);
        } else if (client.reader.has_frame() || client.reader.ring_has_bytes()) {
            served += serve_client(client, false);
        }
        // On one CPU, a caller we just woke runs only once we give up the CPU: it
        // gets it now, rather than after the rest of this round and our poll().
        if ((!spin_.enabled() || spin_.resting()) && client.rings->replies.rings() != rung) ::sched_yield();
    } catch (const std::exception& e) {
        report_dropped(client, e);
        client.gone = true;
    }
    if (died) client.gone = true;  // what it sent before dying was served above
    return served;
}

bool ConnectionListener::spin_for_rings() {
    auto has_work = [this] {
        for (const auto& client : clients_) {
            if (!client->rings || client->gone) continue;
            try {
                if (client->out_queue.empty() ? client->reader.has_frame() || client->reader.ring_has_bytes()
                                              : client->rings->replies.room() > 0)
                    return true;
            } catch (const ProtocolError&) {
                return true;  // serve_rings() says what is wrong
            }
        }
        return false;
    };
    if (has_work()) return true;
    if (!spin_.enabled() || spin_.resting()) return spin_.spin(has_work);  // counts the rest down; no spin
    for (const auto& client : clients_)
        if (client->rings) client->reader.disarm();  // spinning: nobody need ring us
    const bool ready = spin_.spin([&] { return stopped_.load(std::memory_order_relaxed) || has_work(); });
    return ready && !stopped_.load(std::memory_order_relaxed);
}

void ConnectionListener::accept_clients() {
    if (!acceptor_) return;  // closed by a request that stopped this listener
    for (;;) {
        Fd fd;
        std::shared_ptr<FrameSink> sink;
        try {
            Accepted accepted = acceptor_->accept();
            fd = std::move(accepted.socket);
            sink = std::move(accepted.replies);
        } catch (const SystemError& e) {
            const Spared spared = refuse_for_descriptors(e);
            if (spared == Spared::refused) continue;
            if (spared == Spared::none_waiting) return;  // accept4() takes a descriptor before it looks
            // Not even that: the socket stays readable, so stop asking until a client
            // leaves instead of spinning on it.
            report_peer(fmt::format("remoteobj: {} listener cannot accept a connection now: {}",
                                    target_.interface().class_name, e.what()));
            set_accepting(false);
            return;
        }
        if (!fd) return;
        PeerCredentials peer;
        try {
            peer = peer_credentials(fd.get());
        } catch (const SystemError&) {
            continue;  // gone already: nothing to greet
        }
        const char* name = target_.interface().class_name;
        if (!allowed(peer.uid)) {
            const std::string allowed_uids = options_.allow_uids.empty()
                                                 ? fmt::format("by default its own, {}", ::geteuid())
                                                 : fmt::format("{}", fmt::join(options_.allow_uids, ", "));
            refuse({std::move(fd), std::move(sink)}, peer,
                   fmt::format("the listener of {} (pid {}) refuses uid {}: only uids in "
                               "listen_options{{.allow_uids}} may connect ({})",
                               name, ::getpid(), peer.uid, allowed_uids),
                   false);
            continue;
        }
        if (clients_.size() >= options_.max_connections) {
            refuse({std::move(fd), std::move(sink)}, peer,
                   fmt::format("the listener of {} (pid {}) serves {} connections, its limit "
                               "(listen_options{{.max_connections}}); try again once one has ended",
                               name, ::getpid(), clients_.size()),
                   true);
            continue;
        }
        std::unique_ptr<Client> client;
        if (handover_ != Handover::none) {
            client = handover_ == Handover::pipes ? hand_over(std::move(fd), peer)
                                                  : hand_over_rings(std::move(fd), peer);
            if (!client) continue;
        } else {
            client = std::make_unique<Client>(std::move(fd), peer, max_message_);
            client->sink = std::move(sink);
            reply_.Clear();
            finish_hello(reply_.CreateString(name), {});
            try {
                send(*client, bytes_of(reply_));  // a fresh socket's buffer takes it whole
            } catch (const Error&) {
                continue;  // it left at once
            }
        }
        client->outbound = std::make_unique<Outbound>(bell_);
        if (!watch_new(*client)) {
            unwatch(*client);
            continue;
        }
        ring_clients_ += client->rings ? 1 : 0;
        clients_.push_back(std::move(client));
        clients_peak_ = std::max(clients_peak_, clients_.size());
    }
}

void ConnectionListener::refuse(Accepted accepted, PeerCredentials peer, const std::string& why, bool busy) {
    // Through a Client of its own, so that it goes where a greeting goes (a gRPC
    // connection's goes into its stream, not its socket); closed on return.
    Client refused(std::move(accepted.socket), peer, max_message_);
    refused.sink = std::move(accepted.replies);
    reply_.Clear();
    const auto class_name = reply_.CreateString(target_.interface().class_name);
    const auto reason = reply_.CreateString(why);
    finish_hello(class_name, reason, busy);
    try {
        send(refused, bytes_of(reply_));  // a fresh socket's buffer takes it whole
    } catch (const Error&) {
        // It left at once: nobody to tell.
    }
}

ConnectionListener::Spared ConnectionListener::refuse_for_descriptors(const SystemError& why) {
    const int error = why.code().value();
    if ((error != EMFILE && error != ENFILE) || !spare_) return Spared::failed;
    // The classic way out: let go of the spare descriptor, accept with it, tell
    // the caller why, and take the spare back.
    spare_ = Fd{};
    Spared spared = Spared::failed;
    try {
        Accepted accepted = acceptor_->accept();
        spared = accepted.socket ? Spared::refused : Spared::none_waiting;
        if (accepted.socket)
            refuse(std::move(accepted), {},
                   fmt::format("the listener of {} (pid {}) is out of file descriptors ({} connections open); try "
                               "again once one has ended",
                               target_.interface().class_name, ::getpid(), clients_.size()),
                   true);
    } catch (const SystemError&) {
        // Taken by another thread meanwhile: say nothing.
    }
    spare_ = Fd{::open("/dev/null", O_RDONLY | O_CLOEXEC)};
    return spare_ ? spared : Spared::failed;
}

void ConnectionListener::finish_hello(flatbuffers::Offset<flatbuffers::String> class_name,
                                      flatbuffers::Offset<flatbuffers::String> refused, bool busy) {
    // The served class's members, which a caller checks its calls against before
    // sending: none to a refused caller, which calls nothing, and none from an
    // Interface without a table (no member to announce, or not generated here).
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::HelloMember>>> members;
    if (refused.IsNull() && target_.interface().members)
        members = announce_members(reply_, target_.interface());
    auto hello = wire::CreateHello(reply_, protocol_version, target_.interface().hash, class_name, epoch_, refused,
                                   busy, members);
    reply_.FinishSizePrefixed(wire::CreateEnvelope(reply_, wire::Message::Hello, hello.Union()));
}

bool ConnectionListener::greet_handing_over(const Fd& socket, std::span<const int> handed) {
    reply_.Clear();
    finish_hello(reply_.CreateString(target_.interface().class_name), {});
    try {
        send_with_descriptors(socket.get(), bytes_of(reply_), handed);
        return true;
    } catch (const Error&) {
        return false;  // it left at once
    }
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
        report_peer(fmt::format("remoteobj: {} listener cannot make a connection's pipes now: {}",
                                target_.interface().class_name, e.what()));
        return nullptr;  // the caller sees its connection closed
    }
    // What the caller keeps: where it writes requests, where it reads replies, and
    // the request pipe's read end, so that a request to a listener that died fills
    // the pipe instead of raising SIGPIPE there.
    const int handed[] = {request_write.get(), reply_read.get(), request_read.get()};
    if (!greet_handing_over(socket, handed)) return nullptr;
    return std::make_unique<Client>(std::move(request_read), std::move(reply_write), std::move(reply_read), peer,
                                    max_message_);
}

std::unique_ptr<ConnectionListener::Client> ConnectionListener::hand_over_rings(Fd socket, PeerCredentials peer) {
    std::unique_ptr<Rings> rings;
    try {
        rings = std::make_unique<Rings>(ring_capacity, peer.pid);
    } catch (const Error& e) {
        report_peer(fmt::format("remoteobj: {} listener cannot make a connection's rings now: {}",
                                target_.interface().class_name, e.what()));
        return nullptr;  // the caller sees its connection closed
    }
    if (!rings->caller_pidfd) return nullptr;  // it died already
    // As this process may run now (what it learnt of spinning stays, unless that changed).
    if (const std::int64_t budget = spin_budget_ns(peer.pid); budget != spin_.max_ns()) spin_ = SpinPolicy(budget);
    // What the caller needs: the region, its bell for replies (the pipe's read end)
    // and its eventfd for room, which we ring, and our two eventfds, which it rings.
    const int handed[] = {rings->region.fd(), rings->caller_reply_bell_read.get(), rings->caller_room_wake.get(),
                          rings->request_wake.get(), rings->room_wake.get()};
    if (!greet_handing_over(socket, handed)) return nullptr;
    return std::make_unique<Client>(std::move(rings), peer, max_message_);
}

std::size_t ConnectionListener::serve_client(Client& client, bool refuse) {
    const std::size_t served = serve_frames(client, refuse);
    deliver(client);
    return served;
}

void ConnectionListener::deliver(Client& client) {
    // Only while the connection takes them at once: what it does not take yet waits
    // in its subscriptions' queues (bounded) or its generators (credited), never in
    // an unbounded queue here.
    if (client.gone || !client.out_queue.empty() || !target_.mutex) return;
    try {
        delivering_.clear();
        if (client.outbound->collect(delivering_, reply_, *target_.mutex, max_message_) > 0)
            send(client, Bytes(delivering_));
        if (delivering_.capacity() > shrink_queue_above) std::vector<std::uint8_t>().swap(delivering_);
        // More than a round's worth: the next round does not sleep, and takes it.
        if (!client.pending_delivery && client.out_queue.empty() && client.outbound->active() &&
            client.outbound->has_work()) {
            client.pending_delivery = true;
            pending_delivery_.push_back(&client);
        }
    } catch (const PeerLost&) {
        client.gone = true;
    } catch (const std::exception& e) {
        report_dropped(client, e);
        client.gone = true;
    }
}

std::size_t ConnectionListener::serve_frames(Client& client, bool refuse) {
    std::size_t served = 0;
    // The replies of a Batch that send() kept back in a ring go out together here,
    // however serving ends.
    struct Publish {
        RingWriter* replies;
        ~Publish() {
            if (replies) replies->publish();
        }
    } publish{client.rings ? &client.rings->replies : nullptr};
    // The object's mutex is taken once for the requests that are here rather than
    // once each (serve_request takes it again, which a recursive mutex allows
    // without an atomic instruction): an atomic instruction waits until the stores
    // of the replies written so far reach the caller's cache, so taking it per
    // request serialises those transfers. Still one request at a time.
    std::unique_lock<std::recursive_mutex> one_at_a_time;
    try {
        // Inside the handler: a ring's index is the caller's word, and a corrupt one
        // throws here, at any moment, finish() included.
        if (target_.mutex && (client.reader.has_frame() || client.reader.ring_has_bytes()))
            one_at_a_time = std::unique_lock(*target_.mutex);
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
            {
                ServingFor serving(client.outbound.get());
                serve_request(target_, *request, epoch_, refuse, reply_, max_message_);
            }
            ++served;
            if (client.outbound->take_deferred())
                ;  // a streaming call: its reply is the stream's last message (deliver())
            else if (request->oneway())
                report_oneway_failure(target_, *request, reply_);
            else
                send(client, bytes_of(reply_), request->batched() && client.reader.has_frame());
            // The last read emptied the socket: back to poll() rather than a read
            // that would only say so (a system call per request saved).
            if (client.reader.drained()) return served;
        }
    } catch (const PeerLost&) {
        client.gone = true;  // it closed its end while we wrote
    } catch (const std::exception& e) {
        // An oversized frame (its stream cannot be resynchronised) or a failed read:
        // this connection ends, the others are served on.
        report_dropped(client, e);
        client.gone = true;
    }
    return served;
}

void ConnectionListener::send(Client& client, Bytes frame, bool batched) {
    if (!client.out_queue.empty()) {
        client.out_queue.insert(client.out_queue.end(), frame.begin(), frame.end());
        return;
    }
    // A reply is out before the next request runs, so that it is not lost if that
    // one kills us; only a Batch asks for less, as on the maker's link (listener.cpp):
    // into its ring now, seen by the caller with the rest of the batch that is here.
    const std::size_t sent =
        batched && client.rings ? client.rings->replies.write(frame, false) : client.writer().try_write(frame);
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
    for (const auto& client : clients_) {
        if (!client->gone) continue;
        unwatch(*client);
        ring_clients_ -= client->rings ? 1 : 0;
        // Its subscriptions end, and its streams' generators are destroyed here.
        if (target_.mutex) client->outbound->close(*target_.mutex);
    }
    const auto gone = std::remove_if(clients_.begin(), clients_.end(), [](const auto& c) { return c->gone; });
    if (gone == clients_.end()) return;
    std::erase_if(pending_delivery_, [](const Client* c) { return c->gone; });
    clients_.erase(gone, clients_.end());
    if (accept_paused_ && acceptor_) set_accepting(true);  // a descriptor came free
    trim_after_crowd();
}

void ConnectionListener::trim_after_crowd() noexcept {
    // A crowd of connections leaves its memory free but kept by malloc (1,000 gRPC
    // connections: 30 MB of a server's 64, until the next crowd). Given back once
    // half of the crowd since the last trim has gone: a trim walks the heap, so a
    // few times per crowd, never per connection.
    clients_peak_ = std::max(clients_peak_, clients_.size());
    if (clients_peak_ < trim_after_clients || clients_.size() > clients_peak_ / 2) return;
    ::malloc_trim(0);
    clients_peak_ = clients_.size();
}

void ConnectionListener::report_dropped(const Client& client, const std::exception& why) const {
    report_peer(fmt::format("remoteobj: {} listener dropped the connection of pid {}: {}",
                            target_.interface().class_name, client.peer.pid, why.what()));
}

void ConnectionListener::finish() {
    if (finished_) return;
    finished_ = true;
    if (hooks_.on_end) hooks_.on_end();  // callers learn first that nobody listens
    // New callers are refused at once (and a socket file goes), before anyone
    // waiting for the end (ended_fd()) wakes and asks whether someone listens.
    acceptor_.reset();
    flush_peer_reports();
    end_running();
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
    for (const auto& client : clients_) {
        unwatch(*client);
        if (target_.mutex) client->outbound->close(*target_.mutex);
    }
    pending_delivery_.clear();
    clients_.clear();
}

}  // namespace remoteobj::detail

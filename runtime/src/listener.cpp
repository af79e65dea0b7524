// Serving requests; see listener.hpp.
#include "remoteobj/listener.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <typeinfo>

#include <fmt/format.h>

#include "remoteobj/detail/wire_scope.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "connection_listener.hpp"
#include "peer_report.hpp"

namespace remoteobj::detail {
namespace {

void finish_reply(flatbuffers::FlatBufferBuilder& reply, std::uint64_t id, wire::Status status,
                  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> value, const RemoteInfo* info = nullptr) {
    flatbuffers::Offset<wire::Failure> failure;
    if (info) failure = write_failure(reply, *info);
    auto response = wire::CreateResponse(reply, id, status, value, failure);
    reply.FinishSizePrefixed(wire::CreateEnvelope(reply, wire::Message::Response, response.Union()));
}

void fail_reply(flatbuffers::FlatBufferBuilder& reply, std::uint64_t id, wire::Status status, const RemoteInfo& info) {
    reply.Clear();  // whatever the member's value table got to
    finish_reply(reply, id, status, 0, &info);
}

RemoteInfo library_failure(const char* type, std::string message) {
    RemoteInfo info;
    info.type = type;
    info.message = std::move(message);
    info.pid = static_cast<int>(::getpid());
    info.process_name = this_process_name();
    return info;
}

// Another open file description of the pipe `fd` reads, without O_NONBLOCK.
Fd open_blocking(int fd) {
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define REMOTEOBJ_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(REMOTEOBJ_TSAN)
    // ThreadSanitizer does not follow a thread cancelled inside read(): poll instead.
    (void)fd;
    return Fd{};
#else
    const std::string path = fmt::format("/proc/self/fd/{}", fd);
    return Fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};  // -1 (no /proc): poll instead
#endif
}

// What a listener keeps of a batch's replies before it writes them: a pipeful.
constexpr std::size_t max_staged_bytes = 64u << 10;

// The zero-length frame creator_died() sends to end a read() that waits for
// requests: whoever reads it takes it for garbage between frames.
constexpr std::uint8_t wake_frame[4] = {0, 0, 0, 0};

}  // namespace

namespace {

void serve_unchecked(const Target& target, const wire::Request& request, std::uint32_t epoch, bool refuse,
                     flatbuffers::FlatBufferBuilder& reply) {
    const Interface& iface = target.interface();
    const std::uint64_t id = request.id();
    if (refuse || request.epoch() != epoch) {
        fail_reply(reply, id, wire::Status::NotListening,
                   library_failure("remoteobj::NotListening",
                                   fmt::format("{}: the listener stopped before serving this request",
                                               iface.class_name)));
        return;
    }
    if (is_stream_control(request.op())) {
        // About a subscription or a stream of this connection, not a member: served
        // under the object's mutex (cancelling destroys a generator's frame).
        if (Outbound* outbound = serving_outbound()) {
            std::lock_guard lock(*target.mutex);
            if (request.op() == wire::Operation::Unsubscribe)
                outbound->unsubscribe(request.stream());
            else if (request.op() == wire::Operation::Credit)
                outbound->credit(request.stream(), request.window());
            else
                outbound->cancel(request.stream());
        }
        clear_builder(reply);
        finish_reply(reply, id, wire::Status::Ok, 0);
        return;
    }
    if (request.path() && request.path()->size() > max_path_steps) {
        fail_reply(reply, id, wire::Status::BadRequest,
                   library_failure("remoteobj::ProtocolError",
                                   fmt::format("{}: a path of {} steps (at most {})", iface.class_name,
                                               request.path()->size(), max_path_steps)));
        return;
    }
    clear_builder(reply);  // a large last reply's memory is given back
    // The value table is built in place, inside the reply: never copied.
    const flatbuffers::uoffset_t mark = begin_nested(reply);
    try {
        std::lock_guard lock(*target.mutex);
        // What adapted arguments refer into (a Slice's string) lives until the member returned.
        detail::WireScope received;
        iface.dispatch(target.object, request, 0, false, reply);
    } catch (const InterfaceMismatch& e) {
        fail_reply(reply, id, wire::Status::InterfaceMismatch, library_failure("remoteobj::InterfaceMismatch", e.what()));
        return;
    } catch (const BadRequest& e) {
        fail_reply(reply, id, wire::Status::BadRequest, library_failure("remoteobj::ProtocolError", e.what()));
        return;
    } catch (...) {
        // Whatever the member threw, standard or not (`throw 42;`), goes back by type.
        fail_reply(reply, id, wire::Status::Raised, describe_current_exception());
        return;
    }
    finish_reply(reply, id, wire::Status::Ok, end_nested(reply, mark));
}

}  // namespace

void serve_request(const Target& target, const wire::Request& request, std::uint32_t epoch, bool refuse,
                   flatbuffers::FlatBufferBuilder& reply, std::size_t max_message) {
    serve_unchecked(target, request, epoch, refuse, reply);
    const std::size_t size = reply.GetSize();
    if (size <= max_message) return;
    // The caller could not read it (and would stop reading, leaving this listener
    // stuck in its write): it gets why instead, and the link stays healthy.
    fail_reply(reply, request.id(), wire::Status::BadRequest,
               library_failure("remoteobj::ProtocolError",
                               fmt::format("{}: the reply (what the member returned or threw) is {} bytes, over the "
                                           "limit of {} bytes for one message (raise it with remoteobj::link_options"
                                           "{{.max_message}} where the Remote or Channel is made)",
                                           target.interface().class_name, size, max_message)));
}

void report_oneway_failure(const Target& target, const wire::Request& request,
                           const flatbuffers::FlatBufferBuilder& reply) {
    const auto* response =
        flatbuffers::GetSizePrefixedRoot<wire::Envelope>(reply.GetBufferPointer())->message_as_Response();
    if (response->status() == wire::Status::Ok) return;
    RemoteInfo info = read_failure(response->failure());
    // Rate-limited: a caller can send as many failing one-way calls as it likes.
    report_peer(fmt::format("remoteobj: one-way call to {} (member {}) failed: {}: {}", target.interface().class_name,
                            request.member(), info.type, info.message));
}

bool still_running(int pid) {
    Fd pidfd = open_pidfd(pid);
    return pidfd && wait_fd(pidfd.get(), POLLIN, -1, 0) == Ready::Timeout;
}

Listener::Listener(Link& link, const Target& target, Mode mode, listen_options options)
    : link_(link),
      target_(target),
      mode_(mode),
      options_(options),
      wake_(open_eventfd()),
      ended_(open_eventfd()),
      events_wake_(open_eventfd()),
      bell_(std::make_shared<EventBell>(events_wake_.get())),
      maker_(std::make_unique<Outbound>(bell_)) {
    SharedFlags& flags = link_.flags();
    // What can fail for want of descriptors comes before anything is published: a
    // failed start leaves the link as it was, never marked listening.
    if (mode_ == Mode::background) blocking_ = open_blocking(link_.requests().fd());
    const int creator = flags.creator_pid.load();
    if (creator > 0 && creator != checked_pid()) {  // checked: this may be a raw fork's child
        creator_pid_ = creator;
        creator_ = open_pidfd(creator);  // empty if it is gone already
    }
    std::uint32_t expected = 0;
    if (!flags.listening.compare_exchange_strong(expected, 2)) {
        // A listener killed outright never cleared the flag: its place is free.
        const int holder = flags.listener_pid.load();
        if (expected != 1 || still_running(holder) || !flags.listening.compare_exchange_strong(expected, 2))
            throw Error(fmt::format("{}: already listening (pid {})", target_.interface().class_name, holder));
    }
    // Published in this order so that a caller who sees `listening` also sees the
    // handshake, epoch and pid it belongs to.
    flags.protocol.store(protocol_version);
    flags.interface_hash.store(target_.interface().hash);
    epoch_ = flags.epoch.fetch_add(1) + 1;
    try {
        // Other processes connect to this session before they see it announced, and
        // each goes on over a pipe pair the greeting hands it. Abstract socket names
        // are shared by everything in the network namespace (no file, so no mode):
        // the uid check keeps other users out.
        others_ = std::make_unique<ConnectionListener>(link_.session_address(epoch_), target_, options_,
                                                       link_.max_message(), epoch_, mode_ == Mode::foreground,
                                                       link_.shared_memory() ? Handover::rings : Handover::pipes);
        if (mode_ == Mode::foreground) watch_for_ready();
    } catch (...) {
        flags.listening.store(0);  // the start is undone: the link is as it was
        throw;
    }
    flags.listener_pid.store(this_pid());
    flags.listening.store(1);
    link_.notify_changed();
    try {
        if (mode_ == Mode::background)
            thread_ = std::thread([this] {
                run();
                if (orphaned_) delete this;  // its guard was destroyed by a request it served
            });
        if (creator_pid_) watcher_ = std::thread([this] { watch_creator(); });
    } catch (const std::system_error& e) {
        stop();  // undoes the start: the flag cleared, the thread that did start joined
        throw SystemError(e.code().value(), fmt::format("{}: starting the listener", target_.interface().class_name));
    }
}

Listener::~Listener() {
    stop();
    bell_->silence();  // Signals may outlive this listener: its eventfd closes now
}

bool Listener::on_own_thread() const noexcept {
    return (thread_.joinable() && thread_.get_id() == std::this_thread::get_id()) ||
           (others_ && others_->on_own_thread());
}

void Listener::stop() {
    if (!stopped_.exchange(true)) {
        if (others_) others_->request_stop();
        link_.flags().listening.store(0);
        // Wakes the thread, and from now on makes any reply write that would block give
        // up instead: a caller that stopped reading must not keep us from stopping.
        ring(wake_.get());
    }
    if (on_own_thread()) {
        // A request this listener serves stops it: the thread cannot join itself. It
        // serves nothing after this request and settles the rest itself; the next
        // stop() from another thread (the guard's destructor) joins it.
        end_running();
        return;
    }
    if (joined_) return;
    joined_ = true;
    if (others_) others_->stop();  // settles the other processes' requests, tells them it closed
    // The watcher ends at the wake-up, if the creator's death has not ended it.
    if (watcher_.joinable()) watcher_.join();
    if (thread_.joinable()) {
        // The thread may be waiting in read(), which the wake-up above does not end.
        // Cancellation is off everywhere else in it, so this acts there or nowhere.
        if (blocking_) ::pthread_cancel(thread_.native_handle());
        thread_.join();
        if (!finished_) {
            // Cancelled in its wait: it settles nothing, so settle here.
            std::lock_guard lock(serve_mutex_);
            finish();
        }
    } else if (!finished_) {
        std::lock_guard lock(serve_mutex_);
        finish();
    }
    link_.notify_changed();
}

void Listener::orphan() noexcept {
    // Only from the listener's own threads, after stop(): the pipe's std::thread
    // lets go of it here, and deletes the listener once run() returns (see the
    // constructor), which joins the other processes' thread.
    orphaned_ = true;
    const bool from_others = !(thread_.joinable() && thread_.get_id() == std::this_thread::get_id());
    thread_.detach();
    // From the other processes' thread: the pipe's thread may be waiting in read().
    if (from_others) end_blocking_read();
}

std::size_t Listener::process_requests() {
    std::lock_guard lock(serve_mutex_);
    if (!running()) return 0;
    (void)drain(again_.get());
    std::size_t served = serve_pending(false);
    (void)drain(events_wake_.get());
    bell_->heard();
    deliver();
    if (others_) served += others_->process_requests();
    if (link_.requests().partial() && !await_rest_of_frame(0)) end_running();
    // What no descriptor will announce: ready_fd() stays readable for it.
    if (running() && (maker_->has_work() || (others_ && others_->work_left()))) ring(again_.get());
    return served;
}

void Listener::watch_for_ready() {
    ready_ = Fd{::epoll_create1(EPOLL_CLOEXEC)};
    if (!ready_) throw SystemError(errno, "epoll_create1");
    again_ = open_eventfd();
    for (int fd : {link_.requests().fd(), others_->ready_fd(), events_wake_.get(), ended_.get(), again_.get()}) {
        epoll_event event{};
        event.events = EPOLLIN;
        if (::epoll_ctl(ready_.get(), EPOLL_CTL_ADD, fd, &event) != 0) throw SystemError(errno, "epoll_ctl");
    }
}

bool Listener::writer_is_watched() const noexcept { return watcher_.joinable(); }

void Listener::end_running() noexcept {
    running_.store(false, std::memory_order_release);
    ring(ended_.get());
}

void Listener::watch_creator() {
    if (creator_ && wait_fd(creator_.get(), POLLIN, wake_.get(), -1) != Ready::Fd) return;  // stop()
    creator_died();
}

void Listener::creator_died() {
    if (others_) others_->request_stop();
    link_.flags().listening.store(0);
    end_running();
    link_.notify_changed();
    // Ends a poll() of the thread, and makes a reply write that would block give up:
    // its reader is dead.
    ring(wake_.get());
    end_blocking_read();
}

void Listener::end_blocking_read() noexcept {
    // A frame of length zero, which readers skip. A full pipe means the read cannot
    // block, so a write that does not fit is not needed.
    if (blocking_) {
        [[maybe_unused]] auto w = ::write(link_.request_write_fd(), wake_frame, sizeof wake_frame);
    }
}

bool Listener::await_rest_of_frame(int timeout_ms) {
    // The rest of a frame too large for one write(): only the link's maker writes
    // to the pipes, and its death ends listening (watch_creator), which the wake-up
    // says.
    FrameReader& requests = link_.requests();
    while (requests.partial()) {
        pollfd fds[2] = {{requests.fd(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
        const int n = ::poll(fds, 2, timeout_ms);
        if (n < 0 && errno != EINTR) throw SystemError(errno, "poll");
        if (n == 0) return true;  // only looked: the rest is not here yet
        if (n < 0) continue;      // a signal handler ran
        if (fds[1].revents) return false;  // stop()
        if (!requests.fill(requests.fd())) return false;
    }
    return true;
}

void Listener::run() {
    // Cancellation is for stop() to end the wait below, and for nothing else: never
    // inside a request (that would unwind through the user's code).
    int state;
    ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
    FrameReader& requests = link_.requests();
    while (running()) {
        // Serving stops when a read has emptied the pipe, without the read that
        // would only say EAGAIN; then the thread waits. Per request that is one read
        // (which waits) and one write, as for a raw pipe.
        serve_pending(false, true);
        if (!running()) break;
        deliver();
        if (!running()) break;
        if (maker_->active() && !requests.partial()) {
            // The maker subscribed or streams: emissions must wake this thread too,
            // so it polls rather than waiting in read().
            if (!await_requests_or_emissions(maker_->has_work() ? 0 : -1)) break;
        } else if (requests.partial() && !(blocking_ && writer_is_watched())) {
            // A large frame arrives a pipeful at a time (written by hand, when the
            // maker is this process: nobody watches for the writer's death).
            bool go_on = false;
            try {
                go_on = await_rest_of_frame(-1);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "remoteobj: %s listener stopped: %s\n", target_.interface().class_name, e.what());
            }
            if (!go_on) break;
        } else if (blocking_) {
            // Waits for a request, or for the rest of one from the maker, which the
            // watcher watches, a pipeful per read.
            bool open = true;
            ::pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &state);
            do open = requests.fill(blocking_.get());
            while (open && running() && requests.partial() && writer_is_watched());
            ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
            if (!open) break;
        } else if (wait_fd(requests.fd(), POLLIN, wake_.get(), -1) == Ready::Other) {
            break;
        }
    }
    finish();
}

std::size_t Listener::serve_pending(bool refuse, bool until_drained) {
    std::size_t served = 0;
    FrameReader& requests = link_.requests();
    try {
        Bytes frame;
        for (;;) {
            auto status = requests.next(frame);
            if (status == FrameReader::Status::Empty) break;
            if (status == FrameReader::Status::Closed || !serve_frame(frame, refuse)) {
                end_running();
                break;
            }
            ++served;
            if (until_drained && requests.drained()) break;
        }
        flush_staged();  // nothing more of a batch is here
    } catch (const std::exception& e) {
        // An oversized frame or a dead reader: the stream cannot be trusted past
        // this point, so this listener ends (its guard reads false) and says why,
        // once: finish() reads nothing more of it.
        std::fprintf(stderr, "remoteobj: %s listener stopped: %s\n", target_.interface().class_name, e.what());
        broken_ = true;
        end_running();
    }
    return served;
}

bool Listener::serve_frame(Bytes frame, bool refuse) {
    const wire::Envelope* envelope = verify_envelope(frame);
    // Garbage between frame boundaries cannot be answered (it names no request id),
    // but the framing still holds, so serving goes on with the next frame.
    if (!envelope) return true;
    const wire::Request* request = envelope->message_as_Request();
    if (!request) {
        // The link's maker destroyed its object (see ~RemoteCore): nobody is left to call.
        if (envelope->message_as_Closed() && creator_pid_ != 0) return false;
        return true;
    }
    {
        ServingFor serving(maker_.get());
        serve_request(target_, *request, epoch_, refuse, reply_, link_.max_message());
    }
    if (maker_->take_deferred()) return true;  // a streaming call: its reply is the stream's last message
    if (request->oneway()) {
        report_oneway_failure(target_, *request, reply_);
    } else {
        const Bytes reply = bytes_of(reply_);
        // A reply is written before the next request runs, so that it has gone out
        // even if that one kills the process. Only a Batch asks for less: its
        // replies go out together once the part of it that is here has been served.
        if (request->batched() && link_.requests().has_frame() && staged_.size() + reply.size() <= max_staged_bytes) {
            staged_.insert(staged_.end(), reply.begin(), reply.end());
            return true;
        }
        if (staged_.empty()) {
            link_.reply_writer().write(reply, wake_.get());
            return true;
        }
        staged_.insert(staged_.end(), reply.begin(), reply.end());
    }
    flush_staged();
    return true;
}

void Listener::flush_staged() {
    if (staged_.empty()) return;
    struct Emptied {  // however the write ends: a failed one is not retried
        std::vector<std::uint8_t>& staged;
        ~Emptied() { staged.clear(); }
    } emptied{staged_};
    link_.reply_writer().write(Bytes(staged_), wake_.get());
}

bool Listener::await_requests_or_emissions(int timeout_ms) {
    pollfd fds[3] = {{link_.requests().fd(), POLLIN, 0}, {wake_.get(), POLLIN, 0}, {events_wake_.get(), POLLIN, 0}};
    for (;;) {
        const int n = ::poll(fds, 3, timeout_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            std::fprintf(stderr, "remoteobj: %s listener stopped: poll: %s\n", target_.interface().class_name,
                         std::strerror(errno));
            return false;
        }
        if (fds[1].revents) return false;  // stop()
        if (fds[2].revents) {
            (void)drain(events_wake_.get());
            bell_->heard();
        }
        return true;
    }
}

void Listener::deliver() {
    if (!target_.mutex || !maker_->has_work()) return;
    try {
        flush_staged();  // replies first: they were made first
        // The maker's reply pipe: written as its replies are, waiting for room. The
        // maker takes what arrives whoever reads, and a stream sends only what it
        // was granted.
        maker_->collect(staged_, reply_, *target_.mutex, link_.max_message());
        flush_staged();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "remoteobj: %s listener stopped: %s\n", target_.interface().class_name, e.what());
        broken_ = true;
        end_running();
    }
}

void Listener::finish() {
    finished_ = true;
    flush_peer_reports();
    end_running();
    // The other processes' connections end too (stop() joins their thread).
    if (others_) others_->request_stop();
    // Ended for whatever reason (told to stop, or a stream it could not read on
    // from): callers must now be told nobody listens.
    link_.flags().listening.store(0);
    try {
        if (!broken_) serve_pending(!options_.fulfill_final);
        reply_.Clear();
        auto closed = wire::CreateClosed(reply_, epoch_);
        reply_.FinishSizePrefixed(wire::CreateEnvelope(reply_, wire::Message::Closed, closed.Union()));
        link_.reply_writer().write(bytes_of(reply_), wake_.get());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "remoteobj: %s listener could not settle its last requests: %s\n",
                     target_.interface().class_name, e.what());
    }
    // The maker's subscriptions end, and its streams' generators are destroyed.
    if (target_.mutex) maker_->close(*target_.mutex);
}

}  // namespace remoteobj::detail

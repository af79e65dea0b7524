// Making requests and waiting for replies; see caller.hpp.
#include "remoteobj/caller.hpp"
#include "remoteobj/detail/listener_members.hpp"

#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <new>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/listener.hpp"

namespace remoteobj::detail {
namespace {

// What a batch keeps before it writes: a pipeful, which the listener can take in
// one read.
constexpr std::size_t max_corked_bytes = 64u << 10;
// The same into a ring, where a write costs no system call, when the listener
// runs beside us (our reader spins: more than one CPU): a dozen small requests, so
// that it serves the first of a batch while we encode the rest, both at work at
// once. On one CPU, each write would only wake it and lose the CPU to it.
constexpr std::size_t max_corked_ring_bytes = 1u << 10;
// Streamed values kept for a consumer: far past any window (stream_window), so only
// a listener that ignores the credits it was given reaches it.
constexpr std::size_t max_buffered_values = 1u << 16;

// Every Caller of the process, for the fork() handlers. The list's mutex comes
// first, then each Caller's own.
std::mutex& callers_mutex() {
    static std::mutex mutex;
    return mutex;
}
std::vector<Caller*>& callers() {
    static std::vector<Caller*> all;
    return all;
}

}  // namespace

Caller::Caller(CallerTransport& transport, const Target& local) : transport_(transport), local_(local) {
    // Connecting registers descriptors under a Caller's lock: so before fork() the
    // Callers' locks are taken first, then the registry's (see channel.hpp).
    install_children_handlers();
    [[maybe_unused]] static const int registered =
        ::pthread_atfork(&Caller::hold_all_for_fork, &Caller::release_all_after_fork, &Caller::reset_all_in_child);
    std::lock_guard lock(callers_mutex());
    callers().push_back(this);
}

Caller::~Caller() {
    stop_events();
    std::lock_guard lock(callers_mutex());
    auto& all = callers();
    all.erase(std::find(all.begin(), all.end(), this));
}

void Caller::hold_all_for_fork() noexcept {
    callers_mutex().lock();
    for (Caller* caller : callers()) caller->mutex_.lock();
}

void Caller::release_all_after_fork() noexcept {
    for (Caller* caller : callers()) caller->mutex_.unlock();
    callers_mutex().unlock();
}

void Caller::reset_all_in_child() noexcept {
    for (Caller* caller : callers()) {
        caller->forget_other_threads();
        caller->mutex_.unlock();
    }
    callers_mutex().unlock();
}

void Caller::forget_other_threads() noexcept {
    // Only the thread that called fork() lives on here. The requests in flight were
    // sent by the parent, and their replies go to it: a future the forking thread
    // holds says so; the slots of threads that do not exist here stay taken (no one
    // releases them, and no reply can come for them).
    for (auto& slot : slots_) slot->awaited = false;  // their waiters are the parent's threads
    awaited_ = 0;
    events_reading_ = false;
    yield_asked_ = false;
    for (auto& slot : slots_)
        if (slot->in_use && !slot->done) {
            slot->done = true;
            slot->reading = false;
            slot->before_fork = true;  // await() throws; nothing is allocated here
        }
    reading_ = false;
    writing_ = false;
    corked_.clear();  // other threads' batches: theirs to write, in the parent
    // Subscriptions are the parent's: their emissions go to its connection, and the
    // event thread does not exist here. Its eventfd is the parent's too.
    for (auto& subscriber : subscribers_) subscriber->ended = true;
    subscribers_.clear();
    emissions_.clear();
    emissions_queued_.store(0);
    (void)event_thread_.release();  // a thread of the parent's: never joined here
    event_thread_id_ = {};
    event_stop_ = Fd{};
    events_stopping_ = false;
    // Its state may count the parent's waiting threads, which do not exist here.
    new (&changed_) std::condition_variable;
    new (&events_changed_) std::condition_variable;
}

void throw_timeout(const char* what) {
    throw Timeout(fmt::format("{}: no reply before this thread's remoteobj::deadline (the request, if sent, is "
                              "abandoned: its reply will be dropped)",
                              what));
}

void throw_failure(const wire::Response& response, const char* what) {
    RemoteInfo info = read_failure(response.failure());
    const std::string& message = info.message;
    switch (response.status()) {
    case wire::Status::NotListening:
        throw NotListening(fmt::format("{}: {}", what, message));
    case wire::Status::BadRequest:
        throw ProtocolError(fmt::format("{}: the listener rejected the request: {}", what, message));
    case wire::Status::InterfaceMismatch:  // the listener knows only the member's id: `what` names it
        throw InterfaceMismatch(fmt::format("{}: {}", what, message));
    case wire::Status::Raised:
        std::rethrow_exception(make_exception(info));
    case wire::Status::Ok:
        break;
    }
    throw ProtocolError(fmt::format("{}: reply with unknown status {}", what, static_cast<int>(response.status())));
}

ReplySlot* Caller::acquire_slot(std::uint64_t sequence, std::uint32_t epoch, int listener, const char* what) {
    // A free list, and the slot's index in the request id: acquiring a slot and
    // finding the slot of a reply cost the same with 50,000 requests in flight as
    // with one (a scan of every slot once made that quadratic).
    ReplySlot* slot;
    if (!free_slots_.empty()) {
        slot = slots_[free_slots_.back()].get();
        free_slots_.pop_back();
    } else {
        slot = slots_.emplace_back(std::make_unique<ReplySlot>()).get();
        slot->index = static_cast<std::uint32_t>(slots_.size() - 1);
    }
    // The frame keeps its capacity: a reused slot allocates nothing.
    slot->id = sequence << 32 | slot->index;
    slot->epoch = epoch;
    slot->listener = listener;
    slot->what = what;
    slot->in_use = true;
    slot->done = false;
    slot->reading = false;
    slot->before_fork = false;
    slot->reply = {};
    slot->error = nullptr;
    slot->stream = false;
    return slot;
}

ReplySlot* Caller::slot_of(std::uint64_t id) noexcept {
    const std::uint64_t index = id & 0xffffffffu;  // a peer's id is only a hint: checked whole below
    if (index >= slots_.size()) return nullptr;
    ReplySlot* slot = slots_[index].get();
    return slot->in_use && !slot->done && slot->id == id ? slot : nullptr;
}

void Caller::release_locked(ReplySlot* slot) noexcept {
    if (slot->reading) {
        // The reply it viewed in the reader's buffer is no longer needed: the next
        // reader may read over it.
        slot->reading = false;
        reading_ = false;
        if (!subscribers_.empty()) last_awaited_ = std::chrono::steady_clock::now();  // see run_events()
        changed_.notify_all();
    }
    unwant_reading(*slot);
    slot->in_use = false;
    slot->done = false;
    slot->reply = {};
    slot->error = nullptr;
    slot->stream = false;
    slot->values.clear();
    if (slot->frame.capacity() > shrink_above) std::vector<std::uint8_t>().swap(slot->frame);
    free_slots_.push_back(slot->index);
}

void Caller::release(ReplySlot* slot) noexcept {
    if (!slot) return;
    std::lock_guard lock(mutex_);
    release_locked(slot);
}

void Caller::take_reading(ReplySlot& slot) noexcept {
    reading_ = true;
    slot.reading = true;
    reader_pidfd_ = pidfd_.get();
    reader_owner_ = pidfd_owner_;
}

flatbuffers::uoffset_t Caller::begin_nested() { return detail::begin_nested(request_); }

flatbuffers::uoffset_t Caller::end_nested(flatbuffers::uoffset_t mark) { return detail::end_nested(request_, mark).o; }

void Caller::begin_request(std::unique_lock<std::mutex>& lock, const CallSpec& spec) {
    // The builder is busy until a request that did not fit in the pipe is written.
    wait_for_builder(lock, spec.what);
    if (transport_.stale() != CallerTransport::Stale::no) leave_stale_connection(lock, spec.what);
    transport_.check_listening(spec.what);
    clear_builder(request_);
}

void Caller::leave_stale_connection(std::unique_lock<std::mutex>& lock, const char* what) {
    const auto until = deadline::current();
    while (reading_)
        if (changed_.wait_until(lock, until) == std::cv_status::timeout && reading_) throw_timeout(what);
    const CallerTransport::Stale stale = transport_.stale();
    if (stale == CallerTransport::Stale::no) return;  // another thread left it meanwhile
    if (stale == CallerTransport::Stale::earlier_session) {
        // Its listener ended: what it answered before closing, and its Closed, are
        // read now, without waiting.
        reading_ = true;
        lock.unlock();
        try {
            pump(nullptr, false);
        } catch (const std::exception&) {
            // A broken stream: what is left unanswered fails below.
        }
        lock.lock();
        reading_ = false;
        changed_.notify_all();
    }
    fail_pending([](const ReplySlot&) { return true; },
                 [](const ReplySlot& slot) {
                     return NotListening(fmt::format("{}: the listener stopped before replying", slot.what));
                 });
    transport_.drop_connection();
    listener_closed_ = false;
}

ReplySlot* Caller::finish_request(std::unique_lock<std::mutex>& lock, const Path& path, const CallSpec& spec,
                                  flatbuffers::uoffset_t key, flatbuffers::uoffset_t args, Await when) {
    const Route route = transport_.route(local_.interface(), spec.what);
    // Every request passes here: one the listener announced it cannot serve is
    // refused before a byte is written (an empty vector's test when all match).
    if (route.members) route.members->check(path, spec);
    const std::uint32_t epoch = route.epoch;
    const int listener = route.listener;
    const bool here = route.here;
    const std::uint64_t sequence = next_id_++;
    // The slot first: the request's id names it, so its reply finds it at once.
    ReplySlot* slot = here || spec.oneway ? nullptr : acquire_slot(sequence, epoch, listener, spec.what);
    if (slot) slot->stream = spec.window > 0 && spec.op == wire::Operation::Call;
    const std::uint64_t id = slot ? slot->id : sequence << 32 | 0xffffffffu;
    try {
        flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::Step>>> steps;
        if (!path.empty()) {
            // Few steps, built on the stack: no heap allocation per call.
            flatbuffers::Offset<wire::Step> built[max_path_steps];
            if (path.size() > std::size(built))
                throw ProtocolError(fmt::format("{}: a path deeper than {} steps", spec.what, std::size(built)));
            for (std::size_t i = 0; i < path.size(); ++i) {
                flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> step_args;
                if (!path[i].args.empty()) {
                    request_.ForceVectorAlignment(path[i].args.size(), 1, 8);
                    step_args = request_.CreateVector(path[i].args);
                }
                built[i] = wire::CreateStep(request_, path[i].kind, path[i].member, path[i].interface, path[i].argc,
                                            step_args);
            }
            steps = request_.CreateVector(built, path.size());
        }
        // In a batch, what nobody waits for at once is kept for one write with the rest.
        const bool batched = corks_ > 0 && (when == Await::later || spec.oneway);
        auto request = wire::CreateRequest(request_, id, epoch, spec.interface, steps, spec.op, spec.member,
                                           spec.argc, flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>>(args),
                                           spec.oneway, flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>>(key),
                                           batched, spec.stream, spec.window);
        request_.FinishSizePrefixed(wire::CreateEnvelope(request_, wire::Message::Request, request.Union()));
        // Checked here, before a byte is written: the listener would refuse the
        // frame and stop, and the caller would block writing the rest.
        if (request_.GetSize() > transport_.max_message())
            throw ProtocolError(fmt::format("{}: the request is {} bytes, over the limit of {} bytes for one "
                                            "message; nothing was sent (raise it with remoteobj::link_options"
                                            "{{.max_message}} where the Remote or Channel is made)",
                                            spec.what, request_.GetSize(), transport_.max_message()));
        if (here) return serve_here(lock, spec, epoch, sequence, listener);

        // A listener whose pid is unknown (0: another PID namespace) is watched by
        // its connection's end-of-file alone.
        if (listener > 0 && (listener != pidfd_owner_ || !pidfd_)) {
            Fd fresh = open_pidfd(listener);
            if (!fresh) throw PeerLost(fmt::format("{}: the listening process {} is gone", spec.what, listener));
            retired_pidfd_ = std::move(pidfd_);
            pidfd_ = std::move(fresh);
            pidfd_owner_ = listener;
        }
        const Bytes frame = bytes_of(request_);
        if (batched && corked_.size() + frame.size() <= batch_limit()) {
            corked_.insert(corked_.end(), frame.begin(), frame.end());
            return slot;
        }
        Bytes out = frame;
        if (!corked_.empty()) {
            // Kept requests go first, in the same write.
            corked_.insert(corked_.end(), frame.begin(), frame.end());
            out = Bytes(corked_);
        }
        write_out(lock, out, spec.what);
    } catch (...) {
        if (slot) {
            if (!lock.owns_lock()) lock.lock();
            release_locked(slot);
        }
        throw;
    }
    // A synchronous caller becomes the reader now, if nobody is: it saves taking
    // the lock again before waiting.
    if (slot && when == Await::now) {
        if (!reading_)
            take_reading(*slot);
        else
            want_reading(*slot);  // the event thread, if it reads, lets go meanwhile
    }
    return slot;
}

ReplySlot* Caller::serve_here(std::unique_lock<std::mutex>& lock, const CallSpec& spec, std::uint32_t epoch,
                              std::uint64_t sequence, int listener) {
    // This process listens: serve in place, through the same code as a remote
    // request, so the semantics (locking, errors) are the same. Without this
    // caller's lock, and with a copy of the request and a builder of its own: the
    // member served may call this proxy again (in place, too), and another thread
    // may be serving in place meanwhile under the object's mutex (re-entrancy once
    // deadlocked both ways).
    std::vector<std::uint8_t> request(request_.GetBufferPointer(), request_.GetBufferPointer() + request_.GetSize());
    flatbuffers::FlatBufferBuilder reply;
    lock.unlock();
    const wire::Request& served =
        *flatbuffers::GetSizePrefixedRoot<wire::Envelope>(request.data())->message_as_Request();
    serve_request(local_, served, epoch, false, reply, transport_.max_message());
    if (spec.oneway) {
        report_oneway_failure(local_, served, reply);
        lock.lock();
        return nullptr;
    }
    lock.lock();
    ReplySlot* slot = acquire_slot(sequence, epoch, listener, spec.what);
    slot->frame.assign(reply.GetBufferPointer(), reply.GetBufferPointer() + reply.GetSize());
    slot->reply = Bytes(slot->frame);
    slot->done = true;
    return slot;
}

void Caller::write_out(std::unique_lock<std::mutex>& lock, Bytes out, const char* what) {
    try {
        write_frames(lock, out, what);
    } catch (const ProtocolError& e) {
        // A ring's words the listener writes are impossible (write_frames returns
        // with the lock held, however it ends): nothing on this connection can be
        // trusted now, and the next call connects anew.
        transport_.connection_ended();
        throw ProtocolError(
            fmt::format("{}: the connection to the listener is dropped: {}; the next call connects anew", what,
                        e.what()));
    }
}

void Caller::write_frames(std::unique_lock<std::mutex>& lock, Bytes out, const char* what) {
    struct Emptied {  // declared first, so it runs last: `out` may be these bytes
        std::vector<std::uint8_t>& corked;
        ~Emptied() { corked.clear(); }
    } emptied{corked_};
    const FrameWriter writer = transport_.request_writer();
    const std::size_t sent = writer.try_write(out);
    // The usual case: written in one write(), without letting go of the lock.
    if (sent == out.size()) return;
    const bool abandonable = sent == 0 && (corked_.empty() || out.data() != corked_.data());
    // The pipe is full: wait for room without the lock, so that the reader can
    // still hand out replies. Other senders wait for the builder.
    writing_ = true;
    const int pidfd = pidfd_.get();
    lock.unlock();
    struct Written {  // however the write ends, the builder is free again
        Caller& caller;
        std::unique_lock<std::mutex>& lock;
        ~Written() {
            lock.lock();
            caller.writing_ = false;
            caller.changed_.notify_all();
        }
    } written{*this, lock};
    write_rest(writer, out.subspan(sent), pidfd, abandonable, what);
}

void Caller::write_rest(const FrameWriter& writer, Bytes rest, int pidfd, bool abandonable, const char* what) {
    const auto until = deadline::current();
    // The listener may be waiting for room in the reply pipe before it reads more
    // requests: with many requests in flight (a Batch, or futures sent in a row),
    // nobody may be reading replies but us. So while we wait for room, we take in
    // the replies that arrive, unless another thread holds the reading role.
    ReadingRole role{*this};  // taken for one wait at a time
    while (!rest.empty()) {
        role.take();
        // What arrived is taken first: after that, a ring's reader has armed its
        // wake-up (a pipe's reply descriptor needs no arming).
        if (role.held) pump(nullptr, false);
        const short room_events = writer.prepare_wait();  // a ring's writer arms its own
        if (room_events == 0) {  // room came meanwhile
            role.give_back();
            const std::size_t written = writer.try_write(rest);
            if (written) abandonable = false;
            rest = rest.subspan(written);
            continue;
        }
        pollfd fds[3] = {{writer.room_fd(), room_events, 0},
                         {pidfd, POLLIN, 0},
                         {role.held ? transport_.replies().fd() : -1, POLLIN, 0}};
        const int ready = ::poll(fds, 3, abandonable ? poll_timeout(until) : -1);
        writer.awake();
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw SystemError(errno, "poll");
        }
        if (ready == 0) {
            role.give_back();
            if (deadline::clock::now() >= until) throw_timeout(what);
            continue;
        }
        if (fds[2].revents) {
            (void)transport_.replies().woke();  // its end-of-file: the listener's pidfd says so next
            pump(nullptr, false);
        }
        role.give_back();
        if (fds[0].revents) {
            const std::size_t written = writer.try_write(rest);
            if (written) abandonable = false;
            rest = rest.subspan(written);
        } else if (fds[1].revents) {
            throw PeerLost("the other process went away while a message to it was being written");
        }
    }
}

void Caller::ReadingRole::take() {
    std::lock_guard lock(caller.mutex_);
    if (!caller.reading_) held = caller.reading_ = true;
}

void Caller::ReadingRole::give_back() noexcept {
    if (!held) return;
    std::lock_guard lock(caller.mutex_);
    held = caller.reading_ = false;
    caller.changed_.notify_all();
}

void Caller::wait_for_builder(std::unique_lock<std::mutex>& lock, const char* what) {
    const auto until = deadline::current();
    while (writing_)
        if (changed_.wait_until(lock, until) == std::cv_status::timeout && writing_) throw_timeout(what);
}

std::size_t Caller::batch_limit() const noexcept {
    return transport_.request_writer().into_ring() && transport_.replies().spins() ? max_corked_ring_bytes
                                                                                    : max_corked_bytes;
}

void Caller::flush_corked(std::unique_lock<std::mutex>& lock) {
    wait_for_builder(lock, "a batch of requests");
    if (!corked_.empty()) write_out(lock, Bytes(corked_), "a batch of requests");
}

void Caller::cork() {
    std::lock_guard lock(mutex_);
    ++corks_;
}

void Caller::uncork() {
    std::unique_lock lock(mutex_);
    if (--corks_ == 0) flush_corked(lock);
}

void Caller::flush() {
    std::unique_lock lock(mutex_);
    flush_corked(lock);
}

Bytes Caller::await(ReplySlot& slot) {
    // Past this thread's deadline the wait ends with Timeout; the caller then
    // releases the slot, so a reply that still comes finds no slot and is dropped.
    const auto until = deadline::current();
    // `slot.reading` is only ever changed by the slot's owner: this thread.
    for (;;) {
        if (!slot.reading) {
            std::unique_lock lock(mutex_);
            flush_corked(lock);  // the request may be among them
            while (!slot.done && !slot.reading) {
                if (!reading_) {
                    take_reading(slot);
                    break;
                }
                want_reading(slot);
                if (changed_.wait_until(lock, until) == std::cv_status::timeout && !slot.done && !slot.reading)
                    throw_timeout(slot.what);
            }
            if (slot.done) break;  // another reader delivered it
        }
        // This thread reads: only the reader touches its own slot, so no lock is
        // needed until release().
        if (slot.done) break;
        if (!pump(&slot, true, until)) throw_timeout(slot.what);
        if (slot.done) break;
        // The listener the reader watched died, but this request went to another
        // one (the listener changed in between): watch the current one.
        std::lock_guard lock(mutex_);
        reader_pidfd_ = pidfd_.get();
        reader_owner_ = pidfd_owner_;
    }
    if (slot.error) std::rethrow_exception(slot.error);
    if (slot.before_fork)
        throw Error(fmt::format("{}: the request was sent before fork(), by the parent process, which gets its reply",
                                slot.what));
    const wire::Response* response =
        flatbuffers::GetSizePrefixedRoot<wire::Envelope>(slot.reply.data())->message_as_Response();
    if (response->status() != wire::Status::Ok) throw_failure(*response, slot.what);
    return bytes_of(response->value());
}

bool Caller::ready(ReplySlot& slot) {
    std::unique_lock lock(mutex_);
    flush_corked(lock);  // the request may be among them
    if (slot.done || reading_) return slot.done;
    reading_ = true;
    lock.unlock();
    ReadingRole role{*this, true};  // however pump() ends, the role passes on and waiters wake
    // Not as `mine`: the role is given back on return, so its reply must be copied.
    pump(nullptr, false);
    return slot.done;
}

template <class Lost, class Error>
void Caller::fail_pending(Lost&& lost, Error&& error) {
    for (auto& slot : slots_)
        if (slot->in_use && !slot->done && lost(*slot)) {
            slot->error = std::make_exception_ptr(error(*slot));
            slot->done = true;
        }
    changed_.notify_all();
}

void Caller::take(Bytes frame, ReplySlot* mine) {
    const wire::Envelope* envelope = verify_envelope(frame);
    if (!envelope) throw ProtocolError("received a malformed reply (failed verification)");
    if (const wire::Response* response = envelope->message_as_Response()) {
        if (mine && !mine->done && !mine->stream && mine->id == response->id()) {
            // The reader's own reply: it stays in the reader's buffer, which nobody
            // reads over until the reader releases its slot.
            mine->reply = frame;
            mine->done = true;
            return;
        }
        std::lock_guard lock(mutex_);
        ReplySlot* slot = slot_of(response->id());
        if (!slot) return;  // a reply to a request whose caller gave up: dropped
        if (response->more()) {
            // A streamed value: kept for its consumer (a call that does not stream
            // gets none: dropped). A listener past every credit is not obeyed forever.
            if (!slot->stream) return;
            if (slot->values.size() >= max_buffered_values) {
                slot->error = std::make_exception_ptr(ProtocolError(fmt::format(
                    "{}: the listener sent over {} values its consumer had not asked for", slot->what,
                    max_buffered_values)));
                slot->done = true;
            } else {
                slot->values.emplace_back(frame.begin(), frame.end());
            }
            changed_.notify_all();
            return;
        }
        slot->frame.assign(frame.begin(), frame.end());
        slot->reply = Bytes(slot->frame);
        slot->done = true;
        changed_.notify_all();
        return;
    }
    if (const wire::Event* event = envelope->message_as_Event()) {
        take_event(*event);
        return;
    }
    if (const wire::Closed* closed = envelope->message_as_Closed()) {
        std::lock_guard lock(mutex_);
        listener_closed_ = true;
        transport_.connection_ended();  // its session ended: nothing more is served on it
        fail_pending([&](const ReplySlot& slot) { return slot.epoch <= closed->epoch(); },
                     [](const ReplySlot& slot) {
                         return NotListening(
                             fmt::format("{}: the listener stopped before serving this request", slot.what));
                     });
        end_subscriptions(std::make_exception_ptr(NotListening("the listener stopped: the subscription ended")));
    }
}

bool Caller::listener_alive() const {
    // A dying process closes its descriptors before its pidfd says it died: the
    // end of its stream may come first, by a little. Unknown (another PID
    // namespace): taken for dead, as before.
    if (reader_pidfd_ < 0) return false;
    return wait_fd(reader_pidfd_, POLLIN, -1, listener_death_grace_ms) == Ready::Timeout;
}

void Caller::stream_ended(FrameReader& replies, const char* how) {
    // What it wrote before the end is taken first (copied: the reader reads on).
    Bytes frame;
    while (replies.next(frame) == FrameReader::Status::Frame) take(frame, nullptr);
    connection_closed(how);
}

void Caller::connection_closed(const char* how) {
    const bool alive = listener_alive();  // outside the lock: it may wait a little
    std::lock_guard lock(mutex_);
    transport_.connection_ended();  // the next call connects anew, if someone listens
    if (!listener_closed_ && alive) {
        // It lives, and ended this connection without a Closed: it dropped it for
        // something it read there (an oversized frame, a corrupted ring).
        const int pid = reader_owner_;
        fail_pending([](const ReplySlot&) { return true; },
                     [pid](const ReplySlot& slot) {
                         return ProtocolError(fmt::format(
                             "{}: the listener (pid {}) dropped this connection, having read something it could "
                             "not from it (an oversized frame, a corrupted ring); the next call connects anew",
                             slot.what, pid));
                     });
        end_subscriptions(std::make_exception_ptr(
            ProtocolError(fmt::format("the subscription ended: the listener (pid {}) dropped the connection", pid))));
        return;
    }
    if (listener_closed_) {
        // A request that arrived after the listener's last read: it stopped first.
        fail_pending([](const ReplySlot&) { return true; },
                     [](const ReplySlot& slot) {
                         return NotListening(
                             fmt::format("{}: the listener stopped before serving this request", slot.what));
                     });
        end_subscriptions(std::make_exception_ptr(NotListening("the listener stopped: the subscription ended")));
        return;
    }
    fail_pending([](const ReplySlot&) { return true; },
                 [how](const ReplySlot& slot) { return PeerLost(fmt::format("{}: {}", slot.what, how)); });
    end_subscriptions(std::make_exception_ptr(PeerLost(fmt::format("the subscription ended: {}", how))));
}

void Caller::listener_died(FrameReader& replies) {
    // Replies it wrote just before dying are still in the pipe and win (copied:
    // the reader reads on over them); the requests still pending are lost with it.
    Bytes frame;
    while (replies.next(frame) == FrameReader::Status::Frame) take(frame, nullptr);
    const int owner = reader_owner_;
    std::lock_guard lock(mutex_);
    fail_pending([&](const ReplySlot& slot) { return slot.listener == owner; },
                 [&](const ReplySlot& slot) {
                     return PeerLost(
                         fmt::format("{}: the listening process {} died before replying", slot.what, owner));
                 });
    end_subscriptions(std::make_exception_ptr(
        PeerLost(fmt::format("the subscription ended: the listening process {} died", owner))));
    if (pidfd_owner_ == owner) {
        retired_pidfd_ = std::move(pidfd_);
        pidfd_owner_ = 0;
    }
}

bool Caller::pump_blocking(ReplySlot& mine) {
    FrameReader& replies = transport_.replies();
    Bytes frame;
    for (;;) {
        // What is buffered first, and what the socket holds unless the last read
        // emptied it; then a read that waits: per call, the write and this read.
        if (replies.has_frame() || !replies.drained()) {
            const auto status = replies.next(frame);
            if (status == FrameReader::Status::Frame) {
                take(frame, &mine);
                if (mine.arrived()) return true;
                continue;
            }
            if (status == FrameReader::Status::Closed) break;
        }
        if (!replies.fill(replies.fd())) break;
    }
    connection_closed("the listener closed the connection (it stopped or died)");
    return true;
}

bool Caller::pump(ReplySlot* mine, bool block, deadline::clock::time_point until) {
    try {
        return read_replies(mine, block, until);
    } catch (const ProtocolError& e) {
        connection_unreadable(e.what());
        return true;
    }
}

void Caller::connection_unreadable(const char* what) {
    const int pid = reader_owner_;
    std::lock_guard lock(mutex_);
    transport_.connection_ended();
    fail_pending([](const ReplySlot&) { return true; },
                 [&](const ReplySlot& slot) {
                     return ProtocolError(fmt::format(
                         "{}: the connection to the listener (pid {}) is dropped: {}; the next call connects anew",
                         slot.what, pid, what));
                 });
    end_subscriptions(std::make_exception_ptr(
        ProtocolError(fmt::format("the subscription ended: the connection to the listener (pid {}) is dropped: {}",
                                  pid, what))));
}

bool Caller::read_replies(ReplySlot* mine, bool block, deadline::clock::time_point until) {
    if (block && until == deadline::clock::time_point::max() && transport_.replies_block()) return pump_blocking(*mine);
    FrameReader& replies = transport_.replies();
    Bytes frame;
    // Read first, wait only when that found nothing: the reply is often there
    // already (on one CPU, writing the request lets the listener run at once), and
    // a read is one system call where a wait is two (poll, then read). A read that
    // emptied the pipe is not repeated before the wait.
    bool read_now = true;  // at first, and after every wait
    for (;;) {
        if (read_now || !replies.drained()) {
            read_now = false;
            auto status = replies.next(frame);
            if (status == FrameReader::Status::Frame) {
                take(frame, mine);
                // Blocking, reading stops at the reader's own reply, which must stay
                // where it was read; without blocking, all that arrived is taken.
                if (block && mine->arrived()) return true;
                continue;
            }
            if (status == FrameReader::Status::Closed) {
                connection_closed("the reply pipe was closed");
                return true;
            }
        }
        if (!block) return true;
        Ready ready = wait_fd(replies.fd(), POLLIN, reader_pidfd_, poll_timeout(until));
        if (ready == Ready::Fd && !replies.woke()) {
            // A pipe bell's end: the listener died, or dropped this connection.
            stream_ended(replies, "the listener closed the connection (it stopped or died)");
            return true;
        }
        if (ready == Ready::Timeout) {
            if (deadline::clock::now() >= until) return false;
            continue;  // a wait longer than poll() takes: wait on
        }
        if (ready == Ready::Other) {
            listener_died(replies);
            return true;
        }
        read_now = true;
    }
}

}  // namespace remoteobj::detail

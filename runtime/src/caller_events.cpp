// The calling side of events and streams: subscriptions and their event thread,
// streamed values and their credit; see caller.hpp, signal.hpp and stream.hpp.
//
// Emissions arrive on the connection among the replies, so whoever reads replies
// (the reading role, see Caller) may take one. While a subscription is open and
// nobody else reads, the event thread reads; it gives the role back before it
// runs a callback, so that a callback may call the proxy like any other thread.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

#include "remoteobj/caller.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/remote_exception.hpp"

namespace remoteobj::detail {
namespace {

// Emissions kept in this process for callbacks that have not run yet: past it, the
// oldest is dropped and counted, as the owner does with its own queue.
constexpr std::size_t max_queued_emissions = 1u << 16;
// How long after the last wait for a reply the event thread starts reading: what
// an emission may wait at most, when it arrives just after a call.
constexpr std::chrono::microseconds calls_pause{500};

std::string describe(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        return fmt::format("{}: {}", demangled_name(typeid(e)), e.what());
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

}  // namespace

std::shared_ptr<Subscriber> Caller::subscribe(const Path& path, CallSpec spec, std::function<void(Bytes)> deliver) {
    auto subscriber = std::make_shared<Subscriber>();
    subscriber->what = spec.what;
    subscriber->deliver = std::move(deliver);
    subscriber->pid = this_pid();
    {
        std::lock_guard lock(mutex_);
        // Known before the request goes: an emission may arrive right behind its reply.
        subscriber->id = spec.stream = next_subscription_++;
        subscribers_.push_back(subscriber);
    }
    try {
        call(path, spec, no_arguments{}, [](Bytes) {});
    } catch (...) {
        std::lock_guard lock(mutex_);
        subscriber->ended = true;
        std::erase(subscribers_, subscriber);
        throw;
    }
    // The thread starts once the call has made the connection it is to read (a
    // process's first call makes its own); what arrives before, any reader queues.
    std::lock_guard lock(mutex_);
    if (!event_thread_) {
        event_stop_ = open_eventfd();
        events_stopping_ = false;
        try {
            event_thread_ = std::make_unique<std::thread>([this] { run_events(); });
        } catch (const std::system_error& e) {
            subscriber->ended = true;
            std::erase(subscribers_, subscriber);
            throw SystemError(e.code().value(), fmt::format("{}: starting the event thread", spec.what));
        }
        event_thread_id_ = event_thread_->get_id();
    }
    events_changed_.notify_all();  // the event thread reads from now on, when nobody else does
    return subscriber;
}

void Caller::unsubscribe(const std::shared_ptr<Subscriber>& subscriber) noexcept {
    std::unique_lock lock(mutex_);
    const bool was_open = !subscriber->ended;
    subscriber->ended = true;
    std::erase(subscribers_, subscriber);
    if (subscriber->pid != this_pid()) return;  // the parent's, copied by fork(): nothing of it runs here
    std::erase_if(emissions_, [&](const Emission& e) { return e.subscriber == subscriber; });
    emissions_queued_.store(emissions_.size());
    // Its callback may be running on the event thread: once this returns, it is not,
    // unless this is that very callback.
    if (std::this_thread::get_id() != event_thread_id_) changed_.wait(lock, [&] { return !subscriber->running; });
    lock.unlock();
    if (!was_open) return;  // its connection ended: nobody to tell
    try {
        const CallSpec spec{wire::Operation::Unsubscribe, 0, 0, subscriber->what, 0, true, subscriber->id};
        send(Path{}, spec, no_arguments{}, no_arguments{});
    } catch (const std::exception&) {
        // Nobody listens any more: the subscription ended with the connection.
    }
}

void Caller::take_event(const wire::Event& event) {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(subscribers_.begin(), subscribers_.end(),
                                    [&](const auto& s) { return s->id == event.subscription() && !s->ended; });
    if (found == subscribers_.end()) return;  // unsubscribed meanwhile: dropped
    Subscriber& subscriber = **found;
    subscriber.dropped += event.dropped();
    if (emissions_.size() >= max_queued_emissions) {
        ++emissions_.front().subscriber->dropped;
        emissions_.pop_front();
    }
    const Bytes args = bytes_of(event.args());
    emissions_.push_back({*found, std::vector<std::uint8_t>(args.begin(), args.end())});
    emissions_queued_.store(emissions_.size());
    events_changed_.notify_all();
}

void Caller::end_subscriptions(const std::exception_ptr& why) {
    for (auto& subscriber : subscribers_) {
        if (!subscriber->ended) subscriber->ended_by = why;
        subscriber->ended = true;
    }
    subscribers_.clear();
    // What arrived before the end is still delivered: the emissions were made.
    changed_.notify_all();
    events_changed_.notify_all();
}

void Caller::want_reading(ReplySlot& slot) noexcept {
    if (!slot.awaited) {
        slot.awaited = true;
        ++awaited_;
    }
    if (events_reading_ && !yield_asked_) {
        yield_asked_ = true;
        ring(event_stop_.get());
    }
}

void Caller::unwant_reading(ReplySlot& slot) noexcept {
    if (!slot.awaited) return;
    slot.awaited = false;
    if (--awaited_ == 0) last_awaited_ = std::chrono::steady_clock::now();  // the event thread may read after a pause
}

void Caller::take_reading_role() noexcept {
    reading_ = true;
    reader_pidfd_ = pidfd_.get();
    reader_owner_ = pidfd_owner_;
}

void Caller::run_events() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (events_stopping_) return;
        if (!emissions_.empty()) {
            Emission emission = std::move(emissions_.front());
            emissions_.pop_front();
            emissions_queued_.store(emissions_.size());
            Subscriber& subscriber = *emission.subscriber;
            if (subscriber.pid != this_pid() || (subscriber.ended && !subscriber.ended_by)) continue;  // unsubscribed
            subscriber.running = true;
            lock.unlock();
            std::exception_ptr failure;
            try {
                subscriber.deliver(Bytes(emission.args));
            } catch (...) {
                failure = std::current_exception();
            }
            lock.lock();
            subscriber.running = false;
            if (failure) {
                // Never lost: said on stderr and kept, and the subscription goes on.
                ++subscriber.failures;
                subscriber.last_failure = failure;
                std::fprintf(stderr, "remoteobj: a callback subscribed to %s threw %s\n", subscriber.what,
                             describe(failure).c_str());
            }
            changed_.notify_all();
            continue;
        }
        // Only while no thread waits for a reply: one that does reads for itself
        // rather than be handed its reply by this thread (two wake-ups). And only
        // once calls have paused for a moment: a caller making one call after
        // another then never has to ask this thread to let go (a system call and
        // a wake-up of this thread each time). Meanwhile the callers' reads take
        // in the emissions that arrive.
        if (!subscribers_.empty()) {
            const auto now = std::chrono::steady_clock::now();
            if (reading_ || awaited_ > 0 || now < last_awaited_ + calls_pause) {
                // Looked at again after a pause: this thread is not woken by every
                // call (on one CPU, each wake-up would cost the caller a switch).
                events_changed_.wait_until(lock, std::max(last_awaited_, now) + calls_pause);
                continue;
            }
            take_reading_role();
            events_reading_ = true;
            yield_asked_ = false;
            lock.unlock();
            try {
                pump_events();
            } catch (const ProtocolError& e) {
                connection_unreadable(e.what());  // a corrupted ring, a reply that fails verification
            } catch (const std::exception& e) {
                // A broken stream: the calls waiting on it fail, and the subscriptions end.
                std::fprintf(stderr, "remoteobj: the event thread stopped reading: %s\n", e.what());
                connection_closed(fmt::format("the connection broke ({})", e.what()).c_str());
            }
            lock.lock();
            reading_ = false;
            events_reading_ = false;
            yield_asked_ = false;
            changed_.notify_all();
            continue;
        }
        events_changed_.wait(lock);
    }
}

void Caller::pump_events() {
    FrameReader& replies = transport_.replies();
    Bytes frame;
    bool read_now = true;
    for (;;) {
        if (read_now || !replies.drained()) {
            read_now = false;
            const auto status = replies.next(frame);
            if (status == FrameReader::Status::Frame) {
                take(frame, nullptr);
                if (emissions_queued_.load() > 0) return;  // the callbacks run without the reading role
                continue;
            }
            if (status == FrameReader::Status::Closed) {
                connection_closed("the listener closed the connection (it stopped or died)");
                return;
            }
        }
        {
            std::lock_guard lock(mutex_);
            if (events_stopping_ || subscribers_.empty()) return;
        }
        pollfd fds[3] = {{replies.fd(), POLLIN, 0}, {reader_pidfd_, POLLIN, 0}, {event_stop_.get(), POLLIN, 0}};
        const int ready = ::poll(fds, 3, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw SystemError(errno, "poll");
        }
        if (fds[2].revents) {
            (void)drain(event_stop_.get());
            return;  // stop, or let a thread that waits for its reply read
        }
        if (fds[0].revents && replies.woke()) {
            read_now = true;
            continue;
        }
        if (fds[1].revents) listener_died(replies);  // its pidfd
        else stream_ended(replies, "the listener closed the connection (it stopped or died)");  // a bell's end
        return;
    }
}

void Caller::stop_events() noexcept {
    std::unique_ptr<std::thread> thread;
    {
        std::lock_guard lock(mutex_);
        if (!event_thread_) return;
        events_stopping_ = true;
        ring(event_stop_.get());
        events_changed_.notify_all();
        thread = std::move(event_thread_);
    }
    if (thread->get_id() == std::this_thread::get_id()) {
        thread->detach();  // destroyed from a callback: the thread ends when it returns
        return;
    }
    thread->join();
}

bool Caller::next_value(ReplySlot& slot, std::vector<std::uint8_t>& value) {
    const auto until = deadline::current();
    std::unique_lock lock(mutex_);
    flush_corked(lock);  // the call may be among them
    for (;;) {
        if (!slot.values.empty()) {
            // The loop's body runs now: the event thread may read meanwhile.
            unwant_reading(slot);
            value = std::move(slot.values.front());
            slot.values.pop_front();
            return true;
        }
        if (slot.done) break;
        if (!reading_) {
            // Read for everyone until this stream has something; the role goes back
            // after each value, so the loop's body may call the proxy.
            take_reading_role();
            lock.unlock();
            bool in_time;
            {
                ReadingRole role{*this, true};
                in_time = pump(&slot, true, until);
            }
            lock.lock();
            if (!in_time && !slot.arrived()) throw_timeout(slot.what);
            continue;
        }
        want_reading(slot);
        if (changed_.wait_until(lock, until) == std::cv_status::timeout && !slot.arrived()) {
            unwant_reading(slot);
            throw_timeout(slot.what);
        }
    }
    // The slot is done: nobody changes it any more. Its end is read without the
    // lock, which making an exception must not hold (the exception registry's lock
    // comes before every Caller's, see fork()).
    lock.unlock();
    if (slot.error) std::rethrow_exception(slot.error);
    const wire::Response* response =
        flatbuffers::GetSizePrefixedRoot<wire::Envelope>(slot.reply.data())->message_as_Response();
    if (response->status() != wire::Status::Ok) throw_failure(*response, slot.what);
    return false;
}

void Caller::steer_stream(std::uint64_t id, std::uint32_t more, std::uint64_t interface, const char* what) noexcept {
    try {
        const CallSpec spec{more ? wire::Operation::Credit : wire::Operation::Cancel, 0, 0, what, interface, true, id,
                            more};
        send(Path{}, spec, no_arguments{}, no_arguments{});
    } catch (const std::exception&) {
        // Nobody listens any more: the stream ended with its listener.
    }
}

}  // namespace remoteobj::detail

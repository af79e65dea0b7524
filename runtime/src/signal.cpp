// The owner's side of a Signal, and a subscriber's handle; see signal.hpp.
#include "remoteobj/signal.hpp"

#include <algorithm>

namespace remoteobj {
namespace detail {

void SignalCore::emit(Bytes args) {
    std::lock_guard lock(mutex_);
    std::erase_if(queues_, [&](const std::shared_ptr<EventQueue>& queue) {
        if (queue->post(args)) return false;
        dropped_by_ended_ += queue->dropped();  // its connection ended: the Signal lets go of it
        return true;
    });
    count_.store(queues_.size(), std::memory_order_release);
}

void SignalCore::attach(std::shared_ptr<EventQueue> queue) {
    std::lock_guard lock(mutex_);
    queues_.push_back(std::move(queue));
    count_.store(queues_.size(), std::memory_order_release);
}

std::size_t SignalCore::subscribers() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(queues_.begin(), queues_.end(), [](const auto& queue) { return !queue->ended(); }));
}

std::uint64_t SignalCore::dropped() const {
    std::lock_guard lock(mutex_);
    std::uint64_t dropped = dropped_by_ended_;
    for (const auto& queue : queues_) dropped += queue->dropped();
    return dropped;
}

}  // namespace detail

bool Subscription::active() const {
    return subscriber_ && caller_->read_subscriber(*subscriber_, [](const detail::Subscriber& s) { return !s.ended; });
}

std::uint64_t Subscription::dropped() const {
    return subscriber_ ? caller_->read_subscriber(*subscriber_, [](const detail::Subscriber& s) { return s.dropped; })
                       : 0;
}

std::uint64_t Subscription::failures() const {
    return subscriber_ ? caller_->read_subscriber(*subscriber_, [](const detail::Subscriber& s) { return s.failures; })
                       : 0;
}

std::exception_ptr Subscription::last_failure() const {
    return subscriber_
               ? caller_->read_subscriber(*subscriber_, [](const detail::Subscriber& s) { return s.last_failure; })
               : nullptr;
}

std::exception_ptr Subscription::ended_by() const {
    return subscriber_ ? caller_->read_subscriber(*subscriber_, [](const detail::Subscriber& s) { return s.ended_by; })
                       : nullptr;
}

void Subscription::reset() noexcept {
    if (!subscriber_) return;
    caller_->unsubscribe(subscriber_);
    subscriber_.reset();
}

}  // namespace remoteobj

// remoteobj::Signal<Args...>: events the object sends to the processes that
// subscribed, as it emits them.
//
//     class REMOTEOBJ Job {
//     public:
//         remoteobj::Remote<Job> remote{*this};
//         remoteobj::Signal<int, std::string> progress;   // the owner: progress(42, "parsing")
//     };
//     auto sub = job.remote->progress.subscribe([](int pct, const std::string& what) { ... });
//
// Emitting costs nothing when nobody subscribed: no message at all. Each
// subscription has a bounded queue in the owner's process; when its subscriber
// falls that far behind, the oldest emission is dropped and counted (the
// subscriber learns how many, Subscription::dropped()), so a slow or stopped
// subscriber never makes the owner wait. Callbacks run on one thread of the
// subscribing process per connection, in emission order, never on the
// listener's thread; a callback that throws is reported and stays subscribed.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "remoteobj/caller.hpp"
#include "remoteobj/detail/outbound.hpp"
#include "remoteobj/passto.hpp"
#include "remoteobj/proxy.hpp"
#include "remoteobj/value_codec.hpp"

namespace remoteobj {

/// How a Signal treats its subscribers (`Signal<int> tick{remoteobj::signal_options{.queue = 4096}}`).
struct signal_options {
    /// Emissions kept for one subscriber that has not taken them yet; past this, the
    /// oldest is dropped and counted.
    std::size_t queue = 1024;
    /// The bytes those emissions may hold in all (their encoded arguments); past
    /// this too, the oldest are dropped and counted, so that a slow subscriber of
    /// large emissions cannot pin memory without bound. The newest is always kept.
    std::size_t queue_bytes = std::size_t{16} << 20;
};

namespace detail {

/// What every Signal is, whatever its arguments: the queues of its subscriptions.
class SignalCore {
public:
    explicit SignalCore(QueueLimits limits) noexcept : limits_(limits) {}
    /// Whether anyone subscribed (one atomic load: the cost of emitting to nobody).
    bool empty() const noexcept { return count_.load(std::memory_order_acquire) == 0; }
    /// Posts the argument table to every subscription, forgetting those that ended.
    void emit(Bytes args);
    void attach(std::shared_ptr<EventQueue> queue);
    std::size_t subscribers() const;
    std::uint64_t dropped() const;
    QueueLimits limits() const noexcept { return limits_; }

private:
    const QueueLimits limits_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<EventQueue>> queues_;
    std::atomic<std::size_t> count_{0};
    std::uint64_t dropped_by_ended_ = 0;  // by subscriptions that ended since
};

/// The values.Arguments table of `args`, each a nested table of its own type.
template <class... A>
void encode_arguments(flatbuffers::FlatBufferBuilder& fbb, const A&... args) {
    std::vector<flatbuffers::Offset<values::Nested>> items;
    items.reserve(sizeof...(A));
    (encode_nested(fbb, items, args), ...);
    fbb.Finish(values::CreateArguments(fbb, fbb.CreateVector(items)));
}

/// Calls `f` with the arguments a values.Arguments table holds (throws
/// ProtocolError when they are not `A...`).
template <class... A, class F>
void apply_arguments(Bytes table, F& f, const char* what) {
    const auto* args = verified_root<values::Arguments>(table, what);
    const auto* list = args->values();
    if ((list ? list->size() : 0) != sizeof...(A))
        throw ProtocolError(fmt::format("{}: an emission with {} arguments, expected {}", what,
                                        list ? list->size() : 0, sizeof...(A)));
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        std::tuple<A...> decoded{ValueCodec<A>::decode(bytes_of(list->Get(I)->bytes()))...};
        std::apply(f, std::move(decoded));
    }(std::index_sequence_for<A...>{});
}

}  // namespace detail

/// An event source, a data member of a REMOTEOBJ class. The owner emits with
/// `signal(args...)` from any thread; other processes subscribe through the proxy.
template <class... Args>
class Signal {
    static_assert((std::is_same_v<Args, std::remove_cvref_t<Args>> && ...),
                  "remoteobj::Signal<Args...>: arguments are values (they are copied to other processes)");

public:
    Signal() noexcept : Signal(signal_options{}) {}
    explicit Signal(signal_options options) noexcept : core_(detail::QueueLimits{options.queue, options.queue_bytes}) {}
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;

    /// Emits to every subscriber; nothing is encoded or sent when there is none.
    /// Never waits for a subscriber.
    void operator()(const Args&... args) const {
        if (core_.empty()) return;
        flatbuffers::FlatBufferBuilder fbb;
        detail::encode_arguments(fbb, args...);
        core_.emit(detail::bytes_of(fbb));
    }

    /// How many subscriptions are open (a dead subscriber's until its connection closes).
    std::size_t subscribers() const { return core_.subscribers(); }
    /// Emissions dropped, for all subscribers, because one fell too far behind.
    std::uint64_t dropped() const { return core_.dropped(); }

    /// The listening side's part (generated dispatch): not for user code.
    detail::SignalCore& core() const noexcept { return core_; }

private:
    mutable detail::SignalCore core_;
};

/// A subscription to a Signal of another process: callbacks run while it lives.
/// Destroying it unsubscribes; once the destructor returns the callback is not
/// running and is never called again (from inside the callback itself, it is not
/// called again after that call returns). It must not outlive the Remote or
/// Channel its proxy belongs to.
class Subscription {
public:
    Subscription() = default;
    Subscription(detail::Caller& caller, std::shared_ptr<detail::Subscriber> subscriber) noexcept
        : caller_(&caller), subscriber_(std::move(subscriber)) {}
    Subscription(Subscription&& other) noexcept
        : caller_(other.caller_), subscriber_(std::move(other.subscriber_)) {}
    Subscription& operator=(Subscription&& other) noexcept {
        if (this != &other) {
            reset();
            caller_ = other.caller_;
            subscriber_ = std::move(other.subscriber_);
        }
        return *this;
    }
    ~Subscription() { reset(); }

    /// Whether emissions still come: false after reset(), or once the connection
    /// ended (the owner stopped listening or died).
    bool active() const;
    /// Emissions this subscriber missed because its queue (in either process) was full.
    std::uint64_t dropped() const;
    /// Callbacks that threw (each also told on stderr); the last exception, if any.
    std::uint64_t failures() const;
    std::exception_ptr last_failure() const;
    /// Why emissions stopped coming, when the connection ended (PeerLost, NotListening).
    std::exception_ptr ended_by() const;
    /// Unsubscribes now.
    void reset() noexcept;

private:
    detail::Caller* caller_ = nullptr;
    std::shared_ptr<detail::Subscriber> subscriber_;
};

/// The proxy's view of a Signal member: `p->progress.subscribe(callback)`.
template <class Traits>
class SignalView;

template <class Traits>
class SignalView {
    template <class S>
    struct arguments;
    template <class... A>
    struct arguments<Signal<A...>> {
        template <class F>
        static std::function<void(detail::Bytes)> deliver(F&& callback) {
            return [f = std::forward<F>(callback)](detail::Bytes table) mutable {
                detail::apply_arguments<A...>(table, f, Traits::qualified_name);
            };
        }
    };

public:
    explicit SignalView(detail::ProxyHandle owner) noexcept : owner_(std::move(owner)) {}
    SignalView(const SignalView&) = delete;
    SignalView& operator=(const SignalView&) = delete;

    /// Subscribes: `callback(args...)` runs for every emission from now on, on this
    /// connection's event thread, until the Subscription is destroyed. Returns once
    /// the owner has registered it (an emission after that reaches it).
    template <class F>
    [[nodiscard]] Subscription subscribe(F&& callback) const {
        auto deliver = arguments<typename Traits::signal_type>::deliver(std::forward<F>(callback));
        detail::Caller& caller = owner_->caller();
        const detail::CallSpec spec{wire::Operation::Subscribe, Traits::id, 0, Traits::qualified_name,
                                    Traits::interface};
        return Subscription(caller, caller.subscribe(owner_->path(), spec, std::move(deliver)));
    }

private:
    friend struct detail::ProxyAccess;

    detail::ProxyHandle owner_;
};

namespace detail {

/// Generated dispatch: a Subscribe request for `signal`.
template <class... A>
void serve_signal(const Signal<A...>& signal, const wire::Request& request) {
    SignalCore& core = signal.core();
    core.attach(outbound_for("subscribing").subscribe(request.stream(), core.limits()));
}

}  // namespace detail

}  // namespace remoteobj

// remoteobj::Channel<T>: the link to an object of class T that has no Remote
// member, or that does not exist yet when the processes fork. Make the channel
// before fork(); the process that owns the object listens with `listen(obj)`,
// the other talks to it through a standalone Proxy<T>:
//
//     remoteobj::Channel<Counter> channel;
//     auto child = remoteobj::process([&] {
//         Counter counter;                           // lives only in the child
//         auto listening = channel.listen(counter);
//         ...
//     });
//     channel.wait_until_listening(child);
//     remoteobj::Proxy<Counter> counter(channel);    // members with '.'
//     counter.toggle(true);
#pragma once

#include "remoteobj/endpoint.hpp"
#include "remoteobj/proxy.hpp"

namespace remoteobj {

template <class T>
class Channel : public detail::Endpoint {
public:
    Channel() : Endpoint(nullptr, &detail::interface_of<T>) {}
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    /// Serves `object` on a background thread until the returned guard dies.
    /// `object` must outlive the guard.
    [[nodiscard]] ListenGuard listen(T& object, listen_options options = {}) {
        return core_.listen(&object, detail::Listener::Mode::background, options);
    }
    /// Serves `object` only inside process_requests(), on the thread that calls it.
    [[nodiscard]] ListenGuard listen(T& object, foreground_t, listen_options options = {}) {
        return core_.listen(&object, detail::Listener::Mode::foreground, options);
    }

    /// A proxy of the object at the other end; copies share this channel, which
    /// must outlive them.
    Proxy<T> proxy() { return Proxy<T>(core_.caller()); }

    /// "<Channel Counter: listening in pid 42>"; reads the shared flags, sends nothing.
    std::string describe() const { return core_.describe("Channel"); }

private:
    friend detail::Caller& detail::caller_of<T>(Channel<T>& channel) noexcept;
};

template <class T>
detail::Caller& detail::caller_of(Channel<T>& channel) noexcept {
    return channel.core_.caller();
}

}  // namespace remoteobj

template <class T>
struct fmt::formatter<remoteobj::Channel<T>> : fmt::formatter<std::string_view> {
    auto format(const remoteobj::Channel<T>& channel, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(channel.describe(), ctx);
    }
};

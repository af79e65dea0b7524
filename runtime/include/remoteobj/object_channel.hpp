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
//
// The child may also exec() another program, which adopts the channel and
// listens there (docs/processes.md, "An object in an exec'd worker"):
//
//     auto child = remoteobj::process([&] {          // in the child of fork()
//         std::string handle = channel.keep_across_exec();
//         ::execl("./worker", "worker", handle.c_str(), nullptr);
//         throw std::system_error(errno, std::generic_category(), "exec");
//     });
//     // in ./worker: auto channel = remoteobj::Channel<Counter>::adopt(argv[1]);
#pragma once

#include <string>
#include <string_view>

#include "remoteobj/endpoint.hpp"
#include "remoteobj/proxy.hpp"

namespace remoteobj {

template <class T>
class Channel : public detail::Endpoint {
public:
    Channel() : Endpoint(nullptr, &detail::interface_of<T>) {}
    /// The same, with the link's options (its largest message).
    explicit Channel(link_options options) : Endpoint(nullptr, &detail::interface_of<T>, options) {}
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

    /// Serves `object` at a named endpoint, as Remote<T>::listen_at() does.
    [[nodiscard]] ListenGuard listen_at(T& object, std::string_view address, listen_options options = {}) {
        return core_.listen_at(&object, address, std::move(options));
    }

    /// A proxy of the object at the other end; copies share this channel, which
    /// must outlive them.
    Proxy<T> proxy() { return Proxy<T>(core_.caller()); }

    /// "<Channel Counter: listening in pid 42>"; reads the shared flags, sends nothing.
    std::string describe() const { return core_.describe("Channel"); }

    /// In the child of fork(), just before exec(): lets the program exec()ed next
    /// inherit this channel, and returns the handle that program adopts it by
    /// ("remoteobj-link:3,4,5,6,7,8": pass it as an argument or in the environment).
    /// Clears FD_CLOEXEC on this channel's six descriptors, with fcntl() only; the
    /// string is made with malloc, which a child of remoteobj::process() may use
    /// (it is an ordinary process) but a child of a raw fork() of a threaded
    /// program may not. Throws Error in the process that made the channel, where
    /// it would pass the channel to every program that process starts.
    std::string keep_across_exec() {
        core_.link().keep_across_exec();
        return detail::format_link_handle(core_.link().fds());
    }

    /// In a program exec()ed by a child that called keep_across_exec(): the same
    /// channel, to listen on (or call through) as the child could have. Takes over
    /// the descriptors and sets FD_CLOEXEC on them again. Throws Error, naming what
    /// is wrong, for a malformed handle or descriptors that are not a link's (and
    /// then leaves them alone).
    static Channel adopt(std::string_view handle) { return Channel(detail::parse_link_handle(handle)); }

private:
    explicit Channel(const detail::LinkFds& inherited) : Endpoint(nullptr, &detail::interface_of<T>, inherited) {}

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

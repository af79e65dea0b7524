// remoteobj::Remote<T>: the member a REMOTEOBJ class holds to be reachable from
// another process. Both sides of a fork() share it; one side listens, the other
// calls through `remote->member`.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "remoteobj/caller.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/link.hpp"
#include "remoteobj/listener.hpp"
#include "remoteobj/proxy.hpp"

namespace remoteobj {

class ProcessBase;
namespace detail {
class RemoteCore;
}

/// Keeps a listener running; it stops when the guard is destroyed (or stop() is
/// called). Converts to false once the listener has stopped for any reason, so a
/// serving loop reads `while (!stop && listening) ...`.
class ListenGuard {
public:
    ListenGuard() = default;
    ListenGuard(ListenGuard&&) noexcept = default;
    ListenGuard& operator=(ListenGuard&& other) noexcept;
    ~ListenGuard();

    explicit operator bool() const noexcept { return listener_ && listener_->running(); }
    /// Stops listening now: requests already sent are settled first.
    void stop();

private:
    friend class detail::RemoteCore;
    ListenGuard(detail::RemoteCore& core, std::unique_ptr<detail::Listener> listener) noexcept
        : core_(&core), listener_(std::move(listener)) {}

    detail::RemoteCore* core_ = nullptr;
    std::unique_ptr<detail::Listener> listener_;
};

namespace detail {

/// Everything of Remote<T> that does not depend on T.
class RemoteCore {
public:
    RemoteCore(void* object, const Interface& (*interface)());
    RemoteCore(const RemoteCore&) = delete;
    RemoteCore& operator=(const RemoteCore&) = delete;
    ~RemoteCore();

    ListenGuard listen(Listener::Mode mode, listen_options options);
    std::size_t process_requests();
    bool listening() const noexcept;
    int listener_pid() const noexcept;
    void wait_until_listening(const ProcessBase& process, std::chrono::milliseconds timeout);

    std::recursive_mutex& mutex() noexcept { return mutex_; }
    Caller& caller() noexcept { return caller_; }
    /// The pipes themselves: for tests and fuzzers that speak raw bytes.
    Link& link() noexcept { return link_; }

private:
    friend class remoteobj::ListenGuard;
    void release(Listener* listener) noexcept;

    std::recursive_mutex mutex_;
    Link link_;
    Target target_;
    Caller caller_;
    Listener* active_ = nullptr;  // owned by the ListenGuard that started it
};

}  // namespace detail

/// The link to an object of class T from another process. Declare it as a member
/// initialised with the object: `remoteobj::Remote<Counter> remote{*this};`.
/// Neither copyable nor movable: it stands for this one object.
template <class T>
class Remote {
public:
    explicit Remote(T& self) : core_(&self, &detail::interface_of<T>) {}
    Remote(const Remote&) = delete;
    Remote& operator=(const Remote&) = delete;

    /// Starts a background thread serving requests until the returned guard dies.
    [[nodiscard]] ListenGuard listen(listen_options options = {}) {
        return core_.listen(detail::Listener::Mode::background, options);
    }
    /// Starts listening in the foreground: requests are served only inside
    /// process_requests(), on the thread that calls it.
    [[nodiscard]] ListenGuard listen(foreground_t, listen_options options = {}) {
        return core_.listen(detail::Listener::Mode::foreground, options);
    }
    /// Serves every request that has arrived (foreground listening); never blocks.
    std::size_t process_requests() { return core_.process_requests(); }

    /// True while some process listens on this object.
    bool listening() const noexcept { return core_.listening(); }

    /// Returns once `process` listens on this object; throws ProcessDied at once if
    /// it exits first, Timeout if `timeout` passes.
    void wait_until_listening(const ProcessBase& process,
                              std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        core_.wait_until_listening(process, timeout);
    }

    /// Held while a request runs on the object; hold it to keep the object's own
    /// critical sections consistent with requests. Recursive, so a member called
    /// remotely may take it again.
    std::recursive_mutex& mutex() noexcept { return core_.mutex(); }

    /// The typed proxy (needs the generated `<header>.remote.hpp`).
    Proxy<T>& proxy() {
        std::call_once(proxy_once_, [this] { proxy_ = std::make_unique<Proxy<T>>(core_.caller()); });
        return static_cast<Proxy<T>&>(*proxy_);
    }
    Proxy<T>* operator->() { return &proxy(); }

    /// `r[key]`, for a class with operator[]: a view of the element.
    template <class K>
    auto operator[](const K& key) {
        return proxy()[key];
    }
    /// `r.contains(x)`, `r.erase(k)`, `r.size()` (and `remoteobj::len(r)`): the
    /// class's own methods of those names, called remotely.
    template <class... A>
    auto contains(const A&... args) {
        return proxy().contains(args...);
    }
    template <class... A>
    auto erase(const A&... args) {
        return proxy().erase(args...);
    }
    auto size() { return proxy().size(); }

    /// `Fn(object, args...)` run in the listening process (see ProxyBase::passto).
    template <auto Fn, class... A>
    auto passto(const A&... args) {
        return static_cast<detail::ProxyBase&>(proxy()).template passto<Fn>(args...);
    }

    /// The object as its base class B, calling B's own implementations.
    template <class B>
    Proxy<B> super() {
        return static_cast<detail::ProxyBase&>(proxy()).template super<B>();
    }
    /// The same, for a class with a single REMOTEOBJ base.
    auto super() { return proxy().super(); }

    /// "<Remote Counter: listening in pid 42>"; reads the shared flags, sends nothing.
    std::string describe() const {
        const char* name = detail::interface_of<T>().class_name;
        if (!listening()) return fmt::format("<Remote {}: not listening>", name);
        return fmt::format("<Remote {}: listening in pid {}>", name, core_.listener_pid());
    }

private:
    template <class U>
    friend detail::Link& detail_link_of(Remote<U>& remote) noexcept;

    detail::RemoteCore core_;
    std::once_flag proxy_once_;
    std::unique_ptr<detail::ProxyBase> proxy_;  // a Proxy<T>, made on first use
};

/// The link under `remote`, for code that must speak raw frames (tests, fuzzers).
template <class U>
detail::Link& detail_link_of(Remote<U>& remote) noexcept {
    return remote.core_.link();
}

}  // namespace remoteobj

template <class T>
struct fmt::formatter<remoteobj::Remote<T>> : fmt::formatter<std::string_view> {
    auto format(const remoteobj::Remote<T>& remote, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(remote.describe(), ctx);
    }
};

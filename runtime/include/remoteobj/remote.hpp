// remoteobj::Remote<T>: the member a REMOTEOBJ class holds to be reachable from
// another process. Every process fork()ed after it is made shares it; one listens,
// and any other calls through `remote->member` (see link.hpp for how).
#pragma once

#include <memory>
#include <mutex>

#include "remoteobj/endpoint.hpp"
#include "remoteobj/proxy.hpp"

namespace remoteobj {

/// The link to an object of class T from another process. Declare it as a member
/// initialised with the object: `remoteobj::Remote<Counter> remote{*this};`.
/// Neither copyable nor movable: it stands for this one object.
template <class T>
class Remote : public detail::Endpoint {
public:
    explicit Remote(T& self) : Endpoint(&self, &detail::interface_of<T>) {}
    /// The same, with the link's options (its largest message).
    Remote(T& self, link_options options) : Endpoint(&self, &detail::interface_of<T>, options) {}
    Remote(const Remote&) = delete;
    Remote& operator=(const Remote&) = delete;

    /// Starts a background thread serving requests until the returned guard dies.
    [[nodiscard]] ListenGuard listen(listen_options options = {}) {
        return core_.listen(nullptr, detail::Listener::Mode::background, options);
    }
    /// Starts listening in the foreground: requests are served only inside
    /// process_requests(), on the thread that calls it.
    [[nodiscard]] ListenGuard listen(foreground_t, listen_options options = {}) {
        return core_.listen(nullptr, detail::Listener::Mode::foreground, options);
    }
    /// Serves this object at a named endpoint ("unix:/run/app/counter.sock", or
    /// "unix:@name" in the abstract namespace) on a thread of its own, until the
    /// returned guard dies: any process may connect<T>() there. Requests from every
    /// connection run one at a time under mutex(). The socket file is made with
    /// `options.mode` and removed at the end; `options.allow_uids` says who may
    /// connect. Throws Error for a bad address or one a live listener holds.
    [[nodiscard]] ListenGuard listen_at(std::string_view address, listen_options options = {}) {
        return core_.listen_at(nullptr, address, std::move(options));
    }
    /// The typed proxy (needs the generated `<header>.remote.hpp`).
    Proxy<T>& proxy() {
        std::call_once(proxy_once_, [this] { proxy_ = detail::OwnedProxy::make<Proxy<T>>(core_.caller()); });
        return proxy_.template get<Proxy<T>>();
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

    /// `Fn(object, args...)` run in the listening process (see ProxyState::passto).
    template <auto Fn, class... A>
    auto passto(const A&... args) {
        return detail::ProxyAccess::state(proxy()).template passto<Fn>(args...);
    }

    /// The object as its base class B, calling B's own implementations.
    template <class B>
    Proxy<B> super() {
        return detail::super_of<B>(detail::ProxyAccess::handle(proxy()));
    }
    /// The same, for a class with a single REMOTEOBJ base.
    auto super() { return super<typename detail::ProxyTraits<T>::base>(); }

    /// "<Remote Counter: listening in pid 42>"; reads the shared flags, sends nothing.
    std::string describe() const { return core_.describe("Remote"); }

private:
    template <class U>
    friend detail::Link& detail_link_of(Remote<U>& remote) noexcept;

    std::once_flag proxy_once_;
    detail::OwnedProxy proxy_;  // a Proxy<T>, made on first use
};

/// `remoteobj::passto<&fn>(obj.remote, args...)`: the free form, as for proxies.
template <auto Fn, class T, class... A>
auto passto(Remote<T>& remote, const A&... args) {
    return remote.template passto<Fn>(args...);
}

/// `remoteobj::super<Base>(obj.remote)`: the free form, as for proxies.
template <class B, class T>
Proxy<B> super(Remote<T>& remote) {
    return remote.template super<B>();
}

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

// remoteobj::connect<T>(address): reaching an object that another process serves
// at a named endpoint (`obj.remote.listen_at("unix:/run/app/counter.sock")`), from
// any process, related to it or not:
//
//     auto counter = remoteobj::connect<Counter>("unix:/run/app/counter.sock");
//     counter->toggle(true);                     // the same generated proxy
//     int n = counter->count.get();
//
// Each Connection is its own stream to the listener: its replies reach only it,
// and nothing another caller does can stall it. The listener's death or stop ends
// it (PeerLost or NotListening); to reach a restarted listener, connect again.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "remoteobj/caller.hpp"
#include "remoteobj/detail/listener_members.hpp"
#include "remoteobj/detail/shared_ring.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/proxy.hpp"
#include "remoteobj/transport.hpp"

namespace remoteobj {

/// How connect<T>() connects.
struct connect_options {
    /// The largest message this side sends or accepts.
    std::size_t max_message = 64u << 20;
};

namespace detail {

/// The calling end of a connection over a UNIX socket (see transport.hpp). Made
/// connected, with the listener's handshake checked.
///
/// A link's listening session hands each connection a pipe pair, or a pair of
/// rings in shared memory, with its greeting (SCM_RIGHTS): the connection then goes
/// on over those, which cost less per call than the socket, and the socket is closed.
class SocketConnection final : public CallerTransport {
public:
    /// Connects to `address` and reads the listener's greeting, within this thread's
    /// remoteobj::deadline. Throws NotListening (nobody there), AccessDenied (this
    /// uid is refused), InterfaceMismatch or ProtocolError (another build or
    /// protocol), PeerLost (it closed at once), Timeout, SystemError. With
    /// `take_handed_over`, goes on over the pipes or rings the greeting brings, if
    /// it brings any.
    SocketConnection(std::string_view address, const Interface& ours, std::size_t max_message,
                     bool take_handed_over = false);
    /// The same over `connected`, one end of a stream that another transport
    /// carries (gRPC's, through a socketpair): `address` names it in messages, and
    /// no listening process is watched here (the stream's end tells its loss).
    /// Requests go to `requests` instead of `connected`, when given (it outlives this).
    SocketConnection(Fd connected, std::string_view address, const Interface& ours, std::size_t max_message,
                     FrameSink* requests = nullptr);
    ~SocketConnection() override;
    SocketConnection(const SocketConnection&) = delete;
    SocketConnection& operator=(const SocketConnection&) = delete;

    /// Throws Error in a process forked from the one that connected: the socket is
    /// that process's own (closed in its children), and the child connects anew.
    /// Throws PeerLost once the connection ended: nothing is sent on it any more.
    void check_listening(const char* what) override;
    /// The caller read the listener's Closed, or the stream's end: whatever that
    /// stream still holds, a later call fails the same way, before sending.
    void connection_ended() noexcept override { ended_ = true; }
    Route route(const Interface&, const char*) override { return {epoch_, listener_, false, &members_}; }
    std::size_t max_message() const noexcept override { return max_message_; }
    FrameReader& replies() noexcept override { return replies_; }
    FrameWriter request_writer() const noexcept override {
        if (request_sink_) return FrameWriter(request_sink_);
        if (request_ring_) return FrameWriter(request_ring_.get(), room_wake_.get());
        return FrameWriter(request_fd(), !piped());
    }
    int request_fd() const noexcept override {
        if (request_sink_) return request_sink_->room_fd();
        return request_ring_ ? room_wake_.get() : piped() ? request_pipe_.get() : fd_.get();
    }
    bool replies_block() const noexcept override { return true; }

    const std::string& address() const noexcept { return address_; }
    /// The listening process, as the kernel reported it at connect (0: not on this machine, or not known).
    int listener_pid() const noexcept { return listener_; }
    /// The listening session its greeting named.
    std::uint32_t epoch() const noexcept { return epoch_; }
    /// The process that connected: the only one that may use it.
    int owner() const noexcept { return owner_; }
    /// Whether the listener's last words (its Closed, the stream's end) wait to be
    /// read: one poll(), without waiting.
    bool ended_unread() noexcept;
    /// The members the listener's greeting announced.
    const ListenerMembers& listener_members() const noexcept { return members_; }
    /// The class the listener serves, as its greeting named it.
    const std::string& served_class() const noexcept { return served_class_; }
    /// Whether it goes on over a pipe pair the listener handed over.
    bool piped() const noexcept { return static_cast<bool>(request_pipe_); }

private:
    // "the listener at <address> (pid <n>)", for messages.
    std::string listener_named() const;
    // Registers the descriptors for fork() and reads the greeting.
    void greet(const Interface& ours, bool take_handed_over);
    // Reads exactly `into.size()` bytes of the greeting, and what descriptors come
    // with them, within this thread's deadline.
    void receive_greeting(std::span<std::uint8_t> into, std::vector<Fd>& fds, const Interface& ours);
    void read_greeting(const Interface& ours, bool take_handed_over);
    // Goes on over the pipes in `fds` (request pipe's write end, reply pipe's read
    // end, request pipe's read end), once each is checked to be what it should.
    void take_pipes(std::vector<Fd>& fds, const Interface& ours);
    // Goes on over the rings of the region in `fds` (the region, this side's two
    // eventfds, the listener's two).
    void take_rings(std::vector<Fd>& fds, const Interface& ours);
    // Every descriptor this connection holds, for the fork() registry.
    std::vector<Fd*> descriptors();

    std::string address_;
    std::size_t max_message_;
    int owner_;  // the process that connected
    Fd fd_;      // the socket, until pipes replace it
    Fd request_pipe_, reply_pipe_, request_guard_;
    // Over rings: the region, this side's eventfds (the listener rings them), the
    // listener's (we ring them), and its pidfd, whose readiness ends a wait.
    std::unique_ptr<SharedRegion> region_;
    Fd reply_wake_, room_wake_, listener_request_wake_, listener_room_wake_, listener_pidfd_;
    std::unique_ptr<RingWriter> request_ring_;
    std::unique_ptr<RingReader> reply_ring_;
    FrameSink* request_sink_ = nullptr;
    FrameReader replies_;
    std::uint32_t epoch_ = 0;
    int listener_ = 0;
    bool ended_ = false;
    ListenerMembers members_;
    std::string served_class_;
};

/// The Interface a connection made only to ask about the served object (describe())
/// passes as its own: any class is accepted, and no member of it is called.
const Interface& any_class() noexcept;

/// Asks the listener `caller` reaches for its description: the JSON text of its
/// `<name>.remote.json` (one Describe request; see describe.hpp).
std::string request_description(Caller& caller);

/// The caller's end of a transport (itself, for one that is a CallerTransport;
/// another transport's holder gives an overload of its own, found by ADL).
inline CallerTransport& caller_end(CallerTransport& transport) noexcept { return transport; }

/// What a connection to an object of class T holds: the transport, the Caller on
/// it and the generated proxy. It does not move once made: proxies point into it.
template <class T, class Transport>
struct ConnectedProxy {
    template <class... Args>
    explicit ConnectedProxy(Args&&... transport_args)
        : transport(std::forward<Args>(transport_args)...),
          caller(caller_end(transport), target),
          proxy(OwnedProxy::make<Proxy<T>>(caller)) {}
    Proxy<T>& get() { return proxy.template get<Proxy<T>>(); }

    Transport transport;
    Target target{nullptr, &interface_of<T>, nullptr};  // nothing is served in place
    Caller caller;
    OwnedProxy proxy;
};

}  // namespace detail

template <class T>
class Connection;

/// Connects to the object served at `address` ("unix:/path" or "unix:@name").
/// Throws what detail::SocketConnection's constructor lists.
template <class T>
Connection<T> connect(std::string_view address, connect_options options = {});

/// A connection to an object of class T served at a named endpoint; `->` reaches
/// its members through the generated Proxy<T>. Movable, not copyable.
template <class T>
class Connection {
public:
    Connection(Connection&&) noexcept = default;
    Connection& operator=(Connection&&) noexcept = default;

    Proxy<T>* operator->() { return &proxy(); }
    Proxy<T>& proxy() { return state_->get(); }

    /// The address it was made to, and the listening process.
    const std::string& address() const noexcept { return state_->transport.address(); }
    int listener_pid() const noexcept { return state_->transport.listener_pid(); }

    /// "<Connection Counter: unix:/run/app/counter.sock, pid 42>"; sends nothing.
    std::string describe() const {
        return fmt::format("<Connection {}: {}, pid {}>", detail::ProxyTraits<T>::class_name, address(),
                           listener_pid());
    }

    /// The listener's description: the text of the `<name>.remote.json` it was built
    /// with (one Describe request; docs/description.md).
    std::string description() { return detail::request_description(state_->caller); }

    /// The members the listener announced when it greeted this connection.
    const detail::ListenerMembers& listener_members() const noexcept {
        return state_->transport.listener_members();
    }

private:
    friend Connection connect<T>(std::string_view address, connect_options options);

    using State = detail::ConnectedProxy<T, detail::SocketConnection>;
    explicit Connection(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}

    std::unique_ptr<State> state_;  // where it lives does not move: proxies point into it
};

template <class T>
Connection<T> connect(std::string_view address, connect_options options) {
    return Connection<T>(
        std::make_unique<typename Connection<T>::State>(address, detail::interface_of<T>(), options.max_message));
}

}  // namespace remoteobj

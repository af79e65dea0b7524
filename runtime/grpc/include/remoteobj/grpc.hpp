// remoteobj::grpc: the same generated proxies across machines, carried by gRPC.
//
//     // on the machine that has the object
//     Counter counter;
//     auto server = remoteobj::grpc::serve(counter, "0.0.0.0:7000",
//                                          {.tls = remoteobj::grpc::server_tls{chain_pem, key_pem}});
//
//     // anywhere else
//     auto counter = remoteobj::grpc::connect<Counter>("host:7000",
//                                                      {.tls = remoteobj::grpc::client_tls{ca_pem}});
//     counter->add(1, 2);                   // the generated Proxy<Counter>, as over a UNIX socket
//
// Each connection is one gRPC bidirectional stream that carries the envelope the
// local transports carry (gRPC's generic API: plain bytes, no protobuf): calls,
// async calls, Batch, Signals and streams all work as they do locally. Requests
// run one at a time under the object's mutex (`obj.remote.mutex()`, or the
// server's own for a class without a Remote member).
//
// Security: TLS when given credentials; a token that every connection must
// present when the server sets one (AccessDenied otherwise). Without TLS, only a
// loopback address is served or reached (gRPC's local credentials, which check
// that the peer is on this machine), unless `plaintext = true` asks for
// unencrypted traffic on the network.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "remoteobj/caller.hpp"
#include "remoteobj/connection.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/proxy.hpp"
#include "remoteobj/transport.hpp"

namespace remoteobj::grpc {

/// A server's TLS identity, as PEM text: its certificate chain and private key.
struct server_tls {
    std::string certificate_chain;
    std::string private_key;
};

/// What a client trusts, as PEM text: the certificates of the authorities that may
/// have signed the server's (empty: the system's). `server_name`: the name to
/// check the server's certificate against, when it is not the address's host.
struct client_tls {
    std::string root_certificates;
    std::string server_name = {};
};

/// How serve() serves.
struct serve_options {
    /// TLS with this identity; without it, see `plaintext`.
    std::optional<server_tls> tls = std::nullopt;
    /// Serve without TLS on an address that is not loopback: every byte crosses the
    /// network unencrypted. (Without TLS, a loopback address is served with gRPC's
    /// local credentials, which refuse peers on other machines.)
    bool plaintext = false;
    /// Not empty: each connection must present this token (connect_options::token);
    /// others get AccessDenied.
    std::string token = {};
    /// The largest message either side sends or accepts.
    std::size_t max_message = 64u << 20;
    /// Serve requests already sent when the server stops (true), or refuse them.
    bool fulfill_final = true;
    /// Connections served at once; a client past it gets remoteobj::Busy at once.
    std::size_t max_connections = 1024;
};

/// How connect() connects.
struct connect_options {
    /// TLS, trusting these authorities; without it, see `plaintext`.
    std::optional<client_tls> tls = std::nullopt;
    /// Connect without TLS to an address that is not loopback (see serve_options).
    bool plaintext = false;
    /// The server's token, when it asks for one.
    std::string token = {};
    std::size_t max_message = 64u << 20;
};

namespace detail {

/// Everything of Server that does not depend on the class served.
class ServerCore {
public:
    /// Serves `target` at `address` ("host:port"; port 0 picks a free one). Throws
    /// Error when it cannot listen there, or when the options are not safe for it.
    ServerCore(const remoteobj::detail::Target& target, std::string_view address, serve_options options);
    ~ServerCore();
    ServerCore(const ServerCore&) = delete;
    ServerCore& operator=(const ServerCore&) = delete;

    int port() const noexcept;
    const std::string& address() const noexcept;
    void stop();

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

/// The calling end of one connection: a gRPC stream, and the SocketConnection that
/// speaks the envelope over it.
class ClientLink {
public:
    /// Connects and reads the server's greeting, within this thread's
    /// remoteobj::deadline. Throws NotListening (nobody serves there, or TLS does
    /// not match), AccessDenied (a wrong token), InterfaceMismatch, ProtocolError,
    /// Timeout, PeerLost, Error (options not safe for the address).
    ClientLink(std::string_view address, const remoteobj::detail::Interface& ours, const connect_options& options);
    ~ClientLink();
    ClientLink(const ClientLink&) = delete;
    ClientLink& operator=(const ClientLink&) = delete;

    remoteobj::detail::CallerTransport& transport() noexcept;
    const std::string& address() const noexcept { return address_; }

private:
    struct Call;
    std::string address_;
    std::unique_ptr<Call> call_;
    std::unique_ptr<remoteobj::detail::CallerTransport> connection_;
};

/// Its caller's end, for remoteobj::detail::ConnectedProxy.
inline remoteobj::detail::CallerTransport& caller_end(ClientLink& link) noexcept { return link.transport(); }

}  // namespace detail

class Server;

/// Serves `obj` at `address` ("host:port", "[::1]:0", "0.0.0.0:7000") until the
/// returned Server is destroyed. A class with a `remote` member is served under its
/// mutex; any other REMOTEOBJ class under the Server's own.
template <class T>
[[nodiscard]] Server serve(T& obj, std::string_view address, serve_options options = {});

/// An object served over gRPC; stops serving when destroyed. Movable.
class Server {
public:
    Server(Server&&) noexcept = default;
    Server& operator=(Server&&) noexcept = default;
    ~Server() = default;

    /// The port it listens on (the one picked, for port 0).
    int port() const noexcept { return core_->port(); }
    const std::string& address() const noexcept { return core_->address(); }
    /// Stops serving: requests already sent are settled, each connection is told,
    /// and new ones are refused. Called by the destructor otherwise.
    void stop() { core_->stop(); }
    /// Held while a request runs on the object (the object's Remote's mutex).
    std::recursive_mutex& mutex() noexcept { return *mutex_; }

private:
    template <class T>
    friend Server serve(T& obj, std::string_view address, serve_options options);
    Server(std::recursive_mutex* mutex, std::unique_ptr<std::recursive_mutex> own_mutex)
        : own_mutex_(std::move(own_mutex)), mutex_(mutex) {}

    std::unique_ptr<std::recursive_mutex> own_mutex_;  // for a class without a Remote member
    std::recursive_mutex* mutex_;
    std::unique_ptr<detail::ServerCore> core_;
};

template <class T>
Server serve(T& obj, std::string_view address, serve_options options) {
    std::recursive_mutex* mutex;
    std::unique_ptr<std::recursive_mutex> own;
    if constexpr (requires { obj.remote.mutex(); }) {
        mutex = &obj.remote.mutex();
    } else {
        own = std::make_unique<std::recursive_mutex>();
        mutex = own.get();
    }
    Server server(mutex, std::move(own));
    server.core_ = std::make_unique<detail::ServerCore>(
        remoteobj::detail::Target{&obj, &remoteobj::detail::interface_of<T>, mutex}, address, std::move(options));
    return server;
}

template <class T>
class Connection;

/// Connects to the object of class T served at `address`; see detail::ClientLink
/// for what it throws.
template <class T>
Connection<T> connect(std::string_view address, connect_options options = {});

/// A connection to an object of class T served over gRPC; `->` reaches its members
/// through the generated Proxy<T>. Movable, not copyable.
template <class T>
class Connection {
public:
    Connection(Connection&&) noexcept = default;
    Connection& operator=(Connection&&) noexcept = default;

    Proxy<T>* operator->() { return &proxy(); }
    Proxy<T>& proxy() { return state_->get(); }
    const std::string& address() const noexcept { return state_->transport.address(); }

    /// "<grpc::Connection Counter: host:7000>"; sends nothing.
    std::string describe() const {
        return fmt::format("<grpc::Connection {}: {}>", remoteobj::detail::ProxyTraits<T>::class_name, address());
    }

private:
    friend Connection connect<T>(std::string_view address, connect_options options);

    using State = remoteobj::detail::ConnectedProxy<T, detail::ClientLink>;
    explicit Connection(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}

    std::unique_ptr<State> state_;  // where it lives does not move: proxies point into it
};

template <class T>
Connection<T> connect(std::string_view address, connect_options options) {
    return Connection<T>(
        std::make_unique<typename Connection<T>::State>(address, remoteobj::detail::interface_of<T>(), options));
}

}  // namespace remoteobj::grpc

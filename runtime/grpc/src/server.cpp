// Serving an object over gRPC: one generic service whose every call is a
// connection, handed to a ConnectionListener as one end of a socketpair.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <chrono>

#include <fmt/format.h>

#include "connection_listener.hpp"
#include "pump.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/grpc.hpp"
#include "security.hpp"
#include "transport/acceptor.hpp"

namespace remoteobj::grpc::detail {

namespace {

using remoteobj::detail::AdoptedConnections;
using remoteobj::detail::ConnectionListener;

// How long stop() lets connections take what the listener told them, before gRPC
// cancels them.
constexpr auto stop_grace = std::chrono::seconds(2);
// How often the server lets a client ping it without data, and itself pings an idle
// client: a peer whose machine vanished (no reset ever comes) is noticed.
constexpr int keepalive_ms = 20'000;

// A call that is refused at once, with `status`.
class Refusal final : public ::grpc::ServerGenericBidiReactor {
public:
    explicit Refusal(const ::grpc::Status& status) { Finish(status); }
    void OnDone() override { delete this; }
};

// One connection: the call's bytes go to the listener's socket, and its replies
// from the listener's thread straight into the stream (the Pump as its FrameSink).
class ServerStream final : public ::grpc::ServerGenericBidiReactor, StreamOps {
public:
    explicit ServerStream(Fd local) : pump_(std::make_shared<Pump>(std::move(local), static_cast<StreamOps&>(*this), Side::server)) {
        pump_->start();
    }
    // The listener's, for its connection's replies; outlives this (it throws PeerLost once the call ended).
    std::shared_ptr<Pump> sink() const { return pump_; }

    void start_read(::grpc::ByteBuffer* into) override { StartRead(into); }
    void start_write(const ::grpc::ByteBuffer* from) override { StartWrite(from); }
    void end_writes() override { finish(::grpc::Status::OK); }
    void finished() override {
        finish(::grpc::Status(::grpc::StatusCode::CANCELLED, "the remoteobj connection ended"));
    }

    void OnReadDone(bool ok) override { pump_->read_done(ok); }
    void OnWriteDone(bool ok) override { pump_->write_done(ok); }
    void OnCancel() override { pump_->cancelled(); }
    void OnDone() override {
        pump_->join();
        delete this;
    }

private:
    void finish(const ::grpc::Status& status) {
        if (finishing_) return;
        finishing_ = true;
        Finish(status);
    }

    bool finishing_ = false;  // only the pump's thread finishes, under its mutex
    std::shared_ptr<Pump> pump_;
};

class Service final : public ::grpc::CallbackGenericService {
public:
    Service(std::shared_ptr<AdoptedConnections> adopted, std::string token, const char* class_name)
        : adopted_(std::move(adopted)), token_(std::move(token)), class_name_(class_name) {}

    ::grpc::ServerGenericBidiReactor* CreateReactor(::grpc::GenericCallbackServerContext* context) override {
        if (context->method() != connect_method)
            return new Refusal(::grpc::Status(::grpc::StatusCode::UNIMPLEMENTED,
                                              fmt::format("this server serves remoteobj's {} only, not {}",
                                                          connect_method, context->method())));
        if (!token_.empty()) {
            const auto& metadata = context->client_metadata();
            const auto presented = metadata.find(token_key);
            const bool good = presented != metadata.end() &&
                              same_token(std::string_view(presented->second.data(), presented->second.size()), token_);
            if (!good)
                return new Refusal(::grpc::Status(
                    ::grpc::StatusCode::UNAUTHENTICATED,
                    fmt::format("the server of {} refuses this connection: {}", class_name_,
                                presented == metadata.end() ? "it presented no token (connect_options::token)"
                                                            : "its token is not the server's")));
        }
        Fd listener_end, pump_end;
        try {
            remoteobj::detail::open_socket_pair(listener_end, pump_end);
        } catch (const Error& e) {
            return new Refusal(::grpc::Status(
                ::grpc::StatusCode::RESOURCE_EXHAUSTED,
                fmt::format("the server of {} cannot make a connection's socket pair: {}", class_name_, e.what())));
        }
        if (adopted_->closed())
            return new Refusal(::grpc::Status(::grpc::StatusCode::UNAVAILABLE,
                                              fmt::format("the server of {} has stopped", class_name_)));
        auto* stream = new ServerStream(std::move(pump_end));
        // Stopped just now: the listener's end closes here, and the call ends as the
        // listener's connections do.
        (void)adopted_->adopt({std::move(listener_end), stream->sink()});
        return stream;
    }

private:
    std::shared_ptr<AdoptedConnections> adopted_;
    std::string token_;
    const char* class_name_;
};

// The port part of "host:port" or "[v6]:port", as written, for messages.
std::string_view port_of(std::string_view address) {
    const auto colon = address.rfind(':');
    return colon == std::string_view::npos ? std::string_view("(none given)") : address.substr(colon + 1);
}

}  // namespace

struct ServerCore::Parts {
    std::string address;
    int port = 0;
    std::shared_ptr<AdoptedConnections> adopted = std::make_shared<AdoptedConnections>();
    std::unique_ptr<ConnectionListener> listener;
    std::unique_ptr<Service> service;
    std::unique_ptr<::grpc::Server> server;
    bool stopped = false;
};

ServerCore::ServerCore(const remoteobj::detail::Target& target, std::string_view address, serve_options options)
    : parts_(std::make_unique<Parts>()) {
    const char* name = target.interface().class_name;
    parts_->address = address;
    auto credentials = server_credentials(address, options, name);
    parts_->listener = std::make_unique<ConnectionListener>(
        AdoptedConnections::acceptor(parts_->adopted), fmt::format("gRPC {}", address), target,
        listen_options{.fulfill_final = options.fulfill_final, .max_connections = options.max_connections}, options.max_message);
    parts_->service = std::make_unique<Service>(parts_->adopted, std::move(options.token), name);
    ::grpc::ServerBuilder builder;
    builder.AddListeningPort(std::string(address), credentials, &parts_->port);
    builder.RegisterCallbackGenericService(parts_->service.get());
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, keepalive_ms);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, keepalive_ms / 2);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    // gRPC binds with SO_REUSEPORT by default: a second server on a live port would
    // succeed, and the kernel would split the clients between the two objects.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    parts_->server = builder.BuildAndStart();
    if (!parts_->server || parts_->port == 0) {
        parts_->listener.reset();
        throw Error(fmt::format("{}: cannot serve over gRPC at {}: port {} is taken (another server listens there), "
                                "or the address is bad (gRPC's log above says which)",
                                name, address, port_of(address)));
    }
}

ServerCore::~ServerCore() { stop(); }

int ServerCore::port() const noexcept { return parts_->port; }
const std::string& ServerCore::address() const noexcept { return parts_->address; }

void ServerCore::stop() {
    if (parts_->stopped) return;
    parts_->stopped = true;
    // New calls are refused from here on; the listener settles what was sent, tells
    // each connection that it closed, and closes its sockets, whose pumps then end
    // their calls. gRPC cancels what has not ended by the deadline.
    parts_->adopted->close();
    parts_->listener.reset();
    parts_->server->Shutdown(std::chrono::system_clock::now() + stop_grace);
    parts_->server.reset();
}

}  // namespace remoteobj::grpc::detail

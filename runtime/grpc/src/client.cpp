// Connecting over gRPC: a call of the service, whose bytes a Pump carries to and
// from a socketpair whose other end a SocketConnection reads, as it reads a UNIX
// socket's.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <fcntl.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include <fmt/format.h>

#include "pump.hpp"
#include "remoteobj/connection.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/grpc.hpp"
#include "security.hpp"
#include "transport/acceptor.hpp"

namespace remoteobj::grpc::detail {

namespace {

// How long a connect that failed waits for gRPC's word on why.
constexpr auto status_wait = std::chrono::seconds(5);
// How often an idle connection pings the server: a server whose machine vanished
// (no reset ever comes) is noticed within this and the timeout.
constexpr int keepalive_ms = 20'000;
constexpr int keepalive_timeout_ms = 10'000;

class ClientStream final : public ::grpc::ClientBidiReactor<::grpc::ByteBuffer, ::grpc::ByteBuffer>, StreamOps {
public:
    ClientStream(::grpc::GenericStub& stub, ::grpc::ClientContext& context, Fd local)
        : context_(context), pump_(std::move(local), *this, Side::client) {
        stub.PrepareBidiStreamingCall(&context, connect_method, ::grpc::StubOptions(), this);
        AddHold();  // the call does not end before the pump's thread has let go of it
        pump_.start();
        StartCall();
    }
    ~ClientStream() override {
        pump_.cancelled();
        context_.TryCancel();
        std::unique_lock lock(mutex_);
        done_changed_.wait(lock, [this] { return done_; });
        lock.unlock();
        pump_.join();
    }
    ClientStream(const ClientStream&) = delete;
    ClientStream& operator=(const ClientStream&) = delete;

    void start_read(::grpc::ByteBuffer* into) override { StartRead(into); }
    void start_write(const ::grpc::ByteBuffer* from) override { StartWrite(from); }
    void end_writes() override { StartWritesDone(); }
    void finished() override { RemoveHold(); }

    Pump& sink() noexcept { return pump_; }

    void OnReadDone(bool ok) override { pump_.read_done(ok); }
    void OnWriteDone(bool ok) override { pump_.write_done(ok); }
    void OnDone(const ::grpc::Status& status) override {
        std::lock_guard lock(mutex_);
        status_ = status;
        done_ = true;
        done_changed_.notify_all();
    }

    /// How the call ended, once it has (within `timeout`).
    std::optional<::grpc::Status> status_within(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!done_changed_.wait_for(lock, timeout, [this] { return done_; })) return std::nullopt;
        return status_;
    }

private:
    ::grpc::ClientContext& context_;
    std::mutex mutex_;
    std::condition_variable done_changed_;
    bool done_ = false;
    ::grpc::Status status_;
    Pump pump_;  // destroyed first: its thread is joined before the rest goes
};

}  // namespace

struct ClientLink::Call {
    std::shared_ptr<::grpc::Channel> channel;
    std::unique_ptr<::grpc::GenericStub> stub;
    ::grpc::ClientContext context;
    std::unique_ptr<ClientStream> stream;
};

ClientLink::ClientLink(std::string_view address, const remoteobj::detail::Interface& ours,
                       const connect_options& options)
    : address_(address), call_(std::make_unique<Call>()) {
    ::grpc::ChannelArguments args;
    auto credentials = channel_credentials(address, options, ours.class_name, args);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, keepalive_ms);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, keepalive_timeout_ms);
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    call_->channel = ::grpc::CreateCustomChannel(std::string(address), credentials, args);
    call_->stub = std::make_unique<::grpc::GenericStub>(call_->channel);
    if (!options.token.empty()) call_->context.AddMetadata(token_key, options.token);
    Fd caller_end, pump_end;
    remoteobj::detail::open_socket_pair(caller_end, pump_end);
    // A caller waits for its reply in read() on its end, as on a UNIX socket's
    // (SocketConnection::replies_block()): that end blocks.
    if (::fcntl(caller_end.get(), F_SETFL, ::fcntl(caller_end.get(), F_GETFL) & ~O_NONBLOCK) != 0)
        throw SystemError(errno, "fcntl");
    call_->stream = std::make_unique<ClientStream>(*call_->stub, call_->context, std::move(pump_end));
    try {
        // Requests go from the caller's thread straight into the stream (the Pump as
        // its FrameSink); replies come through the socketpair.
        connection_ = std::make_unique<remoteobj::detail::SocketConnection>(
            std::move(caller_end), address_, ours, options.max_message, &call_->stream->sink());
    } catch (const PeerLost& lost) {
        // The stream ended before the greeting: gRPC says why.
        const auto status = call_->stream->status_within(status_wait);
        if (!status || status->ok()) throw;
        const std::string why = status->error_message();
        switch (status->error_code()) {
            case ::grpc::StatusCode::UNAVAILABLE:
                throw NotListening(fmt::format("{}: nothing serves over gRPC at {} (gRPC: {})", ours.class_name,
                                               address_, why));
            case ::grpc::StatusCode::UNAUTHENTICATED:
            case ::grpc::StatusCode::PERMISSION_DENIED:
                throw AccessDenied(fmt::format("{}: {} (at {})", ours.class_name, why, address_));
            case ::grpc::StatusCode::RESOURCE_EXHAUSTED:
                throw Busy(fmt::format("{}: the server at {} cannot take a connection now: {}", ours.class_name,
                                       address_, why));
            case ::grpc::StatusCode::UNIMPLEMENTED:
                throw ProtocolError(fmt::format("{}: what serves over gRPC at {} is not a remoteobj server (gRPC: {})",
                                                ours.class_name, address_, why));
            default:
                throw PeerLost(fmt::format("{}: the gRPC call to {} ended before its greeting (gRPC status {}: {})",
                                           ours.class_name, address_, static_cast<int>(status->error_code()), why));
        }
    }
}

ClientLink::~ClientLink() {
    connection_.reset();  // the caller's end first: nothing reads it any more
    call_.reset();
}

remoteobj::detail::CallerTransport& ClientLink::transport() noexcept { return *connection_; }

}  // namespace remoteobj::grpc::detail

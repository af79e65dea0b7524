// remoteobj_grpc_bench: remoteobj::grpc on the loopback interface, next to plain
// gRPC between the same two processes in the same run.
//
// The child serves a GrpcBench with remoteobj::grpc::serve() and, on a second port
// of its own, a plain gRPC echo (the generic callback API, as lean as gRPC gets:
// no protobuf); both use gRPC's local credentials, as remoteobj::grpc does on
// loopback. The parent measures, in rounds that alternate each case with its
// baseline so that other load on the machine hits both alike:
//   - a sync call and a field get, against a blocking unary echo of 128 bytes
//     (more than either's request or reply): target at most 1.2x;
//   - 64 async calls in flight, per call;
//   - a 1 MiB argument, against a unary call that carries 1 MiB and returns 8 bytes;
// then what the server holds with 1,000 more connections, and once they left.
// Timings are never asserted: the table says PASS/FAIL, and the exit status is 0.
//
//     remoteobj_grpc_bench [--quick]
#include "grpc_object.hpp"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/security/server_credentials.h>
#include <grpc/grpc_security_constants.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <remoteobj/grpc.hpp>

namespace {

constexpr const char* echo_method = "/bench.Echo/Echo";
constexpr const char* take_method = "/bench.Echo/Take";
constexpr const char* stream_method = "/bench.Echo/Stream";

// A bidirectional stream that echoes each message: the floor of any design that,
// like remoteobj::grpc, keeps one stream per connection.
class EchoStream final : public grpc::ServerGenericBidiReactor {
public:
    EchoStream() { StartRead(&message_); }
    void OnReadDone(bool ok) override {
        if (!ok) {
            Finish(grpc::Status::OK);
            return;
        }
        StartWrite(&message_);
    }
    void OnWriteDone(bool ok) override {
        if (ok) StartRead(&message_);
        else Finish(grpc::Status::OK);
    }
    void OnDone() override { delete this; }

private:
    grpc::ByteBuffer message_;
};

// The client of EchoStream: one message out, its echo back, the caller waiting on a
// condition (as a thread waits for a reply in any callback-API client).
class StreamClient final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
public:
    explicit StreamClient(grpc::GenericStub& stub) {
        stub.PrepareBidiStreamingCall(&context_, stream_method, grpc::StubOptions(), this);
        StartCall();
    }
    ~StreamClient() override {
        context_.TryCancel();
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return done_; });
    }
    void round_trip(const grpc::ByteBuffer& message) {
        {
            std::lock_guard lock(mutex_);
            echoed_ = written_ = false;
        }
        StartRead(&echo_);
        StartWrite(&message);
        std::unique_lock lock(mutex_);
        // Both: a second write before the first's OnWriteDone is an error.
        changed_.wait(lock, [this] { return (echoed_ && written_) || done_; });
    }
    void OnWriteDone(bool) override {
        std::lock_guard lock(mutex_);
        written_ = true;
        changed_.notify_all();
    }
    void OnReadDone(bool) override {
        std::lock_guard lock(mutex_);
        echoed_ = true;
        changed_.notify_all();
    }
    void OnDone(const grpc::Status&) override {
        std::lock_guard lock(mutex_);
        done_ = true;
        changed_.notify_all();
    }

private:
    grpc::ClientContext context_;
    grpc::ByteBuffer echo_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool echoed_ = false, written_ = false, done_ = false;
};

// One unary call of the echo service: echoes the request, or (take_method) answers
// its size in 8 bytes.
class EchoCall final : public grpc::ServerGenericBidiReactor {
public:
    explicit EchoCall(bool take) : take_(take) { StartRead(&request_); }
    void OnReadDone(bool ok) override {
        if (!ok) {
            Finish(grpc::Status::OK);
            return;
        }
        if (take_) {
            const std::uint64_t size = request_.Length();
            grpc::Slice slice(&size, sizeof size);
            response_ = grpc::ByteBuffer(&slice, 1);
        } else {
            response_ = request_;
        }
        StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

private:
    bool take_;
    grpc::ByteBuffer request_, response_;
};

class EchoService final : public grpc::CallbackGenericService {
    grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
        if (context->method() == stream_method) return new EchoStream();
        return new EchoCall(context->method() == take_method);
    }
};

// What a generated synchronous stub does for a unary call, with bytes for messages.
class EchoClient {
public:
    explicit EchoClient(int port)
        : channel_(grpc::CreateChannel(fmt::format("127.0.0.1:{}", port),
                                       grpc::experimental::LocalCredentials(LOCAL_TCP))),
          echo_(echo_method, grpc::internal::RpcMethod::NORMAL_RPC, channel_),
          take_(take_method, grpc::internal::RpcMethod::NORMAL_RPC, channel_) {}

    std::size_t call(bool take, const grpc::ByteBuffer& request) {
        grpc::ClientContext context;
        grpc::ByteBuffer response;
        const grpc::Status status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
            channel_.get(), take ? take_ : echo_, &context, request, &response);
        if (!status.ok()) throw std::runtime_error("echo: " + status.error_message());
        return response.Length();
    }

private:
    std::shared_ptr<grpc::Channel> channel_;
    grpc::internal::RpcMethod echo_, take_;
};

grpc::ByteBuffer bytes(std::size_t size) {
    std::vector<char> data(size, 'x');
    grpc::Slice slice(data.data(), data.size());
    return grpc::ByteBuffer(&slice, 1);
}

using Clock = std::chrono::steady_clock;

// Microseconds per run of `fn`, over `n` runs.
double per_call_us(int n, const std::function<void()>& fn) {
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) fn();
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / n;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Medians over `rounds` of (case, baseline), each round timing both.
std::pair<double, double> alternate(int rounds, int n, const std::function<void()>& ours,
                                    const std::function<void()>& baseline) {
    std::vector<double> a, b;
    for (int r = 0; r < rounds; ++r) {
        b.push_back(per_call_us(n, baseline));
        a.push_back(per_call_us(n, ours));
    }
    return {median(a), median(b)};
}

struct Resources {
    long rss_kb = 0;
    int descriptors = 0;
};

/// Process `pid`'s resident memory and open descriptors.
Resources resources_of(int pid) {
    Resources r;
    std::ifstream status(fmt::format("/proc/{}/status", pid));
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) r.rss_kb = std::stol(line.substr(6));
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", pid)))
        ++r.descriptors;
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int rounds = quick ? 3 : 15, calls = quick ? 200 : 2000, big_calls = quick ? 5 : 40;

    int ports[2], stop[2];
    if (::pipe(ports) != 0 || ::pipe(stop) != 0) return 1;
    // The server, forked before this process uses gRPC (a child of a process with
    // gRPC's threads may not use gRPC).
    auto server = remoteobj::process(remoteobj::process_options{.name = "grpc bench server"}, [&] {
        ::close(stop[1]);
        GrpcBench obj;
        auto served = remoteobj::grpc::serve(obj, "127.0.0.1:0");
        EchoService echo;
        grpc::ServerBuilder builder;
        int echo_port = 0;
        builder.AddListeningPort("127.0.0.1:0", grpc::experimental::LocalServerCredentials(LOCAL_TCP), &echo_port);
        builder.RegisterCallbackGenericService(&echo);
        builder.SetMaxReceiveMessageSize(8 << 20);
        auto echo_server = builder.BuildAndStart();
        const int both[2] = {served.port(), echo_port};
        if (::write(ports[1], both, sizeof both) != static_cast<ssize_t>(sizeof both)) return;
        char end;
        [[maybe_unused]] auto got = ::read(stop[0], &end, 1);  // until the parent closes it
        echo_server->Shutdown(std::chrono::system_clock::now());
    });
    ::close(stop[0]);
    int both[2];
    if (::read(ports[0], both, sizeof both) != static_cast<ssize_t>(sizeof both)) return 1;

    auto conn = remoteobj::grpc::connect<GrpcBench>(fmt::format("127.0.0.1:{}", both[0]));
    EchoClient echo(both[1]);
    const grpc::ByteBuffer small = bytes(128), mebibyte = bytes(1u << 20);
    const std::vector<std::uint8_t> argument(1u << 20, 7);
    // Warm up both: connections made, buffers grown.
    for (int i = 0; i < 200; ++i) {
        conn->add(1, 2);
        echo.call(false, small);
    }

    fmt::print("remoteobj::grpc on 127.0.0.1 against plain gRPC, same run ({} rounds, medians)\n\n", rounds);
    fmt::print("| case | remoteobj::grpc | plain gRPC | ratio | target |\n|---|---|---|---|---|\n");
    auto row = [](const char* name, double ours, double base, const char* base_name, double target) {
        const double ratio = ours / base;
        fmt::print("| {} | {:.1f} us | {:.1f} us ({}) | {:.2f}x | {} |\n", name, ours, base, base_name, ratio,
                   target > 0 ? fmt::format("<= {:.1f}x {}", target, ratio <= target ? "PASS" : "FAIL") : "-");
    };
    const auto sync = alternate(rounds, calls, [&] { conn->add(1, 2); }, [&] { echo.call(false, small); });
    row("sync call add(1, 2)", sync.first, sync.second, "unary echo, 128 B", 1.2);
    {
        grpc::GenericStub stub(grpc::CreateChannel(fmt::format("127.0.0.1:{}", both[1]),
                                                   grpc::experimental::LocalCredentials(LOCAL_TCP)));
        StreamClient stream(stub);
        const auto floor = alternate(rounds, calls, [&] { stream.round_trip(small); }, [&] { echo.call(false, small); });
        row("plain gRPC: one message each way on a bidi stream", floor.first, floor.second, "unary echo, 128 B", 0);
    }
    const auto get = alternate(rounds, calls, [&] { (void)conn->field.get(); }, [&] { echo.call(false, small); });
    row("field get", get.first, get.second, "unary echo, 128 B", 1.2);
    const auto async = alternate(
        rounds, calls / 64 + 1,
        [&] {
            std::vector<remoteobj::future<int>> futures;
            futures.reserve(64);
            for (int i = 0; i < 64; ++i) futures.push_back(conn->add.async(i, i));
            for (auto& f : futures) f.get();
        },
        [&] { echo.call(false, small); });
    row("64 async calls in flight, per call", async.first / 64, async.second, "one unary echo", 0);
    const auto big = alternate(rounds, big_calls, [&] { conn->take_bytes(argument); },
                               [&] { echo.call(true, mebibyte); });
    row("1 MiB argument", big.first, big.second, "unary call of 1 MiB", 0);
    fmt::print("\n1 MiB argument: {:.0f} MiB/s through remoteobj::grpc, {:.0f} MiB/s plain\n", 1e6 / big.first,
               1e6 / big.second);

    // What the server keeps for connections, and gives back once they leave
    // (attack round 3, item 5): its resident memory and descriptors, read from /proc.
    // Twice: memory kept for reuse stays level the second time; a leak grows.
    const int crowd = quick ? 100 : 1000;
    const auto before = resources_of(server.pid());
    for (int round = 1; round <= 2; ++round) {
        std::vector<remoteobj::grpc::Connection<GrpcBench>> connections;
        connections.reserve(crowd);
        for (int i = 0; i < crowd; ++i) {
            connections.push_back(remoteobj::grpc::connect<GrpcBench>(fmt::format("127.0.0.1:{}", both[0])));
            connections.back()->add(1, 2);
        }
        const auto with = resources_of(server.pid());
        connections.clear();
        // Each connection's end reaches the server through its own socket: a call on
        // the one left open is served after the server has seen them all go.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        auto after = resources_of(server.pid());
        while (after.descriptors > before.descriptors + 8 && std::chrono::steady_clock::now() < until) {
            conn->add(1, 2);
            after = resources_of(server.pid());
        }
        fmt::print("{}the server with {} more connections: RSS {:.1f} -> {:.1f} MB, {} -> {} descriptors; "
                   "once they left: {:.1f} MB, {} descriptors\n",
                   round == 1 ? "\n" : "", crowd, before.rss_kb / 1024.0, with.rss_kb / 1024.0, before.descriptors, with.descriptors,
                   after.rss_kb / 1024.0, after.descriptors);
    }

    ::close(stop[1]);  // the server stops
    server.join();
    return 0;
}

// remoteobj::grpc: the generated proxies over gRPC, on the loopback interface only.
//
// CTest runs each case in a process of its own (doctest_discover_tests), and a
// case forks what it forks before it first uses gRPC: a child of a process whose
// gRPC threads run may not use gRPC itself (gRPC's rule).
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <grpc/grpc_security_constants.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <remoteobj/grpc.hpp>

#include "event_scenarios.hpp"
#include "in_out.hpp"
#include "job.hpp"
#include "job.remote_generated.h"
#include "test_support.hpp"
#include "widget.remote_generated.h"

namespace {

using namespace std::chrono_literals;

std::string loopback(int port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

TEST_CASE("gRPC: calls, fields, typed exceptions, async calls and a 1 MiB argument on 127.0.0.1") {
    Watchdog watchdog(120s, "gRPC calls");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    REQUIRE(server.port() > 0);
    auto widget = remoteobj::grpc::connect<Widget>(loopback(server.port()));
    CHECK(widget->add(1, 2) == 3);
    CHECK(widget->greet("you") == "hello you!");
    widget->label.set("over grpc");
    CHECK(widget->label.get() == "over grpc");
    CHECK(obj.label == "over grpc");
    CHECK_THROWS_AS(widget->fail_custom("custom"), WidgetError);
    CHECK_THROWS_WITH_AS(widget->fail("bad"), "bad", std::invalid_argument);

    std::vector<remoteobj::future<int>> futures;
    for (int i = 0; i < 64; ++i) futures.push_back(widget->add.async(i, i));
    for (int i = 0; i < 64; ++i) CHECK(futures[static_cast<std::size_t>(i)].get() == 2 * i);

    std::vector<int> big(256 * 1024, 1);  // 1 MiB
    CHECK(widget->sum(big) == 256 * 1024);
    CHECK(widget.describe() == "<grpc::Connection Widget: " + loopback(server.port()) + ">");
}

TEST_CASE("gRPC: a Batch's requests cross together, each future gets its own reply") {
    Watchdog watchdog(60s, "gRPC batch");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    auto widget = remoteobj::grpc::connect<Widget>(loopback(server.port()));
    std::vector<remoteobj::future<int>> futures;
    {
        remoteobj::Batch batch(widget.proxy());
        for (int i = 0; i < 100; ++i) futures.push_back(widget->add.async(i, 1));
    }
    for (int i = 0; i < 100; ++i) CHECK(futures[static_cast<std::size_t>(i)].get() == i + 1);
}

TEST_CASE("gRPC: on [::1] too") {
    Watchdog watchdog(60s, "gRPC on [::1]");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "[::1]:0");
    auto widget = remoteobj::grpc::connect<Widget>("[::1]:" + std::to_string(server.port()));
    CHECK(widget->add(20, 22) == 42);
}

TEST_CASE("gRPC: a caller built from another header gets InterfaceMismatch at connect") {
    Watchdog watchdog(60s, "gRPC interface mismatch");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    CHECK_THROWS_AS(remoteobj::grpc::connect<Job>(loopback(server.port())), remoteobj::InterfaceMismatch);
    // The refused connection disturbed nothing.
    CHECK(remoteobj::grpc::connect<Widget>(loopback(server.port()))->add(1, 1) == 2);
}

TEST_CASE("gRPC: nothing serving at an address is NotListening, at once") {
    Watchdog watchdog(60s, "gRPC nothing listening");
    int port;
    {
        Widget obj;
        auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
        port = server.port();
    }  // stopped: nothing serves at that port now
    try {
        remoteobj::grpc::connect<Widget>(loopback(port));
        FAIL("connected to nothing");
    } catch (const remoteobj::NotListening& e) {
        CHECK(std::string(e.what()).find(loopback(port)) != std::string::npos);
    }
}

TEST_CASE("gRPC: a server with a token refuses connections without it (AccessDenied), serves those with it") {
    Watchdog watchdog(60s, "gRPC token");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0", {.token = "open sesame"});
    const std::string address = loopback(server.port());
    try {
        remoteobj::grpc::connect<Widget>(address);
        FAIL("connected without the token");
    } catch (const remoteobj::AccessDenied& e) {
        CHECK(std::string(e.what()).find("no token") != std::string::npos);
    }
    CHECK_THROWS_AS(remoteobj::grpc::connect<Widget>(address, {.token = "open sesamE"}), remoteobj::AccessDenied);
    CHECK_THROWS_AS(remoteobj::grpc::connect<Widget>(address, {.token = "open"}), remoteobj::AccessDenied);
    auto widget = remoteobj::grpc::connect<Widget>(address, {.token = "open sesame"});
    CHECK(widget->add(2, 3) == 5);
}

namespace {

/// A self-signed certificate for 127.0.0.1 and its key, made by openssl for this test.
struct SelfSigned {
    remoteobj::grpc::server_tls identity;
    explicit SelfSigned(const TempDir& dir, const char* name) {
        const std::string key = dir.file((std::string(name) + ".key").c_str());
        const std::string cert = dir.file((std::string(name) + ".pem").c_str());
        const std::string command =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost "
            "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
            key + " -out " + cert + " 2>/dev/null";
        REQUIRE(std::system(command.c_str()) == 0);
        identity = {read(cert), read(key)};
        REQUIRE(identity.certificate_chain.find("BEGIN CERTIFICATE") != std::string::npos);
    }
    static std::string read(const std::string& path) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
};

}  // namespace

TEST_CASE("gRPC: TLS with a self-signed certificate: a client that does not trust it, or speaks no TLS, is refused") {
    Watchdog watchdog(60s, "gRPC TLS");
    TempDir dir;
    const SelfSigned server_cert(dir, "server"), other_cert(dir, "other");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0", {.tls = server_cert.identity, .token = "t0ken"});
    const std::string address = loopback(server.port());
    auto widget = remoteobj::grpc::connect<Widget>(
        address, {.tls = remoteobj::grpc::client_tls{server_cert.identity.certificate_chain}, .token = "t0ken"});
    CHECK(widget->add(40, 2) == 42);
    widget->label.set(std::string(100000, 'x'));
    CHECK(widget->label.get().size() == 100000);
    // Trusting another certificate, or no TLS at all: no connection.
    CHECK_THROWS_AS(remoteobj::grpc::connect<Widget>(
                        address, {.tls = remoteobj::grpc::client_tls{other_cert.identity.certificate_chain},
                                  .token = "t0ken"}),
                    remoteobj::NotListening);
    CHECK_THROWS_AS(remoteobj::grpc::connect<Widget>(address, {.token = "t0ken"}), remoteobj::NotListening);
    // The right certificate and a wrong token.
    CHECK_THROWS_AS(remoteobj::grpc::connect<Widget>(
                        address, {.tls = remoteobj::grpc::client_tls{server_cert.identity.certificate_chain},
                                  .token = "wrong"}),
                    remoteobj::AccessDenied);
    CHECK(widget->add(1, 1) == 2);
}

TEST_CASE("gRPC: unencrypted traffic on the network only when asked for") {
    Watchdog watchdog(60s, "gRPC plaintext");
    Widget obj;
    try {
        auto server = remoteobj::grpc::serve(obj, "0.0.0.0:0");
        FAIL("served 0.0.0.0 without TLS");
    } catch (const remoteobj::Error& e) {
        CHECK(std::string(e.what()).find("unencrypted") != std::string::npos);
    }
    // 192.0.2.1 (TEST-NET-1): refused before anything is sent.
    CHECK_THROWS_WITH_AS(remoteobj::grpc::connect<Widget>("192.0.2.1:7000"),
                         doctest::Contains("without TLS"), remoteobj::Error);
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0", {.plaintext = true});
    auto widget = remoteobj::grpc::connect<Widget>(loopback(server.port()), {.plaintext = true});
    CHECK(widget->add(3, 4) == 7);
}

TEST_CASE("gRPC: a deadline gives Timeout while the object's mutex is held: requests are served under it") {
    Watchdog watchdog(60s, "gRPC deadline");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    auto widget = remoteobj::grpc::connect<Widget>(loopback(server.port()));
    CHECK(widget->bump() == 1);
    {
        std::unique_lock held(obj.remote.mutex());
        remoteobj::deadline limit(200ms);
        CHECK_THROWS_AS(widget->bump(), remoteobj::Timeout);
        CHECK(obj.hits == 1);  // it waits for the mutex, not run beside its holder
    }
    // The late reply of the request that timed out is not taken for this one's.
    CHECK(widget->add(2, 2) == 4);
    CHECK(widget->bump() == 3);
}

TEST_CASE("gRPC: a server that stops ends its connections (PeerLost), and refuses new ones") {
    Watchdog watchdog(60s, "gRPC server stop");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    const std::string address = loopback(server.port());
    auto widget = remoteobj::grpc::connect<Widget>(address);
    CHECK(widget->add(1, 2) == 3);
    server.stop();
    // A call sent before this connection has read the server's Closed is refused
    // (NotListening: stopped before serving it), as on every transport; after it, PeerLost.
    CHECK(refused_as_stopped([&] { widget->add(1, 2); }));
    CHECK_THROWS_AS(widget->add(1, 2), remoteobj::PeerLost);
    CHECK_THROWS_AS(remoteobj::grpc::connect<Widget>(address), remoteobj::NotListening);
}

TEST_CASE("gRPC: events and streams cross as on the local transports") {
    Watchdog watchdog(120s, "gRPC events and streams");
    Job job;
    auto server = remoteobj::grpc::serve(job, "127.0.0.1:0");
    auto conn = remoteobj::grpc::connect<Job>(loopback(server.port()));
    CHECK(event_scenarios::all_scenarios(conn.proxy()) == 1);
}

namespace {

/// A child that serves a Job over gRPC on 127.0.0.1 (a port it picks and writes to
/// `port_pipe`) until it is killed; forked before this process uses gRPC.
auto job_server(int port_pipe) {
    return remoteobj::process(remoteobj::process_options{.name = "grpc server"}, [port_pipe] {
        ::signal(SIGALRM, SIG_DFL);
        ::alarm(60);  // a bound: the test kills it long before
        Job job;
        auto server = remoteobj::grpc::serve(job, "127.0.0.1:0");
        const int port = server.port();
        REQUIRE(::write(port_pipe, &port, sizeof port) == static_cast<ssize_t>(sizeof port));
        ::pause();
    });
}

/// job_server()'s child and the port it serves on, once it serves.
struct ServedJob {
    remoteobj::Process<void> child;
    int port;
};

ServedJob served_job() {
    int ports[2];
    REQUIRE(::pipe(ports) == 0);
    auto child = job_server(ports[1]);
    const int port = read_int(ports[0]);
    ::close(ports[0]);
    ::close(ports[1]);
    return {std::move(child), port};
}

}  // namespace

TEST_CASE("gRPC: serving on a port another process serves is refused, naming the port, and its clients stay its own") {
    Watchdog watchdog(60s, "gRPC port taken");
    auto [child, port] = served_job();
    // gRPC's SO_REUSEPORT would let this bind too, and the kernel split new
    // connections between the two objects.
    Job mine;
    mine.produced = -1;
    const std::string refusal = fmt::format("port {} is taken", port);
    CHECK_THROWS_WITH_AS(remoteobj::grpc::serve(mine, loopback(port)), doctest::Contains(refusal.c_str()),
                         remoteobj::Error);
    int reached_mine = 0;
    for (int i = 0; i < 20; ++i) reached_mine += remoteobj::grpc::connect<Job>(loopback(port))->produced.get() == -1;
    CHECK(reached_mine == 0);
    REQUIRE(::kill(child.pid(), SIGKILL) == 0);
    CHECK_THROWS_AS(child.join(), remoteobj::ProcessDied);
}

TEST_CASE("gRPC: the server's process dying gives PeerLost to calls, streams and subscriptions, never a hang") {
    Watchdog watchdog(60s, "gRPC server death");
    auto [child, port] = served_job();
    auto conn = remoteobj::grpc::connect<Job>(loopback(port));
    event_scenarios::Received received;
    auto sub = conn->tick.subscribe([&](int value) { received.add(value); });
    conn->emit_ticks(3);
    REQUIRE(received.wait_for(3));
    auto values = conn->scan(1000000);
    CHECK(values.next() == 0);
    REQUIRE(::kill(child.pid(), SIGKILL) == 0);
    CHECK_THROWS_AS(child.join(), remoteobj::ProcessDied);
    CHECK_THROWS_AS(
        [&] {
            for (;;) values.next();  // what arrived before its death, then PeerLost
        }(),
        remoteobj::PeerLost);
    CHECK_THROWS_AS(conn->emit_ticks(1), remoteobj::PeerLost);
    CHECK_FALSE(sub.active());
    REQUIRE(sub.ended_by());
    CHECK_THROWS_AS(std::rethrow_exception(sub.ended_by()), remoteobj::PeerLost);
}

TEST_CASE("gRPC: four client processes at once, one of them dying mid-stream: the others and the server go on") {
    Watchdog watchdog(120s, "gRPC many clients");
    constexpr int clients = 4, calls = 300;
    int ports[2];
    REQUIRE(::pipe(ports) == 0);
    // Forked before this process uses gRPC; each reads the port once it serves.
    std::vector<decltype(bounded("", 1, [] { return 0L; }))> children;
    for (int i = 0; i < clients; ++i)
        children.push_back(bounded("client", 90, [i, &ports] {
            const int port = read_int(ports[0]);
            auto conn = remoteobj::grpc::connect<Job>(loopback(port));
            long sum = 0;
            for (int n = 0; n < calls; ++n) sum += conn->produced.get() >= 0 ? 1 : 0;
            auto values = conn->scan(1000000);
            for (int n = 0; n < 10; ++n) sum += values.next() == n ? 1 : 0;
            if (i == 0) ::raise(SIGKILL);  // mid-stream, its connection never closed
            event_scenarios::Received received;
            auto sub = conn->tick.subscribe([&](int value) { received.add(value); });
            conn->emit_ticks(100);
            // Every client's ticks reach every subscriber: at least its own 100 come.
            if (!received.wait_for(100)) return -1L;
            return sum + 100;
        }));
    Job job;
    auto server = remoteobj::grpc::serve(job, "127.0.0.1:0");
    const int port = server.port();
    for (int i = 0; i < clients; ++i) REQUIRE(::write(ports[1], &port, sizeof port) == static_cast<ssize_t>(sizeof port));
    ::close(ports[0]);
    ::close(ports[1]);
    CHECK_THROWS_AS(children[0].join(), remoteobj::ProcessDied);
    for (int i = 1; i < clients; ++i) CHECK(children[static_cast<std::size_t>(i)].join() == calls + 10 + 100);
    // Still serving, a new connection too.
    auto conn = remoteobj::grpc::connect<Job>(loopback(port));
    CHECK(conn->produced.get() >= 30);
}

namespace {

/// One unary call of `method` on the raw generic API, carrying `bytes`: what a
/// hostile or confused client sends, with nothing of remoteobj's on its side.
grpc::Status raw_call(grpc::GenericStub& stub, const std::string& method, const std::string& bytes) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 30s);  // a bound for a broken build
    grpc::Slice slice(bytes.data(), bytes.size());
    grpc::ByteBuffer request(&slice, 1), response;
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<grpc::Status> status;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
        std::lock_guard lock(mutex);
        status = std::move(s);
        changed.notify_all();
    });
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return status.has_value(); });
    return *status;
}

}  // namespace

TEST_CASE("gRPC: an unknown method, garbage frames and an oversized message are refused: the server goes on") {
    Watchdog watchdog(60s, "gRPC hostile input");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    const std::string address = loopback(server.port());
    auto widget = remoteobj::grpc::connect<Widget>(address);  // a sound connection throughout
    CHECK(widget->add(1, 1) == 2);
    grpc::GenericStub stub(grpc::CreateChannel(address, grpc::experimental::LocalCredentials(LOCAL_TCP)));
    CHECK(raw_call(stub, "/remoteobj.Remote/Other", "x").error_code() == grpc::StatusCode::UNIMPLEMENTED);
    // A frame announcing 4 GiB: that connection is dropped.
    (void)raw_call(stub, "/remoteobj.Remote/Connect", std::string(64, '\xff'));
    // Frames of noise with sound sizes: skipped, as on every transport.
    std::string noise;
    for (int i = 0; i < 16; ++i) {
        const std::uint32_t size = 60;
        noise.append(reinterpret_cast<const char*>(&size), sizeof size);
        for (int j = 0; j < 60; ++j) noise.push_back(static_cast<char>((i * 131 + j * 17) & 0xff));
    }
    (void)raw_call(stub, "/remoteobj.Remote/Connect", noise);
    // Over gRPC's 4 MiB message limit: gRPC refuses it before remoteobj sees it.
    CHECK(raw_call(stub, "/remoteobj.Remote/Connect", std::string(5u << 20, 'x')).error_code() ==
          grpc::StatusCode::RESOURCE_EXHAUSTED);
    CHECK(widget->add(2, 2) == 4);
    CHECK(remoteobj::grpc::connect<Widget>(address)->add(3, 3) == 6);
}

namespace {

/// The threads of this process.
int threads_here() { return entries_in("/proc/self/task"); }

/// The threads of the server's process, through passto.
int thread_count(const Job&) { return threads_here(); }

}  // namespace

TEST_CASE("gRPC: 120 connections are served by a bounded set of threads on both sides, not a thread each") {
    Watchdog watchdog(120s, "gRPC threads");
    auto [child, port] = served_job();
    std::vector<remoteobj::grpc::Connection<Job>> connections;
    auto first = remoteobj::grpc::connect<Job>(loopback(port));
    const int server_before = remoteobj::passto<&thread_count>(first.proxy());
    const int client_before = threads_here();
    for (int i = 0; i < 120; ++i) {
        connections.push_back(remoteobj::grpc::connect<Job>(loopback(port)));
        REQUIRE(connections.back()->produced.get() == 0);  // each is live, served
    }
    const int server_after = remoteobj::passto<&thread_count>(first.proxy());
    const int client_after = threads_here();
    MESSAGE("server threads ", server_before, " -> ", server_after, ", client threads ", client_before, " -> ",
            client_after);
    CHECK(server_after - server_before < 30);  // a thread per connection would add 120
    CHECK(client_after - client_before < 30);
    REQUIRE(::kill(child.pid(), SIGKILL) == 0);
    CHECK_THROWS_AS(child.join(), remoteobj::ProcessDied);
}

TEST_CASE("gRPC: in-out parameters are written back when a call returns, and at an async get()") {
    Watchdog watchdog(120s, "gRPC in-out");
    Ledger obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    REQUIRE(server.port() > 0);
    auto ledger = remoteobj::grpc::connect<Ledger>(loopback(server.port()));
    std::string value = "untouched";
    CHECK(ledger->Get("tea", &value));
    CHECK(value == "green");
    CHECK_FALSE(ledger->add_into(1, 2, nullptr));
    int n = 4;
    auto doubled = ledger->twice.async(n);
    CHECK(n == 4);
    doubled.get();
    CHECK(n == 8);
    std::string text = "kept";
    CHECK_THROWS_AS(ledger->spoil(text), std::invalid_argument);
    CHECK(text == "kept");
}

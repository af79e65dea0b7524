// Events and streams from the object: Signals a caller subscribes to, and methods
// that yield, on every transport (the maker's pipes, a shared-memory link, a forked
// caller's own connection, a named endpoint).
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "event_scenarios.hpp"
#include "job.hpp"
#include "job.remote_generated.h"
#include "test_support.hpp"

using namespace std::chrono_literals;
using namespace event_scenarios;

TEST_CASE("events and streams over the maker's pipes, and over a shared-memory link") {
    Watchdog watchdog(120s, "events and streams over the maker's link");
    for (const bool shared : {false, true}) {
        CAPTURE(shared);
        Job job{remoteobj::link_options{.shared_memory = shared}};
        auto child = remoteobj::serve(job);
        CHECK(all_scenarios(job.remote.proxy()) == 1);
    }
}

TEST_CASE("events and streams over a forked caller's own connection, pipes and shared memory") {
    Watchdog watchdog(120s, "events and streams over a forked caller's own connection");
    for (const bool shared : {false, true}) {
        CAPTURE(shared);
        Job job{remoteobj::link_options{.shared_memory = shared}};
        auto child = remoteobj::serve(job);
        // A sibling of the listener: its calls go over a connection of its own.
        const long seen = watched(60, [&job] { return all_scenarios(job.remote.proxy()); });
        CHECK(seen == 1);
    }
}

TEST_CASE("events and streams at a named endpoint, to a process that connected") {
    Watchdog watchdog(120s, "events and streams at a named endpoint");
    TempDir dir;
    Job job;
    const std::string address = dir.address("job.sock");
    // The client is forked before this process has a listener thread (which a
    // fork() under ThreadSanitizer must not have), and connects once told to.
    ::Signal listening_now;
    auto client = bounded("client", 60, [address, &listening_now] {
        listening_now.wait();
        auto conn = remoteobj::connect<Job>(address);
        return all_scenarios(conn.proxy());
    });
    auto listening = job.remote.listen_at(address);
    listening_now.raise();
    const long seen = client.join();
    CHECK(seen == 1);
}

TEST_CASE("a Signal's arguments arrive as emitted") {
    Job job;
    auto child = remoteobj::serve(job);
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::pair<int, std::string>> got;
    auto sub = job.remote->progress.subscribe([&](int percent, const std::string& what) {
        // A callback may call the proxy, like any thread.
        const long produced = job.remote->produced.get();
        std::lock_guard lock(mutex);
        got.emplace_back(percent + produced, what);
        changed.notify_all();
    });
    CHECK(sub.active());
    job.remote->report(42, "parsing");
    job.remote->report(100, "done");
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, 60s, [&] { return got.size() == 2; }));
    CHECK(got[0] == std::pair<int, std::string>{42, "parsing"});
    CHECK(got[1] == std::pair<int, std::string>{100, "done"});
}

TEST_CASE("4 subscribers in 4 processes each get 100,000 emissions of the owner's thread, in order") {
    Watchdog watchdog(180s, "4 subscribers x 100,000 emissions");
    constexpr long emissions = 100000;
    Job job;
    ::Signal ready, done;
    // The owner: listens in the background while its own thread emits.
    auto owner = remoteobj::process(remoteobj::process_options{.name = "owner"}, [&job, &done] {
        auto listening = job.remote.listen();
        job.tick_until_stopped(emissions);
        done.wait();  // until the subscribers have everything
    });
    job.remote.wait_until_listening(owner);
    std::vector<decltype(bounded("", 1, [] { return 0L; }))> subscribers;
    for (int i = 0; i < 4; ++i)
        subscribers.push_back(bounded("subscriber", 150, [&job, &ready] {
            Received received;
            auto sub = job.remote->tick.subscribe([&](int value) { received.add(value); });
            ready.raise();
            if (!received.wait_for(emissions, 120s)) return -received.seen();
            return received.in_order && sub.dropped() == 0 ? received.count : -1L;
        }));
    for (int i = 0; i < 4; ++i) ready.wait();
    CHECK(job.remote->tick_subscribers() == 4);
    job.remote->start_ticking();
    for (auto& subscriber : subscribers) CHECK(subscriber.join() == emissions);
    done.raise();
    owner.join();
}

TEST_CASE("unsubscribing while emissions are in flight: the callback never runs after") {
    Watchdog watchdog(120s, "unsubscribing while emissions are in flight");
    Job job;
    ::Signal done;
    auto owner = remoteobj::process(remoteobj::process_options{.name = "owner"}, [&job, &done] {
        auto listening = job.remote.listen();
        job.tick_until_stopped(1L << 40);
        done.wait();
    });
    job.remote.wait_until_listening(owner);
    Received received;
    auto sub = job.remote->tick.subscribe([&](int value) { received.add(value); });
    job.remote->start_ticking();
    REQUIRE(received.wait_for(1000));
    sub.reset();
    const long after_reset = received.seen();
    CHECK_FALSE(sub.active());
    // The unsubscription went before this call, on the same connection.
    CHECK(job.remote->tick_subscribers() == 0);
    // The owner goes on emitting (to nobody); nothing more reaches the callback.
    const long ticked = job.remote->ticked.get();
    for (int i = 0; i < 100000 && job.remote->ticked.get() < ticked + 10000; ++i) {
    }
    CHECK(job.remote->ticked.get() >= ticked + 10000);
    CHECK(received.seen() == after_reset);
    CHECK(received.in_order);
    job.remote->stop_ticking();
    done.raise();
    owner.join();
}

TEST_CASE("a callback that throws is reported, and its subscription goes on") {
    Job job;
    auto child = remoteobj::serve(job);
    Received returned;  // the even values, whose callbacks return
    auto sub = job.remote->tick.subscribe([&](int value) {
        if (value % 2) throw std::runtime_error("odd " + std::to_string(value));
        returned.add(value);
    });
    job.remote->emit_ticks(11);  // 0..10: five of them throw
    REQUIRE(returned.wait_for(6));
    CHECK(returned.in_order);
    CHECK(sub.active());
    CHECK(sub.failures() == 5);
    REQUIRE(sub.last_failure());
    CHECK_THROWS_WITH_AS(std::rethrow_exception(sub.last_failure()), "odd 9", std::runtime_error);
}

TEST_CASE("a subscriber that falls behind loses the oldest emissions, and is told how many") {
    Job job;
    auto child = remoteobj::serve(job);
    Received received;
    auto sub = job.remote->shallow.subscribe([&](long value) { received.add(value); });
    // A thousand at once, inside one request: the listener sends nothing meanwhile,
    // and the queue keeps four.
    job.remote->flood(1000);
    REQUIRE(received.wait_for(4));
    CHECK(received.in_order);
    CHECK(received.last == 999);
    CHECK(sub.dropped() == 996);
    job.remote->flood(2);  // a queue with room loses nothing
    REQUIRE(received.wait_for(6));
    CHECK(sub.dropped() == 996);
}

TEST_CASE("a subscriber killed: the owner and the other subscribers go on") {
    Watchdog watchdog(120s, "a subscriber killed");
    Job job;
    auto child = remoteobj::serve(job);
    ::Signal ready;
    auto doomed = bounded("doomed", 60, [&job, &ready] {
        auto sub = job.remote->tick.subscribe([](int) {});
        ready.raise();
        ::pause();  // until killed
        return 0;
    });
    ready.wait();
    CHECK(job.remote->tick_subscribers() == 1);
    Received received;
    auto sub = job.remote->tick.subscribe([&](int value) { received.add(value); });
    ::kill(doomed.pid(), SIGKILL);
    CHECK_THROWS_AS(doomed.join(), remoteobj::ProcessDied);
    job.remote->emit_ticks(1000);
    REQUIRE(received.wait_for(1000));
    CHECK(received.in_order);
    // The listener drops the dead connection, and its subscription with it, once it
    // sees its end: by one of the rounds these calls make at the latest.
    int subscribers = 2;
    for (int i = 0; i < 1000 && subscribers != 1; ++i) subscribers = job.remote->tick_subscribers();
    CHECK(subscribers == 1);
    CHECK(sub.active());
}

TEST_CASE("the owner killed mid-stream: the stream and the subscriptions end with PeerLost") {
    Watchdog watchdog(120s, "the owner killed mid-stream");
    Job job;
    auto child = remoteobj::serve(job);
    auto sub = job.remote->tick.subscribe([](int) {});
    long taken = 0;
    auto values = job.remote->scan(1000000);
    CHECK_THROWS_AS(
        [&] {
            for (int v : values) {
                if (++taken == 10) ::kill(child.pid(), SIGKILL);
                (void)v;
            }
        }(),
        remoteobj::PeerLost);
    CHECK(taken >= 10);
    CHECK(taken <= 10 + remoteobj::stream_window);
    CHECK_FALSE(values.open());
    CHECK_FALSE(sub.active());
    REQUIRE(sub.ended_by());
    CHECK_THROWS_AS(std::rethrow_exception(sub.ended_by()), remoteobj::PeerLost);
    CHECK_THROWS_AS(child.stop(), remoteobj::ProcessDied);
}

TEST_CASE("streams consumed from 4 threads at once each get their own values") {
    Watchdog watchdog(120s, "streams from 4 threads");
    Job job;
    auto child = remoteobj::serve(job);
    std::vector<long> sums(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int v : job.remote->scan(2000 + t)) sums[t] += v;
        });
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < 4; ++t) CHECK(sums[t] == static_cast<long>(2000 + t) * (1999 + t) / 2);
}

TEST_CASE("a stream pulled value by value with next(), to its end") {
    Job job;
    auto child = remoteobj::serve(job);
    auto values = job.remote->scan(3);
    CHECK(values.next() == 0);
    CHECK(values.next() == 1);
    CHECK(values.next() == 2);
    CHECK(values.next() == std::nullopt);
    CHECK_FALSE(values.open());
}

TEST_CASE("a stream under a deadline: Timeout, and the stream goes on") {
    Watchdog watchdog(60s, "a stream under a deadline");
    Job job;
    auto child = remoteobj::serve(job);
    auto values = job.remote->slowly(2, 300);  // each value takes 300 ms to make
    {
        remoteobj::deadline within(10ms);
        CHECK_THROWS_AS(values.next(), remoteobj::Timeout);
    }
    CHECK(values.open());
    CHECK(values.next() == 0);
    CHECK(values.next() == 1);
    CHECK(values.next() == std::nullopt);
}

TEST_CASE("the listening process cannot subscribe or stream through its own proxy: ProtocolError") {
    Job job;
    auto listening = job.remote.listen();
    CHECK_THROWS_AS(job.remote->tick.subscribe([](int) {}), remoteobj::ProtocolError);
    auto values = job.remote->scan(3);
    CHECK_THROWS_AS(values.next(), remoteobj::ProtocolError);
    CHECK(job.remote->tick_subscribers() == 0);
}

TEST_CASE("events and streams through a Channel<T> and a standalone Proxy<T>") {
    Watchdog watchdog(60s, "events and streams through a Channel<T>");
    remoteobj::Channel<Feed> channel;
    ::Signal done;
    auto child = remoteobj::process(remoteobj::process_options{.name = "feed"}, [&channel, &done] {
        Feed feed;  // exists only in the child
        auto listening = channel.listen(feed);
        done.wait();
    });
    channel.wait_until_listening(child);
    {
        remoteobj::Proxy<Feed> feed(channel);
        std::mutex mutex;
        std::condition_variable changed;
        std::vector<std::string> news;
        auto sub = feed.news.subscribe([&](const std::string& item) {
            std::lock_guard lock(mutex);
            news.push_back(item);
            changed.notify_all();
        });
        feed.publish(3);
        long sum = 0;
        for (long square : feed.squares(10)) sum += square;
        CHECK(sum == 285);
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, 60s, [&] { return news.size() == 3; }));
        CHECK(news == std::vector<std::string>{"item 0", "item 1", "item 2"});
    }
    done.raise();
    child.join();
}

TEST_CASE("a method that yields a struct with a string streams it whole") {
    Job job;
    auto child = remoteobj::serve(job);
    int count = 0;
    bool whole = true;
    for (const Spot& spot : job.remote->spots(50)) {
        whole = whole && spot.x == count && spot.name == "spot " + std::to_string(count);
        ++count;
    }
    CHECK(count == 50);
    CHECK(whole);
    // The same generator run here, as an ordinary range.
    count = 0;
    for (const Spot& spot : job.spots(3)) count += spot.name == "spot " + std::to_string(spot.x);
    CHECK(count == 3);
}

namespace {

/// A listener that lies: at `file`, it greets as a Job's listener would, then
/// answers a Subscribe with events whose arguments are garbage or meant for no
/// subscription, and a streaming call with 70,000 values nobody granted. It ends
/// when its caller hangs up.
class HostileListener {
public:
    explicit HostileListener(const std::string& file) {
        REQUIRE(server_);
        const auto at = remoteobj::testing::unix_address("unix:" + file);
        REQUIRE(::bind(server_.get(), at.get(), at.length) == 0);
        REQUIRE(::listen(server_.get(), 1) == 0);
        thread_ = std::thread([this] { serve(); });
    }
    ~HostileListener() { thread_.join(); }

private:
    void serve() {
        client_ = remoteobj::detail::Fd{::accept4(server_.get(), nullptr, nullptr, SOCK_CLOEXEC)};
        if (!client_) return;
        const auto& job = remoteobj::detail::interface_of<Job>();
        flatbuffers::FlatBufferBuilder fbb;
        fbb.FinishSizePrefixed(remoteobj::wire::CreateEnvelope(
            fbb, remoteobj::wire::Message::Hello,
            remoteobj::wire::CreateHello(fbb, remoteobj::detail::protocol_version, job.hash,
                                         fbb.CreateString(job.class_name), 1)
                .Union()));
        send(fbb);
        std::vector<std::uint8_t> frame;
        while (read_frame(frame)) {
            const auto* envelope = remoteobj::detail::verify_envelope(frame);
            const auto* request = envelope ? envelope->message_as_Request() : nullptr;
            if (!request || request->oneway()) continue;  // credits and cancels: ignored
            const std::uint64_t id = request->id();
            if (request->op() == remoteobj::wire::Operation::Subscribe) {
                respond(id, false);
                const std::uint8_t garbage[8] = {1, 2, 3, 4, 5, 6, 7, 8};
                event(request->stream(), remoteobj::detail::Bytes(garbage));
                flatbuffers::FlatBufferBuilder args;
                remoteobj::detail::encode_arguments(args, 7);
                event(request->stream() + 99, remoteobj::detail::bytes_of(args));  // no such subscription
                event(request->stream(), remoteobj::detail::bytes_of(args));
            } else if (request->window() > 0) {
                for (int i = 0; i < 70000; ++i) respond(id, true, i);  // far past any credit
            } else {
                respond(id, false);  // a void call: its reply needs no value
            }
        }
    }
    // A response, or (`more`) a value of scan() holding `value`.
    void respond(std::uint64_t id, bool more, int value = 0) {
        flatbuffers::FlatBufferBuilder fbb;
        flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> table;
        if (more) {
            const auto mark = remoteobj::detail::begin_nested(fbb);
            fbb.Finish(remoteobj::gen::CreateJob_scan_Result(fbb, value));
            table = remoteobj::detail::end_nested(fbb, mark);
        }
        auto response = remoteobj::wire::CreateResponse(fbb, id, remoteobj::wire::Status::Ok, table, 0, more);
        fbb.FinishSizePrefixed(remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Response, response.Union()));
        send(fbb);
    }
    void event(std::uint64_t subscription, remoteobj::detail::Bytes args) {
        flatbuffers::FlatBufferBuilder fbb;
        fbb.ForceVectorAlignment(args.size(), 1, 8);
        auto bytes = fbb.CreateVector(args.data(), args.size());
        auto sent = remoteobj::wire::CreateEvent(fbb, subscription, bytes, 0);
        fbb.FinishSizePrefixed(remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Event, sent.Union()));
        send(fbb);
    }
    void send(const flatbuffers::FlatBufferBuilder& fbb) {
        const std::uint8_t* p = fbb.GetBufferPointer();
        std::size_t left = fbb.GetSize();
        while (left > 0) {
            const ssize_t put = ::send(client_.get(), p, left, MSG_NOSIGNAL);
            if (put <= 0) return;  // it left
            p += put;
            left -= static_cast<std::size_t>(put);
        }
    }
    bool read_exactly(std::uint8_t* p, std::size_t n) {
        while (n > 0) {
            const ssize_t got = ::recv(client_.get(), p, n, 0);
            if (got <= 0) return false;
            p += got;
            n -= static_cast<std::size_t>(got);
        }
        return true;
    }
    bool read_frame(std::vector<std::uint8_t>& frame) {
        std::uint32_t size = 0;
        if (!read_exactly(reinterpret_cast<std::uint8_t*>(&size), sizeof size)) return false;
        frame.resize(sizeof size + size);
        std::memcpy(frame.data(), &size, sizeof size);
        return read_exactly(frame.data() + sizeof size, size);
    }

    remoteobj::detail::Fd server_{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    remoteobj::detail::Fd client_;
    std::thread thread_;
};

}  // namespace

TEST_CASE("a hostile listener's events and values are refused, and the caller goes on") {
    Watchdog watchdog(60s, "a hostile listener");
    TempDir dir;
    HostileListener hostile(dir.file("hostile.sock"));
    auto conn = remoteobj::connect<Job>(dir.address("hostile.sock"));
    Received received;
    auto sub = conn->tick.subscribe([&](int value) { received.add(value); });
    // Garbage arguments fail that emission's delivery (counted), one for no
    // subscription is dropped, and the sound one arrives.
    REQUIRE(received.wait_for(1));
    CHECK(received.last == 7);
    CHECK(sub.failures() == 1);
    CHECK_THROWS_AS(std::rethrow_exception(sub.last_failure()), remoteobj::ProtocolError);
    // 70,000 values where 64 were granted: the stream fails with ProtocolError once
    // 65,536 are kept, and nothing more is kept for it.
    auto values = conn->scan(3);
    conn->stop_ticking();  // its reply comes after the flood: reading it takes the flood in
    int taken = 0;
    std::string why;
    try {
        while (values.next() == taken) ++taken;
    } catch (const remoteobj::ProtocolError& e) {
        why = e.what();
    }
    CHECK(taken == 65536);
    CHECK(why.find("values its consumer had not asked for") != std::string::npos);
    CHECK_FALSE(values.open());
    conn->start_ticking();  // the connection is still sound
}

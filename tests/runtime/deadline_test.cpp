// remoteobj::deadline: every call, get, set and future::get() made in its scope ends
// with Timeout once it passes; a late reply is dropped and the link goes on.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <climits>
#include <chrono>
#include <thread>
#include <vector>

#include <remoteobj/deadline.hpp>

#include "test_support.hpp"

using namespace std::chrono_literals;

namespace {

// SIGSTOPs a served child for a scope: it reads no request and writes no reply.
// The signal takes effect asynchronously: wait (WNOWAIT, so the child stays
// waitable for its owner) until the kernel reports it stopped.
struct Stopped {
    int pid;
    explicit Stopped(int p) : pid(p) {
        REQUIRE(::kill(pid, SIGSTOP) == 0);
        siginfo_t info{};
        REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WSTOPPED | WNOWAIT) == 0);
    }
    ~Stopped() { ::kill(pid, SIGCONT); }
};

}  // namespace

TEST_CASE("a call to a stopped listener ends with Timeout at its deadline, and the link goes on") {
    Watchdog watchdog(60s, "a call to a stopped listener");
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->add(1, 2) == 3);
    {
        Stopped stopped(w.child.pid());
        remoteobj::deadline within(50ms);
        CHECK_THROWS_AS(r->add(100, 100), remoteobj::Timeout);
        CHECK_THROWS_AS(r->number.get(), remoteobj::Timeout);
        CHECK_THROWS_AS(r->number = 5, remoteobj::Timeout);
        auto pending = r->add.async(7, 7);
        CHECK_THROWS_AS(pending.get(), remoteobj::Timeout);
    }
    // The listener runs again and answers the abandoned requests: those replies are
    // dropped, and each new call gets its own.
    CHECK(r->add(1, 2) == 3);
    CHECK(r->add(20, 22) == 42);
    r->number = 9;
    CHECK(r->number.get() == 9);
}

TEST_CASE("8 threads calling a stopped listener each end with Timeout") {
    Watchdog watchdog(60s, "8 threads calling a stopped listener");
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->add(1, 1) == 2);
    std::atomic<int> timeouts{0};
    {
        Stopped stopped(w.child.pid());
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&, i] {
                remoteobj::deadline within(100ms);
                try {
                    (void)r->add(i, i);
                } catch (const remoteobj::Timeout&) {
                    ++timeouts;
                }
            });
        for (auto& t : threads) t.join();
    }
    CHECK(timeouts == 8);
    for (int i = 0; i < 8; ++i) CHECK(r->add(i, 1) == i + 1);
}

TEST_CASE("a method that does not return ends its caller's call with Timeout: the link goes on once it returns") {
    Watchdog watchdog(60s, "a method that does not return");
    Signal release;  // before the fork: the serving child reads it
    ServedWidget w;
    auto& r = w.obj.remote;
    {
        remoteobj::deadline within(100ms);
        CHECK_THROWS_AS(r->block_on(release.fds[0]), remoteobj::Timeout);  // runs on in the child
        CHECK_THROWS_AS(r->add(1, 1), remoteobj::Timeout);                // queued behind it
    }
    release.raise();  // the method returns: its late reply, and add's, are dropped
    CHECK(r->add(20, 22) == 42);
    CHECK(r->block_on(-1) == -1);
}

TEST_CASE("nested deadlines take the earlier one: leaving a scope restores the outer one") {
    using clock = remoteobj::deadline::clock;
    CHECK(remoteobj::deadline::current() == clock::time_point::max());
    {
        remoteobj::deadline outer(1h);
        const auto outer_end = remoteobj::deadline::current();
        CHECK(outer_end < clock::time_point::max());
        {
            remoteobj::deadline later(2h);  // later than the outer one: the outer one stays
            CHECK(remoteobj::deadline::current() == outer_end);
            remoteobj::deadline sooner(1s);
            CHECK(remoteobj::deadline::current() < outer_end);
        }
        CHECK(remoteobj::deadline::current() == outer_end);
    }
    CHECK(remoteobj::deadline::current() == clock::time_point::max());
    // Another thread has its own.
    remoteobj::deadline mine(1s);
    clock::time_point theirs{};
    std::thread([&] { theirs = remoteobj::deadline::current(); }).join();
    CHECK(theirs == clock::time_point::max());
}

TEST_CASE("durations saturate: milliseconds::max() is no limit, never an overflow") {
    Watchdog watchdog(60s, "durations saturate");
    using clock = remoteobj::deadline::clock;
    CHECK(remoteobj::deadline::after(std::chrono::milliseconds::max()) == clock::time_point::max());
    CHECK(remoteobj::deadline::after(std::chrono::hours::max()) == clock::time_point::max());
    const auto past = remoteobj::deadline::after(-5ms);
    CHECK(past <= clock::now());
    CHECK(remoteobj::detail::poll_timeout(clock::time_point::max()) == -1);
    CHECK(remoteobj::detail::poll_timeout(clock::now() + std::chrono::hours(24 * 365)) == INT_MAX);
    {
        remoteobj::deadline none(std::chrono::milliseconds::max());
        CHECK(remoteobj::deadline::current() == clock::time_point::max());
        ServedWidget w;
        CHECK(w.obj.remote->add(2, 2) == 4);
    }
    // wait_until_listening with the longest timeout waits (it once threw Timeout at once).
    Widget widget;
    Signal stop;
    auto child = remoteobj::process([&] {
        auto listening = widget.remote.listen();
        stop.wait();
    });
    widget.remote.wait_until_listening(child, std::chrono::milliseconds::max());
    CHECK(widget.remote->add(1, 1) == 2);
    stop.raise();
    child.join();
}

// Many threads on one proxy while the object's owner works under its mutex, and
// calls whose system calls keep being interrupted by a signal handler.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/time.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <remoteobj/process.hpp>

#include "test_support.hpp"

namespace {

/// Runs in the listening process, under remote.mutex() like every request.
bool number_matches_big(const Widget& w) { return w.number == w.big; }

/// A Widget whose child also works on it, in a thread of its own, under remote.mutex():
/// it bumps number and big together until label reads "stop".
struct BusyWidget {
    Widget obj;
    remoteobj::Process<long> child = remoteobj::process(remoteobj::process_options{.name = "busy"}, [this] {
        auto listening = obj.remote.listen();
        long rounds = 0;
        for (;; ++rounds) {
            std::lock_guard lock(obj.remote.mutex());
            if (obj.label == "stop") break;
            ++obj.number;
            ++obj.big;
        }
        return rounds;
    });
    BusyWidget() { obj.remote.wait_until_listening(child); }
};

/// SIGALRM every `period_us` microseconds, with a handler installed without
/// SA_RESTART: blocking system calls of this process return EINTR.
struct InterruptingTimer {
    static inline std::atomic<long> fired{0};
    struct sigaction previous {};
    explicit InterruptingTimer(long period_us) {
        struct sigaction action {};
        action.sa_handler = [](int) { fired.fetch_add(1, std::memory_order_relaxed); };
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;  // no SA_RESTART
        REQUIRE(::sigaction(SIGALRM, &action, &previous) == 0);
        itimerval timer{{0, period_us}, {0, period_us}};
        REQUIRE(::setitimer(ITIMER_REAL, &timer, nullptr) == 0);
    }
    ~InterruptingTimer() {
        itimerval off{};
        ::setitimer(ITIMER_REAL, &off, nullptr);
        ::sigaction(SIGALRM, &previous, nullptr);
    }
};

}  // namespace

TEST_CASE("8 threads x 10000 mixed calls on one proxy while the owner works under remote.mutex()") {
    BusyWidget w;
    auto& r = w.obj.remote;
    constexpr int threads = 8, calls = 10000;
    std::atomic<int> wrong{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t)
        clients.emplace_back([&, t] {
            const std::string name = "client" + std::to_string(t);
            for (int i = 0; i < calls; ++i) {
                bool right = true;
                switch (i % 5) {
                case 0: right = r->add(i, t) == i + t; break;  // each reply reaches its own caller
                case 1: right = r->greet(name) == "hello " + name + "!"; break;
                case 2: r->note(1); break;  // one-way
                case 3: right = r->items[0].get() == 1; break;
                case 4: right = r.passto<&number_matches_big>(); break;  // the owner holds the mutex
                }
                if (!right) wrong.fetch_add(1);
            }
        });
    for (auto& client : clients) client.join();
    CHECK(wrong.load() == 0);
    CHECK(r->notes.get() == threads * calls / 5);  // every one-way call ran exactly once
    r->label = "stop";
    const long rounds = w.child.join();
    MESSAGE("the owner thread worked " << rounds << " rounds under the mutex meanwhile");
    CHECK(rounds > 0);
}

TEST_CASE("calls go through while a signal handler keeps interrupting both processes") {
    Widget obj;
    Signal stop;
    auto child = remoteobj::process(remoteobj::process_options{.name = "interrupted"}, [&] {
        InterruptingTimer timer(300);
        auto listening = obj.remote.listen();
        stop.wait();
        return InterruptingTimer::fired.load();
    });
    obj.remote.wait_until_listening(child);
    {
        InterruptingTimer timer(200);
        const std::vector<int> big(1 << 18, 1);  // 1 MiB: many partial writes and reads
        for (int i = 0; i < 2000; ++i) REQUIRE(obj.remote->add(i, 1) == i + 1);
        for (int i = 0; i < 20; ++i) REQUIRE(obj.remote->sum(big) == (1 << 18));
        std::vector<remoteobj::future<int>> futures;
        for (int i = 0; i < 64; ++i) futures.push_back(obj.remote->add.async(i, 2));
        for (int i = 0; i < 64; ++i) REQUIRE(futures[static_cast<std::size_t>(i)].get() == i + 2);
        MESSAGE("the parent's handler ran " << InterruptingTimer::fired.load() << " times");
        CHECK(InterruptingTimer::fired.load() > 0);
    }
    stop.raise();
    CHECK(child.join() > 0);
}

TEST_CASE("the listener stops while 4 threads keep calling: each call answers or says NotListening") {
    for (bool fulfill_final : {true, false}) {
        CAPTURE(fulfill_final);
        Widget obj;
        Signal stop, release;
        auto child = remoteobj::process(remoteobj::process_options{.name = "stopping"}, [&] {
            {
                auto listening = obj.remote.listen(remoteobj::listen_options{.fulfill_final = fulfill_final});
                stop.wait();
            }  // stops here, with requests in flight
            release.wait();
        });
        obj.remote.wait_until_listening(child);
        std::atomic<int> answered{0}, wrong{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < 4; ++t)
            clients.emplace_back([&, t] {
                for (int i = 0;; ++i) {
                    try {
                        if (obj.remote->add(i, t) != i + t) wrong.fetch_add(1);
                        answered.fetch_add(1);
                    } catch (const remoteobj::NotListening&) {
                        return;  // the end, told; never a hang
                    }
                }
            });
        while (answered.load() < 400) std::this_thread::yield();
        stop.raise();
        for (auto& client : clients) client.join();
        CHECK(wrong.load() == 0);
        CHECK_FALSE(obj.remote.listening());
        release.raise();
        child.join();
    }
}

// A listener that dies (SIGKILL) before, during or after a request: every pending
// and later call throws PeerLost promptly, nothing hangs, nothing dies of SIGPIPE.
// The time from the kill to the exception is printed; tests assert only that it
// is far from a hang (timing targets live in bench/).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <thread>
#include <vector>

#include <remoteobj/process.hpp>

#include "test_support.hpp"

namespace {

using Clock = std::chrono::steady_clock;

/// Far beyond any honest delay: past it, the call counts as hung.
constexpr auto hang = std::chrono::seconds(5);

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Runs in the listening process: tells `started` it is inside a request, then
/// blocks reading `release` (until the test kills it).
int block_inside(Widget&, int started, int release) {
    char c = 'x';
    if (::write(started, &c, 1) != 1) return -1;
    return static_cast<int>(::read(release, &c, 1));
}

/// A Widget listened on by a child the test kills; not remoteobj::serve, whose
/// handle would report the death as an error nobody observed.
struct KillableWidget {
    Widget obj;
    Signal stop;
    remoteobj::Process<void> child = remoteobj::process(remoteobj::process_options{.name = "victim"}, [this] {
        auto listening = obj.remote.listen();
        stop.wait();
    });
    KillableWidget() { obj.remote.wait_until_listening(child); }
    ~KillableWidget() {
        if (child.alive()) stop.raise();
        try {
            child.join();
        } catch (const remoteobj::ProcessDied&) {
            // the test killed it
        }
    }
    void kill_and_reap() {
        child.kill();
        CHECK_THROWS_AS(child.join(), remoteobj::ProcessDied);
    }
};

}  // namespace

TEST_CASE("a listener killed before a request: the call throws PeerLost at once") {
    KillableWidget w;
    CHECK(w.obj.remote->add(1, 2) == 3);
    w.child.kill();
    const auto killed = Clock::now();
    CHECK_THROWS_AS(w.obj.remote->add(1, 2), remoteobj::PeerLost);
    MESSAGE("PeerLost " << ms_since(killed) << " ms after SIGKILL (not yet reaped)");
    CHECK(Clock::now() - killed < hang);
    CHECK_THROWS_AS(w.child.join(), remoteobj::ProcessDied);
}

TEST_CASE("a listener killed during a request: the waiting caller throws PeerLost") {
    Signal started, release;  // made before the fork, so the child has them too
    KillableWidget w;
    std::exception_ptr failure;
    Clock::time_point failed_at;
    std::thread caller([&] {
        try {
            w.obj.remote.passto<&block_inside>(started.fds[1], release.fds[0]);
        } catch (...) {
            failure = std::current_exception();
            failed_at = Clock::now();
        }
    });
    started.wait();  // the request is running in the child
    const auto killed = Clock::now();
    w.child.kill();
    caller.join();
    REQUIRE(failure);
    CHECK_THROWS_AS(std::rethrow_exception(failure), remoteobj::PeerLost);
    MESSAGE("pending call: PeerLost " << std::chrono::duration<double, std::milli>(failed_at - killed).count()
                                      << " ms after SIGKILL");
    CHECK(failed_at - killed < hang);
    // Later calls too, and futures sent after the death.
    CHECK_THROWS_AS(w.obj.remote->add(1, 1), remoteobj::PeerLost);
    CHECK_THROWS_AS(w.obj.remote->number.async().get(), remoteobj::PeerLost);
    CHECK_THROWS_AS(w.child.join(), remoteobj::ProcessDied);
}

TEST_CASE("a listener killed after a request: later calls throw PeerLost, never SIGPIPE") {
    KillableWidget w;
    CHECK(w.obj.remote->add(2, 2) == 4);
    w.kill_and_reap();
    for (int i = 0; i < 100; ++i) CHECK_THROWS_AS(w.obj.remote->add(i, i), remoteobj::PeerLost);
    CHECK_THROWS_AS(w.obj.remote->label = "x", remoteobj::PeerLost);
    CHECK(w.obj.remote->number.get_or(-1) == -1);  // "the value if someone answers, else this"
    CHECK_THROWS_AS(w.obj.remote->number.get(), remoteobj::PeerLost);
}

TEST_CASE("a request larger than the pipe to a dead listener throws PeerLost, not a hang on a full pipe") {
    KillableWidget w;
    w.kill_and_reap();
    std::vector<int> big(1 << 20, 1);  // 4 MiB: sixty-four pipefuls
    const auto start = Clock::now();
    CHECK_THROWS_AS(w.obj.remote->sum(big), remoteobj::PeerLost);
    CHECK(Clock::now() - start < hang);
}

TEST_CASE("a caller blocked on a full pipe (the child not reading) is released when the child dies") {
    Widget obj;
    Signal connected, stop;
    // Listens in the foreground, serves the call that makes this process's
    // connection, and then calls process_requests() no more: nothing is read.
    auto child = remoteobj::process(remoteobj::process_options{.name = "deaf"}, [&] {
        auto listening = obj.remote.listen(remoteobj::foreground);
        while (remoteobj::detail::wait_fd(listening.ready_fd(), POLLIN, connected.fds[0], -1) ==
               remoteobj::detail::Ready::Fd)
            obj.remote.process_requests();
        stop.wait();
    });
    obj.remote.wait_until_listening(child);
    CHECK(obj.remote->add(1, 1) == 2);
    connected.raise();
    std::exception_ptr failure;
    std::thread caller([&] {
        try {
            obj.remote->sum(std::vector<int>(1 << 20, 1));
        } catch (...) {
            failure = std::current_exception();
        }
    });
    // Wait (without sleeping) until the pipe is full: the caller is blocked writing.
    const int request_pipe = remoteobj::detail_link_of(obj.remote).request_fd();
    const int pipe_size = ::fcntl(request_pipe, F_GETPIPE_SZ);
    for (int queued = 0; queued < pipe_size;) {
        REQUIRE(::ioctl(request_pipe, FIONREAD, &queued) == 0);
        std::this_thread::yield();
    }
    const auto killed = Clock::now();
    child.kill();
    caller.join();
    REQUIRE(failure);
    CHECK_THROWS_AS(std::rethrow_exception(failure), remoteobj::PeerLost);
    CHECK(Clock::now() - killed < hang);
    CHECK_THROWS_AS(child.join(), remoteobj::ProcessDied);
}

TEST_CASE("after its listener was killed, the object reads as not listening and can be listened on again") {
    KillableWidget w;
    w.kill_and_reap();
    CHECK_FALSE(w.obj.remote.listening());  // the flag the dead listener left set does not count
    Signal stop;
    auto again = remoteobj::process(remoteobj::process_options{.name = "successor"}, [&] {
        auto listening = w.obj.remote.listen();
        stop.wait();
    });
    w.obj.remote.wait_until_listening(again);
    CHECK(w.obj.remote->add(2, 2) == 4);
    stop.raise();
    again.join();
}

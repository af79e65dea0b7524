// The other side of peer death: the process that made the link (the caller over
// its pipes) dies, also in the middle of a request too large for one write(). A
// listener in another process stops cleanly. (Other callers have connections of
// their own: their deaths are in many_callers_test.cpp.) Waits are bounded,
// never sleeps.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <remoteobj/process.hpp>

#include "tally.hpp"
#include "test_support.hpp"

namespace {

/// Far beyond any honest delay: past it, the process counts as hung.
constexpr auto hang = std::chrono::seconds(10);

/// Runs in the listening process: tells `started` it is inside a request, then
/// blocks until `release` says go on.
int hold_inside(Widget&, int started, int release) {
    char c = 'x';
    if (::write(started, &c, 1) != 1) return -1;
    return static_cast<int>(::read(release, &c, 1));
}

/// Waits (without sleeping) until the pipe `fd` holds `bytes` bytes, or (`bytes`
/// 0) until it is empty.
void wait_until_pipe_holds(int fd, int bytes) {
    for (int queued = -1; bytes ? queued < bytes : queued != 0;) {
        REQUIRE(::ioctl(fd, FIONREAD, &queued) == 0);
        std::this_thread::yield();
    }
}

}  // namespace

TEST_CASE("a non-daemon child's listener stops cleanly when the process that made the link dies") {
    Signal pids, stopped;
    // The maker makes the object (and so the link), starts a non-daemon child that
    // listens, checks a call, reports the child's pid, and waits to be killed.
    auto maker = remoteobj::process(remoteobj::process_options{.name = "maker"}, [&] {
        Widget obj;
        auto server = remoteobj::process(remoteobj::process_options{.name = "server", .daemon = false}, [&] {
            auto listening = obj.remote.listen();
            listening.wait();  // returns once the maker is dead
            const bool clean = !listening && !obj.remote.listening();
            if (clean) stopped.raise();
            std::_Exit(clean ? 0 : 1);
        });
        obj.remote.wait_until_listening(server);
        int pid = obj.remote->add(1, 2) == 3 ? server.pid() : -1;
        REQUIRE(::write(pids.fds[1], &pid, sizeof pid) == sizeof pid);
        for (;;) ::pause();
    });
    const int server = read_int(pids.fds[0]);
    REQUIRE(server > 0);
    maker.kill();
    CHECK_THROWS_AS(maker.join(), remoteobj::ProcessDied);
    // The orphaned server says its listener stopped, then exits by itself.
    const bool said_so = remoteobj::detail::wait_fd(stopped.fds[0], POLLIN, -1, 10'000) == remoteobj::detail::Ready::Fd;
    const bool exited = exits_within(server, said_so ? hang : std::chrono::milliseconds(0));
    if (!exited) ::kill(server, SIGKILL);  // no orphan left behind by a failure
    CHECK(said_so);
    CHECK(exited);
}

TEST_CASE("the maker killed in the middle of a large request: the child's listener, waiting for the rest, stops") {
    Signal report, started, release;
    auto maker = remoteobj::process(remoteobj::process_options{.name = "maker"}, [&] {
        Widget obj;
        auto server = remoteobj::process(remoteobj::process_options{.name = "server", .daemon = false}, [&] {
            auto listening = obj.remote.listen();
            listening.wait();
            std::_Exit(!listening && !obj.remote.listening() ? 0 : 1);
        });
        obj.remote.wait_until_listening(server);
        // This thread makes the connection, which the threads below then share (made
        // by one of them, ThreadSanitizer would see its reading here as a race: the
        // signals that order them cross processes).
        REQUIRE(obj.remote->add(1, 2) == 3);
        // The listener is held inside one request while a 4 MiB one fills the pipe.
        std::thread hold([&] { (void)obj.remote.passto<&hold_inside>(started.fds[1], release.fds[0]); });
        started.wait();
        std::thread big([&] { (void)obj.remote->sum(std::vector<int>(1 << 20, 1)); });
        const int request_pipe = remoteobj::detail_link_of(obj.remote).request_fd();  // its connection's
        wait_until_pipe_holds(request_pipe, ::fcntl(request_pipe, F_GETPIPE_SZ));
        const int told[2] = {server.pid(), request_pipe};
        REQUIRE(::write(report.fds[1], told, sizeof told) == sizeof told);
        for (;;) ::pause();
    });
    const int server = read_int(report.fds[0]);
    const int maker_pipe = read_int(report.fds[0]);
    // The same pipe, opened here, to see when the listener has taken what is in it.
    const int request_pipe = ::open(fmt::format("/proc/{}/fd/{}", maker.pid(), maker_pipe).c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(request_pipe >= 0);
    REQUIRE(::kill(maker.pid(), SIGSTOP) == 0);  // it writes no more
    release.raise();
    wait_until_pipe_holds(request_pipe, 0);  // the listener took the pipeful and waits for the rest
    maker.kill();
    CHECK_THROWS_AS(maker.join(), remoteobj::ProcessDied);
    const bool exited = exits_within(server, hang);
    if (!exited) ::kill(server, SIGKILL);  // no orphan left behind by a failure
    CHECK(exited);
    ::close(request_pipe);
}

TEST_CASE("serve() in a non-daemon child ends when its parent dies") {
    Signal pids;
    auto maker = remoteobj::process(remoteobj::process_options{.name = "maker"}, [&] {
        Widget obj;
        auto served = remoteobj::serve(obj, remoteobj::process_options{.name = "server", .daemon = false});
        int pid = obj.remote->add(2, 2) == 4 ? served.pid() : -1;
        REQUIRE(::write(pids.fds[1], &pid, sizeof pid) == sizeof pid);
        for (;;) ::pause();
    });
    const int server = read_int(pids.fds[0]);
    REQUIRE(server > 0);
    CHECK_FALSE(exits_within(server, std::chrono::milliseconds(0)));  // it serves while the maker lives
    maker.kill();
    CHECK_THROWS_AS(maker.join(), remoteobj::ProcessDied);
    const bool exited = exits_within(server, hang);
    if (!exited) ::kill(server, SIGKILL);  // no orphan left behind by a failure
    CHECK(exited);
}

TEST_CASE("the maker destroying its object ends a non-daemon child that listens with wait()") {
    auto widget = std::make_unique<Widget>();
    auto child = remoteobj::process(remoteobj::process_options{.name = "orphan-listener", .daemon = false}, [&] {
        auto listening = widget->remote.listen();
        listening.wait();  // until nobody is left to call
        return 0;
    });
    widget->remote.wait_until_listening(child);
    CHECK(widget->remote->add(1, 2) == 3);
    widget.reset();  // the maker, alive, lets go of the object
    const bool ended = child.join_for(std::chrono::seconds(60));
    CHECK(ended);
    if (!ended) child.kill();
    CHECK(child.join() == 0);
}

namespace {

// Zeroes the link's shared page from a child of the maker, as attack round 3
// (item 7) did, and checks that the maker's calls, listening(), and a process
// connecting only afterwards all go on: the page is no process's word.
template <class T>
void survives_a_zeroed_page(T& obj) {
    CHECK(obj.remote->add(1, 2) == 3);  // the maker's connection exists
    auto vandal = bounded("vandal", 60, [&obj] {
        auto& flags = remoteobj::detail_link_of(obj.remote).flags();
        std::memset(static_cast<void*>(&flags), 0, sizeof flags);
        return 0;
    });
    CHECK(vandal.join() == 0);
    REQUIRE(remoteobj::detail_link_of(obj.remote).flags().listening.load() == 0);  // shared: zero here too
    CHECK(obj.remote->add(2, 3) == 5);
    CHECK(obj.remote.listening());
    auto late = bounded("late", 60, [&obj] { return obj.remote->add(3, 4) == 7 ? 0 : 1; });
    CHECK(late.join() == 0);
}

}  // namespace

TEST_CASE("a process of a pipe link that zeroes the shared page cuts nobody off") {
    ServedWidget w;
    survives_a_zeroed_page(w.obj);
}

TEST_CASE("a process of a shared-memory link that zeroes the shared page cuts nobody off") {
    RingCounter counter;
    auto served = remoteobj::serve(counter, remoteobj::process_options{.name = "ring-counter"});
    survives_a_zeroed_page(counter);
}

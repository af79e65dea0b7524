// Named endpoints: listen_at("unix:...") and connect<T>(), many callers with a
// connection each, hostile and dying callers, access control, stale sockets.
#include <doctest/doctest.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <remoteobj/remoteobj.hpp>

#include "tally.hpp"
#include "test_support.hpp"

namespace {

/// A raw client socket connected to `file`: for bytes no proxy would send.
remoteobj::detail::Fd raw_connect(const std::string& file) {
    remoteobj::detail::Fd fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    REQUIRE(fd);
    const auto at = remoteobj::testing::unix_address("unix:" + file);
    REQUIRE(::connect(fd.get(), at.get(), at.length) == 0);
    return fd;
}

int open_descriptors() { return entries_in("/proc/self/fd"); }

}  // namespace

TEST_CASE("connect<T> reaches an object served at a named endpoint: calls, fields, exceptions by type") {
    TempDir dir;
    Widget obj;
    auto listening = obj.remote.listen_at(dir.address("widget.sock"));
    CHECK(listening);
    const std::string address = dir.address("widget.sock");
    // In a child that shares nothing with the object but its address.
    const int sum = watched(30, [address] {
        auto widget = remoteobj::connect<Widget>(address);
        widget->number = 41;
        widget->set_number(widget->number.get() + 1);
        int caught = 0;
        try {
            widget->fail("no");
        } catch (const std::invalid_argument&) {
            caught += 1000;
        }
        try {
            widget->fail_custom("custom");
        } catch (const WidgetError&) {
            caught += 10000;
        }
        return caught + widget->add(widget->number.get(), 1);
    });
    CHECK(sum == 11043);
    std::lock_guard lock(obj.remote.mutex());
    CHECK(obj.number == 42);
}

TEST_CASE("3 clients x 2,000 calls while a fourth is killed mid-stream: every reply is its caller's own") {
    TempDir dir;
    Widget obj;
    auto listening = obj.remote.listen_at(dir.address("widget.sock"));
    const std::string address = dir.address("widget.sock");

    // The clients are forked first, while the listener's thread is idle (a fork()
    // while it allocates can leave ASan's allocator locked in the child), and start
    // once the victim is calling.
    Signal started, go;
    std::vector<remoteobj::Process<int>> clients;
    for (int id = 1; id <= 3; ++id)
        clients.push_back(remoteobj::process(remoteobj::process_options{.name = fmt::format("client-{}", id)}, [=, &go] {
            ::signal(SIGALRM, SIG_DFL);
            ::alarm(60);  // a hang fails the test as ProcessDied, never hangs the suite
            go.wait();
            auto widget = remoteobj::connect<Widget>(address);
            int wrong = 0;
            for (int i = 0; i < 2000; ++i) wrong += widget->add(i, id * 1'000'000) != i + id * 1'000'000;
            return wrong;
        }));
    auto victim = remoteobj::process(remoteobj::process_options{.name = "victim"}, [&] {
        auto widget = remoteobj::connect<Widget>(address);
        for (int i = 0;; ++i) {
            if (widget->add(i, 1) != i + 1) std::_Exit(3);
            if (i == 100) started.raise();
        }
    });
    started.wait();
    for (int id = 1; id <= 3; ++id) go.raise();
    victim.kill();
    CHECK_THROWS_AS(victim.join(), remoteobj::ProcessDied);
    for (auto& client : clients) CHECK(client.join() == 0);
    CHECK(listening);
}

TEST_CASE("a hostile connection's 4 GiB prefix, half frame and garbage touch only that connection") {
    TempDir dir;
    Widget obj;
    auto listening = obj.remote.listen_at(dir.address("widget.sock"));
    const std::string file = dir.file("widget.sock");
    const std::string address = dir.address("widget.sock");
    // Forked first, while the listener's thread is idle: a fork() while that thread
    // allocates (accepting the connections below) can leave ASan's allocator locked
    // in the child. It connects once told to.
    Signal go;
    auto honest = remoteobj::process([address, &go] {
        ::signal(SIGALRM, SIG_DFL);
        ::alarm(30);
        go.wait();
        auto widget = remoteobj::connect<Widget>(address);
        int sum = 0;
        for (int i = 0; i < 200; ++i) sum += widget->add(i, 0);
        return sum;
    });

    // A size prefix of 4 GiB: that connection is dropped, nothing is reserved.
    auto huge = raw_connect(file);
    const std::uint32_t prefix = 0xffffffffu;
    REQUIRE(::write(huge.get(), &prefix, sizeof prefix) == sizeof prefix);
    // Half of a 1000-byte frame, and then silence.
    auto half = raw_connect(file);
    const std::uint32_t announced = 1000;
    REQUIRE(::write(half.get(), &announced, sizeof announced) == sizeof announced);
    REQUIRE(::write(half.get(), "0123456789", 10) == 10);
    // Garbage in a well-formed frame: skipped, the framing holds.
    auto garbage = raw_connect(file);
    const std::uint8_t junk[12] = {8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    REQUIRE(::write(garbage.get(), junk, sizeof junk) == sizeof junk);

    go.raise();
    CHECK(honest.join() == 199 * 200 / 2);
    // The 4 GiB connection was closed by the listener: its end reads end-of-file
    // (after the greeting).
    const timeval bound{30, 0};  // a failure bound, not a wait: end-of-file comes at once
    REQUIRE(::setsockopt(huge.get(), SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound) == 0);
    std::uint8_t buffer[4096];
    ssize_t got;
    while ((got = ::read(huge.get(), buffer, sizeof buffer)) > 0) {}
    CHECK(got == 0);
    CHECK(listening);
}

TEST_CASE("listen_at: the socket file is 0600 by default, a live listener is not taken over, a stale file is replaced") {
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    const std::string file = dir.file("widget.sock");
    {
        Widget obj;
        auto listening = obj.remote.listen_at(address);
        struct stat st {};
        REQUIRE(::stat(file.c_str(), &st) == 0);
        CHECK(S_ISSOCK(st.st_mode));
        CHECK((st.st_mode & 0777) == 0600);
        Widget other;
        CHECK_THROWS_WITH_AS(other.remote.listen_at(address), doctest::Contains("live listener"), remoteobj::Error);
    }
    struct stat st {};
    CHECK(::stat(file.c_str(), &st) != 0);  // removed when its listener ended

    // A listener killed outright leaves its file behind: the next one replaces it.
    Signal bound;
    auto dead = remoteobj::process(remoteobj::process_options{.name = "dead"}, [&] {
        Widget obj;
        auto listening = obj.remote.listen_at(address, {.mode = 0660});
        bound.raise();
        for (;;) ::pause();
    });
    bound.wait();
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0660);
    dead.kill();
    CHECK_THROWS_AS(dead.join(), remoteobj::ProcessDied);
    CHECK_THROWS_AS(remoteobj::connect<Widget>(address), remoteobj::NotListening);
    Widget obj;
    auto listening = obj.remote.listen_at(address);
    CHECK(watched(30, [address] { return remoteobj::connect<Widget>(address)->add(2, 3); }) == 5);

    // A file that is not a socket is never removed.
    const std::string plain = dir.file("plain");
    ::close(::creat(plain.c_str(), 0600));
    Widget third;
    CHECK_THROWS_WITH_AS(third.remote.listen_at("unix:" + plain), doctest::Contains("not a socket"), remoteobj::Error);
}

TEST_CASE("a uid the listener does not allow gets AccessDenied, and the listener goes on") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: changing uid needs root");
        return;
    }
    TempDir dir;
    REQUIRE(::chmod(dir.path.c_str(), 0755) == 0);
    Widget obj;
    // Open to everyone by its mode: the uid check is what refuses.
    auto listening = obj.remote.listen_at(dir.address("open.sock"), {.mode = 0666});
    auto owner_only = obj.remote.listen_at(dir.address("owner.sock"));
    const std::string open_address = dir.address("open.sock"), owner_address = dir.address("owner.sock");
    const int refused = watched(30, [=] {
        if (::setuid(65534) != 0) return -1;
        int count = 0;
        try {
            remoteobj::connect<Widget>(open_address);
        } catch (const remoteobj::AccessDenied& e) {
            count += std::string(e.what()).find("refuses uid 65534") != std::string::npos;
        }
        try {
            remoteobj::connect<Widget>(owner_address);  // the file's mode stops it first
        } catch (const remoteobj::AccessDenied& e) {
            count += std::string(e.what()).find("mode") != std::string::npos;
        }
        return count;
    });
    CHECK(refused == 2);
    // Allowed by the list: the same uid gets in.
    auto listed = obj.remote.listen_at(dir.address("listed.sock"), {.mode = 0666, .allow_uids = {65534}});
    const std::string listed_address = dir.address("listed.sock");
    CHECK(watched(30, [=] {
              if (::setuid(65534) != 0) return -1;
              return remoteobj::connect<Widget>(listed_address)->add(1, 1);
          }) == 2);
    CHECK(watched(30, [=] { return remoteobj::connect<Widget>(open_address)->add(3, 4); }) == 7);
}

TEST_CASE("the listener stopping ends its connections: connecting again after a restart works, nothing leaks") {
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    Widget obj;  // its own link's descriptors are counted in
    const int descriptors = open_descriptors();
    {
        auto listening = obj.remote.listen_at(address);
        auto widget = remoteobj::connect<Widget>(address);
        CHECK(widget->add(1, 2) == 3);
        CHECK(widget.listener_pid() == ::getpid());
        listening.stop();
        CHECK_FALSE(listening);
        CHECK(refused_as_stopped([&] { widget->add(1, 2); }));
        CHECK_THROWS_AS(remoteobj::connect<Widget>(address), remoteobj::NotListening);
        auto again = obj.remote.listen_at(address);
        CHECK(remoteobj::connect<Widget>(address)->add(5, 5) == 10);
    }
    CHECK(open_descriptors() == descriptors);
}

TEST_CASE("the listening process dying gives its connections PeerLost, never a hang") {
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    Widget obj;
    Signal bound;
    auto server = remoteobj::process(remoteobj::process_options{.name = "server"}, [&] {
        auto listening = obj.remote.listen_at(address);
        bound.raise();
        for (;;) ::pause();
    });
    bound.wait();
    const int outcome = watched(30, [&] {
        auto widget = remoteobj::connect<Widget>(address);
        if (widget->add(1, 1) != 2) return 1;
        ::kill(widget.listener_pid(), SIGKILL);
        try {
            widget->add(2, 2);  // sent, or refused, to a dead process: never answered
        } catch (const remoteobj::PeerLost&) {
            return 0;
        }
        return 2;
    });
    CHECK(outcome == 0);
    CHECK_THROWS_AS(server.join(), remoteobj::ProcessDied);
}

TEST_CASE("abstract addresses, Channel<T>::listen_at, and the errors of connect") {
    const std::string address = fmt::format("unix:@remoteobj-test-{}", ::getpid());
    Tally tally;
    tally.add(5);
    remoteobj::Channel<Tally> channel;
    auto listening = channel.listen_at(tally, address);
    auto remote_tally = remoteobj::connect<Tally>(address);
    remote_tally->add(6);
    CHECK(remote_tally->seen.get() == std::vector<int>{5, 6});
    CHECK(fmt::format("{}", remote_tally.describe()).find("Connection Tally") != std::string::npos);

    // Another class than the one served: the handshake says so before any request.
    CHECK_THROWS_AS(remoteobj::connect<Widget>(address), remoteobj::InterfaceMismatch);
    CHECK_THROWS_AS(remoteobj::connect<Widget>(address + "-nobody"), remoteobj::NotListening);
    CHECK_THROWS_WITH_AS(remoteobj::connect<Widget>("tcp:127.0.0.1:1"), doctest::Contains("unix:"), remoteobj::Error);
    CHECK_THROWS_WITH_AS(remoteobj::connect<Widget>("unix:/" + std::string(200, 'x')), doctest::Contains("long"),
                         remoteobj::Error);
}

TEST_CASE("a Connection is its process's own: a forked child that uses it gets an Error, and connects anew") {
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    Widget obj;
    auto listening = obj.remote.listen_at(address);
    auto widget = remoteobj::connect<Widget>(address);
    CHECK(widget->add(1, 1) == 2);
    const int score = watched(30, [&] {
        int points = 0;
        try {
            widget->add(1, 2);
        } catch (const remoteobj::Error& e) {
            points += std::string(e.what()).find("belongs to process") != std::string::npos;
        }
        points += 10 * (remoteobj::connect<Widget>(address)->add(2, 3) == 5);
        return points;
    });
    CHECK(score == 11);
    CHECK(widget->add(3, 3) == 6);  // the parent's own connection is untouched
}

TEST_CASE("the listening process dying while a child it forked lives on: its callers still get PeerLost") {
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    Widget obj;
    Signal bound, connected, forked, release;
    auto server = remoteobj::process(remoteobj::process_options{.name = "server"}, [&] {
        ::signal(SIGALRM, SIG_DFL);
        ::alarm(60);  // never outlives the suite, whatever the test does
        auto listening = obj.remote.listen_at(address);
        bound.raise();
        connected.wait();
        // Forked while the caller's connection is open: the child must not keep it.
        auto lingering = remoteobj::process(remoteobj::process_options{.name = "lingering", .daemon = false}, [&] {
            ::signal(SIGALRM, SIG_DFL);
            ::alarm(60);  // never outlives the suite, whatever the test does
            release.wait();
        });
        forked.raise();
        for (;;) ::pause();
    });
    struct Released {  // however the test ends, the lingering child ends too
        Signal& release;
        ~Released() { release.raise(); }
    } released{release};
    bound.wait();
    const int outcome = watched(30, [&] {
        auto widget = remoteobj::connect<Widget>(address);
        if (widget->add(1, 1) != 2) return 1;
        connected.raise();
        forked.wait();
        ::kill(widget.listener_pid(), SIGKILL);
        try {
            widget->add(2, 2);  // no deadline: only the end of the connection can end it
        } catch (const remoteobj::PeerLost&) {
            return 0;
        }
        return 2;
    });
    CHECK(outcome == 0);
    CHECK_THROWS_AS(server.join(), remoteobj::ProcessDied);
}

TEST_CASE("a live socket that never accepts: connect under a deadline is Timeout, listen_at is refused at once") {
    using namespace std::chrono_literals;
    Watchdog watchdog(60s, "a socket that never accepts");  // both waited forever before
    TempDir dir;
    const std::string address = dir.address("full.sock");
    // A foreign listening socket with the smallest backlog, and one connection
    // waiting in it: the next connect() finds the backlog full.
    remoteobj::detail::Fd foreign{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    const auto at = remoteobj::testing::unix_address(address);
    REQUIRE(::bind(foreign.get(), at.get(), at.length) == 0);
    REQUIRE(::listen(foreign.get(), 0) == 0);
    remoteobj::detail::Fd pending{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)};
    REQUIRE(::connect(pending.get(), at.get(), at.length) == 0);
    {
        remoteobj::deadline within(200ms);
        CHECK_THROWS_WITH_AS(remoteobj::connect<Widget>(address), doctest::Contains("backlog is full"),
                             remoteobj::Timeout);
    }
    Widget obj;
    CHECK_THROWS_WITH_AS(obj.remote.listen_at(address), doctest::Contains("live listener"), remoteobj::Error);
}

TEST_CASE("listen_options.mode takes permission bits only: setuid, setgid and sticky bits are refused") {
    TempDir dir;
    Widget obj;
    CHECK_THROWS_WITH_AS(obj.remote.listen_at(dir.address("w.sock"), {.mode = 07777}), doctest::Contains("07000"),
                         remoteobj::Error);
    struct stat st {};
    CHECK(::stat(dir.file("w.sock").c_str(), &st) != 0);  // no file was made
    auto listening = obj.remote.listen_at(dir.address("w.sock"), {.mode = 0777});
    REQUIRE(::stat(dir.file("w.sock").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0777);
}

TEST_CASE("garbage connections cannot flood the listener's stderr: a few lines, then how many were held back") {
    using namespace std::chrono_literals;
    Watchdog watchdog(120s, "stderr flood");
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    const std::string log = dir.file("stderr.txt");
    constexpr int connections = 200;
    Signal listening_now, done;
    // The listener in a child whose stderr is a file, to be read afterwards.
    auto listener = bounded("listener", 100, [&] {
        const int file = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        REQUIRE(file >= 0);
        ::dup2(file, STDERR_FILENO);
        Widget obj;
        {
            auto listening = obj.remote.listen_at(address);
            listening_now.raise();
            done.wait();
        }
        return 0;
    });
    listening_now.wait();
    const std::uint32_t prefix = 0xffffffffu;  // 4 GiB: dropped, with a line on stderr
    for (int i = 0; i < connections; ++i) {
        auto hostile = raw_connect(dir.file("widget.sock"));
        REQUIRE(::write(hostile.get(), &prefix, sizeof prefix) == sizeof prefix);
        // Dropped before the next: its end reads end-of-file (after the greeting).
        const timeval bound{30, 0};  // a failure bound, not a wait
        REQUIRE(::setsockopt(hostile.get(), SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound) == 0);
        std::uint8_t buffer[4096];
        ssize_t got;
        while ((got = ::read(hostile.get(), buffer, sizeof buffer)) > 0) {}
        REQUIRE(got == 0);
    }
    done.raise();
    CHECK(listener.join() == 0);
    // Every drop is either a line of its own or counted in a line saying how many
    // were held back.
    std::FILE* in = std::fopen(log.c_str(), "r");
    REQUIRE(in != nullptr);
    int printed = 0;
    unsigned long long held_back = 0;
    char line[4096];
    while (std::fgets(line, sizeof line, in)) {
        if (std::strstr(line, "dropped the connection")) ++printed;
        unsigned long long n = 0;
        if (std::sscanf(line, "remoteobj: %llu more such messages", &n) == 1) held_back += n;
    }
    std::fclose(in);
    CHECK(printed + static_cast<int>(held_back) == connections);
    CHECK(printed <= connections / 4);  // a few per window, however long the test takes
}

TEST_CASE("past listen_options.max_connections a caller gets Busy at once, and is served once another left") {
    using namespace std::chrono_literals;
    Watchdog watchdog(60s, "connection limit");
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    Widget obj;
    auto listening = obj.remote.listen_at(address, {.max_connections = 3});
    std::vector<remoteobj::Connection<Widget>> served;
    for (int i = 0; i < 3; ++i) {
        served.push_back(remoteobj::connect<Widget>(address));
        CHECK(served.back()->add(i, 1) == i + 1);
    }
    CHECK_THROWS_WITH_AS(remoteobj::connect<Widget>(address), doctest::Contains("max_connections"), remoteobj::Busy);
    served.erase(served.begin());
    // The listener notices the end of that connection in its own time: the next
    // caller is refused until then, and never waits.
    std::optional<remoteobj::Connection<Widget>> again;
    for (int attempt = 0; attempt < 100'000 && !again; ++attempt) {
        try {
            again.emplace(remoteobj::connect<Widget>(address));
        } catch (const remoteobj::Busy&) {
        }
    }
    REQUIRE(again);
    CHECK((*again)->add(2, 2) == 4);
    for (auto& connection : served) CHECK(connection->add(1, 1) == 2);
}

TEST_CASE("a listener out of descriptors tells the next caller so (Busy), and serves those it has" * doctest::skip(REMOTEOBJ_TEST_SANITIZED)) {
    using namespace std::chrono_literals;
    Watchdog watchdog(60s, "descriptor limit");
    TempDir dir;
    const std::string address = dir.address("widget.sock");
    Signal listening_now, done;
    auto listener = bounded("listener", 50, [&] {
        Widget obj;
        auto listening = obj.remote.listen_at(address);
        const int open = open_descriptors();
        const rlimit limit{static_cast<rlim_t>(open + 8), static_cast<rlim_t>(open + 8)};
        REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);
        listening_now.raise();
        done.wait();
        return 0;
    });
    listening_now.wait();
    std::vector<remoteobj::Connection<Widget>> connections;
    std::string refusal;
    for (int i = 0; i < 64 && refusal.empty(); ++i) {
        try {
            connections.push_back(remoteobj::connect<Widget>(address));
        } catch (const remoteobj::Busy& e) {
            refusal = e.what();
        }
    }
    CHECK(refusal.find("out of file descriptors") != std::string::npos);
    CHECK(connections.size() >= 2);
    int right = 0;
    for (auto& connection : connections) right += connection->add(2, 3) == 5;
    CHECK(right == static_cast<int>(connections.size()));
    done.raise();
    CHECK(listener.join() == 0);
}

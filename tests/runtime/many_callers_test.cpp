// A fork()-made link called from many processes: siblings of the listener,
// children of a listening parent, a grandchild, the child of a threaded caller.
// The maker calls over the link's pipes; every other process over a connection
// of its own, so replies never cross, and a hostile or dying caller touches only
// its own connection.
#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <remoteobj/connection.hpp>
#include <remoteobj/detail/shared_ring.hpp>
#include <remoteobj/envelope.hpp>
#include <remoteobj/remoteobj.hpp>

#include "test_support.hpp"

namespace {

/// How many of `count` calls from this process got another value than their own.
int wrong_replies(Widget& obj, int tag, int count) {
    int wrong = 0;
    for (int i = 0; i < count; ++i) wrong += obj.remote->add(i, tag) != i + tag;
    return wrong;
}

/// A raw connection to the listening session of `obj`'s link, as a process of the
/// link makes one, for bytes no proxy sends: the greeting brings the connection's
/// pipes (SCM_RIGHTS), and what this caller writes goes into `requests`.
struct RawCaller {
    remoteobj::detail::Fd requests, replies, guard;
};

RawCaller raw_session_caller(Widget& obj) {
    auto fds = raw_session_descriptors(remoteobj::detail_link_of(obj.remote), 3);
    return {std::move(fds[0]), std::move(fds[1]), std::move(fds[2])};
}

/// Writes all of `bytes` into a non-blocking request pipe, waiting (at most 10 s)
/// while the listener reads.
void send_all(const RawCaller& caller, const void* bytes, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(bytes);
    while (size > 0) {
        const ssize_t n = ::write(caller.requests.get(), p, size);
        if (n > 0) {
            p += n;
            size -= static_cast<std::size_t>(n);
            continue;
        }
        REQUIRE(errno == EAGAIN);
        pollfd ready{caller.requests.get(), POLLOUT, 0};
        REQUIRE(::poll(&ready, 1, 10'000) == 1);
    }
}

}  // namespace

TEST_CASE("4 sibling processes x 5,000 calls and the maker, on an object a fifth child serves: every reply is the "
          "caller's own") {
    ServedWidget w;
    std::vector<remoteobj::Process<int>> siblings;
    for (int k = 1; k <= 4; ++k)
        siblings.push_back(bounded("sibling", 300, [&w, k] { return wrong_replies(w.obj, 1'000'000 * k, 5000); }));
    CHECK(wrong_replies(w.obj, -7, 5000) == 0);  // the maker, over the pipes, meanwhile
    for (auto& sibling : siblings) CHECK(sibling.join() == 0);
}

TEST_CASE("3 children and a grandchild call an object that listens in the parent") {
    Widget obj;
    obj.label = "parent's";
    auto listening = obj.remote.listen();
    // Every child is forked before any calls, while the listener's thread is idle:
    // a fork() while it allocates (accepting a connection) can leave ASan's
    // allocator locked in the child. They call once told to.
    Signal go;
    std::vector<remoteobj::Process<int>> children;
    for (int k = 1; k <= 3; ++k)
        children.push_back(bounded("child", 300, [&obj, &go, k] {
            go.wait();
            return wrong_replies(obj, 100 * k, 2000) + (obj.remote->label.get() == "parent's" ? 0 : 1000);
        }));
    auto grandparent = bounded("middle", 300, [&obj, &go] {
        go.wait();
        // A plain fork() (process() in a child of a threaded process is a
        // ThreadSanitizer false alarm of its own): the exit status is the count.
        const pid_t grandchild = ::fork();
        if (grandchild == 0) ::_exit(wrong_replies(obj, 5, 500));
        const int mine = wrong_replies(obj, 6, 500);
        int status = 0;
        if (::waitpid(grandchild, &status, 0) != grandchild || !WIFEXITED(status)) return -1;
        return mine + WEXITSTATUS(status);
    });
    for (int i = 0; i < 4; ++i) go.raise();
    for (auto& child : children) CHECK(child.join() == 0);
    CHECK(grandparent.join() == 0);
    CHECK(obj.remote.listening());
}

namespace {

// 0 when this process calls `obj` over a pipe pair of its own (else which check failed).
int calls_over_own_pipes(Widget& obj) {
    if (obj.remote->add(1, 2) != 3) return 1;
    remoteobj::detail::Link& link = remoteobj::detail_link_of(obj.remote);
    const int requests = link.request_fd();
    const int replies = link.replies().fd();
    struct stat request_st {}, reply_st {}, door_st {};
    if (::fstat(requests, &request_st) != 0 || ::fstat(replies, &reply_st) != 0) return 2;
    if (!S_ISFIFO(request_st.st_mode) || !S_ISFIFO(reply_st.st_mode)) return 3;  // not the socket
    // Neither is the link's door, which every process of the link holds.
    if (::fstat(link.door_write_fd(), &door_st) != 0) return 4;
    if (request_st.st_ino == door_st.st_ino || requests == link.door_write_fd()) return 5;
    if ((::fcntl(requests, F_GETFL) & O_ACCMODE) != O_WRONLY) return 6;
    if (::fcntl(replies, F_GETFL) & O_NONBLOCK) return 7;  // its reader waits in read()
    return obj.remote->add(2, 3) == 5 ? 0 : 8;
}

}  // namespace

TEST_CASE("a process other than the maker calls over a pipe pair of its own, handed over at the session's socket") {
    Widget obj;
    Signal go;
    auto child = bounded("child", 60, [&obj, &go] {
        go.wait();
        return calls_over_own_pipes(obj);
    });
    auto listening = obj.remote.listen();
    go.raise();
    CHECK(child.join() == 0);
}

TEST_CASE("the maker calls like every other process: over a pipe pair of its own, handed over at the session's socket") {
    ServedWidget w;
    CHECK(calls_over_own_pipes(w.obj) == 0);
}

namespace {

/// What a SocketConnection that takes handed-over descriptors says of a session
/// that greets as a listener does and hands over `handed` (the message of the
/// ProtocolError it throws, or "" when it took them).
std::string handing_over(const std::vector<int>& handed) {
    // What stands for a session: a socket that greets and attaches `handed`.
    const std::string address = "unix:@remoteobj-test-" + std::to_string(::getpid()) + "-fake-session";
    remoteobj::detail::Fd server{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    REQUIRE(server);
    const auto bound = remoteobj::testing::unix_address(address);
    REQUIRE(::bind(server.get(), bound.get(), bound.length) == 0);
    REQUIRE(::listen(server.get(), 1) == 0);
    std::thread fake([&server, &handed] {
        remoteobj::detail::Fd client{::accept4(server.get(), nullptr, nullptr, SOCK_CLOEXEC)};
        if (!client) return;
        flatbuffers::FlatBufferBuilder fbb;
        const auto& ours = remoteobj::detail::interface_of<Widget>();
        auto hello = remoteobj::wire::CreateHello(fbb, remoteobj::detail::protocol_version, ours.hash,
                                                  fbb.CreateString(ours.class_name), 1);
        fbb.FinishSizePrefixed(remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Hello, hello.Union()));
        iovec data{fbb.GetBufferPointer(), fbb.GetSize()};
        std::vector<char> control(CMSG_SPACE(sizeof(int) * handed.size()));
        msghdr message{};
        message.msg_iov = &data;
        message.msg_iovlen = 1;
        message.msg_control = control.data();
        message.msg_controllen = control.size();
        cmsghdr* header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * handed.size());
        std::memcpy(CMSG_DATA(header), handed.data(), sizeof(int) * handed.size());
        [[maybe_unused]] const auto sent = ::sendmsg(client.get(), &message, MSG_NOSIGNAL);
    });
    remoteobj::deadline within(std::chrono::seconds(10));
    std::string said;
    try {
        remoteobj::detail::SocketConnection connection(address, remoteobj::detail::interface_of<Widget>(),
                                                       1u << 20, /*take_handed_over=*/true);
    } catch (const remoteobj::ProtocolError& e) {
        said = e.what();
    }
    fake.join();
    return said;
}

}  // namespace

TEST_CASE("a listener that hands over descriptors other than two pipes is refused with ProtocolError") {
    // Three eventfds where the connection's pipes belong.
    remoteobj::detail::Fd events[3] = {remoteobj::detail::open_eventfd(), remoteobj::detail::open_eventfd(),
                                       remoteobj::detail::open_eventfd()};
    CHECK(handing_over({events[0].get(), events[1].get(), events[2].get()}).find("not this connection's pipes") !=
          std::string::npos);
}

TEST_CASE("a listener that hands over rings whose reply bell is not a blocking pipe is refused with ProtocolError") {
    // A sound region, but an eventfd where the caller would sleep in read() on a
    // pipe: it would never see the listener's death there.
    remoteobj::detail::SharedRegion region(2, 1u << 16);
    remoteobj::detail::Fd events[4] = {remoteobj::detail::open_eventfd(), remoteobj::detail::open_eventfd(),
                                       remoteobj::detail::open_eventfd(), remoteobj::detail::open_eventfd()};
    const std::string said =
        handing_over({region.fd(), events[0].get(), events[1].get(), events[2].get(), events[3].get()});
    CHECK(said.find("not this connection's rings: the second is not a blocking pipe's read end") != std::string::npos);
}

// Only in the plain builds: no sanitizer's runtime is fork-safe while another
// thread allocates (test_support.hpp, limitations.md).
TEST_CASE("fork() from a caller whose threads are mid-call: the parent's threads keep their replies, the child calls "
          "on its own" * doctest::skip(REMOTEOBJ_TEST_SANITIZED)) {
    ServedWidget w;
    std::atomic<bool> stop{false};
    std::atomic<int> wrong{0}, calls{0};
    std::vector<std::thread> threads;
    for (int t = 1; t <= 2; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; !stop.load(); ++i) {
                wrong += w.obj.remote->add(i, 1000 * t) != i + 1000 * t;
                ++calls;
            }
        });
    for (int round = 0; round < 5; ++round) {
        // Forked while the threads call: the child finds the caller's lock free and
        // nothing of theirs in flight, and gets its own connection.
        auto child = bounded("forked", 120, [&w] { return wrong_replies(w.obj, 3, 300); });
        CHECK(child.join() == 0);
    }
    stop = true;
    for (auto& thread : threads) thread.join();
    CHECK(wrong.load() == 0);
    CHECK(calls.load() > 0);
}

TEST_CASE("a future the parent sent before fork() is the parent's: in the child its get() says so") {
    ServedWidget w;
    auto sum = w.obj.remote->add.async(1, 2);
    auto child = bounded("child", 60, [&] {
        try {
            (void)sum.get();
            return 0;
        } catch (const remoteobj::Error& e) {
            return std::string(e.what()).find("before fork()") != std::string::npos ? 1 : 2;
        }
    });
    CHECK(child.join() == 1);
    CHECK(sum.get() == 3);
    CHECK(w.obj.remote->add(2, 2) == 4);
}

TEST_CASE("a child calling across a restart of the listener connects to the new listening session by itself") {
    Widget obj;
    Signal called, restarted;
    auto listening = obj.remote.listen();
    auto child = bounded("caller", 60, [&] {
        const int first = obj.remote->add(1, 1);
        called.raise();
        restarted.wait();
        return first * 100 + obj.remote->add(2, 2);
    });
    called.wait();
    listening.stop();
    listening = obj.remote.listen();
    restarted.raise();
    CHECK(child.join() == 204);
}

TEST_CASE("a child calling while nobody listens gets NotListening, and PeerLost when its listener is killed") {
    Widget obj;
    auto nobody = bounded("caller", 60, [&] {
        try {
            (void)obj.remote->add(1, 1);
        } catch (const remoteobj::NotListening&) {
            return 1;
        }
        return 0;
    });
    CHECK(nobody.join() == 1);

    Signal bound;
    auto server = remoteobj::process(remoteobj::process_options{.name = "server"}, [&] {
        auto listening = obj.remote.listen();
        bound.raise();
        for (;;) ::pause();
    });
    bound.wait();
    Signal first;
    auto caller = bounded("caller", 60, [&] {
        const bool answered = obj.remote->add(1, 1) == 2;
        first.raise();
        try {
            for (;;) (void)obj.remote->add(1, 1);
        } catch (const remoteobj::PeerLost&) {
            return answered ? 1 : 2;
        }
    });
    first.wait();
    server.kill();
    CHECK_THROWS_AS(server.join(), remoteobj::ProcessDied);
    CHECK(caller.join() == 1);
}

TEST_CASE("a hostile or dying caller on a fork()-made link touches only its own connection: 4 GiB and 64 MiB "
          "prefixes, half a frame, garbage, a forged reply, a death mid-frame") {
    Widget obj;
    auto listening = obj.remote.listen();
    std::vector<std::uint8_t> partial(4 + 100'000, 0x5a);
    const std::uint32_t four_mib = 4u << 20;
    std::memcpy(partial.data(), &four_mib, sizeof four_mib);
    // The children are forked first, while the listener's thread is idle (a fork()
    // while it allocates can leave ASan's allocator locked in the child); each
    // starts once told to.
    Signal dying_go, sent, honest_go, next_go;
    auto dying = remoteobj::process(remoteobj::process_options{.name = "dying"}, [&] {
        dying_go.wait();
        auto raw = raw_session_caller(obj);  // a caller killed in the middle of its 4 MiB request
        send_all(raw, partial.data(), partial.size());
        sent.raise();
        for (;;) ::pause();
    });
    auto honest = bounded("honest", 120, [&] {
        honest_go.wait();
        return wrong_replies(obj, 11, 200);
    });
    auto next = bounded("next", 120, [&] {
        next_go.wait();
        return wrong_replies(obj, 12, 200);
    });

    // A 4 GiB announcement, half of a 4 MiB frame, and garbage in a whole frame.
    auto huge = raw_session_caller(obj);
    const std::uint32_t four_gib = 0xffffffffu;
    send_all(huge, &four_gib, sizeof four_gib);
    auto half = raw_session_caller(obj);
    send_all(half, partial.data(), partial.size());
    auto garbage = raw_session_caller(obj);
    std::uint8_t junk[68];
    std::memset(junk, 0xab, sizeof junk);
    const std::uint32_t sixty_four = 64;
    std::memcpy(junk, &sixty_four, sizeof sixty_four);
    send_all(garbage, junk, sizeof junk);
    // Exactly the 64 MiB limit announced and 10 bytes sent: waited for alone, and
    // its buffer grows only with what arrives.
    auto limit = raw_session_caller(obj);
    std::uint8_t announced[14] = {};
    const std::uint32_t sixty_four_mib = 64u << 20;
    std::memcpy(announced, &sixty_four_mib, sizeof sixty_four_mib);
    send_all(limit, announced, sizeof announced);
    // A forged reply (a Response where a request belongs): skipped. Replies go out
    // per connection, so it could reach nobody else anyway.
    auto forger = raw_session_caller(obj);
    flatbuffers::FlatBufferBuilder fbb;
    auto forged = remoteobj::wire::CreateResponse(fbb, (1ull << 32) | 0, remoteobj::wire::Status::Ok);
    fbb.FinishSizePrefixed(remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Response, forged.Union()));
    send_all(forger, fbb.GetBufferPointer(), fbb.GetSize());

    dying_go.raise();
    sent.wait();
    honest_go.raise();
    dying.kill();
    CHECK_THROWS_AS(dying.join(), remoteobj::ProcessDied);
    CHECK(honest.join() == 0);
    next_go.raise();
    CHECK(next.join() == 0);
    CHECK(listening);
}

TEST_CASE("a foreground listener serves other processes' connections inside process_requests(), on its thread") {
    Widget obj;
    auto listening = obj.remote.listen(remoteobj::foreground);
    const auto me = std::this_thread::get_id();
    auto child = bounded("caller", 60, [&] { return wrong_replies(obj, 9, 50); });
    bool elsewhere = false;
    while (!child.join_for(std::chrono::milliseconds(1))) {
        obj.remote.process_requests();
        elsewhere = elsewhere || std::this_thread::get_id() != me;
    }
    CHECK(child.join() == 0);
    CHECK_FALSE(elsewhere);
    CHECK(listening);
}

TEST_CASE("8 processes x 2 threads x 10,000 mixed calls on one served object") {
    ServedWidget w;
    std::vector<remoteobj::Process<int>> callers;
    for (int p = 0; p < 8; ++p)
        callers.push_back(bounded("mixed", 600, [&w, p] {
            std::atomic<int> wrong{0};
            auto work = [&](int t) {
                const int tag = 100'000 * (p * 2 + t);
                for (int i = 0; i < 10'000; ++i) {
                    switch (i % 4) {
                    case 0: wrong += w.obj.remote->add(i, tag) != i + tag; break;
                    case 1: wrong += w.obj.remote->add.async(i, tag).get() != i + tag; break;
                    case 2: wrong += w.obj.remote->label.get() != "widget"; break;
                    default: wrong += w.obj.remote->add(tag, i) != i + tag; break;
                    }
                }
            };
            std::thread other(work, 1);
            work(0);
            other.join();
            return wrong.load();
        }));
    for (auto& caller : callers) CHECK(caller.join() == 0);
}

TEST_CASE("forged words in the shared page make no call wait: the kernel says who listens") {
    Watchdog watchdog(std::chrono::seconds(60), "forged words in the shared page");
    SUBCASE("nobody listens, the page says pid 1 does") {
        Widget obj;
        auto& flags = remoteobj::detail_link_of(obj.remote).flags();
        flags.listener_pid.store(1);  // alive for as long as the machine runs
        flags.listening.store(1);
        CHECK_THROWS_AS(obj.remote->add(1, 1), remoteobj::NotListening);
        CHECK(bounded("child", 30, [&] {
                  try {
                      (void)obj.remote->add(1, 1);
                  } catch (const remoteobj::NotListening&) {
                      return 1;
                  }
                  return 0;
              }).join() == 1);
    }
    SUBCASE("a child listens, the page names pid 1 before the first call") {
        ServedWidget w;
        remoteobj::detail_link_of(w.obj.remote).flags().listener_pid.store(1);
        CHECK(w.obj.remote->add(2, 3) == 5);  // served by the process the kernel names
        CHECK(bounded("child", 30, [&] { return w.obj.remote->add(4, 5); }).join() == 9);
    }
    SUBCASE("a child listens, the page names an epoch nobody serves: the session's greeting has the word") {
        ServedWidget w;
        auto& flags = remoteobj::detail_link_of(w.obj.remote).flags();
        const std::uint32_t real = flags.epoch.load();
        flags.epoch.store(real + 7);
        CHECK(w.obj.remote->add(1, 1) == 2);  // connects: the page's epoch names no address
        CHECK(w.obj.remote->add(2, 1) == 3);  // and goes on: the page's epoch ends no connection
        flags.epoch.store(real);
        CHECK(w.obj.remote->add(1, 1) == 2);
    }
}

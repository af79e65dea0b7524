// A link made with remoteobj::shared_memory: every calling process's connection,
// the maker's included, is a pair of rings in shared memory that the listening
// session hands over. The same proxies, exceptions, deadlines and deaths as pipes.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <memory>
#include <thread>
#include <vector>

#include <remoteobj/batch.hpp>
#include <remoteobj/detail/shared_ring.hpp>
#include <remoteobj/remoteobj.hpp>

#include "tally.hpp"
#include "test_support.hpp"

namespace {

/// `x + 1`, computed in the listening process: each caller's value is its own.
int next_of(const Tally&, int x) { return x + 1; }

/// Sleeps `ms` in the listening process, then returns it.
int nap(const Tally&, int ms) {
    ::usleep(static_cast<useconds_t>(ms) * 1000);
    return ms;
}

/// A child serving a Tally over a shared-memory channel until `done` is raised.
struct ServedTally {
    remoteobj::Channel<Tally> channel{remoteobj::shared_memory};
    Signal done;
    remoteobj::Process<int> child = remoteobj::process(remoteobj::process_options{.name = "tally"}, [this] {
        Tally tally;
        {
            auto listening = channel.listen(tally);
            done.wait();
        }
        return static_cast<int>(tally.seen.size());
    });
    ServedTally() { channel.wait_until_listening(child); }
};

int wrong_replies(remoteobj::Proxy<Tally>& tally, int tag, int count) {
    int wrong = 0;
    for (int i = 0; i < count; ++i) wrong += remoteobj::passto<&next_of>(tally, tag + i) != tag + i + 1;
    return wrong;
}

}  // namespace

TEST_CASE("shared memory: the maker calls an object a child serves: values larger than a ring cross in pieces") {
    ServedTally served;
    remoteobj::Proxy<Tally> tally(served.channel);
    CHECK(tally.add(2) == 1);
    tally.label = "rings";
    CHECK(tally.label.get() == "rings");
    CHECK(wrong_replies(tally, 10, 2000) == 0);
    // 4 MiB of ints each way: four times a ring.
    const std::vector<int> big(1 << 20, 7);
    tally.seen = big;
    CHECK(tally.seen.get() == big);
    served.done.raise();
    CHECK(served.child.join() == 1 << 20);
}

TEST_CASE("shared memory: a Batch's replies cross together, each to its own future, ring-sized ones too") {
    ServedTally served;
    remoteobj::Proxy<Tally> tally(served.channel);
    std::vector<remoteobj::future<int>> counts;
    {
        remoteobj::Batch batch(tally);
        for (int i = 0; i < 300; ++i) counts.push_back(tally.add.async(i));
    }
    int wrong = 0;
    for (int i = 0; i < 300; ++i) wrong += counts[static_cast<std::size_t>(i)].get() != i + 1;
    CHECK(wrong == 0);
    // Replies larger than the ring: the first goes in kept back, in part, and must
    // still reach the caller with the rest.
    const std::vector<int> big(1 << 19, 3);  // 2 MiB: twice a ring
    tally.seen = big;
    std::vector<remoteobj::future<std::vector<int>>> copies;
    {
        remoteobj::Batch batch(tally);
        for (int i = 0; i < 3; ++i) copies.push_back(tally.seen.async());
    }
    for (auto& copy : copies) CHECK(copy.get() == big);
    served.done.raise();
    CHECK(served.child.join() == 1 << 19);
}

TEST_CASE("shared memory: the maker and 3 children call an object that listens in the parent: replies never cross") {
    remoteobj::Channel<Tally> channel{remoteobj::shared_memory};
    Tally local;
    // Forked before the listener's thread is busy (ASan's allocator and fork()).
    Signal go;
    std::vector<remoteobj::Process<int>> children;
    for (int k = 1; k <= 3; ++k)
        children.push_back(bounded("child", 120, [&channel, &go, k] {
            go.wait();
            remoteobj::Proxy<Tally> tally(channel);
            return wrong_replies(tally, 100'000 * k, 3000);
        }));
    auto listening = channel.listen(local);
    for (int i = 0; i < 3; ++i) go.raise();
    remoteobj::Proxy<Tally> tally(channel);
    CHECK(wrong_replies(tally, -50'000, 3000) == 0);
    for (auto& child : children) CHECK(child.join() == 0);
}

TEST_CASE("shared memory: a call under a deadline to a stopped listener times out, and the link goes on after") {
    ServedTally served;
    remoteobj::Proxy<Tally> tally(served.channel);
    CHECK(tally.add(1) == 1);
    REQUIRE(::kill(served.child.pid(), SIGSTOP) == 0);
    // kill() returns before the stop takes hold, and a spinning listener answers in
    // a microsecond: wait until the child is stopped.
    siginfo_t info{};
    REQUIRE(::waitid(P_PID, static_cast<id_t>(served.child.pid()), &info, WSTOPPED | WNOWAIT) == 0);
    {
        remoteobj::deadline within(std::chrono::milliseconds(200));
        CHECK_THROWS_AS(tally.add(2), remoteobj::Timeout);
    }
    REQUIRE(::kill(served.child.pid(), SIGCONT) == 0);
    CHECK(tally.add(3) == 3);  // the timed-out request was served too; its reply was dropped
    served.done.raise();
    CHECK(served.child.join() == 3);
}

TEST_CASE("shared memory: the listener killed in the middle of a call gives PeerLost with or without a deadline") {
    ServedTally served;
    remoteobj::Proxy<Tally> tally(served.channel);
    CHECK(remoteobj::passto<&nap>(tally, 1) == 1);
    Signal started;
    auto killer = bounded("killer", 60, [&] {
        started.wait();
        ::usleep(100'000);
        ::kill(served.child.pid(), SIGKILL);
        return 0;
    });
    started.raise();
    SUBCASE("waiting without a deadline: in read() on the bell, whose end-of-file says it") {
        CHECK_THROWS_AS(remoteobj::passto<&nap>(tally, 10'000), remoteobj::PeerLost);
    }
    SUBCASE("waiting under a deadline: in poll(), where the bell's end-of-file counts as the death") {
        remoteobj::deadline within(std::chrono::seconds(60));
        CHECK_THROWS_AS(remoteobj::passto<&nap>(tally, 10'000), remoteobj::PeerLost);
    }
    CHECK(killer.join() == 0);
    CHECK_THROWS_AS(served.child.join(), remoteobj::ProcessDied);
}


namespace {

/// A raw connection to the listening session of `obj`'s shared-memory link: the
/// greeting brings the region and the four eventfds (SCM_RIGHTS), for bytes and
/// indices no proxy writes.
struct RawRings {
    std::unique_ptr<remoteobj::detail::SharedRegion> region;
    remoteobj::detail::Fd reply_wake, room_wake, listener_request_wake, listener_room_wake;
};

RawRings raw_ring_caller(RingCounter& obj) {
    auto fds = raw_session_descriptors(remoteobj::detail_link_of(obj.remote), 5);
    RawRings raw;
    raw.region = std::make_unique<remoteobj::detail::SharedRegion>(std::move(fds[0]), 2);
    raw.reply_wake = std::move(fds[1]);
    raw.room_wake = std::move(fds[2]);
    raw.listener_request_wake = std::move(fds[3]);
    raw.listener_room_wake = std::move(fds[4]);
    return raw;
}

}  // namespace

TEST_CASE("shared memory: a Remote member made with remoteobj::shared_memory: a caller that corrupts its ring, sends "
          "half a frame or dies touches only its own connection") {
    RingCounter obj;
    Signal go;
    auto honest = bounded("honest", 120, [&obj, &go] {
        go.wait();
        int wrong = 0;
        for (int i = 0; i < 2000; ++i) wrong += obj.remote->add(i, 7) != i + 7;
        return wrong;
    });
    Signal die;  // forked before the listener's thread is busy, as the honest caller
    auto dying = bounded("dying", 60, [&obj, &die] {
        die.wait();
        (void)raw_ring_caller(obj);  // a caller that dies with its connection open
        ::_exit(0);
        return 0;
    });
    auto listening = obj.remote.listen();
    // An impossible index: the listener drops that connection (ProtocolError).
    auto corrupt = raw_ring_caller(obj);
    corrupt.region->words(0).written.store(1ull << 40);
    remoteobj::detail::ring(corrupt.listener_request_wake.get());
    // Half a frame: waited for alone.
    auto half = raw_ring_caller(obj);
    remoteobj::detail::RingWriter writer(*half.region, 0, half.listener_request_wake.get());
    const std::uint32_t size = 1000;
    std::uint8_t bytes[4 + 100] = {};
    std::memcpy(bytes, &size, sizeof size);
    CHECK(writer.write(bytes) == sizeof bytes);
    die.raise();
    CHECK_THROWS_AS(dying.join(), remoteobj::ProcessDied);  // _exit(0) before returning its value
    go.raise();
    CHECK(honest.join() == 0);
    CHECK(obj.remote->add(2, 3) == 5);  // in place: the listener is this process
    CHECK(listening);
}

TEST_CASE("shared memory: a listener stopped while a caller's ring holds an impossible index drops that connection "
          "and ends cleanly") {
    RingCounter obj;
    Signal corrupted;
    // The listener in a child, so that a listener that dies of it fails this test
    // (ProcessDied) instead of ending the test program. It never spins, and nobody
    // rings it: the corrupt index is first read while the listener finishes.
    auto listener = bounded("listener", 60, [&obj, &corrupted] {
        ::setenv("REMOTEOBJ_SPIN_NS", "0", 1);
        {
            auto listening = obj.remote.listen();
            corrupted.wait();
        }
        return 1;
    });
    obj.remote.wait_until_listening(listener);
    auto corrupt = raw_ring_caller(obj);
    // Once the listener sleeps on this ring (it asked to be rung), a silent write
    // is first read when it finishes.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (corrupt.region->words(0).reader_waits.load() == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::yield();
    REQUIRE(corrupt.region->words(0).reader_waits.load() == 1);
    corrupt.region->words(0).written.store(1ull << 40);
    corrupted.raise();
    CHECK(listener.join() == 1);
}

namespace {

/// The shared words of the first ring of each shared-memory region this process
/// has mapped (a region starts with its rings' words, one RingWords each).
std::vector<remoteobj::detail::RingWords*> ring_regions_mapped() {
    std::vector<remoteobj::detail::RingWords*> regions;
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);)
        if (line.find("/memfd:remoteobj-rings") != std::string::npos)
            regions.push_back(reinterpret_cast<remoteobj::detail::RingWords*>(std::stoull(line, nullptr, 16)));
    return regions;
}

/// Stops process `pid` (SIGSTOP), and returns once it is stopped.
void stop_process(int pid) {
    REQUIRE(::kill(pid, SIGSTOP) == 0);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        std::getline(stat, line);
        const auto state = line.rfind(") ");
        if (state != std::string::npos && line[state + 2] == 'T') return;
        REQUIRE(std::chrono::steady_clock::now() < until);
        std::this_thread::yield();
    }
}

}  // namespace

// Attack round 3, item 8: a corrupt ring of the maker's own connection once cut
// the maker off until the listener restarted, each call told PeerLost while the
// listener lived. The maker's end reads two words the listener writes: the reply
// ring's writer index, and (before a write larger than the room it last saw) the
// request ring's reader index. Stopped, the listener cannot mend either first.
TEST_CASE("shared memory: a corrupt ring of the maker's connection is a ProtocolError on that connection alone: the "
          "next call connects anew, and PeerLost comes only when the listener dies") {
    RingCounter obj;
    Signal done;
    auto listener = bounded("listener", 60, [&obj, &done] {
        auto listening = obj.remote.listen();
        done.wait();
        return 1;
    });
    struct RaiseAtEnd {
        Signal& done;
        ~RaiseAtEnd() { done.raise(); }
    } ends_listener{done};  // however the test ends: the listener is left no later
    obj.remote.wait_until_listening(listener);
    const auto before = ring_regions_mapped();
    CHECK(obj.remote->add(1, 2) == 3);
    const auto after = ring_regions_mapped();
    REQUIRE(after.size() == before.size() + 1);
    // What any process forked from the maker could do through its mapping.
    remoteobj::detail::RingWords* rings = after.back();
    stop_process(listener.pid());
    SUBCASE("the reply ring's writer index") {
        rings[1].written.store(1ull << 40);
        CHECK_THROWS_WITH_AS(obj.remote->add(2, 3), doctest::Contains("corrupted"), remoteobj::ProtocolError);
    }
    SUBCASE("the request ring's reader index") {
        rings[0].taken.store(1ull << 40);
        CHECK_THROWS_WITH_AS(obj.remote->length(std::string(2u << 20, 'x')), doctest::Contains("corrupted"),
                             remoteobj::ProtocolError);
    }
    ::kill(listener.pid(), SIGCONT);
    int wrong = 0;
    for (int i = 0; i < 200; ++i) wrong += obj.remote->add(i, 1) != i + 1;
    CHECK(wrong == 0);
    CHECK(obj.remote->length(std::string(2u << 20, 'x')) == 2u << 20);
    CHECK(obj.remote.listening());
    ::kill(listener.pid(), SIGKILL);
    CHECK_THROWS_AS(listener.join(), remoteobj::ProcessDied);
    CHECK_THROWS_AS(obj.remote->add(1, 1), remoteobj::PeerLost);
}

// The byte rings of shared-memory connections (remoteobj/detail/shared_ring.hpp):
// what crosses, what wakes whom, and what a corrupted or resized region does.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <numeric>
#include <vector>

#include <remoteobj/detail/shared_ring.hpp>
#include <remoteobj/error.hpp>

namespace {

using remoteobj::detail::Fd;
using remoteobj::detail::RingReader;
using remoteobj::detail::RingWriter;
using remoteobj::detail::SharedRegion;

constexpr std::size_t capacity = 4096;

bool rung(int eventfd) {
    pollfd ready{eventfd, POLLIN, 0};
    return ::poll(&ready, 1, 0) == 1;
}

std::vector<std::uint8_t> counting(std::size_t n, std::uint8_t from) {
    std::vector<std::uint8_t> bytes(n);
    std::iota(bytes.begin(), bytes.end(), from);
    return bytes;
}

}  // namespace

TEST_CASE("a ring carries bytes in order across its wrap, and takes no more than it has room for") {
    SharedRegion region(1, capacity);
    const Fd reader_wake = remoteobj::detail::open_eventfd(), writer_wake = remoteobj::detail::open_eventfd();
    RingWriter writer(region, 0, reader_wake.get());
    RingReader reader(region, 0, writer_wake.get());
    std::uint8_t next = 0;
    std::vector<std::uint8_t> out(capacity);
    for (int round = 0; round < 10; ++round) {  // 10 x 3000 bytes: the ring wraps several times
        const auto in = counting(3000, next);
        REQUIRE(writer.write(in) == in.size());
        CHECK(reader.available() == in.size());
        REQUIRE(reader.read(out) == in.size());
        CHECK(std::equal(in.begin(), in.end(), out.begin()));
        next = static_cast<std::uint8_t>(next + 3000);
    }
    const auto big = counting(capacity + 100, 0);
    CHECK(writer.write(big) == capacity);  // full: the rest waits for room
    CHECK(writer.room() == 0);
    CHECK(writer.write(big) == 0);
    REQUIRE(reader.read(std::span(out).first(100)) == 100);
    CHECK(writer.room() == 100);
    CHECK_FALSE(rung(reader_wake.get()));  // nobody slept: nobody was rung
    CHECK_FALSE(rung(writer_wake.get()));
}

TEST_CASE("a ring rings a sleeping end, and only that one") {
    SharedRegion region(1, capacity);
    const Fd reader_wake = remoteobj::detail::open_eventfd(), writer_wake = remoteobj::detail::open_eventfd();
    RingWriter writer(region, 0, reader_wake.get());
    RingReader reader(region, 0, writer_wake.get());
    const std::uint8_t byte[1] = {7};
    std::uint8_t out[capacity];

    REQUIRE(reader.arm());  // nothing to read: it may sleep
    writer.write(byte);
    CHECK(rung(reader_wake.get()));
    reader.disarm();
    CHECK(reader.read(out) == 1);
    CHECK(reader.arm());  // empty again: arming holds
    reader.disarm();

    const auto fill = counting(capacity, 0);
    REQUIRE(writer.write(fill) == capacity);
    REQUIRE(writer.arm());  // no room: it may sleep
    CHECK(reader.read(std::span(out).first(1)) == 1);
    CHECK(rung(writer_wake.get()));
    CHECK_FALSE(writer.arm());  // room came: arming says so, and stays off
    writer.write(byte);
    REQUIRE(reader.arm() == false);  // bytes are there: no sleep
}

TEST_CASE("a sleeping reader is rung once for what it has not taken, and again once it took it") {
    SharedRegion region(1, capacity);
    const Fd reader_wake = remoteobj::detail::open_eventfd(), writer_wake = remoteobj::detail::open_eventfd();
    RingWriter writer(region, 0, reader_wake.get());
    RingReader reader(region, 0, writer_wake.get());
    const std::uint8_t byte[1] = {7};
    std::uint8_t out[16];

    REQUIRE(reader.arm());
    writer.write(byte);
    writer.write(byte);  // it has not run yet (one CPU): the first ring wakes it for both
    writer.write(byte);
    CHECK(writer.rings() == 1);
    CHECK(rung(reader_wake.get()));
    reader.disarm();
    CHECK(reader.read(out) == 3);
    REQUIRE(reader.arm());  // asleep again, having taken all: the next byte rings
    writer.write(byte);
    CHECK(writer.rings() == 2);
    CHECK(rung(reader_wake.get()));
}

TEST_CASE("a ring whose peer wrote an impossible index fails with ProtocolError, never reading out of bounds") {
    SharedRegion region(1, capacity);
    const Fd wake = remoteobj::detail::open_eventfd();
    RingWriter writer(region, 0, wake.get());
    RingReader reader(region, 0, wake.get());
    std::uint8_t out[16];
    SUBCASE("the writer's index runs more than a ring ahead") {
        region.words(0).written.store(capacity + 1);
        CHECK_THROWS_AS(reader.read(out), remoteobj::ProtocolError);
        CHECK_THROWS_AS((void)reader.available(), remoteobj::ProtocolError);
        CHECK_FALSE(reader.arm());  // never sleeps on a broken ring: its read says why
    }
    SUBCASE("the writer's index goes back") {
        const std::uint8_t bytes[8] = {};
        writer.write(bytes);
        reader.read(out);
        region.words(0).written.store(0);
        CHECK_THROWS_AS(reader.read(out), remoteobj::ProtocolError);
    }
    SUBCASE("the reader's index runs ahead of what was written") {
        region.words(0).taken.store(5);
        CHECK_THROWS_AS((void)writer.room(), remoteobj::ProtocolError);
        CHECK_FALSE(writer.arm());
    }
    SUBCASE("the writer reads the reader's index again when it needs more room than it saw, and checks it") {
        const std::vector<std::uint8_t> full(capacity, 1);
        CHECK(writer.write(full) == capacity);
        region.words(0).taken.store(capacity + 5);
        const std::uint8_t bytes[8] = {};
        CHECK_THROWS_AS(writer.write(bytes), remoteobj::ProtocolError);
    }
}

TEST_CASE("a region is sealed: the process it is handed to checks its size and seals, and nobody can shrink it") {
    SharedRegion region(2, capacity);
    CHECK(::ftruncate(region.fd(), 0) != 0);  // F_SEAL_SHRINK
    Fd copy{::fcntl(region.fd(), F_DUPFD_CLOEXEC, 0)};
    SharedRegion adopted(std::move(copy), 2);
    CHECK(adopted.capacity() == capacity);
    adopted.words(1).written.store(42);
    CHECK(region.words(1).written.load() == 42);  // the same memory

    Fd wrong_size{::fcntl(region.fd(), F_DUPFD_CLOEXEC, 0)};
    CHECK_THROWS_AS(SharedRegion(std::move(wrong_size), 3), remoteobj::ProtocolError);  // not 3 whole rings
    Fd unsealed{::memfd_create("unsealed", MFD_CLOEXEC)};
    REQUIRE(::ftruncate(unsealed.get(), static_cast<off_t>(SharedRegion::size_for(1, capacity))) == 0);
    CHECK_THROWS_AS(SharedRegion(std::move(unsealed), 1), remoteobj::ProtocolError);
}

TEST_CASE("two processes pass 20,000 frames back and forth through a region's two rings") {
    SharedRegion region(2, capacity);
    const Fd wake = remoteobj::detail::open_eventfd();  // never rung: no end arms, both spin
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // echoes what ring 0 brings into ring 1, until 20,000 frames
        RingReader in(region, 0, wake.get());
        RingWriter out(region, 1, wake.get());
        std::uint8_t frame[100];
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (int i = 0; i < 20000 && std::chrono::steady_clock::now() < until;) {
            if (in.available() < sizeof frame) {
                ::sched_yield();  // a spin that yields: on one CPU the other end must run
                continue;
            }
            in.read(frame);
            std::size_t sent = 0;
            while (sent < sizeof frame) sent += out.write(std::span<const std::uint8_t>(frame).subspan(sent));  // never full: one frame in flight
            ++i;
        }
        ::_exit(0);
    }
    RingWriter out(region, 0, wake.get());
    RingReader in(region, 1, wake.get());
    int wrong = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    int i = 0;
    for (; i < 20000 && std::chrono::steady_clock::now() < until; ++i) {
        const auto frame = counting(100, static_cast<std::uint8_t>(i));
        REQUIRE(out.write(frame) == frame.size());
        std::uint8_t back[100];
        while (in.available() < sizeof back && std::chrono::steady_clock::now() < until) ::sched_yield();
        if (in.read(back) != sizeof back || !std::equal(frame.begin(), frame.end(), back)) ++wrong;
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(i == 20000);
    CHECK(wrong == 0);
    CHECK(WIFEXITED(status));
}

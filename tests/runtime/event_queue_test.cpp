// A subscription's queue in the owner's process: bounded in emissions and in
// bytes, dropping the oldest and counting them.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include <remoteobj/detail/outbound.hpp>
#include <remoteobj/signal.hpp>

namespace {

using remoteobj::detail::EventBell;
using remoteobj::detail::EventQueue;
using remoteobj::detail::QueueLimits;

// A bell with no descriptor: ringing it is a failed write nobody hears.
std::shared_ptr<EventBell> silent_bell() { return std::make_shared<EventBell>(-1); }

}  // namespace

TEST_CASE("a slow subscriber's queue of 1 MiB emissions holds its byte bound, keeping the newest") {
    EventQueue queue(1, QueueLimits{.count = 1024, .bytes = 4u << 20}, silent_bell());
    for (std::uint8_t i = 0; i < 100; ++i) {
        const std::vector<std::uint8_t> emission(1u << 20, i);
        REQUIRE(queue.post(emission));
    }
    CHECK(queue.dropped() == 96);  // 1,024 would fit by count alone: 100 MiB held
    std::vector<std::uint8_t> taken;
    std::uint64_t dropped_before = 0;
    REQUIRE(queue.take(taken, dropped_before));
    CHECK(dropped_before == 96);
    CHECK(taken.front() == 96);  // the oldest left is the 97th
    int left = 1;
    while (queue.take(taken, dropped_before)) ++left;
    CHECK(left == 4);
    CHECK(taken.front() == 99);
}

TEST_CASE("an emission larger than the byte bound is still delivered, alone") {
    EventQueue queue(1, QueueLimits{.count = 16, .bytes = 1024}, silent_bell());
    REQUIRE(queue.post(std::vector<std::uint8_t>(100, 1)));
    REQUIRE(queue.post(std::vector<std::uint8_t>(5000, 2)));
    CHECK(queue.dropped() == 1);
    std::vector<std::uint8_t> taken;
    std::uint64_t dropped_before = 0;
    REQUIRE(queue.take(taken, dropped_before));
    CHECK(taken.size() == 5000);
    // Room again: small ones queue up to the count.
    for (int i = 0; i < 20; ++i) REQUIRE(queue.post(std::vector<std::uint8_t>(8, 3)));
    CHECK(queue.dropped() == 1 + 4);
}

TEST_CASE("signal_options reach the queues: count and bytes") {
    remoteobj::Signal<int> sig{remoteobj::signal_options{.queue = 7, .queue_bytes = 4096}};
    CHECK(sig.core().limits().count == 7);
    CHECK(sig.core().limits().bytes == 4096);
    remoteobj::Signal<int> defaults;
    CHECK(defaults.core().limits().bytes == std::size_t{16} << 20);
}

// The events and streams scenarios every transport runs, on a Job's proxy (the
// events tests, and the gRPC tests over their own transport).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "job.hpp"
#include "job.remote_generated.h"

namespace event_scenarios {

using namespace std::chrono_literals;

/// What a subscription's callback saw: how many values, whether in order, the last.
struct Received {
    std::mutex mutex;
    std::condition_variable changed;
    long count = 0;
    long last = -1;
    bool in_order = true;

    void add(long value) {
        std::lock_guard lock(mutex);
        in_order = in_order && value > last;
        last = value;
        ++count;
        changed.notify_all();
    }
    /// Waits until `n` values came; the bound is only for a broken build to fail at.
    bool wait_for(long n, std::chrono::seconds bound = 60s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, bound, [&] { return count >= n; });
    }
    long seen() {
        std::lock_guard lock(mutex);
        return count;
    }
};

// The scenarios every transport runs, on the proxy `p`. Each returns a number
// that says what it saw, so that it can run in another process too.

/// Ticks emitted inside a request arrive, all of them, in order: the count, or -1.
template <class P>
long ticks_arrive_in_order(P& p, int n) {
    Received received;
    auto sub = p.tick.subscribe([&](int value) { received.add(value); });
    p.emit_ticks(n);
    if (!received.wait_for(n)) return -1;
    return received.in_order && sub.dropped() == 0 ? received.count : -2;
}

/// A method's yields arrive in order, and its exception after them: the sum of
/// scan(1000)'s values plus 1 for the exception in its place.
template <class P>
long values_stream_back(P& p) {
    long sum = 0;
    for (int v : p.scan(1000)) sum += v;
    std::vector<std::string> got;
    try {
        for (const std::string& s : p.fail_after(3)) got.push_back(s);
    } catch (const std::out_of_range& e) {
        if (got == std::vector<std::string>{"0", "1", "2"} && std::string(e.what()) == "no value after 3") sum += 1;
    }
    return sum;
}

/// A stream dropped after one value of a million: how many values the generator
/// produced in all (at most one window), or -1 if its frame still lives.
template <class P>
long cancelled_stream_stops(P& p) {
    const long before = p.produced.get();
    {
        auto values = p.scan(1000000);
        if (values.next() != 0) return -2;
    }
    // The cancel was sent before this read, on the same connection: served first.
    const long produced = p.produced.get() - before;
    if (p.live_frames.get() != 0) return -1;
    if (p.produced.get() - before != produced) return -3;  // nothing produced after the cancel
    return produced;
}

/// The three scenarios on `p`: 1 when each saw what it should, else what they saw.
template <class P>
long all_scenarios(P& p) {
    const long ticks = ticks_arrive_in_order(p, 10000);
    const long sum = values_stream_back(p);
    const long produced = cancelled_stream_stops(p);
    return ticks == 10000 && sum == 499501 && produced >= 1 && produced <= remoteobj::stream_window + 1
               ? 1L
               : ticks * 1000000 + produced;
}

}  // namespace event_scenarios

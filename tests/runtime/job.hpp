// A worker with events and streams: Signals its owner emits, and methods that
// yield (the events and streams tests).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <remoteobj/remoteobj.hpp>

#include "nested.hpp"  // Spot: a REMOTEOBJ struct with a string, yielded by value

/// Counts its live generator frames, so that a test can see a cancelled one destroyed.
struct FrameCount {
    std::atomic<int>& live;
    explicit FrameCount(std::atomic<int>& count) : live(count) { ++live; }
    ~FrameCount() { --live; }
    FrameCount(const FrameCount&) = delete;
    FrameCount& operator=(const FrameCount&) = delete;
};

class REMOTEOBJ Job {
public:
    Job() = default;
    /// A Job whose link is made as `options` say (shared memory, say).
    explicit Job(remoteobj::link_options options) : remote{*this, options} {}

    remoteobj::Remote<Job> remote{*this};

    /// Percent done, and what it is doing.
    remoteobj::Signal<int, std::string> progress;
    /// One emission per tick; a queue deep enough that a test's burst is never dropped.
    remoteobj::Signal<int> tick{remoteobj::signal_options{.queue = 1u << 17}};
    /// A queue of four: a subscriber that falls behind loses the oldest.
    remoteobj::Signal<long> shallow{remoteobj::signal_options{.queue = 4}};

    /// Values scan() has yielded, in all.
    std::atomic<long> produced{0};
    /// scan() frames alive now.
    std::atomic<int> live_frames{0};
    /// Ticks emitted by the owner's own thread (tick_until_stopped()).
    std::atomic<long> ticked{0};
    std::atomic<bool> ticking{false};

    /// Emits `n` ticks (0..n-1) from the listener's thread, inside this request.
    void emit_ticks(int n) {
        for (int i = 0; i < n; ++i) tick(i);
    }
    void report(int percent, std::string what) { progress(percent, what); }
    /// Emits `n` values to `shallow` at once.
    void flood(long n) {
        for (long i = 0; i < n; ++i) shallow(i);
    }
    /// Starts the owner's thread ticking (see tick_until_stopped()).
    void start_ticking() {
        ticking = true;
        std::lock_guard lock(gate_);
        started_.notify_all();
    }
    void stop_ticking() { ticking = false; }
    int tick_subscribers() const { return static_cast<int>(tick.subscribers()); }

    /// 0, 1, ... n-1.
    remoteobj::generator<int> scan(int n) {
        FrameCount frame(live_frames);
        for (int i = 0; i < n; ++i) {
            ++produced;
            co_yield i;
        }
    }
    /// 0, 1, ... n-1, working `ms` milliseconds on each (a slow producer).
    remoteobj::generator<int> slowly(int n, int ms) {
        for (int i = 0; i < n; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            co_yield i;
        }
    }
    /// Spot{0, "spot 0"}, ...: a struct holding a string, yielded. (Named, not a
    /// braced temporary: GCC 12 miscompiles `co_yield Spot{...}`, see docs/limitations.md.)
    remoteobj::generator<Spot> spots(int n) {
        for (int i = 0; i < n; ++i) {
            Spot spot{i, "spot " + std::to_string(i)};
            co_yield spot;
        }
    }
    /// "0", "1", ... then throws std::out_of_range.
    remoteobj::generator<std::string> fail_after(int n) {
        for (int i = 0; i < n; ++i) co_yield std::to_string(i);
        throw std::out_of_range("no value after " + std::to_string(n));
    }

    /// The owner's own thread: once start_ticking() is called, emits `tick` until
    /// stop_ticking() or `limit` ticks.
    REMOTEOBJ_HIDE void tick_until_stopped(long limit) {
        {
            std::unique_lock lock(gate_);
            started_.wait(lock, [this] { return ticking.load(); });
        }
        for (long i = 0; i < limit && ticking; ++i) {
            tick(static_cast<int>(i));
            ++ticked;
        }
    }

private:
    std::mutex gate_;
    std::condition_variable started_;
};

/// An object with no Remote member: served through a Channel<Feed>.
class REMOTEOBJ Feed {
public:
    remoteobj::Signal<std::string> news;
    void publish(int n) {
        for (int i = 0; i < n; ++i) news("item " + std::to_string(i));
    }
    remoteobj::generator<long> squares(int n) {
        for (long i = 0; i < n; ++i) co_yield i * i;
    }
};

#include "job.remote.hpp"

// The Full Example of the design: a counter that lives in a child process.
#pragma once

#include <atomic>
#include <mutex>

#include <remoteobj/remoteobj.hpp>

/// Counts as fast as it can while it is on.
class REMOTEOBJ Counter {
public:
    /// The link both processes share after fork().
    remoteobj::Remote<Counter> remote{*this};

    /// How far it has counted.
    std::atomic<int> count{0};
    /// Whether it counts.
    std::atomic<bool> on{false};
    /// Ends run().
    std::atomic<bool> stop{false};

    /// Turns counting on (the default) or off.
    void toggle(bool state = true) { on = state; }

    /// Runs in the child: counts while on, serving requests on a background
    /// thread, until told to stop.
    void run() {
        auto listening = remote.listen();
        while (!stop && listening) {
            if (!on) continue;
            // Counting under the object's mutex makes toggle(false) final: once the
            // parent's call returns, no increment is half done.
            std::lock_guard lock(remote.mutex());
            if (on) ++count;
        }
    }
};

#include "counter.remote.hpp"

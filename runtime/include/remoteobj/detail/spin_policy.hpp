// When an end of a shared-memory connection spins for the other end's bytes, and
// when it stops: spinning pays only while the other end runs beside it.
//
// Spinning saves a cross-CPU wake-up (tens of microseconds here) when the peer
// answers within the budget. It costs everything when the CPUs are oversubscribed:
// the spinner holds a CPU the peer is waiting for (attack round 3 measured a call
// at 216 us instead of 4 while a compile used both cores). So a spin that ends
// without work, or that saw this thread preempted (a gap between two of its own
// clock reads far longer than its loop takes), is a strike; after a few in a row
// the end sleeps at once for a while, then probes with one full spin.
//
// A spin that runs out without work is a strike too for an end that waits for an
// answer it knows is due (a caller waiting for its reply): the peer did not answer
// within the budget, so either the call is long or the peer is not running, and
// spinning paid for neither. For an end that waits for whatever comes next (a
// listener between requests) a run-out is neutral: the caller may be thinking.
//
// Costs nothing per call beyond the clock reads a spin made before: no system call.
#pragma once

#include <chrono>
#include <cstdint>

namespace remoteobj::detail {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

class SpinPolicy {
public:
    /// Preempted spins in a row that turn spinning off.
    static constexpr int strikes_to_stop = 3;
    /// Waits that then sleep at once, before one probe spins again.
    static constexpr int waits_off = 256;
    /// A gap this long between two clock reads of a spin is a preemption: one
    /// round of its loop takes a microsecond or two.
    static constexpr std::chrono::microseconds preempted_gap{200};

    /// What a spin that runs out without work means (see the file comment).
    enum class RunOut { neutral, strike };

    SpinPolicy() = default;
    explicit SpinPolicy(std::int64_t max_ns, RunOut run_out = RunOut::neutral) noexcept
        : max_ns_(max_ns), run_out_(run_out) {}

    /// Whether this end spins at all (a budget above 0, whether or not it is off now).
    bool enabled() const noexcept { return max_ns_ > 0; }
    std::int64_t max_ns() const noexcept { return max_ns_; }
    /// Whether spinning is off now, after fruitless spins.
    bool resting() const noexcept { return off_for_ > 0; }

    /// Spins until `ready()` or the budget ends; whether it is ready. Returns at
    /// once (false) while spinning is off.
    template <class Ready>
    bool spin(Ready&& ready) {
        const std::int64_t budget = next_budget();
        if (budget <= 0) return false;
        auto last = std::chrono::steady_clock::now();
        const auto until = last + std::chrono::nanoseconds(budget);
        bool preempted = false;
        for (;;) {
            for (int i = 0; i < 64; ++i) {
                if (ready()) {
                    spun(!preempted);
                    return true;
                }
                cpu_relax();
            }
            const auto now = std::chrono::steady_clock::now();
            preempted = preempted || now - last > preempted_gap;
            last = now;
            if (now >= until) {
                // Nothing came: a strike if this thread was preempted meanwhile, or if
                // an answer was due.
                if (preempted || run_out_ == RunOut::strike) spun(false);
                return false;
            }
        }
    }

private:
    std::int64_t next_budget() noexcept {
        if (max_ns_ <= 0) return 0;
        if (off_for_ > 0 && --off_for_ > 0) return 0;
        return max_ns_;  // spinning, or the probe that ends a rest
    }
    void spun(bool paid) noexcept {
        if (paid) {
            strikes_ = 0;
            return;
        }
        if (++strikes_ < strikes_to_stop) return;
        // A probe that fails rests again at once (strikes stay one short).
        strikes_ = strikes_to_stop - 1;
        off_for_ = waits_off;
    }

    std::int64_t max_ns_ = 0;
    RunOut run_out_ = RunOut::neutral;
    int strikes_ = 0;
    int off_for_ = 0;
};

}  // namespace remoteobj::detail

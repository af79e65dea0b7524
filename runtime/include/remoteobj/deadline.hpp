// remoteobj::deadline: a time limit on every call, get, set and future::get() that
// this thread makes while the deadline is in scope.
//
//     {
//         remoteobj::deadline within(std::chrono::milliseconds(100));
//         obj.remote->slow();   // throws remoteobj::Timeout after 100 ms
//     }
//
// Nested deadlines take the earlier one. A reply that arrives after its call timed
// out is dropped, never handed to another call, and the link stays usable. Without
// a deadline a call waits as long as the listener lives (as a local call would).
// Durations saturate: milliseconds::max() means no limit, never an overflow.
#pragma once

#include <chrono>

namespace remoteobj {

class deadline {
public:
    using clock = std::chrono::steady_clock;

    /// A limit `within` from now (or the enclosing deadline, if that is earlier).
    template <class Rep, class Period>
    explicit deadline(std::chrono::duration<Rep, Period> within) : deadline(after(within)) {}
    /// A limit at `when` (or the enclosing deadline, if that is earlier).
    explicit deadline(clock::time_point when) noexcept;
    ~deadline();
    deadline(const deadline&) = delete;
    deadline& operator=(const deadline&) = delete;

    /// When this thread's innermost deadline ends; clock::time_point::max() without one.
    static clock::time_point current() noexcept;

    /// `now + within`, saturated at time_point::max() (and at now for a negative duration).
    template <class Rep, class Period>
    static clock::time_point after(std::chrono::duration<Rep, Period> within) noexcept {
        const auto now = clock::now();
        if (within <= within.zero()) return now;
        // Compared as doubles of seconds: nothing here can overflow.
        const double left = std::chrono::duration<double>(clock::time_point::max() - now).count();
        if (std::chrono::duration<double>(within).count() >= left) return clock::time_point::max();
        return now + std::chrono::duration_cast<clock::duration>(within);
    }

private:
    clock::time_point previous_;
};

namespace detail {

/// Milliseconds left until `when`, for poll(): -1 for no limit, 0 once past,
/// at most INT_MAX (a longer wait is several polls).
int poll_timeout(deadline::clock::time_point when) noexcept;

}  // namespace detail
}  // namespace remoteobj

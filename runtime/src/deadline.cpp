// This thread's deadline; see deadline.hpp.
#include "remoteobj/deadline.hpp"

#include <climits>

namespace remoteobj {
namespace {

thread_local deadline::clock::time_point innermost = deadline::clock::time_point::max();

}  // namespace

deadline::deadline(clock::time_point when) noexcept : previous_(innermost) {
    if (when < innermost) innermost = when;
}

deadline::~deadline() { innermost = previous_; }

deadline::clock::time_point deadline::current() noexcept { return innermost; }

namespace detail {

int poll_timeout(deadline::clock::time_point when) noexcept {
    if (when == deadline::clock::time_point::max()) return -1;
    const auto now = deadline::clock::now();
    if (when <= now) return 0;
    // Rounded up: a wait never ends before the deadline and then finds time left.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(when - now).count();
    return left >= INT_MAX ? INT_MAX : static_cast<int>(left);
}

}  // namespace detail
}  // namespace remoteobj

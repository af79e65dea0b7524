// Taking turns for frames too large for one write(); see large_frame.hpp.
#include "remoteobj/large_frame.hpp"

#include <linux/futex.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <ctime>

#include <fmt/format.h>

#include "remoteobj/error.hpp"

namespace remoteobj::detail {
namespace {

// The flag is a plain 32-bit word in a MAP_SHARED page, so a (non-private) futex
// on it wakes waiters in every process.
int* futex_word(SharedFlags& flags) noexcept { return reinterpret_cast<int*>(&flags.large_writer_pid); }

void wake_waiters(SharedFlags& flags) noexcept {
    ::syscall(SYS_futex, futex_word(flags), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

// Waits until the flag may no longer be `writer`, for at most a few milliseconds:
// the caller then checks on the listener, which a futex cannot watch.
void wait_changed(SharedFlags& flags, int writer) noexcept {
    const timespec tick{0, 5'000'000};
    ::syscall(SYS_futex, futex_word(flags), FUTEX_WAIT, writer, &tick, nullptr, 0);
}

}  // namespace

void wait_out_large_frame_slow(SharedFlags& flags, int listener_pidfd, const char* what) {
    for (;;) {
        const int writer = flags.large_writer_pid.load(std::memory_order_acquire);
        if (writer == 0 || writer == this_pid()) return;
        if (listener_pidfd >= 0 && wait_fd(listener_pidfd, POLLIN, -1, 0) == Ready::Fd)
            throw PeerLost(fmt::format("{}: the listening process died", what));
        wait_changed(flags, writer);
    }
}

void claim_large_frame(SharedFlags& flags, int listener_pidfd, const char* what) {
    const int me = this_pid();
    for (;;) {
        int expected = 0;
        if (flags.large_writer_pid.compare_exchange_strong(expected, me) || expected == me) return;
        wait_out_large_frame_slow(flags, listener_pidfd, what);
    }
}

void withdraw_large_frame(SharedFlags& flags) noexcept {
    int me = this_pid();
    if (flags.large_writer_pid.compare_exchange_strong(me, 0)) wake_waiters(flags);
}

void release_large_frame(SharedFlags& flags, int writer) noexcept {
    if (flags.large_writer_pid.compare_exchange_strong(writer, 0)) wake_waiters(flags);
}

}  // namespace remoteobj::detail

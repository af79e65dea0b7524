// Rate-limited reports of what peers did; see peer_report.hpp.
#include "peer_report.hpp"

#include <pthread.h>

#include <chrono>
#include <cstdio>
#include <mutex>

namespace remoteobj::detail {
namespace {

using clock = std::chrono::steady_clock;

struct Window {
    std::mutex mutex;
    clock::time_point started{};
    int printed = 0;
    unsigned long long held_back = 0;
};

Window& window() noexcept {
    static Window* const shared = new Window;  // never destroyed: reports may come from threads at exit
    return *shared;
}

// A fork() while another thread reports would leave the child a mutex that nobody
// there can unlock: the child of a listening process, reporting its own peers,
// would wait forever. The forking thread holds it across fork() instead. Made and
// registered as the program starts, before any thread can be inside window()'s
// first call (a child would find that initialisation forever under way).
void lock_for_fork() noexcept { window().mutex.lock(); }
void unlock_after_fork() noexcept { window().mutex.unlock(); }
[[maybe_unused]] const int fork_handlers = (window(), ::pthread_atfork(&lock_for_fork, &unlock_after_fork,
                                                                        &unlock_after_fork));

void tell_held_back(Window& w) {
    if (w.held_back == 0) return;
    std::fprintf(stderr, "remoteobj: %llu more such messages about peers were held back (at most %d are printed "
                 "in %d s)\n", w.held_back, peer_report_burst, peer_report_window_seconds);
    w.held_back = 0;
}

}  // namespace

void report_peer(std::string_view line) noexcept {
    Window& w = window();
    const std::lock_guard lock(w.mutex);
    const auto now = clock::now();
    if (now - w.started >= std::chrono::seconds(peer_report_window_seconds)) {
        tell_held_back(w);
        w.started = now;
        w.printed = 0;
    }
    if (w.printed >= peer_report_burst) {
        ++w.held_back;
        return;
    }
    ++w.printed;
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

void flush_peer_reports() noexcept {
    Window& w = window();
    const std::lock_guard lock(w.mutex);
    tell_held_back(w);
}

}  // namespace remoteobj::detail

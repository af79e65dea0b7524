// Rate-limited reports of what peers did; see peer_report.hpp.
#include "peer_report.hpp"

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

Window& window() {
    static Window* const shared = new Window;  // never destroyed: reports may come from threads at exit
    return *shared;
}

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

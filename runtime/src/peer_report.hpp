// Lines on stderr about what a peer did (a connection dropped for garbage, a
// one-way call that failed), rate-limited: any process allowed to connect can
// cause them, and a flood of connections must not become a flood of lines.
//
// Each kind of line may be printed `burst` times per window; the rest are counted,
// and the count is told once the window has passed (at the next report, or when a
// listener finishes). Never throws, never blocks on anything but stderr.
#pragma once

#include <string_view>

namespace remoteobj::detail {

/// Prints `line` (without its newline) to stderr, unless this process printed
/// peer_report_burst such lines in the current window; then counts it.
void report_peer(std::string_view line) noexcept;

/// Tells how many lines were held back, if any (a listener finishing calls it).
void flush_peer_reports() noexcept;

/// Lines printed per window before the rest are only counted, and the window.
inline constexpr int peer_report_burst = 10;
inline constexpr int peer_report_window_seconds = 10;

}  // namespace remoteobj::detail

// Frames too large for one atomic write() (over PIPE_BUF) reach the pipe a piece
// at a time, so their writer announces itself in the shared flags first. A
// listener left with half a frame watches that writer, and drops the frame if it
// dies; until then no other process may write, or its bytes would land inside the
// dead frame and be dropped with it. Costs nothing per small request but one
// load of a shared word.
#pragma once

#include "remoteobj/link.hpp"

namespace remoteobj::detail {

/// Waits while another process is in the middle of a large frame (or died in it
/// and the listener has not yet dropped what came). Throws PeerLost when
/// `listener_pidfd` turns readable meanwhile. `what` names the call for messages.
void wait_out_large_frame_slow(SharedFlags& flags, int listener_pidfd, const char* what);

inline void wait_out_large_frame(SharedFlags& flags, int listener_pidfd, const char* what) {
    const int writer = flags.large_writer_pid.load(std::memory_order_acquire);
    if (writer != 0 && writer != this_pid()) wait_out_large_frame_slow(flags, listener_pidfd, what);
}

/// This process is about to write a large frame: announced in the flags (after
/// waiting out any other writer). withdraw_large_frame() must follow, however the
/// write ends (Link::begin_write() and end_write()).
void claim_large_frame(SharedFlags& flags, int listener_pidfd, const char* what);
void withdraw_large_frame(SharedFlags& flags) noexcept;

/// The listener's side: `writer` is dead and what it wrote of its frame is settled
/// (dropped, or served whole), so others may write again.
void release_large_frame(SharedFlags& flags, int writer) noexcept;

}  // namespace remoteobj::detail

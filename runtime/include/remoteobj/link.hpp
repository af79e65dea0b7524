// The link a Remote<T> member sets up before fork(), which both processes then share:
// a request pipe, a reply pipe, a page of shared flags (who listens, since when) and
// an eventfd that rings when listening starts or stops.
//
// Both processes keep all four pipe ends, so which one listens is decided at run time
// (either may). The price is that end-of-file never signals a dead peer; callers watch
// the listener's pidfd instead (see Caller). This layer holds state; it never serves
// or calls.
#pragma once

#include <atomic>
#include <cstdint>

#include "remoteobj/channel.hpp"

namespace remoteobj::detail {

/// Lives in a MAP_SHARED page, so both sides of a fork() see the same values.
struct SharedFlags {
    std::atomic<std::uint32_t> listening{0};
    std::atomic<std::uint32_t> epoch{0};      // bumped at every start of listening
    std::atomic<std::int32_t> listener_pid{0};
    // What the listener announces as it starts (the handshake of DESIGN.md §3): a
    // caller compares both with its own before its first request to that listener.
    std::atomic<std::uint32_t> protocol{0};
    std::atomic<std::uint64_t> interface_hash{0};
    // The process that made the link. A listener in any other process watches it:
    // when it dies, nobody is left to call, and listening stops.
    std::atomic<std::int32_t> creator_pid{0};
    // The last process to send a frame too large for one write(): a listener left
    // waiting for the rest of a frame watches it, so a writer killed mid-frame
    // does not keep the listener waiting for bytes that will never come.
    std::atomic<std::int32_t> large_writer_pid{0};
};
static_assert(std::atomic<std::uint32_t>::is_always_lock_free, "shared flags need address-free atomics");
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "shared flags need address-free atomics");

/// The version of the wire protocol (schemas/remoteobj.fbs and the framing): a
/// listener announces it, and a caller of another version refuses to talk.
inline constexpr std::uint32_t protocol_version = 1;

/// Largest frame either side accepts; a peer announcing more is cut off.
inline constexpr std::size_t default_max_frame = 64u << 20;

class Link {
public:
    Link();
    ~Link();
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    SharedFlags& flags() const noexcept { return *flags_; }

    /// Read by whoever listens; written by callers.
    FrameReader& requests() noexcept { return requests_; }
    FrameWriter request_writer() const noexcept { return FrameWriter(request_write_.get()); }
    int request_write_fd() const noexcept { return request_write_.get(); }
    /// Read by callers; written by the listener.
    FrameReader& replies() noexcept { return replies_; }
    FrameWriter reply_writer() const noexcept { return FrameWriter(reply_write_.get()); }

    /// Readable after listening started or stopped; `drain_changed()` re-arms it.
    int changed_fd() const noexcept { return changed_.get(); }
    void notify_changed() const noexcept;
    void drain_changed() const noexcept;

private:
    Fd request_read_, request_write_, reply_read_, reply_write_, changed_;
    SharedFlags* flags_ = nullptr;
    FrameReader requests_;
    FrameReader replies_;
};

}  // namespace remoteobj::detail

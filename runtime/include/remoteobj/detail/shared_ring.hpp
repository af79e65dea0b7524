// Byte rings in shared memory: one direction of a shared-memory connection each.
//
// A region (a sealed memfd, so that it can be handed to another process and so that
// nobody can shrink it under a reader) holds a few rings. One process writes a ring
// and one reads it, without a system call while both are busy; an end that has
// nothing to do arms a flag and sleeps on its eventfd, which the other end rings
// after its next step.
//
// The other process may write anything into the region at any time. So each end
// keeps its own index in its own memory and only reads the other's, bounds-checks
// it before using it (ProtocolError when it cannot be right), and copies bytes out
// of the ring before anything verifies them. A flag only ever decides whether the
// other end rings the eventfd of the end that armed it: forging one can keep only
// the forger waiting. Nothing here tells whether the other process lives (that is
// its pidfd's job), and nothing here waits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "remoteobj/channel.hpp"

namespace remoteobj::detail {

/// The shared words of one ring, each on a cache line of its own: the two ends
/// write different ones.
struct RingWords {
    alignas(64) std::atomic<std::uint64_t> written{0};      // bytes the writer has put in, in all
    alignas(64) std::atomic<std::uint64_t> taken{0};        // bytes the reader has taken out, in all
    alignas(64) std::atomic<std::uint32_t> reader_waits{0};  // ring the reader's eventfd after writing
    alignas(64) std::atomic<std::uint32_t> writer_waits{0};  // ring the writer's eventfd after taking
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "rings need address-free atomics");

/// A mapped region of `rings` rings of `capacity` bytes each.
class SharedRegion {
public:
    /// A new region (memfd, sealed against resizing, mapped). `capacity` is a power
    /// of two, at least a page. Throws SystemError.
    SharedRegion(std::size_t rings, std::size_t capacity);
    /// Maps a region of `rings` rings another process made, once its size (which
    /// gives the rings' capacity) and seals are checked (throws ProtocolError
    /// naming what is wrong, SystemError).
    SharedRegion(Fd memfd, std::size_t rings);
    ~SharedRegion();
    SharedRegion(const SharedRegion&) = delete;
    SharedRegion& operator=(const SharedRegion&) = delete;

    RingWords& words(std::size_t ring) const noexcept;
    std::uint8_t* data(std::size_t ring) const noexcept;
    std::size_t capacity() const noexcept { return capacity_; }
    int fd() const noexcept { return fd_.get(); }

    /// The bytes a region of `rings` rings of `capacity` bytes maps.
    static std::size_t size_for(std::size_t rings, std::size_t capacity) noexcept;

private:
    Fd fd_;
    std::size_t rings_;
    std::size_t capacity_;
    std::size_t size_;
    std::uint8_t* base_ = nullptr;
};

/// The writing end of a ring.
class RingWriter {
public:
    /// `reader_wake`: the reader's eventfd, rung when it sleeps.
    RingWriter(const SharedRegion& region, std::size_t ring, int reader_wake) noexcept;

    /// Puts in as much of `bytes` as there is room for, and says how much that was.
    /// `publish` false keeps them from the reader until the next publish() (the
    /// replies of a Batch, which go out together). Throws ProtocolError when the
    /// reader's index cannot be right.
    std::size_t write(Bytes bytes, bool publish = true);
    /// Lets the reader see everything written so far, ringing it if it sleeps.
    void publish() noexcept;
    /// How many times it has rung the reader: a reader woken is waiting to run.
    std::uint64_t rings() const noexcept { return rings_; }
    /// The room there is now (throws as write()).
    std::size_t room() const;
    /// About to sleep on this end's eventfd until the reader makes room (what is
    /// written is published first): true when there is still none (the reader will
    /// ring), false when some appeared.
    bool arm() noexcept;
    /// Awake again: the reader need not ring any more.
    void disarm() noexcept;

private:
    RingWords& words_;
    std::uint8_t* data_;
    std::size_t capacity_;
    int reader_wake_;
    std::uint64_t written_ = 0;    // ours: never read back from the region
    std::uint64_t published_ = 0;  // what the reader may see of it
    std::uint64_t rung_at_ = 0;    // what was published when we last rang the reader
    std::uint64_t rings_ = 0;
    // The reader's index as last read (and checked): the room it leaves is there
    // at least, so the region's word, which the reader keeps changing (a cache
    // miss), is read again only when a write needs more.
    mutable std::uint64_t taken_seen_ = 0;
};

/// The reading end of a ring.
class RingReader {
public:
    /// `writer_wake`: the writer's eventfd, rung when it sleeps for room.
    RingReader(const SharedRegion& region, std::size_t ring, int writer_wake) noexcept;

    /// Copies out up to `into.size()` bytes, and says how many. Throws
    /// ProtocolError when the writer's index cannot be right.
    std::size_t read(std::span<std::uint8_t> into);
    /// How many bytes are there to read now (throws as read()).
    std::size_t available() const;
    /// About to sleep on this end's eventfd until bytes come: true when there are
    /// still none (the writer will ring), false when some came.
    bool arm() noexcept;
    void disarm() noexcept;

private:
    RingWords& words_;
    std::uint8_t* data_;
    std::size_t capacity_;
    int writer_wake_;
    std::uint64_t taken_ = 0;  // ours: never read back from the region
    // The writer's index as last read (and checked): until we have taken all of
    // it, the region's word is not read again.
    mutable std::uint64_t written_seen_ = 0;
};

}  // namespace remoteobj::detail

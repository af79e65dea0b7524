// Byte rings in shared memory; see remoteobj/detail/shared_ring.hpp.
#include "remoteobj/detail/shared_ring.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include "remoteobj/error.hpp"

namespace remoteobj::detail {
namespace {

constexpr std::size_t page = 4096;
constexpr std::size_t cache_line = 64;
// How far past what it wrote a writer asks for the ring's lines: a few small frames.
constexpr std::size_t prefetched_bytes = 4 * cache_line;
// The largest ring a region handed over may hold: no peer makes us map more.
constexpr std::size_t max_capacity = 64u << 20;
// What a region must be sealed with before it is mapped: a process that could
// shrink it would make every access past the new end a SIGBUS.
constexpr int required_seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

std::size_t words_size(std::size_t rings) noexcept {
    return (rings * sizeof(RingWords) + page - 1) / page * page;
}

bool power_of_two(std::size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

std::uint8_t* map_region(int fd, std::size_t size) {
    void* base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) throw SystemError(errno, "mmap of a shared-memory region");
    return static_cast<std::uint8_t*>(base);
}

// Copies `size` bytes at ring position `at` (wrapping) out of or into a ring.
void copy_out(const std::uint8_t* ring, std::size_t capacity, std::uint64_t at, std::uint8_t* to, std::size_t size) {
    const std::size_t offset = static_cast<std::size_t>(at & (capacity - 1));
    const std::size_t first = std::min(size, capacity - offset);
    std::memcpy(to, ring + offset, first);
    std::memcpy(to + first, ring, size - first);
}

void copy_in(std::uint8_t* ring, std::size_t capacity, std::uint64_t at, const std::uint8_t* from, std::size_t size) {
    const std::size_t offset = static_cast<std::size_t>(at & (capacity - 1));
    const std::size_t first = std::min(size, capacity - offset);
    std::memcpy(ring + offset, from, first);
    std::memcpy(ring, from + first, size - first);
}

[[noreturn]] void impossible(const char* whose, std::uint64_t theirs, std::uint64_t ours, std::size_t capacity) {
    throw ProtocolError(fmt::format("a shared-memory ring was corrupted: the {} index says {}, where this end's "
                                    "is {} and the ring holds {} bytes",
                                    whose, theirs, ours, capacity));
}

}  // namespace

std::size_t SharedRegion::size_for(std::size_t rings, std::size_t capacity) noexcept {
    return words_size(rings) + rings * capacity;
}

SharedRegion::SharedRegion(std::size_t rings, std::size_t capacity)
    : rings_(rings), capacity_(capacity), size_(size_for(rings, capacity)) {
    if (!power_of_two(capacity) || capacity < page)
        throw Error(fmt::format("remoteobj: a ring of {} bytes: rings hold a power of two bytes, at least {}",
                                capacity, page));
    fd_ = Fd{::memfd_create("remoteobj-rings", MFD_CLOEXEC | MFD_ALLOW_SEALING)};
    if (!fd_) throw SystemError(errno, "memfd_create for a shared-memory region");
    if (::ftruncate(fd_.get(), static_cast<off_t>(size_)) != 0)
        throw SystemError(errno, "ftruncate of a shared-memory region");
    if (::fcntl(fd_.get(), F_ADD_SEALS, required_seals) != 0)
        throw SystemError(errno, "sealing a shared-memory region");
    base_ = map_region(fd_.get(), size_);
    for (std::size_t i = 0; i < rings_; ++i) new (&words(i)) RingWords{};
}

SharedRegion::SharedRegion(Fd memfd, std::size_t rings) : fd_(std::move(memfd)), rings_(rings) {
    struct stat st {};
    if (::fstat(fd_.get(), &st) != 0) throw SystemError(errno, "fstat of a shared-memory region");
    const std::size_t size = S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0;
    capacity_ = size > words_size(rings) ? (size - words_size(rings)) / rings : 0;
    size_ = size_for(rings, capacity_);
    if (!power_of_two(capacity_) || capacity_ < page || capacity_ > max_capacity || size != size_)
        throw ProtocolError(fmt::format("a shared-memory region handed over holds {} bytes, which is not {} rings "
                                        "of a power of two bytes from {} to {}",
                                        size, rings, page, max_capacity));
    const int seals = ::fcntl(fd_.get(), F_GET_SEALS);
    if (seals < 0 || (seals & required_seals) != required_seals)
        throw ProtocolError("a shared-memory region handed over is not sealed against resizing");
    base_ = map_region(fd_.get(), size_);
}

SharedRegion::~SharedRegion() {
    if (base_) ::munmap(base_, size_);
}

RingWords& SharedRegion::words(std::size_t ring) const noexcept {
    // The region's own layout: nothing in it is trusted but where things are.
    return *std::launder(reinterpret_cast<RingWords*>(base_ + ring * sizeof(RingWords)));
}

std::uint8_t* SharedRegion::data(std::size_t ring) const noexcept {
    return base_ + words_size(rings_) + ring * capacity_;
}

RingWriter::RingWriter(const SharedRegion& region, std::size_t ring, int reader_wake) noexcept
    : words_(region.words(ring)), data_(region.data(ring)), capacity_(region.capacity()), reader_wake_(reader_wake) {}

std::size_t RingWriter::room() const {
    const std::uint64_t taken = words_.taken.load(std::memory_order_acquire);
    const std::uint64_t used = written_ - taken;  // wraps to a huge value if `taken` is ahead
    if (used > capacity_) impossible("reader's", taken, written_, capacity_);
    taken_seen_ = taken;
    return capacity_ - static_cast<std::size_t>(used);
}

std::size_t RingWriter::write(Bytes bytes, bool publish_now) {
    std::size_t room_seen = capacity_ - static_cast<std::size_t>(written_ - taken_seen_);
    if (room_seen < bytes.size()) room_seen = room();
    const std::size_t n = std::min(bytes.size(), room_seen);
    if (n == 0) return 0;
    copy_in(data_, capacity_, written_, bytes.data(), n);
    written_ += n;
    // The ring's next lines were last in the reader's cache: asked for now, they
    // are ours by the next write, whose stores then need not wait for them.
    for (std::size_t ahead = 0; ahead < prefetched_bytes; ahead += cache_line)
        __builtin_prefetch(data_ + ((written_ + ahead) & (capacity_ - 1)), 1);
    if (publish_now) publish();
    return n;
}

void RingWriter::publish() noexcept {
    if (published_ == written_) return;
    published_ = written_;
    // Sequentially consistent, against the reader's arm(): either it sees these
    // bytes, or we see its flag (no fences: ThreadSanitizer does not model them).
    words_.written.store(written_, std::memory_order_seq_cst);
    if (!words_.reader_waits.load(std::memory_order_seq_cst)) return;
    // Rung already for bytes it has not taken yet: it wakes for those, and its next
    // arm() reads our index before it sleeps, so it sees these too. (On one CPU a
    // sleeping reader cannot run before we block: each write would ring again.)
    const std::uint64_t unseen = rung_at_ - words_.taken.load(std::memory_order_seq_cst);
    if (unseen != 0 && unseen <= capacity_) return;
    ring(reader_wake_);
    rung_at_ = written_;
    ++rings_;
}

bool RingWriter::arm() noexcept {
    publish();  // never sleep on bytes the reader cannot see: it would wait for them
    words_.writer_waits.store(1, std::memory_order_seq_cst);
    const std::uint64_t used = written_ - words_.taken.load(std::memory_order_seq_cst);
    if (used != capacity_) {  // room came (or the index is impossible: write() says so)
        disarm();
        return false;
    }
    return true;
}

void RingWriter::disarm() noexcept { words_.writer_waits.store(0, std::memory_order_relaxed); }

RingReader::RingReader(const SharedRegion& region, std::size_t ring, int writer_wake) noexcept
    : words_(region.words(ring)), data_(region.data(ring)), capacity_(region.capacity()), writer_wake_(writer_wake) {}

std::size_t RingReader::available() const {
    if (written_seen_ != taken_) return static_cast<std::size_t>(written_seen_ - taken_);
    const std::uint64_t written = words_.written.load(std::memory_order_acquire);
    const std::uint64_t pending = written - taken_;
    if (pending > capacity_) impossible("writer's", written, taken_, capacity_);
    written_seen_ = written;
    return static_cast<std::size_t>(pending);
}

std::size_t RingReader::read(std::span<std::uint8_t> into) {
    const std::size_t n = std::min(into.size(), available());
    if (n == 0) return 0;
    copy_out(data_, capacity_, taken_, into.data(), n);
    taken_ += n;
    words_.taken.store(taken_, std::memory_order_seq_cst);  // against the writer's arm(), as in write()
    if (words_.writer_waits.load(std::memory_order_seq_cst)) ring(writer_wake_);
    return n;
}

bool RingReader::arm() noexcept {
    words_.reader_waits.store(1, std::memory_order_seq_cst);
    if (words_.written.load(std::memory_order_seq_cst) != taken_) {  // bytes came (or garbage: read() says so)
        disarm();
        return false;
    }
    return true;
}

void RingReader::disarm() noexcept { words_.reader_waits.store(0, std::memory_order_relaxed); }

}  // namespace remoteobj::detail

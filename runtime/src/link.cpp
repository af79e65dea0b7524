// The shared pipes, flags and eventfd of one Remote<T>; see link.hpp.
#include "remoteobj/link.hpp"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <new>
#include <system_error>

namespace remoteobj::detail {
namespace {

SharedFlags* map_flags() {
    void* page = ::mmap(nullptr, sizeof(SharedFlags), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap of the shared flags");
    return new (page) SharedFlags{};
}

Fd open_eventfd() {
    int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    return Fd{fd};
}

}  // namespace

Link::Link()
    : changed_(open_eventfd()),
      flags_(map_flags()),
      requests_(-1, default_max_frame),
      replies_(-1, default_max_frame) {
    open_pipe(request_read_, request_write_);
    open_pipe(reply_read_, reply_write_);
    requests_.attach(request_read_.get());
    replies_.attach(reply_read_.get());
    flags_->creator_pid.store(this_pid());
}

Link::~Link() {
    flags_->~SharedFlags();
    ::munmap(flags_, sizeof(SharedFlags));
}

void Link::notify_changed() const noexcept {
    std::uint64_t one = 1;
    // Cannot fail short of the counter overflowing, which would take 2^64 changes.
    [[maybe_unused]] auto n = ::write(changed_.get(), &one, sizeof one);
}

void Link::drain_changed() const noexcept {
    std::uint64_t count;
    [[maybe_unused]] auto n = ::read(changed_.get(), &count, sizeof count);
}

}  // namespace remoteobj::detail

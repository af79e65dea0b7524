// The stop signal of serve(); see serve.hpp.
#include "remoteobj/serve.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace remoteobj::detail {

Fd open_stop_signal() {
    int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    return Fd{fd};
}

void ring(int fd) noexcept {
    std::uint64_t one = 1;
    // Only fails if the counter would overflow, which a stop signal never reaches.
    [[maybe_unused]] auto n = ::write(fd, &one, sizeof one);
}

}  // namespace remoteobj::detail

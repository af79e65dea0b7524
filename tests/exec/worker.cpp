// A program that serves a Versioned on a channel it adopts from its parent: built
// twice, from old/versioned.hpp and new/versioned.hpp, as two real builds of one
// class would be.
//
//     exec_worker_old <handle>   serves until its stdin reaches end of file, or
//                                the process that made the channel dies
//     exec_worker_old --hash     prints the class identity (interface_hash) of its Versioned
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string_view>

#include "versioned.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <remoteobj-link handle> | --hash\n", argv[0]);
        return 2;
    }
    if (std::string_view(argv[1]) == "--hash") {
        std::printf("%016" PRIx64 "\n", remoteobj::detail::interface_of<Versioned>().hash);
        return 0;
    }
    try {
        auto channel = remoteobj::Channel<Versioned>::adopt(argv[1]);
        Versioned versioned;
        auto listening = channel.listen(versioned);
        // Until the parent closes our stdin, or the listener stops of itself (the
        // process that made the channel died: nobody is left to call).
        pollfd watched[] = {{STDIN_FILENO, POLLIN, 0}, {listening.ended_fd(), POLLIN, 0}};
        char byte;
        for (;;) {
            if (::poll(watched, 2, -1) < 0) {
                if (errno == EINTR) continue;
                throw std::runtime_error("poll failed");
            }
            if (watched[1].revents) break;
            if (watched[0].revents && ::read(STDIN_FILENO, &byte, 1) <= 0) break;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
        return 1;
    }
    return 0;
}

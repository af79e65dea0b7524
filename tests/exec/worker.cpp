// A program that serves a Versioned on a channel it adopts from its parent: built
// twice, from old/versioned.hpp and new/versioned.hpp, as two real builds of one
// class would be.
//
//     exec_worker_old <handle>   serves until its stdin reaches end of file
//     exec_worker_old --hash     prints the interface hash of its Versioned
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <exception>
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
        // The parent stops us by closing our stdin; its death closes it too.
        char byte;
        ssize_t got;
        do got = ::read(STDIN_FILENO, &byte, 1);
        while (got > 0 || (got < 0 && errno == EINTR));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
        return 1;
    }
    return 0;
}

// Serves an Evolving at a named endpoint, for a caller built from the other
// version of its header (tests/evolve/v1 or v2, chosen by the include path):
//
//     evolve_server_v1 unix:/tmp/dir/evolving.sock
//
// Prints "listening" once callers can connect, and serves until its stdin ends.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>

#include "evolving.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s unix:PATH\n", argv[0]);
        return 2;
    }
    try {
        Evolving evolving;
        auto listening = evolving.remote.listen_at(argv[1]);
        std::puts("listening");
        std::fflush(stdout);
        char byte;
        for (;;) {
            const ssize_t got = ::read(STDIN_FILENO, &byte, 1);
            if (got > 0 || (got < 0 && errno == EINTR)) continue;
            break;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
        return 1;
    }
    return 0;
}

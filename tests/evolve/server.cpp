// Serves an Evolving at a named endpoint, or over gRPC on 127.0.0.1, for a caller
// built from the other version of its header (tests/evolve/v1 or v2, chosen by
// the include path):
//
//     evolve_server_v1 unix:/tmp/dir/evolving.sock   # prints "listening"
//     evolve_server_v1 grpc                          # prints "listening PORT"
//
// Prints its line once callers can connect, and serves until its stdin ends.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <string_view>

#ifdef REMOTEOBJ_EVOLVE_GRPC
#include <remoteobj/grpc.hpp>
#endif

#include "evolving.hpp"

namespace {

void serve_until_stdin_ends() {
    char byte;
    for (;;) {
        const ssize_t got = ::read(STDIN_FILENO, &byte, 1);
        if (got > 0 || (got < 0 && errno == EINTR)) continue;
        return;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s unix:PATH | grpc\n", argv[0]);
        return 2;
    }
    try {
        Evolving evolving;
#ifdef REMOTEOBJ_EVOLVE_GRPC
        if (std::string_view(argv[1]) == "grpc") {
            auto server = remoteobj::grpc::serve(evolving, "127.0.0.1:0");
            std::printf("listening %d\n", server.port());
            std::fflush(stdout);
            serve_until_stdin_ends();
            return 0;
        }
#endif
        auto listening = evolving.remote.listen_at(argv[1]);
        std::puts("listening");
        std::fflush(stdout);
        serve_until_stdin_ends();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
        return 1;
    }
    return 0;
}

// remoteobj::grpc: a child process serves a Catalog on 127.0.0.1 (as it would on a
// machine of its own, with TLS), and this process reaches it through the same
// generated proxy: calls, a field, an exception, a Signal and a stream.
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

#include <remoteobj/grpc.hpp>

#include "catalog.hpp"

int main() {
    int ports[2], stop[2];
    if (::pipe(ports) != 0 || ::pipe(stop) != 0) return 1;
    Catalog catalog;
    // Forked before this process uses gRPC: a child of a process whose gRPC
    // threads run may not use gRPC itself.
    auto server = remoteobj::process(remoteobj::process_options{.name = "catalog server"}, [&] {
        ::close(stop[1]);  // so that the parent's close is the end of the pipe
        // Port 0: any free one. On a network: "0.0.0.0:7000" with .tls = {chain, key}.
        auto served = remoteobj::grpc::serve(catalog, "127.0.0.1:0", {.token = "let me in"});
        const int port = served.port();
        if (::write(ports[1], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) return;
        char end;
        [[maybe_unused]] const auto got = ::read(stop[0], &end, 1);  // until the parent is done
    });
    int port = 0;
    if (::read(ports[0], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) return 1;

    {
        auto remote = remoteobj::grpc::connect<Catalog>("127.0.0.1:" + std::to_string(port), {.token = "let me in"});

        std::mutex mutex;
        std::condition_variable changed;
        int heard = 0;
        auto sub = remote->added.subscribe([&](const std::string& title) {
            std::printf("added: %s\n", title.c_str());
            std::lock_guard lock(mutex);
            ++heard;
            changed.notify_all();
        });

        for (const char* title : {"Dune", "Dubliners", "Emma"}) remote->add(title);
        std::printf("%zu titles\n", remote->titles.get().size());
        try {
            remote->add("");
        } catch (const std::invalid_argument& e) {
            std::printf("refused: %s\n", e.what());
        }
        for (const std::string& title : remote->starting_with("Du")) std::printf("starts with Du: %s\n", title.c_str());

        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return heard == 3; });  // emissions may come after the calls' replies
    }
    ::close(stop[1]);
    server.join();
    return 0;
}

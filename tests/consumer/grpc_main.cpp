// tests/consumer: remoteobj::grpc from a user's project, under the consumer's strict
// warnings. A child serves a Ledger on loopback (forked before this process uses
// gRPC), and this process calls it through the same generated proxy.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include <remoteobj/grpc.hpp>

#include "ledger.hpp"

namespace {

int fail(const char* what) {
    std::fprintf(stderr, "consumer_grpc: %s\n", what);
    return 1;
}

}  // namespace

int main() {
    int ports[2], stop[2];
    if (::pipe(ports) != 0 || ::pipe(stop) != 0) return fail("pipe");
    Ledger ledger;
    auto server = remoteobj::process(remoteobj::process_options{.name = "ledger server"}, [&] {
        ::close(stop[1]);  // so that the parent's close is the end of the pipe
        auto served = remoteobj::grpc::serve(ledger, "127.0.0.1:0", {.token = "consumer"});
        const int port = served.port();
        if (::write(ports[1], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) return;
        char end;
        [[maybe_unused]] const auto got = ::read(stop[0], &end, 1);  // until the parent closes it
    });
    ::close(stop[0]);
    int port = 0;
    if (::read(ports[0], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) return fail("no port");
    {
        auto books = remoteobj::grpc::connect<Ledger>("127.0.0.1:" + std::to_string(port), {.token = "consumer"});
        books->add(5);
        books->owner = std::string("grpc");
        if (books->add(7) != 12 || books->total.get() != 12 || books->owner.get() != "grpc")
            return fail("wrong values");
        try {
            books->add(-1);
            return fail("no exception");
        } catch (const std::invalid_argument&) {
        }
        try {
            remoteobj::grpc::connect<Ledger>("127.0.0.1:" + std::to_string(port), {.token = "wrong"});
            return fail("a wrong token was let in");
        } catch (const remoteobj::AccessDenied&) {
        }
    }
    ::close(stop[1]);
    server.join();
    std::puts("consumer_grpc: all ok");
    return 0;
}

// remoteobj_independent: the sync-call target measured apart from remoteobj_bench,
// so that nothing the bench shares between its baseline and its cases (one child
// that both echoes raw frames and listens) can hide a cost.
//
// Each sample is a fresh pair of processes doing one thing only:
//   - baseline: a plain fork()ed child echoing 64-byte frames over two blocking
//     pipes, no library in it at all;
//   - pipe link: the maker calls `obj.remote->add(i, 1)` on a child that does
//     nothing but `obj.remote.listen()`;
//   - other process: the same, called by a second child of the maker (its own
//     connection to the listening session), the maker idle;
//   - shared memory: the maker calls over a `remoteobj::shared_memory` link.
// Samples of the four alternate, in three placements: every process on one CPU
// ("one"), the caller on one CPU and the listener (or echoing child) on another
// ("pinned"), and the scheduler's choice ("free"). It prints the medians and their
// ratios to the baseline; the exit status is 0 whatever they are (timings are
// never asserted).
//
//     remoteobj_independent [--samples N] [--calls N] [--only raw|maker|other|shared]
#include "ping_object.hpp"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace {

using Clock = std::chrono::steady_clock;

enum class Placement { one, pinned, free };

const char* name_of(Placement placement) {
    switch (placement) {
        case Placement::one: return "one";
        case Placement::pinned: return "pinned";
        case Placement::free: return "free";
    }
    return "?";
}

void pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (::sched_setaffinity(0, sizeof set, &set) != 0) std::perror("sched_setaffinity");
}

// Where the serving side (the echoing child, the listener) goes: beside the caller
// on CPU 0, on CPU 1, or wherever it was (the caller pinned itself before forking).
void place_server(Placement placement) {
    if (placement == Placement::pinned) pin_to(1);
}

void must(bool ok, const char* what) {
    if (!ok) {
        std::perror(what);
        std::exit(1);
    }
}

// Microseconds per round trip of `calls` raw 64-byte ping-pongs with a child that
// only echoes.
double raw_pipe_us(int calls, Placement placement) {
    int to_child[2], to_parent[2];
    must(::pipe(to_child) == 0 && ::pipe(to_parent) == 0, "pipe");
    const pid_t child = ::fork();
    must(child >= 0, "fork");
    char frame[64] = {};
    if (child == 0) {
        place_server(placement);
        // Only its own ends stay open: the parent's closing them is its end-of-file.
        ::close(to_child[1]);
        ::close(to_parent[0]);
        for (;;) {
            if (::read(to_child[0], frame, sizeof frame) != sizeof frame) ::_exit(0);
            if (::write(to_parent[1], frame, sizeof frame) != sizeof frame) ::_exit(1);
        }
    }
    ::close(to_child[0]);
    ::close(to_parent[1]);
    const auto start = Clock::now();
    for (int i = 0; i < calls; ++i) {
        must(::write(to_child[1], frame, sizeof frame) == sizeof frame, "write");
        must(::read(to_parent[0], frame, sizeof frame) == sizeof frame, "read");
    }
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / calls;
    ::close(to_child[1]);
    ::close(to_parent[0]);
    ::waitpid(child, nullptr, 0);
    return us;
}

// Microseconds per `obj.remote->add(i, 1)` over a link whose listener does nothing
// else: called by the maker, or (`from_other`) by another child of the maker.
double link_call_us(int calls, bool from_other, Placement placement, remoteobj::link_options options = {}) {
    PingObject obj(options);
    auto server = remoteobj::process(remoteobj::process_options{.name = "listener"}, [&] {
        place_server(placement);
        auto listening = obj.remote.listen();
        listening.wait();  // until the maker's death or the kill below
    });
    obj.remote.wait_until_listening(server);
    auto timed = [&obj, calls] {
        long sink = 0;
        (void)obj.remote->add(0, 1);  // connected and warm before the clock starts
        const auto start = Clock::now();
        for (int i = 0; i < calls; ++i) sink += obj.remote->add(i, 1);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / calls;
        return sink > 0 ? us : -1.0;
    };
    const double us = from_other ? remoteobj::process(timed).join() : timed();
    server.kill();
    try {
        server.join();
    } catch (const remoteobj::ProcessDied&) {
        // killed, as asked
    }
    return us;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int samples = 15, calls = 20000;
    std::string_view only;  // one case alone (to trace or profile it), baseline included
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (flag == "--samples") samples = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--calls") calls = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--only") only = argv[i + 1];
    }
    auto runs = [only](std::string_view name) { return only.empty() || only == name; };
    std::printf("%-6s %-34s %10s %8s\n", "where", "case (fresh processes per sample)", "median us", "ratio");
    cpu_set_t all;
    ::sched_getaffinity(0, sizeof all, &all);
    for (const Placement placement : {Placement::one, Placement::pinned, Placement::free}) {
        if (placement == Placement::pinned && !(CPU_ISSET(0, &all) && CPU_ISSET(1, &all))) continue;
        // The caller is pinned before any fork: every process of the samples inherits
        // it, and a "pinned" server moves itself to CPU 1.
        if (placement != Placement::free) pin_to(0);
        std::vector<double> raw, maker, other, shared;
        for (int s = 0; s < samples; ++s) {
            raw.push_back(raw_pipe_us(calls, placement));  // every row's baseline, --only or not
            if (runs("maker")) maker.push_back(link_call_us(calls, false, placement));
            if (runs("other")) other.push_back(link_call_us(calls, true, placement));
            if (runs("shared")) shared.push_back(link_call_us(calls, false, placement, remoteobj::shared_memory));
        }
        ::sched_setaffinity(0, sizeof all, &all);
        const char* where = name_of(placement);
        const double base = median(raw);
        auto row = [&](const char* what, const std::vector<double>& us) {
            if (us.empty()) return;
            std::printf("%-6s %-34s %10.2f %7.2fx\n", where, what, median(us), median(us) / base);
        };
        row("raw pipe ping-pong 64 B", raw);
        row("pipe link, the maker calls", maker);
        row("link, another process calls", other);
        row("shared memory, the maker calls", shared);
    }
    return 0;
}

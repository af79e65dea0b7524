// What idle connections cost the calls of a busy one (attack round 3, item 4):
// a listener at a named endpoint, one caller making calls while 0, 500 or 2,000
// other connections sit idle, the three interleaved rep by rep. A listener that
// scans every connection each round makes the calls slower with each idle one;
// one that is told what is ready (epoll) does not.
//
//     remoteobj_idle_connections [--reps 5] [--calls 2000]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

#include "ping_object.hpp"

namespace {

double per_call_us(remoteobj::Connection<PingObject>& busy, int calls) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) (void)busy->add(i, 1);
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / calls;
}

}  // namespace

int main(int argc, char** argv) {
    int reps = 5, calls = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--reps") reps = std::atoi(argv[i + 1]);
        else if (arg == "--calls") calls = std::atoi(argv[i + 1]);
    }
    const std::string address = "unix:@remoteobj-idle-bench-" + std::to_string(::getpid());
    // The listener in a child of its own, as a daemon's would be.
    int ready[2];
    if (::pipe(ready) != 0) return 1;
    auto listener = remoteobj::process([&] {
        PingObject obj;
        auto listening = obj.remote.listen_at(address, {.max_connections = 4096});
        char c = 1;
        if (::write(ready[1], &c, 1) != 1) return 1;
        ::pause();
        return 0;
    });
    char c;
    if (::read(ready[0], &c, 1) != 1) return 1;
    const std::vector<int> idle_counts = {0, 500, 2000};
    std::vector<std::vector<double>> samples(idle_counts.size());
    auto busy = remoteobj::connect<PingObject>(address);
    for (int rep = 0; rep < reps; ++rep) {
        for (std::size_t k = 0; k < idle_counts.size(); ++k) {
            std::vector<remoteobj::Connection<PingObject>> idle;
            for (int i = 0; i < idle_counts[k]; ++i) idle.push_back(remoteobj::connect<PingObject>(address));
            samples[k].push_back(per_call_us(busy, calls));
        }
    }
    std::printf("idle connections | sync call, us (median of %d reps of %d calls) | vs none\n", reps, calls);
    std::vector<double> medians;
    for (auto& s : samples) {
        std::sort(s.begin(), s.end());
        medians.push_back(s[s.size() / 2]);
    }
    for (std::size_t k = 0; k < idle_counts.size(); ++k)
        std::printf("%16d | %8.2f | %.2fx\n", idle_counts[k], medians[k], medians[k] / medians[0]);
    listener.kill();
    try {
        listener.join();
    } catch (const remoteobj::ProcessDied&) {
        // Killed, as asked.
    }
    return 0;
}

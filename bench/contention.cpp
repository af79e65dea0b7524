// Shared-memory calls while other processes keep every CPU busy (attack round 3,
// item 11): the mean and the tail of sync calls over a shared-memory channel,
// with and without `--load N` processes that only burn CPU. Spinning that does not
// pay (the peer cannot run) makes the mean explode; the mean is what a user's
// 100,000 calls take.
//
//     remoteobj_contention [--load 2] [--calls 100000]
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

#include "cpu_load.hpp"
#include "ping_object.hpp"

int main(int argc, char** argv) {
    int load = 2, calls = 100000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--load") load = std::atoi(argv[i + 1]);
        else if (arg == "--calls") calls = std::atoi(argv[i + 1]);
    }
    remoteobj::Channel<PingObject> channel{remoteobj::shared_memory};
    int done[2];
    if (::pipe(done) != 0) return 1;
    auto server = remoteobj::process([&] {
        PingObject obj;
        auto listening = channel.listen(obj);
        char c;
        return static_cast<int>(::read(done[0], &c, 1));
    });
    channel.wait_until_listening(server);
    remoteobj::Proxy<PingObject> ping(channel);
    std::optional<CpuLoad> load_now(std::in_place, load);
    std::vector<double> each;
    each.reserve(static_cast<std::size_t>(calls));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) {
        const auto before = std::chrono::steady_clock::now();
        (void)ping.add(i, 1);
        each.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - before).count());
    }
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    load_now.reset();
    if (::write(done[1], "x", 1) != 1) return 1;
    server.join();
    std::sort(each.begin(), each.end());
    std::printf("shared memory, %d busy processes: %d calls in %.2f s: mean %.2f us, median %.2f us, p99 %.2f us\n", load,
                calls, total, total * 1e6 / calls, each[each.size() / 2], each[each.size() * 99 / 100]);
    return 0;
}

// examples/workers: the object listens in the parent, and worker processes call
// it (Python remoteobj's usual pattern). Each worker gets a connection of its own
// on its first call, so their replies never cross.
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "tally.hpp"

int main() {
    Tally tally;
    const std::vector<std::string> words = {"apple", "pear", "plum"};
    std::vector<remoteobj::Process<int>> workers;
    for (int w = 0; w < 4; ++w)
        workers.push_back(remoteobj::process([&tally, &words, w] {
            while (!tally.remote.listening()) std::this_thread::yield();  // until the parent listens
            // In the worker: the same proxy, and the object is the parent's.
            int mine = 0;
            for (int i = 0; i < 100; ++i) mine += tally.remote->add(words[(w + i) % words.size()]) > 0;
            return mine;
        }));
    // Listening starts once every worker is forked: a fork() while another thread
    // allocates is unsafe under some allocators (ASan's, see docs/limitations.md).
    auto listening = tally.remote.listen();  // a thread of this process serves the workers
    int added = 0;
    for (auto& worker : workers) added += worker.join();

    // The parent owns the object: it reads it directly, under the lock requests take.
    std::lock_guard lock(tally.remote.mutex());
    for (const auto& [word, count] : tally.counts) fmt::print("{}: {}\n", word, count);
    fmt::print("total {} from 4 workers that each added 100 ({} acknowledged)\n", tally.total(), added);
    return tally.total() == 400 && added == 400 ? 0 : 1;
}

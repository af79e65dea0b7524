// examples/progress: a worker reports its progress to the parent, which draws a
// progress bar as the emissions arrive.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

#include <fmt/format.h>

#include "job.hpp"

int main() {
    PrimeJob job;
    auto worker = remoteobj::serve(job);

    std::mutex mutex;
    std::condition_variable finished;
    int last = -1;
    bool done = false;
    // Callbacks run on this process's event thread, in the order of emission.
    auto sub = job.remote->progress.subscribe([&](int percent, const std::string& what) {
        std::lock_guard lock(mutex);
        if (percent < last) fmt::print(stderr, "error: progress went back from {} to {}\n", last, percent);
        last = percent;
        fmt::print("[{:<10}] {:3}% {}\n", std::string(static_cast<std::size_t>(percent / 10), '#'), percent, what);
        if (percent == 100) {
            done = true;
            finished.notify_all();
        }
    });

    const int primes = job.remote->count_primes(200000);
    fmt::print("{} primes below 200000\n", primes);

    // The call has returned; its last emissions may still be on their way.
    std::unique_lock lock(mutex);
    finished.wait(lock, [&] { return done; });
    if (primes != 17984 || last != 100) {
        fmt::print(stderr, "error: {} primes, progress ended at {}\n", primes, last);
        return 1;
    }
    return 0;
}

// A job that runs in a worker process and reports how far it got.
#pragma once

#include <string>

#include <remoteobj/remoteobj.hpp>

/// Counts the primes below a bound, reporting its progress as it goes.
class REMOTEOBJ PrimeJob {
public:
    remoteobj::Remote<PrimeJob> remote{*this};

    /// Percent done, and what it is doing: emitted by the worker, received by
    /// every process that subscribed.
    remoteobj::Signal<int, std::string> progress;

    /// Counts the primes below `bound`, emitting `progress` every 10%.
    int count_primes(int bound) {
        progress(0, "starting");
        int found = 0;
        for (int n = 2; n < bound; ++n) {
            bool prime = true;
            for (int d = 2; d * d <= n && prime; ++d) prime = n % d != 0;
            found += prime;
            const int before = static_cast<int>(100L * (n - 1) / bound) / 10;
            const int now = static_cast<int>(100L * n / bound) / 10;
            if (now != before) progress(now * 10, "sieving");
        }
        progress(100, "done");
        return found;
    }
};

#include "job.remote.hpp"

// Versioned as it was: the header exec_worker_old is built from. tests/exec/new/
// holds the header as it is now; the two builds must disagree on add().
#pragma once

#include <string>

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Versioned {
public:
    int total = 0;
    std::string label = "versioned";

    /// Adds `amount`; returns the new total.
    int add(int amount) {
        total += amount;
        return total;
    }
};

#include "versioned.remote.hpp"

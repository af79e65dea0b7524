// Versioned as it is now: the header exec_worker_new and exec_tests are built
// from. Against tests/exec/old/, add() takes a wider parameter and greet() is new:
// two members the old build does not have (their ids differ), the fields the same.
#pragma once

#include <cstdint>
#include <string>

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Versioned {
public:
    int total = 0;
    std::string label = "versioned";

    /// Adds `amount`; returns the new total.
    std::int64_t add(std::int64_t amount) {
        total += static_cast<int>(amount);
        return total;
    }
    /// "hello <who> from <label>".
    std::string greet(const std::string& who) const { return "hello " + who + " from " + label; }
};

#include "versioned.remote.hpp"

// A tally the parent keeps while worker processes add to it.
#pragma once

#include <map>
#include <string>

#include <remoteobj/remoteobj.hpp>

/// Word counts, kept by the process that listens.
class REMOTEOBJ Tally {
public:
    /// Every process forked after it is made may call it.
    remoteobj::Remote<Tally> remote{*this};

    /// How often each word was added.
    std::map<std::string, int> counts;

    /// Adds one to `word`'s count; returns the new count.
    int add(const std::string& word) { return ++counts[word]; }

    /// How many words were added in all.
    int total() const {
        int sum = 0;
        for (const auto& entry : counts) sum += entry.second;
        return sum;
    }
};

#include "tally.remote.hpp"

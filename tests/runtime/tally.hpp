// A REMOTEOBJ class with no Remote member: reached through a Channel<Tally> and
// a standalone Proxy<Tally>. Also a class with operator[], contains, erase and size,
// and one that passes a struct declared in another header by value.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

#include "nested.hpp"  // Spot: a REMOTEOBJ struct of another header, passed by value

class REMOTEOBJ Tally {
public:
    std::vector<int> seen;
    std::string label = "tally";
    std::vector<Spot> marks;

    /// Keeps `spot`; returns the one kept before it, or a default Spot.
    Spot mark(const Spot& spot) {
        Spot before = marks.empty() ? Spot{} : marks.back();
        marks.push_back(spot);
        return before;
    }

    /// Records `value`; returns how many values have been seen.
    int add(int value) {
        seen.push_back(value);
        return static_cast<int>(seen.size());
    }
    int& operator[](std::size_t index) { return seen.at(index); }
    bool contains(int value) const { return std::find(seen.begin(), seen.end(), value) != seen.end(); }
    /// Removes every `value`; returns how many were removed.
    std::size_t erase(int value) { return std::erase(seen, value); }
    std::size_t size() const { return seen.size(); }
    /// Throws when nothing has been seen yet.
    int last() const {
        if (seen.empty()) throw std::out_of_range("Tally::last: nothing seen yet");
        return seen.back();
    }
};

/// A class whose Remote member makes a shared-memory link (DESIGN.md §5's form).
class REMOTEOBJ RingCounter {
public:
    remoteobj::Remote<RingCounter> remote{*this, remoteobj::shared_memory};
    int count = 0;
    int add(int a, int b) { return a + b; }
    std::size_t length(const std::string& text) const { return text.size(); }
};

#include "tally.remote.hpp"

// The seed's "Basic Usage" object: a list with a couple of attributes.
#pragma once

#include <cstddef>
#include <vector>

#include <remoteobj/remoteobj.hpp>

/// A list of ints (it is a std::vector<int>) with two attributes.
class REMOTEOBJ Idk : public std::vector<int> {
public:
    remoteobj::Remote<Idk> remote{*this};

    int something = 5;
    std::vector<int> another;

    /// Python's list.append.
    void append(int value) { push_back(value); }
    /// Element access, bounds-checked: an index past the end throws std::out_of_range.
    int& operator[](std::size_t index) { return at(index); }
    std::size_t size() const { return std::vector<int>::size(); }
};

#include "idk.remote.hpp"

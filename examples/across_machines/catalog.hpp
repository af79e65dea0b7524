// A catalog served across machines with remoteobj::grpc: the same annotated class
// as for a local process, nothing gRPC-specific in it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Catalog {
public:
    /// Told each title as it is added.
    remoteobj::Signal<std::string> added;

    std::vector<std::string> titles;

    /// Adds a title; an empty one throws std::invalid_argument.
    int add(const std::string& title) {
        if (title.empty()) throw std::invalid_argument("a title cannot be empty");
        titles.push_back(title);
        added(title);
        return static_cast<int>(titles.size());
    }

    /// The titles that start with `prefix`, one at a time.
    remoteobj::generator<std::string> starting_with(std::string prefix) {
        for (const std::string& title : titles)
            if (title.starts_with(prefix)) co_yield title;
    }
};

#include "catalog.remote.hpp"

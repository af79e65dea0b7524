// A catalog in another process whose search streams its matches back.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

/// Book titles, searched where they are kept.
class REMOTEOBJ Catalog {
public:
    remoteobj::Remote<Catalog> remote{*this};

    std::vector<std::string> titles;
    /// How many titles searches have looked at, in all.
    long examined = 0;

    /// Each title containing `word`, as it is found: the caller gets the first
    /// match while the search goes on.
    remoteobj::generator<std::string> search(std::string word) {
        for (const std::string& title : titles) {
            ++examined;
            if (title.find(word) != std::string::npos) co_yield title;
        }
    }

    /// 0, 1, 1, 2, 3, 5, ...: for the caller to stop when it likes. The listener runs ahead of
    /// the caller by its credit, so the sequence ends where `long` would overflow rather than
    /// counting on the caller to stop first.
    remoteobj::generator<long> fibonacci() {
        long a = 0, b = 1;
        for (;;) {
            co_yield a;
            if (b > std::numeric_limits<long>::max() - a) co_return;
            const long next = a + b;
            a = b;
            b = next;
        }
    }
};

#include "catalog.remote.hpp"

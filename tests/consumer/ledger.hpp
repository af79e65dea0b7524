// tests/consumer: the annotated class of a project that uses remoteobj from outside.
// The doc comments are part of the test: the generated stubs must carry them to IDEs.
#pragma once

#include <atomic>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

/// A running total kept by another process.
class REMOTEOBJ Ledger {
public:
    /// The link both processes share after fork().
    remoteobj::Remote<Ledger> remote{*this};

    /// The sum of every amount added so far.
    int total = 0;
    /// Who keeps the books.
    std::string owner = "nobody";
    /// Every amount added, in order.
    std::vector<int> entries;
    /// What each owner added (the same map type as Inventory::stock, in another header).
    std::map<std::string, int> by_owner;

    /// Adds an amount and returns the new total; a negative amount throws std::invalid_argument.
    int add(int amount) {
        if (amount < 0) throw std::invalid_argument("a ledger only adds");
        entries.push_back(amount);
        return total += amount;
    }

    /// Runs in the child: serves requests until close() is called.
    void serve_until_closed() {
        auto listening = remote.listen();
        closed.wait(false);
    }

    /// Ends serve_until_closed().
    void close() {
        closed = true;
        closed.notify_all();
    }

private:
    std::atomic<bool> closed{false};
};

#include "ledger.remote.hpp"

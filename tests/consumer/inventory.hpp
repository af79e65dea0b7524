// tests/consumer: what a real header holds, built under the user's strict warnings
// (-Wall -Wextra -Wpedantic -Wshadow -Werror): a nested REMOTEOBJ field, a struct
// passed by value, maps, an enum, defaults, members named like the proxy's own
// words, a member that exists only in Debug builds, one that exists only when the
// target's compile options say so, and the same std::map type as ledger.hpp.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>
#ifdef CONSUMER_CXX23  // defined by the consumer's CMakeLists for a C++23 target
#include <expected>
#endif

#include <remoteobj/remoteobj.hpp>

/// Where an item is kept.
enum class Aisle { front, middle, back };

/// A REMOTEOBJ struct: travels by value as a table of its fields.
struct REMOTEOBJ Item {
    std::string name;
    int count = 0;
    Aisle aisle = Aisle::front;
};

/// A REMOTEOBJ object reached through a field of another one.
class REMOTEOBJ Shelf {
public:
    int capacity = 10;
    std::vector<Item> items;
    /// Puts an item on the shelf; returns how many the shelf holds now.
    int put(const Item& item, int times = 1) {
        for (int i = 0; i < times; ++i) items.push_back(item);
        return static_cast<int>(items.size());
    }
};

class REMOTEOBJ Inventory {
public:
    remoteobj::Remote<Inventory> remote{*this};

    Shelf shelf;
    /// The same type as Ledger::by_owner, in another header of the same target.
    std::map<std::string, int> stock{{"apple", 3}};
    std::map<int, std::vector<std::string>> by_aisle;
    std::optional<Item> featured;
    std::tuple<int, std::string> label{1, "one"};
    std::string name = "store";  // a field named like a proxy constructor's parameter
    int path = 0;                // ... and like what the proxy machinery once named
    int caller = 0;

#ifndef NDEBUG
    /// Only in builds without NDEBUG (Debug): the generator must see the same.
    int debug_calls = 0;
#endif
#ifdef CONSUMER_EXTRA
    /// Only when the target's compile options define CONSUMER_EXTRA.
    int extra = 7;
#endif
#ifdef CONSUMER_FROM_FLAGS
    /// Only when CMAKE_CXX_FLAGS defines CONSUMER_FROM_FLAGS (tests/package does).
    int from_flags = 9;
#endif
#ifdef CONSUMER_CXX23
    /// Hidden, and only in C++23: the generator must parse with the target's standard.
    REMOTEOBJ_HIDE std::expected<int, std::string> last_error() const { return 0; }
#endif

    /// Adds `amount` of `what`, 1 by default; returns the new stock.
    int add(const std::string& what, int amount = 1) { return stock[what] += amount; }
    Aisle aisle_of(const Item& item) const { return item.aisle; }
    Item make(std::string item_name, Aisle where = Aisle::back) const { return {std::move(item_name), 1, where}; }
    /// Runs in the child: serves requests until close() is called.
    void serve_until_closed() {
        auto listening = remote.listen();
        closed_.wait(false);
    }
    void close() {
        closed_ = true;
        closed_.notify_all();
    }

private:
    std::atomic<bool> closed_{false};
};

#include "inventory.remote.hpp"

// A class of another target (the consumer_catalog library) that uses the same standard
// type as ledger.hpp and inventory.hpp of the consumer target: one program, two targets,
// one definition of the type's codec.
#pragma once

#include <atomic>
#include <map>
#include <string>

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Catalog {
public:
    remoteobj::Remote<Catalog> remote{*this};
    /// The same map type as Ledger::by_owner and Inventory::stock.
    std::map<std::string, int> prices{{"tea", 4}};

    int price(const std::string& item) const;
    /// Serves until the maker closes it (a child's only job).
    void serve_until_closed();
    void close();

private:
    std::atomic<bool> closed_{false};
};

#include "catalog.remote.hpp"

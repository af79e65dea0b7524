// A second annotated header using the vendor's plain aggregates that shelf.hpp
// uses: linked into one program with it, each aggregate has one codec and one
// table (remoteobj_types/), not one per header.
#pragma once

#include <vector>

#include <remoteobj/remoteobj.hpp>

#include "vendor.hpp"

class REMOTEOBJ Ledger {
public:
    remoteobj::Remote<Ledger> remote{*this};
    vendor::ReadOptions options;
    std::vector<vendor::Box> boxes;

    int tier_of(const vendor::ReadOptions& o) { return o.tier; }
    vendor::Box grow(vendor::Box b, int by) {
        b.width += by;
        b.height += by;
        return b;
    }
};

#include "ledger.remote.hpp"

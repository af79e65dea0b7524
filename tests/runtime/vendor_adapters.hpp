// How the vendor's non-aggregate types cross: one remoteobj::adapter each, to a
// type that crosses. Included by the annotated headers that use them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <remoteobj/adapter.hpp>

#include "vendor.hpp"

/// A Slice crosses as the bytes it views; the one received refers into the
/// received string, which lives until the member returns.
template <>
struct remoteobj::adapter<vendor::Slice> {
    using wire = std::string;
    static wire to_wire(const vendor::Slice& s) { return s.ToString(); }
    static vendor::Slice from_wire(const wire& w) { return vendor::Slice(w); }
};

/// A Status crosses as its code and message.
template <>
struct remoteobj::adapter<vendor::Status> {
    using wire = std::pair<int, std::string>;
    static wire to_wire(const vendor::Status& s) { return {s.code(), s.message()}; }
    static vendor::Status from_wire(const wire& w) { return vendor::Status::Restored(w.first, w.second); }
};

/// Millis cross as their count.
template <>
struct remoteobj::adapter<vendor::Millis> {
    using wire = std::int64_t;
    static wire to_wire(const vendor::Millis& m) { return m.count(); }
    static vendor::Millis from_wire(wire w) { return vendor::Millis(w); }
};

/// Ids cross as their vector.
template <>
struct remoteobj::adapter<vendor::Ids> {
    using wire = std::vector<int>;
    static wire to_wire(const vendor::Ids& i) { return i.ids(); }
    static vendor::Ids from_wire(const wire& w) { return vendor::Ids(w); }
};

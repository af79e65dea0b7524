// How redis-plus-plus's own small types cross processes: the user's code, not the
// library's. Included at the end of redis.hpp, so that the generator finds it.
#pragma once

#include <optional>
#include <string>

#include <remoteobj/adapter.hpp>

#include "redis.hpp"

/// A StringView crosses as the bytes it views; the one a member receives refers
/// into the received string, which lives until the member returns.
template <>
struct remoteobj::adapter<sw::redis::StringView> {
    using wire = std::string;
    static wire to_wire(const sw::redis::StringView& s) { return std::string(s.data(), s.size()); }
    static sw::redis::StringView from_wire(const wire& w) { return sw::redis::StringView(w); }
};

/// redis-plus-plus's C++11 Optional<std::string> (OptionalString) crosses as a
/// std::optional<std::string>: null, or the string (an owning value, as a result needs).
template <>
struct remoteobj::adapter<sw::redis::OptionalString> {
    using wire = std::optional<std::string>;
    static wire to_wire(const sw::redis::OptionalString& o) { return o ? wire(o.value()) : std::nullopt; }
    static sw::redis::OptionalString from_wire(const wire& w) {
        return w ? sw::redis::OptionalString(*w) : sw::redis::OptionalString();
    }
};

// Evolving as it is now, against v1/evolving.hpp: a field declared before the old
// ones, a defaulted trailing parameter on add(), a new method and a new signal, a
// field appended to the by-value Settings, a new enumerator (all compatible), and
// scale() with a wider parameter (not compatible: another member on the wire).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <remoteobj/remoteobj.hpp>

/// Passed and returned by value: its fields travel by position, new ones last.
struct Settings {
    int width = 1;
    std::string label = "v2";
    bool bold = true;  // new: an older peer's Settings reads as bold
};

enum class Mode : std::uint8_t { slow, fast, turbo };

class REMOTEOBJ Evolving {
public:
    remoteobj::Remote<Evolving> remote{*this};
    std::string motto = "new";     // new, and declared before the old fields
    remoteobj::Signal<int> grown;  // new: emitted with the total add() reached
    int total = 0;
    std::string name = "evolving";

    /// Adds `amount` `times` times; returns the new total.
    int add(int amount, int times = 1) {
        total += amount * times;
        grown(total);
        return total;
    }
    /// total * factor, for a factor wider than v1's.
    int scale(std::int64_t factor) const { return static_cast<int>(total * factor); }
    /// New: back to zero; returns what the total was.
    int reset() { return std::exchange(total, 0); }
    /// The settings this build makes by default.
    Settings settings() const { return {}; }
    /// "<width> <label>[ bold]", as this build reads a caller's settings.
    std::string describe(const Settings& s) const {
        return std::to_string(s.width) + " " + s.label + (s.bold ? " bold" : "");
    }
    /// The mode after `m` (the last one stays).
    Mode next_mode(Mode m) const { return m == Mode::slow ? Mode::fast : Mode::turbo; }
};

#include "evolving.remote.hpp"

// Evolving as it was: the header evolve_server_v1 and evolve_v1_tests are built
// from. v2/evolving.hpp is the same class, changed as docs/changing-an-interface.md
// allows (and in one method as it does not): the two builds must keep talking.
#pragma once

#include <cstdint>
#include <string>

#include <remoteobj/remoteobj.hpp>

/// Passed and returned by value: its fields travel by position.
struct Settings {
    int width = 1;
    std::string label = "v1";
};

enum class Mode : std::uint8_t { slow, fast };

class REMOTEOBJ Evolving {
public:
    remoteobj::Remote<Evolving> remote{*this};
    int total = 0;
    std::string name = "evolving";

    /// Adds `amount`; returns the new total.
    int add(int amount) {
        total += amount;
        return total;
    }
    /// total * factor; v2 takes a wider factor (another member on the wire).
    int scale(int factor) const { return total * factor; }
    /// The settings this build makes by default.
    Settings settings() const { return {}; }
    /// "<width> <label>", as this build reads a caller's settings.
    std::string describe(const Settings& s) const { return std::to_string(s.width) + " " + s.label; }
    /// The mode after `m` (the last one stays).
    Mode next_mode(Mode m) const { return m == Mode::slow ? Mode::fast : m; }
};

#include "evolving.remote.hpp"

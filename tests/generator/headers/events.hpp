// Signals and streaming methods: members that send values to the caller as the
// object makes them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <remoteobj/annotate.hpp>
#include <remoteobj/generator.hpp>

#include "stand_ins.hpp"  // remoteobj::Signal

namespace app {

enum class Phase { reading, writing };

/// A value passed by value.
struct REMOTEOBJ Point {
    int x = 0;
    int y = 0;
};

/// A job that reports as it goes.
class REMOTEOBJ Job {
public:
    int done = 0;
    /// Progress in percent, and what it is doing.
    remoteobj::Signal<int, std::string> progress;
    const remoteobj::Signal<> finished;
    remoteobj::Signal<Phase, std::map<std::string, int>, std::optional<int>, std::tuple<int, Point>> detail;

    /// The numbers below n, as they are found.
    remoteobj::generator<int> scan(int n, int step = 1);
    virtual remoteobj::generator<Point> points() const;
    remoteobj::generator<std::vector<std::string>> pages();
};

}  // namespace app

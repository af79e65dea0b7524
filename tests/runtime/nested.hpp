// Values nested in each other: containers of containers, optionals of containers
// and structs, containers inside pairs, tuples and variants.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include <remoteobj/remoteobj.hpp>

/// A REMOTEOBJ struct used by value inside containers.
struct REMOTEOBJ Spot {
    int x = 0;
    std::string name;
};
inline bool operator==(const Spot& a, const Spot& b) { return a.x == b.x && a.name == b.name; }

class REMOTEOBJ Nest {
public:
    remoteobj::Remote<Nest> remote{*this};

    std::vector<std::vector<int>> grid{{1, 2}, {3}};
    std::map<std::string, std::vector<std::string>> groups{{"a", {"x", "y"}}};
    std::vector<std::optional<int>> sparse{1, std::nullopt, 3};
    std::optional<std::vector<int>> maybe_list;
    std::optional<Spot> maybe_spot;
    std::vector<std::map<std::string, long>> layers{{{"k", 1}}};
    std::tuple<int, std::vector<std::string>> labelled{7, {"seven"}};
    std::variant<int, std::vector<int>> either{std::vector<int>{4, 5}};
    std::pair<std::string, std::map<std::string, long>> named_table{"t", {{"one", 1}}};
    std::vector<Spot> spots{{1, "one"}};
    std::vector<std::vector<Spot>> spot_rows{{{2, "two"}}, {}};
    std::vector<std::tuple<int, std::string>> rows{{1, "a"}};
    std::set<std::vector<int>> unique_lists{{1}, {1, 2}};
    std::array<std::array<int, 2>, 2> square{{{1, 2}, {3, 4}}};
    std::vector<std::vector<std::vector<int>>> cube{{{1}}};

    std::vector<std::vector<int>> transpose(const std::vector<std::vector<int>>& m) const {
        std::vector<std::vector<int>> t;
        for (std::size_t r = 0; r < m.size(); ++r)
            for (std::size_t c = 0; c < m[r].size(); ++c) {
                if (t.size() <= c) t.resize(c + 1);
                t[c].push_back(m[r][c]);
            }
        return t;
    }
    /// Row `i` of the grid, or nothing past its end.
    std::optional<std::vector<int>> row(std::size_t i) const {
        if (i >= grid.size()) return std::nullopt;
        return grid[i];
    }
    std::map<std::string, std::vector<Spot>> by_name(const std::vector<Spot>& all) const {
        std::map<std::string, std::vector<Spot>> out;
        for (const Spot& s : all) out[s.name].push_back(s);
        return out;
    }
};

#include "nested.remote.hpp"

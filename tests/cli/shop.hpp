// The object the command-line tool's tests serve: the tool reaches it through its
// description alone (it is not built with this header).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

enum class Size : std::uint8_t { small = 1, large = 2 };

/// A place on a shelf: a plain aggregate, crossing by value without annotation.
struct Spot {
    int row = 0;
    std::string label;
};

/// A box's size: a REMOTEOBJ struct, crossing by value.
struct REMOTEOBJ Box {
    int width = 1;
    int height = 2;
};

/// A shop to look into from a shell.
class REMOTEOBJ Shop {
public:
    remoteobj::Remote<Shop> remote{*this};

    /// How many items are in stock.
    int stock = 5;
    /// The shop's name.
    std::string name = "corner";
    /// Prices of the day.
    std::vector<double> prices{1.5, 2.25};

    /// Adds two numbers; the second defaults to 10.
    int add(int a, int b = 10) { return a + b; }
    /// The word, `times` times.
    std::string repeat(const std::string& word, std::uint8_t times) const {
        std::string out;
        for (int i = 0; i < times; ++i) out += word;
        return out;
    }
    /// The words, in reverse order.
    std::vector<std::string> reversed(std::vector<std::string> words) const {
        return {words.rbegin(), words.rend()};
    }
    /// Whether both are set.
    bool both(bool a, bool b) const { return a && b; }
    /// The next size up.
    Size bigger(Size s) const { return s == Size::small ? Size::large : s; }
    /// The spot, `rows` rows further.
    Spot moved(Spot spot, int rows) const {
        spot.row += rows;
        return spot;
    }
    /// The box, twice as wide.
    Box wider(Box box) const {
        box.width *= 2;
        return box;
    }
    /// How many entries the map has (a type the command does not encode yet).
    int count(const std::map<std::string, int>& entries) const { return static_cast<int>(entries.size()); }
    /// Always refuses, with a std::invalid_argument.
    void refuse(const std::string& why) { throw std::invalid_argument("refused: " + why); }
};

#include "shop.remote.hpp"

// The object the listener fuzzer serves: a member of every kind of value, operation
// and path the wire can name, and nothing else.
//
// It must never have an effect that outlives one input or grows without bound:
// no sleeping, exiting, forking, listening or waiting; no allocation sized by an
// argument; no signed overflow or other undefined behaviour on any argument (sums
// wrap through unsigned). A finding is then the runtime's, never this class's.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <remoteobj/remoteobj.hpp>

namespace fuzz {

/// a + b, wrapping instead of overflowing.
inline int wrap_add(int a, int b) {
    return static_cast<int>(static_cast<unsigned>(a) + static_cast<unsigned>(b));
}

}  // namespace fuzz

enum class Shade : std::uint8_t { light, dark };
/// Unscoped, no fixed underlying type: only 0..3 are values of it in C++.
enum Mood { calm, busy, lost };

/// Thrown by FuzzObject; REMOTEOBJ, so its generated code registers it for rethrowing.
class REMOTEOBJ FuzzError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A value type: passed and returned by value, as a table of its fields.
struct REMOTEOBJ Spot {
    int x = 0;
    int y = 0;
    std::string tag;
};

/// Reached through paths: `r->leaf.value`, `r->leaf_at(1).twice()`.
class REMOTEOBJ FuzzLeaf {
public:
    int value = 1;
    std::vector<int> marks{1, 2};
    int twice() const { return fuzz::wrap_add(value, value); }
};

/// A base class: its members through the derived proxy, its own kind() through super<FuzzBase>().
class REMOTEOBJ FuzzBase {
public:
    virtual ~FuzzBase() = default;
    int base_count = 3;
    virtual std::string kind() const { return "base"; }
};

class REMOTEOBJ FuzzObject : public FuzzBase {
public:
    remoteobj::Remote<FuzzObject> remote{*this};

    // Scalars and strings.
    bool on = false;
    int number = 0;
    double ratio = 0.5;
    float small = 1.5f;
    std::int64_t big = 0;
    std::uint8_t tiny = 0;
    char letter = 'a';
    Shade shade = Shade::light;
    Mood mood = calm;
    std::atomic<int> hits{0};
    const int fixed = 7;
    std::chrono::milliseconds timeout{250};
    std::string label = "fuzz";

    // Composite values.
    std::pair<int, std::string> labelled{7, "seven"};
    std::tuple<int, double, std::string, Shade> record{1, 2.5, "three", Shade::dark};
    std::variant<int, std::string, Spot> either{std::string("text")};

    // Containers (element views, Append, Erase, ...).
    std::vector<int> items{1, 2, 3};
    std::vector<bool> flags{true};
    std::vector<std::string> words{"a", "b"};
    std::vector<Spot> spots{{1, 2, "one"}};
    std::vector<Mood> moods{busy};
    std::array<double, 3> triple{0.5, 1.5, 2.5};
    std::set<std::string> tags{"a"};
    std::map<std::string, int> table{{"one", 1}};
    std::unordered_map<int, std::string> names{{1, "one"}};
    std::optional<int> maybe;
    std::optional<std::string> nickname;
    std::vector<std::vector<int>> grid{{1, 2}, {3}};
    std::optional<std::vector<int>> maybe_list;
    std::map<std::string, std::vector<std::string>> groups{{"g", {"x"}}};

    // Nested objects and returned references.
    FuzzLeaf leaf;
    FuzzLeaf spare;
    FuzzLeaf& leaf_at(int index = 0) { return index == 0 ? leaf : spare; }
    std::vector<int>& items_ref() { return items; }
    const std::string& label_ref() const { return label; }
    /// Adds `by` to number and returns the object itself, for chaining.
    FuzzObject& chain(int by = 1) {
        number = fuzz::wrap_add(number, by);
        return *this;
    }

    // Methods: defaults, every kind of argument and result, failures.
    int add(int a, int b = 10) const { return fuzz::wrap_add(a, b); }
    std::string greet(const std::string& name, std::string_view punctuation = "!") const {
        return "hello " + name + std::string(punctuation);
    }
    int sum(const std::vector<int>& values) const {
        int total = 0;
        for (int v : values) total = fuzz::wrap_add(total, v);
        return total;
    }
    std::optional<int> find(const std::vector<int>& values, int wanted) const {
        for (std::size_t i = 0; i < values.size(); ++i)
            if (values[i] == wanted) return static_cast<int>(i);
        return std::nullopt;
    }
    std::map<std::string, int> counts(const std::vector<std::string>& list) const {
        std::map<std::string, int> out;
        for (const auto& w : list) out[w] = fuzz::wrap_add(out[w], 1);
        return out;
    }
    std::size_t keys(const std::unordered_map<int, int>& values) const { return values.size(); }
    Spot flip(const Spot& s) const { return {s.y, s.x, s.tag + "'"}; }
    std::vector<Spot> pair_of(const Spot& a, const Spot& b) const { return {a, b}; }
    std::pair<int, int> swap_pair(std::pair<int, int> p) const { return {p.second, p.first}; }
    std::variant<int, std::string> pick(bool number_wanted, const std::string& text) const {
        if (number_wanted) return static_cast<int>(text.size());
        return text;
    }
    std::set<std::string> tag_set() const { return tags; }
    std::chrono::microseconds halved(std::chrono::microseconds d) const { return d / 2; }
    Shade other(Shade s) const { return s == Shade::light ? Shade::dark : Shade::light; }
    Mood next_mood(Mood m) const { return m == lost ? calm : static_cast<Mood>(m + 1); }
    int bump() { return ++hits; }
    /// std::out_of_range past the end, as std::vector::at.
    int at(int index) const { return values_.at(static_cast<std::size_t>(index)); }
    void fail(const std::string& message) { throw std::invalid_argument(message); }
    void fail_oddly() { throw 42; }
    void fail_custom(const std::string& message) { throw FuzzError(message); }
    void fail_system(int code) { throw std::system_error(code, std::generic_category(), "fail_system"); }
    REMOTEOBJ_ONEWAY void note(int n) { notes = fuzz::wrap_add(notes, n); }
    int notes = 0;

    // What a class may offer for r[k], r.contains(x), r.erase(k), len(r).
    int& operator[](std::size_t index) { return items.at(index); }
    bool contains(int value) const {
        for (int v : items)
            if (v == value) return true;
        return false;
    }
    std::size_t erase(int value) { return std::erase(items, value); }
    std::size_t size() const { return items.size(); }

private:
    std::vector<int> values_{10, 20, 30};
};

/// Run by `r.passto<&weigh>(extra)` in the listening process.
inline int weigh(FuzzObject& object, int extra) { return fuzz::wrap_add(object.number, extra); }

#include "fuzz_object.remote.hpp"

// The annotated class the runtime tests talk to across processes.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>
#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <variant>
#include <tuple>

#include <remoteobj/remoteobj.hpp>

enum class Color : std::uint8_t { red, green, blue };
/// Unscoped, with no fixed underlying type: only 0 to 3 are values of it, and casting
/// anything else to it is undefined behaviour (what the listener fuzzer found).
enum Level { level_low, level_mid, level_high };

/// Thrown by Widget; REMOTEOBJ, so its generated code registers it for rethrowing.
class REMOTEOBJ WidgetError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A value type: passed and returned by value, as a table of its fields.
struct REMOTEOBJ Point {
    int x = 0;
    int y = 0;
    bool operator==(const Point&) const = default;
};

/// A struct of structs, by value.
struct REMOTEOBJ Segment {
    Point from;
    Point to;
    std::string label;
};

/// The innermost of the nested objects.
class REMOTEOBJ Leaf {
public:
    int value = 1;
    int twice() const { return value * 2; }
    int at(int index) const { return std::vector<int>{1, 2}.at(static_cast<std::size_t>(index)); }
};

/// Holds a Leaf: reached as `remote->branch.leaf`.
class REMOTEOBJ Branch {
public:
    Leaf leaf;
    Leaf spare;
    std::string name = "branch";
    /// Returns a reference to one of its leaves: remotely, that leaf's proxy.
    Leaf& leaf_at(int index = 0) { return index == 0 ? leaf : spare; }
    std::string describe() const { return name + ":" + std::to_string(leaf.value); }
};

class REMOTEOBJ Pong;
/// Ping and Pong name each other: a path may go back and forth between them
/// without end, which is what a listener must not follow without end.
class REMOTEOBJ Ping {
public:
    int hits = 0;
    Pong& pong();
};
class REMOTEOBJ Pong {
public:
    Ping ping_back;
    Ping& ping() {
        ++ping_back.hits;
        return ping_back;
    }
};
inline Pong& Ping::pong() {
    static Pong shared;
    return shared;
}

/// Widget's base class: its members are reached through Widget's proxy, and its
/// own implementations through super<Gadget>().
class REMOTEOBJ Gadget {
public:
    virtual ~Gadget() = default;
    int gadget_count = 3;
    virtual std::string kind() const { return "gadget"; }
    int plain() const { return 11; }
};

/// A bit of everything the proxy supports.
class REMOTEOBJ Widget : public Gadget {
public:
    remoteobj::Remote<Widget> remote{*this};

    int number = 0;
    double ratio = 0.5;
    std::int64_t big = 0;
    std::uint8_t tiny = 0;
    std::string label = "widget";
    Color color = Color::red;
    std::atomic<int> hits{0};
    const int fixed = 7;
    /// Tag of the thread that started serving (see thread_tag()).
    std::uint64_t main_tag = 0;

    Branch branch;
    Ping ping;
    int notes = 0;
    Branch& branch_ref() { return branch; }
    std::vector<int>& items_ref() { return items; }
    const std::string& label_ref() const { return label; }
    std::map<std::string, int>& table_ref() { return table; }

    std::pair<int, std::string> labelled{7, "seven"};
    std::tuple<int, double, std::string, Color> record{1, 2.5, "three", Color::green};
    std::variant<int, std::string, Point> either{std::string("text")};

    std::variant<int, std::string> parse(const std::string& text) const {
        if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) return std::stoi(text);
        return text;
    }
    std::pair<int, int> swap_pair(std::pair<int, int> p) const { return {p.second, p.first}; }
    std::map<std::string, int> counts(const std::vector<std::string>& words) const {
        std::map<std::string, int> out;
        for (const auto& w : words) ++out[w];
        return out;
    }
    int total(const std::unordered_map<int, int>& values) const {
        int sum = 0;
        for (const auto& [k, v] : values) sum += k * v;
        return sum;
    }

    Point mid(const Segment& s) const { return {(s.from.x + s.to.x) / 2, (s.from.y + s.to.y) / 2}; }
    Segment flip(const Segment& s) const { return {s.to, s.from, s.label + "'"}; }
    std::vector<Point> corners(int size) const { return {{0, 0}, {size, 0}, {size, size}, {0, size}}; }

    std::vector<int> items{1, 2, 3};
    std::array<double, 3> triple{0.5, 1.5, 2.5};
    std::set<std::string> tags{"a"};
    std::map<std::string, int> table{{"one", 1}};
    std::unordered_map<int, std::string> names{{1, "one"}};
    std::optional<int> maybe;
    std::optional<std::string> nickname;
    std::vector<Color> colors;
    std::vector<bool> flags;
    std::chrono::milliseconds timeout{250};

    std::chrono::microseconds doubled(std::chrono::microseconds d) const { return 2 * d; }

    int sum(const std::vector<int>& values) const {
        int total = 0;
        for (int v : values) total += v;
        return total;
    }
    std::vector<std::string> words(const std::string& text) const {
        std::vector<std::string> out;
        std::string word;
        for (char c : text) {
            if (c == ' ') {
                if (!word.empty()) out.push_back(word);
                word.clear();
            } else {
                word += c;
            }
        }
        if (!word.empty()) out.push_back(word);
        return out;
    }
    std::optional<int> find(const std::vector<int>& values, int wanted) const {
        for (std::size_t i = 0; i < values.size(); ++i)
            if (values[i] == wanted) return static_cast<int>(i);
        return std::nullopt;
    }
    std::set<std::string> tag_set() const { return tags; }

    std::string kind() const override { return "widget"; }
    /// Adds `by` to number and returns the object itself, for chaining.
    Widget& chain(int by = 1) {
        number += by;
        return *this;
    }
    /// Fire-and-forget.
    REMOTEOBJ_ONEWAY void note(int n) { notes += n; }
    REMOTEOBJ_ONEWAY void note_fails() { throw std::runtime_error("one-way failure"); }

    /// Read where the default of with_bias() is evaluated: set differently per process.
    static inline int default_bias = 1;

    int add(int a, int b = 10) const { return a + b; }
    int with_bias(int x, int bias = default_bias) const { return x + bias; }
    std::string greet(const std::string& name, std::string_view punctuation = "!") const {
        return "hello " + name + std::string(punctuation);
    }
    void set_number(int n) { number = n; }
    int bump() { return ++hits; }
    Color next_color(Color c) const { return static_cast<Color>((static_cast<int>(c) + 1) % 3); }
    Level next_level(Level l) const { return l == level_high ? level_low : static_cast<Level>(l + 1); }
    /// Throws std::out_of_range past the end, as std::vector::at does.
    int at(int index) const { return values_.at(static_cast<std::size_t>(index)); }
    void fail(const std::string& message) { throw std::invalid_argument(message); }
    void fail_oddly() { throw 42; }
    void fail_custom(const std::string& message) { throw WidgetError(message); }
    /// Ends the listening process in the middle of a request.
    void die(int status) { std::_Exit(status); }
    int pid() const { return static_cast<int>(::getpid()); }
    /// Returns only once a byte arrives on `fd` (a pipe both processes inherited):
    /// a method that does not return until the test says so. -1 at once for -1.
    int block_on(int fd) {
        char byte;
        return fd < 0 ? -1 : static_cast<int>(::read(fd, &byte, 1));
    }
    /// Identifies the thread a request runs on.
    std::uint64_t thread_tag() const { return std::hash<std::thread::id>{}(std::this_thread::get_id()); }

    /// Lets serve() return.
    void shutdown() {
        stopping = true;
        stopping.notify_all();
    }

    /// Serves on a background thread until shutdown().
    void serve() {
        main_tag = thread_tag();
        auto listening = remote.listen();
        stopping.wait(false);
    }

private:
    std::atomic<bool> stopping{false};
    std::vector<int> values_{10, 20, 30};
};

#include "widget.remote.hpp"

// The standard types of issue #27 as fields, arguments and results, nested in a
// std::vector and a std::optional and in each other: each crosses whole.
#pragma once

#include <bitset>
#include <chrono>
#include <complex>
#include <cstring>
#include <deque>
#include <filesystem>
#include <forward_list>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <remoteobj/remoteobj.hpp>

/// A by-value struct of standard types, with a C array field.
struct REMOTEOBJ Label {
    char code[4] = {'n', 'o', 'n', 'e'};
    std::filesystem::path file;
    std::bitset<5> bits;
    std::chrono::system_clock::time_point when;
};
inline bool operator==(const Label& a, const Label& b) {
    return std::memcmp(a.code, b.code, sizeof a.code) == 0 && a.file == b.file && a.bits == b.bits && a.when == b.when;
}

using SysTime = std::chrono::system_clock::time_point;
using SteadyTime = std::chrono::steady_clock::time_point;
using MilliTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;
using Choice = std::variant<std::monostate, int, std::string>;

class REMOTEOBJ Almanac {
public:
    remoteobj::Remote<Almanac> remote{*this};

    // --- fields, one of each type ---
    std::filesystem::path root{"/srv/data"};
    SysTime updated{std::chrono::seconds(1700000000)};
    SteadyTime started{std::chrono::nanoseconds(42)};
    MilliTime stamped{std::chrono::milliseconds(1500)};
    std::chrono::time_point<std::chrono::steady_clock, std::chrono::duration<double>> steady_seconds{
        std::chrono::duration<double>(2.5)};
    std::deque<int> queue{1, 2, 3};
    std::list<std::string> names{"ann", "bob"};
    std::forward_list<int> chain{4, 5, 6};
    std::multimap<std::string, int> scores{{"ann", 1}, {"ann", 2}, {"bob", 3}};
    std::multiset<int> counts{1, 1, 2};
    std::unordered_set<std::string> tags{"a", "b"};
    std::unordered_multimap<std::string, int> index{{"x", 1}, {"x", 2}, {"y", 3}};
    std::unordered_multiset<int> bag{7, 7, 8};
    std::bitset<12> flags{0b1010'0000'0101};
    std::complex<double> z{1.5, -2.0};
    std::complex<float> zf{0.5f, 0.25f};
    std::u8string title{u8"Grüße"};
    Choice choice;  // std::monostate until set
    char code[8] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
    int grid[2][3] = {{1, 2, 3}, {4, 5, 6}};
    std::unique_ptr<int> maybe_count;
    std::unique_ptr<std::string> note = std::make_unique<std::string>("hello");
    std::shared_ptr<const std::vector<int>> shared = std::make_shared<const std::vector<int>>(std::vector<int>{1, 2});
    std::shared_ptr<double> ratio;
    Label label;

    // --- nested in a vector, an optional and each other ---
    std::vector<std::filesystem::path> paths{"/a", "b/c"};
    std::optional<std::filesystem::path> maybe_path;
    std::vector<SysTime> times;
    std::optional<SteadyTime> maybe_time;
    std::vector<std::deque<int>> queues{{1}, {2, 3}};
    std::optional<std::deque<int>> maybe_queue;
    std::vector<std::list<int>> lists{{1, 2}};
    std::optional<std::list<std::string>> maybe_list;
    std::vector<std::forward_list<int>> chains{{1}, {}};
    std::optional<std::forward_list<std::string>> maybe_chain;
    std::vector<std::multimap<int, std::string>> multis{{{1, "a"}, {1, "b"}}};
    std::optional<std::multimap<std::string, int>> maybe_scores;
    std::vector<std::multiset<int>> multisets{{3, 3}};
    std::optional<std::multiset<std::string>> maybe_counts;
    std::vector<std::unordered_set<int>> sets{{1, 2}};
    std::optional<std::unordered_set<int>> maybe_set;
    std::vector<std::unordered_multimap<std::string, int>> indexes;
    std::optional<std::unordered_multimap<std::string, int>> maybe_index;
    std::vector<std::unordered_multiset<std::string>> bags{{"p", "p"}};
    std::optional<std::unordered_multiset<int>> maybe_bag;
    std::vector<std::bitset<4>> masks{0b0001, 0b1000};
    std::optional<std::bitset<70>> wide;
    std::vector<std::complex<float>> roots{{1, 0}, {0, 1}};
    std::optional<std::complex<double>> maybe_z;
    std::vector<std::u8string> lines{u8"α", u8"β"};
    std::optional<std::u8string> maybe_title;
    std::vector<Choice> slots{Choice{}, Choice{3}};
    std::optional<Choice> maybe_choice;
    std::vector<std::unique_ptr<int>> owned;
    std::vector<std::shared_ptr<std::string>> shared_names;
    std::unique_ptr<std::vector<int>> owned_list;
    std::map<std::string, std::multiset<int>> groups{{"g", {1, 1}}};
    std::map<std::string, std::unique_ptr<int>> owned_by_name;
    std::pair<std::filesystem::path, std::bitset<3>> labelled{"f", 0b101};
    std::tuple<std::complex<double>, std::u8string, SysTime> mixed{{1, 1}, u8"m", SysTime{std::chrono::seconds(5)}};
    std::vector<Label> labels;
    std::deque<std::optional<std::filesystem::path>> maybe_paths{std::nullopt, std::filesystem::path("/x")};
    std::list<std::bitset<9>> bit_list{0x1ff};

    // --- arguments and results ---
    std::filesystem::path join(const std::filesystem::path& dir, std::filesystem::path name) const { return dir / name; }
    SysTime later(SysTime t, std::chrono::seconds by) const { return t + by; }
    SteadyTime steady_later(SteadyTime t) const { return t + std::chrono::milliseconds(1); }
    MilliTime milli_later(MilliTime t) const { return t + std::chrono::milliseconds(1); }
    std::deque<int> reversed(const std::deque<int>& d) const { return {d.rbegin(), d.rend()}; }
    std::list<std::string> sorted(std::list<std::string> l) const {
        l.sort();
        return l;
    }
    std::forward_list<int> doubled(const std::forward_list<int>& l) const {
        std::forward_list<int> out(l);
        for (int& x : out) x *= 2;
        return out;
    }
    std::multimap<std::string, int> inverted(const std::multimap<int, std::string>& m) const {
        std::multimap<std::string, int> out;
        for (const auto& [k, v] : m) out.emplace(v, k);
        return out;
    }
    std::multiset<int> merged(const std::multiset<int>& a, const std::multiset<int>& b) const {
        std::multiset<int> out(a);
        out.insert(b.begin(), b.end());
        return out;
    }
    std::unordered_set<std::string> suffixed(const std::unordered_set<std::string>& s) const {
        std::unordered_set<std::string> out;
        for (const auto& x : s) out.insert(x + "!");
        return out;
    }
    std::unordered_multimap<std::string, int> counted(const std::unordered_multimap<std::string, int>& m) const {
        std::unordered_multimap<std::string, int> out;
        for (const auto& [k, v] : m) out.emplace(k, static_cast<int>(m.count(k)) * 100 + v);
        return out;
    }
    std::unordered_multiset<int> squared(const std::unordered_multiset<int>& s) const {
        std::unordered_multiset<int> out;
        for (int x : s) out.insert(x * x);
        return out;
    }
    std::bitset<12> flipped(std::bitset<12> b) const { return b.flip(); }
    std::size_t popcount(const std::bitset<70>& b) const { return b.count(); }
    std::complex<double> times_i(std::complex<double> v) const { return v * std::complex<double>(0, 1); }
    std::u8string shout(const std::u8string& s) const { return s + u8"!"; }
    std::size_t code_units(const std::u8string& s) const { return s.size(); }
    Choice classify(int x) const {
        if (x == 0) return std::monostate{};
        if (x > 0) return x;
        return std::string("negative");
    }
    int which(const Choice& c) const { return static_cast<int>(c.index()); }
    int sum(std::span<const int> xs) const {
        int total = 0;
        for (int x : xs) total += x;
        return total;
    }
    /// Writes into its copy of the elements: the caller's are not changed.
    int scaled_sum(std::span<int> xs, int by) const {
        for (int& x : xs) x *= by;
        return sum(xs);
    }
    std::string concat(std::span<const std::string> parts) const {
        std::string out;
        for (const auto& p : parts) out += p;
        return out;
    }
    int sum4(std::span<const int, 4> xs) const { return sum(xs); }
    std::size_t cells(std::span<const std::vector<int>> rows) const {
        std::size_t n = 0;
        for (const auto& row : rows) n += row.size();
        return n;
    }
    std::unique_ptr<std::string> maybe(bool give) const {
        return give ? std::make_unique<std::string>("given") : nullptr;
    }
    std::unique_ptr<int> twice(std::unique_ptr<int> p) const {
        if (p) *p *= 2;
        return p;
    }
    int deref_or(const std::unique_ptr<int>& p, int fallback) const { return p ? *p : fallback; }
    std::shared_ptr<std::string> greeting(std::shared_ptr<const std::string> name) const {
        if (!name) return nullptr;
        return std::make_shared<std::string>("hello " + *name);
    }
    /// A string literal for 0 and 1, null for anything else.
    const char* lookup(int i) const {
        static const char* const words[] = {"zero", "one"};
        return i == 0 || i == 1 ? words[i] : nullptr;
    }
    /// -1 for null.
    int length(const char* s) const { return s ? static_cast<int>(std::strlen(s)) : -1; }
    std::string framed(const char* before, const char* s, const char* after = nullptr) const {
        return std::string(before ? before : "(null)") + (s ? s : "(null)") + (after ? after : "(null)");
    }
    Label relabel(const Label& l, char first) const {
        Label out = l;
        out.code[0] = first;
        out.file /= "more";
        out.bits.flip();
        out.when += std::chrono::seconds(1);
        return out;
    }

    // --- nested arguments and results ---
    std::vector<std::filesystem::path> parents(const std::vector<std::filesystem::path>& ps) const {
        std::vector<std::filesystem::path> out;
        for (const auto& p : ps) out.push_back(p.parent_path());
        return out;
    }
    std::optional<SysTime> earliest(const std::vector<SysTime>& ts) const {
        if (ts.empty()) return std::nullopt;
        SysTime e = ts.front();
        for (SysTime t : ts) e = std::min(e, t);
        return e;
    }
    std::vector<std::bitset<4>> inverted_masks(const std::vector<std::bitset<4>>& ms) const {
        std::vector<std::bitset<4>> out;
        for (auto m : ms) out.push_back(~m);
        return out;
    }
    std::optional<std::bitset<70>> top_bit(std::optional<std::bitset<70>> b) const {
        if (b) b->set(69);
        return b;
    }
    std::vector<std::complex<float>> conjugates(const std::vector<std::complex<float>>& zs) const {
        std::vector<std::complex<float>> out;
        for (auto v : zs) out.push_back(std::conj(v));
        return out;
    }
    std::optional<std::u8string> first_line(const std::vector<std::u8string>& ls) const {
        if (ls.empty()) return std::nullopt;
        return ls.front();
    }
    std::vector<Choice> choices(const std::optional<Choice>& c) const {
        if (!c) return {};
        return {*c, Choice{}};
    }
    std::vector<std::unique_ptr<int>> boxes(const std::vector<int>& xs) const {
        std::vector<std::unique_ptr<int>> out;
        for (int x : xs) out.push_back(x < 0 ? nullptr : std::make_unique<int>(x));
        return out;
    }
    std::optional<std::deque<std::list<int>>> nest(const std::vector<std::forward_list<int>>& in) const {
        if (in.empty()) return std::nullopt;
        std::deque<std::list<int>> out;
        for (const auto& f : in) out.emplace_back(f.begin(), f.end());
        return out;
    }
    std::vector<Label> relabel_all(const std::vector<Label>& ls) const {
        std::vector<Label> out;
        for (const auto& l : ls) out.push_back(relabel(l, 'X'));
        return out;
    }
};

#include "std_types.remote.hpp"

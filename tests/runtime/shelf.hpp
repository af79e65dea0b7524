// Types the user does not own, as fields, arguments and results, nested in a
// vector, an optional and a map: the vendor's plain aggregates (no annotation) and
// its other types through adapters (vendor_adapters.hpp), a view (Slice) among them.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <remoteobj/remoteobj.hpp>

#include "vendor.hpp"
#include "vendor_adapters.hpp"

/// Fills memory of `size`-byte blocks with 'X', as the next allocations of a
/// busy member would: a view argument whose wire string had been freed would read
/// those bytes instead of the caller's.
inline void scribble(std::size_t size) {
    std::vector<std::string> fill;
    for (int i = 0; i < 64; ++i) fill.emplace_back(size, 'X');
}

/// The user's own plain aggregate, not annotated, holding adapted types and a C array.
struct Entry {
    std::string key;
    vendor::Millis age;
    vendor::Status status;
    char code[3] = {'a', 'b', 'c'};
    bool operator==(const Entry& other) const {
        return key == other.key && age == other.age && status == other.status && code[0] == other.code[0] &&
               code[1] == other.code[1] && code[2] == other.code[2];
    }
};

/// The user's own REMOTEOBJ class with private data: reached as an object it is a
/// proxy; by value it cannot cross as it is, and crosses through its adapter.
class REMOTEOBJ Token {
public:
    explicit Token(int number = 0) : number_(number) {}
    int number() const { return number_; }

private:
    int number_;
};

template <>
struct remoteobj::adapter<Token> {
    using wire = int;
    static wire to_wire(const Token& b) { return b.number(); }
    static Token from_wire(wire w) { return Token(w); }
};

class REMOTEOBJ Shelf {
public:
    remoteobj::Remote<Shelf> remote{*this};
    vendor::ReadOptions defaults{true, false, 2, "main", {1, 2}};
    vendor::Box frame{{1, 2}, 3, 4};
    vendor::Status last = vendor::Status::NotFound("nothing yet");
    vendor::Millis timeout{250};
    std::vector<vendor::Status> history;
    std::optional<vendor::Millis> deadline;

    /// The key a view refers to, read after the member has allocated a lot.
    std::string get(const vendor::ReadOptions& options, const vendor::Slice& key) {
        scribble(key.size());
        return options.tag + ":" + key.ToString();
    }
    std::string joined(const std::vector<vendor::Slice>& keys) {
        if (!keys.empty()) scribble(keys.front().size());
        std::string out;
        for (const vendor::Slice& key : keys) out += key.ToString() + ";";
        return out;
    }
    std::string maybe_key(std::optional<vendor::Slice> key) {
        if (!key) return "(none)";
        scribble(key->size());
        return key->ToString();
    }
    vendor::Status put(vendor::Slice key, vendor::Slice value) {
        if (value.size() == 0) return vendor::Status::NotFound(key.ToString());
        return vendor::Status::OK();
    }
    std::vector<vendor::Status> statuses(int n) {
        std::vector<vendor::Status> out;
        for (int i = 0; i < n; ++i) out.push_back(vendor::Status::Restored(i, "s" + std::to_string(i)));
        return out;
    }
    std::optional<vendor::Status> find(int code) {
        if (code < 0) return std::nullopt;
        return vendor::Status::Restored(code, "found");
    }
    vendor::Millis twice(vendor::Millis m) { return vendor::Millis(m.count() * 2); }
    std::map<std::string, vendor::Millis> timeouts() { return {{"read", vendor::Millis(5)}, {"write", vendor::Millis(9)}}; }

    vendor::ReadOptions options_for(int tier) { return {false, true, tier, "tier" + std::to_string(tier), {tier}}; }
    std::vector<vendor::ReadOptions> all_options(const std::vector<vendor::ReadOptions>& more) {
        std::vector<vendor::ReadOptions> out{defaults};
        out.insert(out.end(), more.begin(), more.end());
        return out;
    }
    std::optional<vendor::Box> box_if(bool give) {
        if (!give) return std::nullopt;
        return frame;
    }
    int area(vendor::Box b) { return b.width * b.height + b.x + b.y; }

    std::map<std::string, Entry> entries;
    std::string describe(std::pair<int, vendor::Slice> p) {
        scribble(p.second.size());
        return std::to_string(p.first) + "=" + p.second.ToString();
    }
    std::variant<vendor::Status, vendor::Box> outcome(bool boxed) {
        if (boxed) return vendor::Box{{0, 1}, 2, 3};
        return vendor::Status::NotFound("no box");
    }
    std::vector<vendor::Ids> id_sets(const std::vector<vendor::Ids>& sets) {
        std::vector<vendor::Ids> out(sets.rbegin(), sets.rend());
        return out;
    }
    Token promote(const Token& token) { return Token(token.number() + 1); }
    remoteobj::generator<vendor::Status> replay(int n) {
        for (int i = 0; i < n; ++i) co_yield vendor::Status::Restored(i, "r");
    }
};

#include "shelf.remote.hpp"

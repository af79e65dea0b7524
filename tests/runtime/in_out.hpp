// In-out parameters (issue #27 item 4), used for real through a forked process: a
// `T&` or `T*` of a value type is sent, and what the member leaves in it is written
// back into the caller's object; a null pointer crosses as null; a `const T*` is an
// input that may be null.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

/// A REMOTEOBJ struct by value: an in-out reference to it comes back whole.
struct REMOTEOBJ Cursor {
    std::string file;
    int line = 0;
    int column = 0;
};

/// rclcpp's lifecycle callbacks report through a `CallbackReturn&`.
enum class CallbackReturn { Success, Failure, Error };

class REMOTEOBJ Ledger {
public:
    remoteobj::Remote<Ledger> remote{*this};
    std::map<std::string, std::string> entries{{"tea", "green"}, {"coffee", "black"}};
    /// How many members ran here: a call that reached the member counts.
    int calls = 0;

    /// Doubles `n` where it is.
    void twice(int& n) {
        ++calls;
        n *= 2;
    }
    /// Appends `suffix` to `text` `times` times; returns the new length.
    std::size_t extend(std::string& text, const std::string& suffix, int times = 1) {
        ++calls;
        for (int i = 0; i < times; ++i) text += suffix;
        return text.size();
    }
    /// Appends the numbers from `from` to `to` to the caller's vector.
    void append_to(std::vector<int>& out, int from, int to) {
        ++calls;
        for (int i = from; i <= to; ++i) out.push_back(i);
    }
    /// Moves the cursor to the start of the next line.
    void next_line(Cursor& cursor) {
        ++calls;
        ++cursor.line;
        cursor.column = 1;
        cursor.file += "*";
    }
    /// Sets `*sum` to a + b unless `sum` is null; says whether it saw a place to put it.
    bool add_into(int a, int b, int* sum) {
        ++calls;
        if (!sum) return false;
        *sum = a + b;
        return true;
    }
    /// leveldb's DB::Get, as its authors wrote it (a std::string for the Slice).
    bool Get(const std::string& key, std::string* value) {
        ++calls;
        auto found = entries.find(key);
        if (found == entries.end()) return false;
        *value = found->second;
        return true;
    }
    /// A `const T*`: an input that may be null.
    int length_or(const std::string* text, int fallback) const {
        return text ? static_cast<int>(text->size()) : fallback;
    }
    /// Changes its argument, then fails: the caller's value must stay as it was.
    void spoil(std::string& text) {
        ++calls;
        text = "spoiled";
        throw std::invalid_argument("spoil: gave up after changing '" + text + "'");
    }
    /// rclcpp's style: the outcome through a reference.
    void on_configure(const std::string& name, CallbackReturn& outcome) {
        ++calls;
        outcome = name.empty() ? CallbackReturn::Failure : CallbackReturn::Success;
    }
    /// A pointer left to its default (null) is not sent, and nothing comes back.
    void count_calls(int* into = nullptr) {
        ++calls;
        if (into) *into = calls;
    }
    /// An in-out std::optional: empty and present both cross, both ways.
    void toggle(std::optional<int>& value) {
        ++calls;
        value = value ? std::nullopt : std::optional<int>(7);
    }
    /// Two in-out parameters, set in order: passed one object twice, the last one wins.
    void set_both(int& first, int& second) {
        ++calls;
        first = 1;
        second = 2;
    }
    /// Counts `word` in the caller's map, and the vector of cursors it keeps beside it.
    void tally(std::map<std::string, int>& counts, std::vector<Cursor>& seen, const std::string& word) {
        ++calls;
        ++counts[word];
        seen.push_back(Cursor{word, counts[word], 0});
    }
    /// Returns its own object (calls chain) and fills `n` on the way.
    Ledger& stamp(int& n) {
        ++calls;
        n = calls;
        return *this;
    }
};

#include "in_out.remote.hpp"

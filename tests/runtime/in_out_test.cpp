// In-out parameters: `T&` and `T*` of value types are sent, and the value the
// member leaves in them is written back into the caller's objects; null crosses
// as null; `const T*` is an input that may be null. Through a forked process.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <remoteobj/batch.hpp>
#include <remoteobj/serve.hpp>

#include "in_out.hpp"
#include "test_support.hpp"

namespace {

/// A Ledger served by a child for the length of a test, which a hang ends.
struct ServedLedger {
    Watchdog watchdog{std::chrono::seconds(60), "in-out test"};
    Ledger obj;
    remoteobj::Served child = remoteobj::serve(obj, remoteobj::process_options{.name = "ledger"});
};

}  // namespace

TEST_CASE("an int& argument is sent, and the value the member leaves is written back") {
    ServedLedger s;
    int n = 21;
    s.obj.remote->twice(n);
    CHECK(n == 42);
    s.obj.remote->twice(n);
    CHECK(n == 84);
    CHECK(s.obj.calls == 0);  // the member ran in the child, on its copy
    CHECK(s.obj.remote->calls.get() == 2);
}

TEST_CASE("a std::string& argument comes back as the member left it, beside the result") {
    ServedLedger s;
    std::string text = "ab";
    CHECK(s.obj.remote->extend(text, "cd", 2) == 6);
    CHECK(text == "abcdcd");
    CHECK(s.obj.remote->extend(text, "!") == 7);  // a default after the in-out argument
    CHECK(text == "abcdcd!");
}

TEST_CASE("a std::vector& the member appends to is updated in the caller") {
    ServedLedger s;
    std::vector<int> out{10};
    s.obj.remote->append_to(out, 1, 3);
    CHECK(out == std::vector<int>{10, 1, 2, 3});
    s.obj.remote->append_to(out, 5, 4);  // appends nothing
    CHECK(out == std::vector<int>{10, 1, 2, 3});
}

TEST_CASE("a REMOTEOBJ struct by reference comes back whole") {
    ServedLedger s;
    Cursor cursor{"a.txt", 4, 17};
    s.obj.remote->next_line(cursor);
    CHECK(cursor.file == "a.txt*");
    CHECK(cursor.line == 5);
    CHECK(cursor.column == 1);
}

TEST_CASE("a pointer argument is written through, and a null one crosses as null") {
    ServedLedger s;
    int sum = -1;
    CHECK(s.obj.remote->add_into(2, 3, &sum));
    CHECK(sum == 5);
    CHECK_FALSE(s.obj.remote->add_into(2, 3, nullptr));  // the member saw null
    CHECK(s.obj.remote->calls.get() == 2);
}

TEST_CASE("a pointer parameter left to its default is null in the member") {
    ServedLedger s;
    s.obj.remote->count_calls();
    int calls = 0;
    s.obj.remote->count_calls(&calls);
    CHECK(calls == 2);
}

TEST_CASE("leveldb's Get(key, std::string* value) fills the value when the key is there") {
    ServedLedger s;
    std::string value = "untouched";
    CHECK(s.obj.remote->Get("tea", &value));
    CHECK(value == "green");
    CHECK_FALSE(s.obj.remote->Get("water", &value));
    CHECK(value == "green");  // the member left it as it came
    s.obj.remote->entries["water"] = "still";
    CHECK(s.obj.remote->Get("water", &value));
    CHECK(value == "still");
}

TEST_CASE("a const T* argument may be null, and is never written back") {
    ServedLedger s;
    const std::string text = "four";
    CHECK(s.obj.remote->length_or(&text, -1) == 4);
    CHECK(s.obj.remote->length_or(nullptr, -1) == -1);
    CHECK(text == "four");
}

TEST_CASE("an enum by reference reports an outcome, as rclcpp's CallbackReturn& does") {
    ServedLedger s;
    CallbackReturn outcome = CallbackReturn::Error;
    s.obj.remote->on_configure("node", outcome);
    CHECK(outcome == CallbackReturn::Success);
    s.obj.remote->on_configure("", outcome);
    CHECK(outcome == CallbackReturn::Failure);
}

TEST_CASE("an in-out std::optional crosses empty and present, both ways") {
    ServedLedger s;
    std::optional<int> value;
    s.obj.remote->toggle(value);
    CHECK(value == 7);
    s.obj.remote->toggle(value);
    CHECK_FALSE(value.has_value());
}

TEST_CASE("one object passed to two in-out parameters gets the last one's value") {
    ServedLedger s;
    int x = 0;
    s.obj.remote->set_both(x, x);  // two copies travel; written back in parameter order
    CHECK(x == 2);
}

TEST_CASE("a map and a vector of structs by reference come back as the member left them") {
    ServedLedger s;
    std::map<std::string, int> counts{{"tea", 1}};
    std::vector<Cursor> seen;
    s.obj.remote->tally(counts, seen, "tea");
    s.obj.remote->tally(counts, seen, "milk");
    CHECK(counts == std::map<std::string, int>{{"milk", 1}, {"tea", 2}});
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].file == "tea");
    CHECK(seen[0].line == 2);
    CHECK(seen[1].file == "milk");
    CHECK(seen[1].line == 1);
}

TEST_CASE("a chaining method fills its in-out argument and returns the proxy") {
    ServedLedger s;
    int first = 0, second = 0;
    s.obj.remote->stamp(first).stamp(second);
    CHECK(first == 1);
    CHECK(second == 2);
}

TEST_CASE("a member that throws after changing an in-out argument writes nothing back") {
    ServedLedger s;
    std::string text = "original";
    CHECK_THROWS_AS(s.obj.remote->spoil(text), std::invalid_argument);
    CHECK(text == "original");
    auto pending = s.obj.remote->spoil.async(text);
    CHECK_THROWS_AS(pending.get(), std::invalid_argument);
    CHECK(text == "original");
    CHECK(s.obj.remote->calls.get() == 2);  // the member did run, twice
}

TEST_CASE("async of an in-out method writes back when get() returns, not before") {
    ServedLedger s;
    int n = 5;
    std::string value = "untouched";
    auto doubled = s.obj.remote->twice.async(n);
    auto found = s.obj.remote->Get.async("coffee", &value);
    auto missing = s.obj.remote->add_into.async(1, 2, nullptr);
    // The replies may have arrived already: nothing is written until get().
    CHECK(s.obj.remote->calls.get() == 3);
    CHECK(n == 5);
    CHECK(value == "untouched");
    doubled.get();
    CHECK(n == 10);
    CHECK(found.get());
    CHECK(value == "black");
    CHECK_FALSE(missing.get());
}

TEST_CASE("a future of an in-out method dropped unawaited writes nothing back") {
    ServedLedger s;
    int n = 5;
    {
        auto dropped = s.obj.remote->twice.async(n);
        CHECK(s.obj.remote->calls.get() == 1);  // the member ran
    }
    CHECK(n == 5);
}

TEST_CASE("in-out arguments of calls in a Batch are written back as each result is taken") {
    ServedLedger s;
    std::vector<int> numbers{1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<std::string> values(3, "untouched");
    const std::vector<std::string> keys{"tea", "water", "coffee"};
    std::vector<remoteobj::future<void>> doubled;
    std::vector<remoteobj::future<bool>> found;
    {
        remoteobj::Batch batch(s.obj.remote);
        for (int& n : numbers) doubled.push_back(s.obj.remote->twice.async(n));
        for (std::size_t i = 0; i < keys.size(); ++i) found.push_back(s.obj.remote->Get.async(keys[i], &values[i]));
    }
    CHECK(numbers == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});  // nothing taken yet
    for (auto& f : doubled) f.get();
    CHECK(numbers == std::vector<int>{2, 4, 6, 8, 10, 12, 14, 16});
    CHECK(found[0].get());
    CHECK_FALSE(found[1].get());
    CHECK(found[2].get());
    CHECK(values == std::vector<std::string>{"green", "untouched", "black"});
}

TEST_CASE("a call from the listening process itself writes its in-out arguments back too") {
    Watchdog watchdog{std::chrono::seconds(60), "in-out in place"};
    Ledger obj;
    auto listening = obj.remote.listen();
    std::vector<int> out;
    obj.remote->append_to(out, 1, 2);
    CHECK(out == std::vector<int>{1, 2});
    std::string value;
    CHECK(obj.remote->Get("tea", &value));
    CHECK(value == "green");
    CHECK(obj.calls == 2);
}

// The standard types of issue #27 cross between processes: each as a field (read
// and written), an argument, a result, and nested in a vector and an optional,
// served by a real child; values that no C++ value of their type can be are refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>

#include <remoteobj/serve.hpp>

#include "std_types.hpp"
#include "std_types.remote_generated.h"

namespace {

struct ServedAlmanac {
    Almanac obj;
    remoteobj::Served child = remoteobj::serve(obj, remoteobj::process_options{.name = "almanac"});
};

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Sends a Set of `Traits`'s field whose value table `build` makes, as no honest
// proxy would: what the listener says of it.
template <class Traits, class Build>
void set_raw(Almanac& obj, Build build) {
    const auto& state = remoteobj::detail::ProxyAccess::state(obj.remote.proxy());
    state.call({remoteobj::wire::Operation::Set, Traits::id, 1, Traits::qualified_name, Traits::interface},
               [&](flatbuffers::FlatBufferBuilder& fbb) { fbb.Finish(build(fbb)); }, remoteobj::detail::no_value{});
}

std::string rejection(const std::function<void()>& send) {
    try {
        send();
    } catch (const remoteobj::ProtocolError& e) {
        return e.what();
    }
    return "(nothing was refused)";
}

}  // namespace

TEST_CASE("std::filesystem::path crosses as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->root.get() == fs::path("/srv/data"));
    r->root = fs::path("/tmp/ü dir/x.txt");  // any bytes, UTF-8 here
    CHECK(r->root.get() == fs::path("/tmp/ü dir/x.txt"));
    CHECK(r->join(fs::path("/a/b"), "c.txt") == fs::path("/a/b/c.txt"));
    CHECK(r->paths.get() == std::vector<fs::path>{"/a", "b/c"});
    CHECK(r->paths[1].get() == fs::path("b/c"));
    r->paths.push_back(fs::path("d"));
    CHECK(r->paths.get() == std::vector<fs::path>{"/a", "b/c", "d"});
    CHECK_FALSE(r->maybe_path.get().has_value());
    r->maybe_path = fs::path("");  // present, and empty
    CHECK(r->maybe_path.get() == std::optional<fs::path>(fs::path("")));
    CHECK(r->parents({"/x/y", "z"}) == std::vector<fs::path>{"/x", ""});
    CHECK(r->maybe_paths.get() == std::deque<std::optional<fs::path>>{std::nullopt, fs::path("/x")});
    CHECK(r->labelled.get() == std::pair<fs::path, std::bitset<3>>{"f", 0b101});
}

TEST_CASE("std::chrono::time_point of system_clock and steady_clock crosses as its time since the epoch") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->updated.get() == SysTime(1700000000s));
    const SysTime now = std::chrono::system_clock::now();
    r->updated = now;
    CHECK(r->updated.get() == now);  // to the nanosecond: the count crosses, not a rounding
    CHECK(r->started.get() == SteadyTime(42ns));
    CHECK(r->stamped.get() == MilliTime(1500ms));
    r->stamped = MilliTime(-3ms);  // before the epoch
    CHECK(r->stamped.get() == MilliTime(-3ms));
    CHECK(r->steady_seconds.get().time_since_epoch().count() == 2.5);
    CHECK(r->later(SysTime(10s), 5s) == SysTime(15s));
    const SteadyTime t = std::chrono::steady_clock::now();
    CHECK(r->steady_later(t) == t + 1ms);
    CHECK(r->milli_later(MilliTime(7ms)) == MilliTime(8ms));
    r->times = std::vector<SysTime>{SysTime(3s), SysTime(1s)};
    CHECK(r->times.get() == std::vector<SysTime>{SysTime(3s), SysTime(1s)});
    CHECK(r->times[0].get() == SysTime(3s));
    CHECK(r->earliest({SysTime(3s), SysTime(-1s), SysTime(2s)}) == std::optional<SysTime>(SysTime(-1s)));
    CHECK_FALSE(r->earliest({}).has_value());
    CHECK_FALSE(r->maybe_time.get().has_value());
    r->maybe_time = SteadyTime(9ns);
    CHECK(r->maybe_time.get() == std::optional<SteadyTime>(SteadyTime(9ns)));
    CHECK(std::get<2>(r->mixed.get()) == SysTime(5s));
}

TEST_CASE("std::deque crosses as a field, an argument, a result and nested, with item views") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->queue.get() == std::deque<int>{1, 2, 3});
    r->queue = std::deque<int>{9, 8};
    CHECK(r->queue.get() == std::deque<int>{9, 8});
    CHECK(r->queue[-1].get() == 8);
    r->queue[0] = 7;
    r->queue.push_back(6);
    CHECK(r->queue.get() == std::deque<int>{7, 8, 6});
    CHECK(remoteobj::len(r->queue) == 3);
    CHECK(r->reversed({1, 2, 3}) == std::deque<int>{3, 2, 1});
    CHECK(r->queues.get() == std::vector<std::deque<int>>{{1}, {2, 3}});
    CHECK(r->queues[1].get() == std::deque<int>{2, 3});
    CHECK_FALSE(r->maybe_queue.get().has_value());
    r->maybe_queue = std::deque<int>{};
    CHECK(r->maybe_queue.get() == std::optional<std::deque<int>>(std::deque<int>{}));
}

TEST_CASE("std::list crosses as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->names.get() == std::list<std::string>{"ann", "bob"});
    r->names.push_back("cy");
    CHECK(r->names.get() == std::list<std::string>{"ann", "bob", "cy"});
    CHECK(remoteobj::len(r->names) == 3);
    r->names = std::list<std::string>{"z"};
    CHECK(r->names.get() == std::list<std::string>{"z"});
    CHECK(r->sorted({"c", "a", "b"}) == std::list<std::string>{"a", "b", "c"});
    CHECK(r->lists.get() == std::vector<std::list<int>>{{1, 2}});
    r->maybe_list = std::list<std::string>{"q"};
    CHECK(r->maybe_list.get() == std::optional<std::list<std::string>>(std::list<std::string>{"q"}));
    CHECK(r->bit_list.get() == std::list<std::bitset<9>>{0x1ff});
}

TEST_CASE("std::forward_list crosses in order as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->chain.get() == std::forward_list<int>{4, 5, 6});
    CHECK(remoteobj::len(r->chain) == 3);
    r->chain = std::forward_list<int>{1, 2, 3, 4};
    CHECK(r->chain.get() == std::forward_list<int>{1, 2, 3, 4});
    r->chain.clear();
    CHECK(r->chain.get().empty());
    CHECK(r->doubled({1, 2, 3}) == std::forward_list<int>{2, 4, 6});
    CHECK(r->chains.get() == std::vector<std::forward_list<int>>{{1}, {}});
    r->maybe_chain = std::forward_list<std::string>{"a", "b"};
    CHECK(r->maybe_chain.get() == std::optional<std::forward_list<std::string>>(std::forward_list<std::string>{"a", "b"}));
    CHECK(r->nest({{1, 2}, {3}}) == std::optional<std::deque<std::list<int>>>(std::deque<std::list<int>>{{1, 2}, {3}}));
    CHECK_FALSE(r->nest({}).has_value());
}

TEST_CASE("std::multimap keeps every value of a key as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    using Scores = std::multimap<std::string, int>;
    CHECK(r->scores.get() == Scores{{"ann", 1}, {"ann", 2}, {"bob", 3}});
    CHECK(r->scores.contains("ann"));
    CHECK(r->scores.erase("ann"));
    CHECK(r->scores.get() == Scores{{"bob", 3}});
    r->scores = Scores{{"a", 1}, {"a", 1}};
    CHECK(remoteobj::len(r->scores) == 2);
    CHECK(r->inverted({{1, "x"}, {2, "x"}, {3, "y"}}) == Scores{{"x", 1}, {"x", 2}, {"y", 3}});
    CHECK(r->multis.get() == std::vector<std::multimap<int, std::string>>{{{1, "a"}, {1, "b"}}});
    r->maybe_scores = Scores{{"k", 1}, {"k", 2}};
    CHECK(r->maybe_scores.get() == std::optional<Scores>(Scores{{"k", 1}, {"k", 2}}));
}

TEST_CASE("std::multiset keeps duplicates as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->counts.get() == std::multiset<int>{1, 1, 2});
    r->counts.insert(1);
    CHECK(r->counts.get() == std::multiset<int>{1, 1, 1, 2});
    CHECK(r->counts.contains(2));
    CHECK(r->merged({1, 2}, {2, 3}) == std::multiset<int>{1, 2, 2, 3});
    CHECK(r->multisets.get() == std::vector<std::multiset<int>>{{3, 3}});
    r->maybe_counts = std::multiset<std::string>{"a", "a"};
    CHECK(r->maybe_counts.get() == std::optional<std::multiset<std::string>>(std::multiset<std::string>{"a", "a"}));
    CHECK(r->groups.get() == std::map<std::string, std::multiset<int>>{{"g", {1, 1}}});
    CHECK(r->groups["g"].get() == std::multiset<int>{1, 1});
}

TEST_CASE("std::unordered_set crosses as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->tags.get() == std::unordered_set<std::string>{"a", "b"});
    r->tags.insert("c");
    CHECK(r->tags.contains("c"));
    CHECK(r->tags.erase("a"));
    CHECK(r->tags.get() == std::unordered_set<std::string>{"b", "c"});
    CHECK(r->suffixed({"x", "y"}) == std::unordered_set<std::string>{"x!", "y!"});
    CHECK(r->sets.get() == std::vector<std::unordered_set<int>>{{1, 2}});
    r->maybe_set = std::unordered_set<int>{5};
    CHECK(r->maybe_set.get() == std::optional<std::unordered_set<int>>(std::unordered_set<int>{5}));
}

TEST_CASE("std::unordered_multimap crosses as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    using Index = std::unordered_multimap<std::string, int>;
    CHECK(r->index.get() == Index{{"x", 1}, {"x", 2}, {"y", 3}});
    CHECK(r->index.contains("y"));
    r->index = Index{{"k", 1}, {"k", 1}};
    CHECK(r->index.get() == Index{{"k", 1}, {"k", 1}});
    CHECK(r->counted({{"a", 1}, {"a", 2}, {"b", 3}}) == Index{{"a", 201}, {"a", 202}, {"b", 103}});
    r->indexes = std::vector<Index>{{{"p", 1}, {"p", 2}}};
    CHECK(r->indexes.get() == std::vector<Index>{{{"p", 1}, {"p", 2}}});
    CHECK_FALSE(r->maybe_index.get().has_value());
    r->maybe_index = Index{};
    CHECK(r->maybe_index.get() == std::optional<Index>(Index{}));
}

TEST_CASE("std::unordered_multiset keeps duplicates as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->bag.get() == std::unordered_multiset<int>{7, 7, 8});
    r->bag.insert(8);
    CHECK(r->bag.get() == std::unordered_multiset<int>{7, 7, 8, 8});
    CHECK(r->squared({2, 2, 3}) == std::unordered_multiset<int>{4, 4, 9});
    CHECK(r->bags.get() == std::vector<std::unordered_multiset<std::string>>{{"p", "p"}});
    r->maybe_bag = std::unordered_multiset<int>{1, 1};
    CHECK(r->maybe_bag.get() == std::optional<std::unordered_multiset<int>>(std::unordered_multiset<int>{1, 1}));
}

TEST_CASE("std::bitset crosses bit for bit as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->flags.get() == std::bitset<12>(0b1010'0000'0101));
    r->flags = std::bitset<12>(0b1000'0000'0001);
    CHECK(r->flags.get() == std::bitset<12>(0b1000'0000'0001));
    CHECK(r->flipped(std::bitset<12>(0b1111'0000'0000)) == std::bitset<12>(0b0000'1111'1111));
    std::bitset<70> wide;
    wide.set(0).set(64).set(68);
    CHECK(r->popcount(wide) == 3);
    CHECK(r->top_bit(wide) == std::optional<std::bitset<70>>(std::bitset<70>(wide).set(69)));
    CHECK_FALSE(r->top_bit(std::nullopt).has_value());
    CHECK_FALSE(r->wide.get().has_value());
    r->wide = wide;
    CHECK(r->wide.get() == std::optional<std::bitset<70>>(wide));
    CHECK(r->masks.get() == std::vector<std::bitset<4>>{0b0001, 0b1000});
    CHECK(r->masks[1].get() == std::bitset<4>(0b1000));
    CHECK(r->inverted_masks({0b0011}) == std::vector<std::bitset<4>>{0b1100});
}

TEST_CASE("std::complex crosses as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->z.get() == std::complex<double>(1.5, -2.0));
    r->z = std::complex<double>(-0.0, 1e300);
    CHECK(r->z.get() == std::complex<double>(-0.0, 1e300));
    CHECK(r->zf.get() == std::complex<float>(0.5f, 0.25f));
    CHECK(r->times_i({2, 3}) == std::complex<double>(-3, 2));
    CHECK(r->roots.get() == std::vector<std::complex<float>>{{1, 0}, {0, 1}});
    CHECK(r->roots[1].get() == std::complex<float>(0, 1));
    CHECK(r->conjugates({{1, 2}}) == std::vector<std::complex<float>>{{1, -2}});
    r->maybe_z = std::complex<double>(4, 5);
    CHECK(r->maybe_z.get() == std::optional<std::complex<double>>(std::complex<double>(4, 5)));
    CHECK(std::get<0>(r->mixed.get()) == std::complex<double>(1, 1));
}

TEST_CASE("std::u8string crosses as UTF-8 as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->title.get() == u8"Grüße");
    r->title = u8"日本語";
    CHECK(r->title.get() == u8"日本語");
    CHECK(r->shout(u8"é") == u8"é!");
    CHECK(r->code_units(u8"é") == 2);
    CHECK(r->lines.get() == std::vector<std::u8string>{u8"α", u8"β"});
    CHECK(r->lines[0].get() == u8"α");
    CHECK(r->first_line({u8"ω", u8"x"}) == std::optional<std::u8string>(u8"ω"));
    CHECK_FALSE(r->first_line({}).has_value());
    r->maybe_title = std::u8string();
    CHECK(r->maybe_title.get() == std::optional<std::u8string>(u8""));
    CHECK(std::get<1>(r->mixed.get()) == u8"m");
}

TEST_CASE("std::monostate crosses as a variant's alternative as a field, an argument, a result and nested") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(std::holds_alternative<std::monostate>(r->choice.get()));
    r->choice = Choice{std::string("s")};
    CHECK(r->choice.get() == Choice{std::string("s")});
    r->choice = Choice{};
    CHECK(r->choice.get().index() == 0);
    CHECK(r->classify(0) == Choice{});
    CHECK(r->classify(4) == Choice{4});
    CHECK(r->classify(-1) == Choice{std::string("negative")});
    CHECK(r->which(Choice{}) == 0);
    CHECK(r->which(Choice{1}) == 1);
    CHECK(r->slots.get() == std::vector<Choice>{Choice{}, Choice{3}});
    CHECK(r->slots[0].get() == Choice{});
    r->maybe_choice = Choice{};
    CHECK(r->maybe_choice.get() == std::optional<Choice>(Choice{}));
    CHECK(r->choices(Choice{}) == std::vector<Choice>{Choice{}, Choice{}});
    CHECK(r->choices(std::nullopt).empty());
}

TEST_CASE("a C array field reads and writes as a std::array, with item views") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->code.get() == std::array<char, 8>{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'});
    r->code = std::array<char, 8>{'1', '2', '3', '4', '5', '6', '7', '8'};
    CHECK(r->code.get() == std::array<char, 8>{'1', '2', '3', '4', '5', '6', '7', '8'});
    CHECK(r->code[-1].get() == '8');
    r->code[0] = 'x';
    CHECK(r->code[0].get() == 'x');
    CHECK(remoteobj::len(r->code) == 8);
    CHECK_THROWS_AS(r->code[8].get(), std::out_of_range);
    CHECK(r->grid.get() == std::array<std::array<int, 3>, 2>{{{1, 2, 3}, {4, 5, 6}}});
    r->grid[1] = std::array<int, 3>{7, 8, 9};
    CHECK(r->grid[1].get() == std::array<int, 3>{7, 8, 9});
    r->grid = std::array<std::array<int, 3>, 2>{{{0, 0, 0}, {1, 1, 1}}};
    CHECK(r->grid.get() == std::array<std::array<int, 3>, 2>{{{0, 0, 0}, {1, 1, 1}}});
}

TEST_CASE("a struct with a C array and standard types crosses by value, alone and in a vector") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    Label l;
    std::copy_n("abcd", 4, l.code);
    l.file = "/f";
    l.bits = 0b10101;
    l.when = SysTime(3s);
    Label expected = l;
    expected.code[0] = 'Z';
    expected.file = "/f/more";
    expected.bits = 0b01010;
    expected.when = SysTime(4s);
    CHECK(r->relabel(l, 'Z') == expected);
    r->label.code = std::array<char, 4>{'w', 'x', 'y', 'z'};  // a field of a REMOTEOBJ struct: a nested proxy
    CHECK(r->label.code.get() == std::array<char, 4>{'w', 'x', 'y', 'z'});
    CHECK(r->label.code[3].get() == 'z');
    r->label.when = SysTime(8s);
    CHECK(r->label.when.get() == SysTime(8s));
    r->labels = std::vector<Label>{l, l};
    CHECK(r->labels.get() == std::vector<Label>{l, l});
    expected.code[0] = 'X';
    CHECK(r->relabel_all({l}) == std::vector<Label>{expected});
}

TEST_CASE("std::span arguments: the callee sees a copy of the caller's elements") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    std::vector<int> xs{1, 2, 3};
    CHECK(r->sum(xs) == 6);
    CHECK(r->sum(std::span<const int>(xs).subspan(1)) == 5);
    CHECK(r->sum({}) == 0);
    CHECK(r->scaled_sum(xs, 10) == 60);
    CHECK(xs == std::vector<int>{1, 2, 3});  // the callee scaled its copy
    const std::vector<std::string> parts{"a", "b", "c"};
    CHECK(r->concat(parts) == "abc");
    std::array<int, 4> four{1, 2, 3, 4};
    CHECK(r->sum4(four) == 10);
    const std::vector<std::vector<int>> rows{{1, 2}, {}, {3}};
    CHECK(r->cells(rows) == 3);
}

TEST_CASE("std::unique_ptr and std::shared_ptr cross as null or a new value") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->maybe_count.get() == nullptr);
    CHECK_FALSE(r->maybe_count.has_value());
    r->maybe_count = std::make_unique<int>(5);
    CHECK(*r->maybe_count.get() == 5);
    CHECK(r->maybe_count.has_value());
    r->maybe_count.reset();
    CHECK(r->maybe_count.get() == nullptr);
    CHECK(*r->note.get() == "hello");
    CHECK(*r->shared.get() == std::vector<int>{1, 2});
    r->ratio = std::make_shared<double>(0.5);
    CHECK(*r->ratio.get() == 0.5);
    CHECK(*r->maybe(true) == "given");
    CHECK(r->maybe(false) == nullptr);
    CHECK(*r->twice(std::make_unique<int>(21)) == 42);
    CHECK(r->twice(nullptr) == nullptr);
    CHECK(r->deref_or(std::make_unique<int>(3), 0) == 3);
    CHECK(r->deref_or(nullptr, -1) == -1);
    CHECK(*r->greeting(std::make_shared<const std::string>("ann")) == "hello ann");
    CHECK(r->greeting(nullptr) == nullptr);

    auto boxes = r->boxes({1, -1, 2});
    REQUIRE(boxes.size() == 3);
    CHECK(*boxes[0] == 1);
    CHECK(boxes[1] == nullptr);
    CHECK(*boxes[2] == 2);
    std::vector<std::unique_ptr<int>> owned;
    owned.push_back(std::make_unique<int>(8));
    owned.push_back(nullptr);
    r->owned = owned;
    CHECK(*r->owned[0].get() == 8);
    CHECK(r->owned[1].get() == nullptr);
    r->owned.push_back(std::make_unique<int>(9));
    CHECK(remoteobj::len(r->owned) == 3);
    r->shared_names = std::vector<std::shared_ptr<std::string>>{std::make_shared<std::string>("s"), nullptr};
    auto names = r->shared_names.get();
    REQUIRE(names.size() == 2);
    CHECK(*names[0] == "s");
    CHECK(names[1] == nullptr);
    r->owned_list = std::make_unique<std::vector<int>>(std::vector<int>{4});
    CHECK(*r->owned_list.get() == std::vector<int>{4});
    std::map<std::string, std::unique_ptr<int>> by_name;
    by_name.emplace("a", std::make_unique<int>(1));
    by_name.emplace("b", nullptr);
    r->owned_by_name = by_name;
    CHECK(*r->owned_by_name["a"].get() == 1);
    CHECK(r->owned_by_name["b"].get() == nullptr);
}

TEST_CASE("const char* arguments and results cross as strings, null as null") {
    ServedAlmanac a;
    auto& r = a.obj.remote;
    CHECK(r->lookup(0) == std::optional<std::string>("zero"));
    CHECK(r->lookup(1) == std::optional<std::string>("one"));
    CHECK(r->lookup(2) == std::nullopt);
    CHECK(r->length("four") == 4);
    CHECK(r->length("") == 0);
    CHECK(r->length(nullptr) == -1);
    const std::string owned = "mid";
    CHECK(r->framed("<", owned.c_str(), ">") == "<mid>");
    CHECK(r->framed(nullptr, "x") == "(null)x(null)");  // the default, nullptr, is taken there
}

TEST_CASE("values no C++ value of their type can be are refused: a bitset's bits, a complex's parts, an array's length") {
    ServedAlmanac a;
    using namespace remoteobj::gen;
    using flags = remoteobj::generated::Almanac_flags;
    const std::string too_many = rejection([&] {
        set_raw<flags>(a.obj, [](auto& fbb) {
            return CreateAlmanac_flags_Value(fbb, fbb.CreateVector(std::vector<std::uint8_t>{1, 2, 3}));
        });
    });
    CHECK_MESSAGE(too_many.find("std::bitset<12> arrived as 3 bytes, not 2") != std::string::npos, too_many);
    const std::string past_the_end = rejection([&] {
        set_raw<flags>(a.obj, [](auto& fbb) {
            return CreateAlmanac_flags_Value(fbb, fbb.CreateVector(std::vector<std::uint8_t>{0xff, 0x1f}));
        });
    });
    CHECK_MESSAGE(past_the_end.find("std::bitset<12> arrived with bits set past its 12") != std::string::npos,
                  past_the_end);
    const std::string three_parts = rejection([&] {
        set_raw<remoteobj::generated::Almanac_z>(a.obj, [](auto& fbb) {
            return CreateAlmanac_z_Value(fbb, fbb.CreateVector(std::vector<double>{1, 2, 3}));
        });
    });
    CHECK_MESSAGE(three_parts.find("std::complex arrived with 3 parts, not 2") != std::string::npos, three_parts);
    const std::string short_array = rejection([&] {
        set_raw<remoteobj::generated::Almanac_code>(a.obj, [](auto& fbb) {
            return CreateAlmanac_code_Value(fbb, fbb.CreateVector(std::vector<std::int8_t>{1, 2, 3}));
        });
    });
    CHECK_MESSAGE(short_array.find("received 3 elements for an array of 8") != std::string::npos, short_array);
    // Nothing was stored, and the listener goes on.
    CHECK(a.obj.remote->flags.get() == std::bitset<12>(0b1010'0000'0101));
    CHECK(a.obj.remote->z.get() == std::complex<double>(1.5, -2.0));
    CHECK(a.obj.remote->code[0].get() == 'a');
}

TEST_CASE("process() returns paths, UTF-8 strings, time points and the standard types a header uses") {
    auto path = remoteobj::process([] { return fs::path("/p/q"); });
    CHECK(path.join() == fs::path("/p/q"));
    auto text = remoteobj::process([] { return std::u8string(u8"ü"); });
    CHECK(text.join() == u8"ü");
    auto when = remoteobj::process([] { return SysTime(12s); });
    CHECK(when.join() == SysTime(12s));
    auto paths = remoteobj::process([] { return std::vector<fs::path>{"a", "b"}; });
    CHECK(paths.join() == std::vector<fs::path>{"a", "b"});
    auto bits = remoteobj::process([] { return std::bitset<4>(0b1001); });  // its codec: std_types.remote.hpp's
    CHECK(bits.join() == std::bitset<4>(0b1001));
}

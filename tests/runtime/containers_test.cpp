// Container fields: whole values, and views of their elements with the usual
// operations, each served in a real child; values of container types as
// arguments and results.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <remoteobj/serve.hpp>

#include "test_support.hpp"

TEST_CASE("container fields are read and written whole") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->items.get() == std::vector<int>{1, 2, 3});
    r->items = std::vector<int>{4, 5};
    CHECK(r->items.get() == std::vector<int>{4, 5});
    CHECK(r->triple.get() == std::array<double, 3>{0.5, 1.5, 2.5});
    r->triple = std::array<double, 3>{1, 2, 3};
    CHECK(r->triple.get()[2] == 3);
    CHECK(r->tags.get() == std::set<std::string>{"a"});
    r->table = std::map<std::string, int>{{"x", 1}, {"y", 2}};
    CHECK(r->table.get() == std::map<std::string, int>{{"x", 1}, {"y", 2}});
    CHECK(r->names.get() == std::unordered_map<int, std::string>{{1, "one"}});
    CHECK(r->maybe.get() == std::nullopt);
    r->maybe = 0;  // present, and zero: not the same as absent
    CHECK(r->maybe.get() == std::optional<int>(0));
    r->nickname = std::string();
    CHECK(r->nickname.get() == std::optional<std::string>(""));
    r->colors = std::vector<Color>{Color::blue, Color::green};
    CHECK(r->colors.get() == std::vector<Color>{Color::blue, Color::green});
    r->flags = std::vector<bool>{true, false, true};
    CHECK(r->flags.get() == std::vector<bool>{true, false, true});
}

TEST_CASE("vector views: items[i] get and set, negative indices, push_back, clear, len") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->items[2].get() == 3);
    CHECK(*r->items[0] == 1);
    CHECK(r->items[-1].get() == 3);
    r->items[2] = 7;
    CHECK(r->items.get() == std::vector<int>{1, 2, 7});
    r->items.push_back(8);
    CHECK(remoteobj::len(r->items) == 4);
    CHECK(r->items.size() == 4);
    r->items.clear();
    CHECK(remoteobj::len(r->items) == 0);
    r->triple[1] = 9.5;
    CHECK(r->triple[1].get() == 9.5);
}

TEST_CASE("an out-of-range index comes back as std::out_of_range: the listener goes on") {
    ServedWidget w;
    CHECK_THROWS_AS(w.obj.remote->items[3].get(), std::out_of_range);
    CHECK_THROWS_AS(w.obj.remote->items[-4] = 1, std::out_of_range);
    CHECK(w.obj.remote->items[0].get() == 1);
}

TEST_CASE("map views: table[k] get and set, a missing key, erase, contains, len") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->table["one"].get() == 1);
    r->table["k"] = 3;
    CHECK(r->table["k"].get() == 3);
    CHECK(r->table.contains("k"));
    CHECK_THROWS_AS(r->table["missing"].get(), std::out_of_range);
    CHECK(r->table.erase("k"));
    CHECK(!r->table.erase("k"));
    CHECK(!r->table.contains("k"));
    CHECK(remoteobj::len(r->table) == 1);
    r->names[2] = "two";
    CHECK(r->names[2].get() == "two");
    r->table.clear();
    CHECK(r->table.size() == 0);
}

TEST_CASE("set views: contains, insert, erase") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->tags.contains("a"));
    r->tags.insert("b");
    CHECK(r->tags.get() == std::set<std::string>{"a", "b"});
    CHECK(r->tags.erase("a"));
    CHECK(!r->tags.contains("a"));
    CHECK(remoteobj::len(r->tags) == 1);
}

TEST_CASE("optional views: reset and has_value") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(!r->maybe.has_value());
    r->maybe = 5;
    CHECK(r->maybe.has_value());
    r->maybe.reset();
    CHECK(r->maybe.get() == std::nullopt);
}

TEST_CASE("container arguments and results") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->sum({1, 2, 3, 4}) == 10);
    CHECK(r->sum({}) == 0);
    CHECK(r->words(" split  these words ") == std::vector<std::string>{"split", "these", "words"});
    CHECK(r->find({5, 6, 7}, 7) == std::optional<int>(2));
    CHECK(r->find({5, 6, 7}, 8) == std::nullopt);
    CHECK(r->tag_set() == std::set<std::string>{"a"});
    std::vector<int> big(100000);
    for (int i = 0; i < 100000; ++i) big[static_cast<std::size_t>(i)] = 1;
    CHECK(r->sum(big) == 100000);
}

TEST_CASE("a container operation the field does not have is refused") {
    ServedWidget w;
    // A set has no positions: ItemGet on it is a BadRequest, not a crash.
    CHECK_THROWS_AS(remoteobj::detail::ProxyAccess::state(w.obj.remote.proxy()).call({remoteobj::wire::Operation::ItemGet,
                                               remoteobj::generated::Widget_tags::id, 0, "Widget::tags",
                                               remoteobj::detail::ProxyTraits<Widget>::interface_hash},
                                              [](flatbuffers::FlatBufferBuilder& fbb) {
                                                  remoteobj::detail::ValueCodec<std::int64_t>::encode(fbb, 0);
                                              },
                                              remoteobj::detail::no_arguments{}, remoteobj::detail::no_value{}),
                    remoteobj::ProtocolError);
    CHECK(w.obj.remote->tags.contains("a"));
}

TEST_CASE("std::chrono::duration fields, arguments and results travel as their count") {
    ServedWidget w;
    using namespace std::chrono_literals;
    CHECK(w.obj.remote->timeout.get() == 250ms);
    w.obj.remote->timeout = 2s;
    CHECK(w.obj.remote->timeout.get() == 2000ms);
    CHECK(w.obj.remote->doubled(21us) == 42us);
}

TEST_CASE("REMOTEOBJ structs travel by value, nested in each other and in vectors") {
    ServedWidget w;
    const Segment s{{0, 0}, {4, 6}, "diagonal"};
    CHECK(w.obj.remote->mid(s) == Point{2, 3});
    const Segment flipped = w.obj.remote->flip(s);
    CHECK(flipped.from == Point{4, 6});
    CHECK(flipped.to == Point{0, 0});
    CHECK(flipped.label == "diagonal'");
    CHECK(w.obj.remote->corners(2) == std::vector<Point>{{0, 0}, {2, 0}, {2, 2}, {0, 2}});
}

TEST_CASE("std::pair, std::tuple and std::variant fields, arguments and results") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->labelled.get() == std::pair<int, std::string>{7, "seven"});
    r->labelled = std::pair<int, std::string>{8, "eight"};
    CHECK(r->labelled.get().second == "eight");
    CHECK(r->record.get() == std::tuple<int, double, std::string, Color>{1, 2.5, "three", Color::green});
    CHECK(std::get<std::string>(r->either.get()) == "text");
    r->either = Point{3, 4};
    CHECK(std::get<Point>(r->either.get()) == Point{3, 4});
    r->either = 0;
    CHECK(r->either.get().index() == 0);
    CHECK(std::get<int>(r->parse("42")) == 42);
    CHECK(std::get<std::string>(r->parse("x42")) == "x42");
    CHECK(r->swap_pair({1, 2}) == std::pair<int, int>{2, 1});
}

TEST_CASE("maps as arguments and results") {
    ServedWidget w;
    CHECK(w.obj.remote->counts({"a", "b", "a"}) == std::map<std::string, int>{{"a", 2}, {"b", 1}});
    CHECK(w.obj.remote->counts({}).empty());
    CHECK(w.obj.remote->total({{2, 3}, {4, 5}}) == 26);
}

TEST_CASE("a returned reference: calling copies the value: view() keeps it remote") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->items_ref() == std::vector<int>{1, 2, 3});  // a copy
    CHECK(r->label_ref() == "widget");
    auto items = r->items_ref.view();  // nothing sent yet
    items[0] = 10;
    items.push_back(4);
    CHECK(items.get() == std::vector<int>{10, 2, 3, 4});
    CHECK(remoteobj::len(items) == 4);
    CHECK(r->items.get() == std::vector<int>{10, 2, 3, 4});  // the same vector, in the child
    items = std::vector<int>{7};
    CHECK(r->items[0].get() == 7);
    auto table = r->table_ref.view();
    table["z"] = 26;
    CHECK(r->table["z"].get() == 26);
    CHECK(r->label_ref.view().get() == "widget");
    CHECK(fmt::format("{}", r->items_ref.view()).empty() == false);
}

TEST_CASE("free-function forms: contains, erase, item, len") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(remoteobj::contains(r->table, "one"));
    CHECK(remoteobj::erase(r->tags, "a"));
    CHECK(!remoteobj::contains(r->tags, "a"));
    CHECK(remoteobj::item(r->items, 1).get() == 2);
    CHECK(remoteobj::len(r->items) == 3);
}

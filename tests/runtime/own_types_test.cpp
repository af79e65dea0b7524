// Types the user does not own cross between processes (#27 items 2 and 3): the
// vendor's plain aggregates without annotation, and its other types through
// remoteobj::adapter<T>, as fields, arguments (a view among them), results, nested
// in a vector, an optional and a map, as process() results and passto arguments;
// two annotated headers share each aggregate's one codec in this program.
#include <doctest/doctest.h>

#include <string>

#include <remoteobj/serve.hpp>

#include "ledger.hpp"
#include "shelf.hpp"

// ledger_codec.cpp: the codec's address as that translation unit sees it.
decltype(&remoteobj::detail::Codec<vendor::ReadOptions>::to_wire) ledger_codec_address();

namespace {

struct ServedShelf {
    Shelf obj;
    remoteobj::Served child = remoteobj::serve(obj, remoteobj::process_options{.name = "shelf"});
};

struct ServedLedger {
    Ledger obj;
    remoteobj::Served child = remoteobj::serve(obj, remoteobj::process_options{.name = "ledger"});
};

// Longer than any small-string buffer: the bytes live on the heap, where a freed
// wire string's would be reused by scribble().
std::string long_key(char c) { return std::string(40, c) + "-key"; }

vendor::ReadOptions opts(int tier, std::string tag, std::vector<int> levels = {}) {
    return {false, true, tier, std::move(tag), std::move(levels)};
}

std::string peek(Shelf&, vendor::Slice key) {
    scribble(key.size());
    return key.ToString();
}

}  // namespace

TEST_CASE("a plain aggregate of a vendor's header crosses as a field, an argument, a result and nested") {
    ServedShelf s;
    auto& r = s.obj.remote;
    CHECK(r->defaults.get() == vendor::ReadOptions{true, false, 2, "main", {1, 2}});
    r->defaults = vendor::ReadOptions{false, false, 7, "seven", {7, 7}};
    CHECK(r->defaults.get() == vendor::ReadOptions{false, false, 7, "seven", {7, 7}});
    CHECK(r->options_for(3) == vendor::ReadOptions{false, true, 3, "tier3", {3}});
    CHECK(r->get(opts(0, "t"), vendor::Slice("k", 1)) == "t:k");
    const std::vector<vendor::ReadOptions> more{opts(1, ""), opts(0, "x")};
    const auto all = r->all_options(more);
    REQUIRE(all.size() == 3);
    CHECK(all[0] == vendor::ReadOptions{false, false, 7, "seven", {7, 7}});
    CHECK(all[1] == more[0]);
    CHECK(all[2] == more[1]);
}

TEST_CASE("a plain aggregate with a plain aggregate base crosses with its base's fields") {
    ServedShelf s;
    auto& r = s.obj.remote;
    CHECK(r->frame.get() == vendor::Box{{1, 2}, 3, 4});
    r->frame = vendor::Box{{-5, 6}, 7, 8};
    CHECK(r->frame.get() == vendor::Box{{-5, 6}, 7, 8});
    CHECK(r->area(vendor::Box{{1, 1}, 2, 5}) == 12);
    CHECK(r->box_if(true) == std::optional<vendor::Box>(vendor::Box{{-5, 6}, 7, 8}));
    CHECK_FALSE(r->box_if(false).has_value());
}

TEST_CASE("two annotated headers use one codec of each plain aggregate, in one program") {
    ServedLedger l;
    auto& r = l.obj.remote;
    r->options = opts(4, "ledger");
    CHECK(r->options.get() == opts(4, "ledger"));
    ServedShelf s;
    // A value one header's proxy received goes out through the other's.
    CHECK(r->tier_of(s.obj.remote->options_for(9)) == 9);
    r->boxes = std::vector<vendor::Box>{{{1, 2}, 3, 4}};
    r->boxes.push_back(vendor::Box{{0, 0}, 1, 1});
    CHECK(r->boxes[1].get() == vendor::Box{{0, 0}, 1, 1});
    CHECK(r->grow(vendor::Box{{1, 1}, 1, 1}, 2) == vendor::Box{{1, 1}, 3, 3});
    // Both headers' stubs call the same inline codec: one definition in the program.
    const bool one_codec = &remoteobj::detail::Codec<vendor::ReadOptions>::to_wire == ledger_codec_address();
    CHECK(one_codec);
}

TEST_CASE("an adapted type crosses as a field, a result, and nested in a vector, an optional and a map") {
    ServedShelf s;
    auto& r = s.obj.remote;
    CHECK(r->last.get() == vendor::Status::NotFound("nothing yet"));
    r->last = vendor::Status::Restored(7, "seven");
    CHECK(r->last.get() == vendor::Status::Restored(7, "seven"));
    CHECK(r->timeout.get() == vendor::Millis(250));
    r->timeout = vendor::Millis(-1);
    CHECK(r->timeout.get() == vendor::Millis(-1));
    CHECK(r->put(vendor::Slice("k", 1), vendor::Slice()) == vendor::Status::NotFound("k"));
    CHECK(r->put(vendor::Slice("k", 1), vendor::Slice("v", 1)).ok());
    CHECK(r->twice(vendor::Millis(21)) == vendor::Millis(42));
    CHECK(r->statuses(2) == std::vector<vendor::Status>{vendor::Status::Restored(0, "s0"), vendor::Status::Restored(1, "s1")});
    r->history = std::vector<vendor::Status>{vendor::Status::OK()};
    r->history.push_back(vendor::Status::NotFound("h"));
    CHECK(r->history[1].get() == vendor::Status::NotFound("h"));
    CHECK(r->find(3) == std::optional<vendor::Status>(vendor::Status::Restored(3, "found")));
    CHECK_FALSE(r->find(-1).has_value());
    CHECK_FALSE(r->deadline.get().has_value());
    r->deadline = vendor::Millis(30);
    CHECK(r->deadline.get() == std::optional<vendor::Millis>(vendor::Millis(30)));
    CHECK(r->timeouts() == std::map<std::string, vendor::Millis>{{"read", vendor::Millis(5)}, {"write", vendor::Millis(9)}});
}

TEST_CASE("a view type as an argument refers into its wire value until the member returns") {
    ServedShelf s;
    auto& r = s.obj.remote;
    const std::string a = long_key('a'), b = long_key('b');
    CHECK(r->get(opts(0, "t"), vendor::Slice(a)) == "t:" + a);
    CHECK(r->joined({vendor::Slice(a), vendor::Slice(b)}) == a + ";" + b + ";");
    CHECK(r->maybe_key(vendor::Slice(b)) == b);
    CHECK(r->maybe_key(std::nullopt) == "(none)");
    CHECK(s.obj.remote.passto<&peek>(vendor::Slice(a)) == a);
}

TEST_CASE("process() returns adapted types and plain aggregates") {
    auto status = remoteobj::process([] { return vendor::Status::NotFound("gone"); });
    CHECK(status.join() == vendor::Status::NotFound("gone"));
    auto options = remoteobj::process([] { return opts(5, "", {5, 6}); });
    CHECK(options.join() == opts(5, "", {5, 6}));
    auto box = remoteobj::process([] { return vendor::Box{{1, 2}, 3, 4}; });
    CHECK(box.join() == vendor::Box{{1, 2}, 3, 4});
}

TEST_CASE("the user's own aggregate of adapted types, and adapted types in pairs, variants, vectors and streams") {
    ServedShelf s;
    auto& r = s.obj.remote;
    Entry e{"k", vendor::Millis(3), vendor::Status::NotFound("e"), {'x', 'y', 'z'}};
    r->entries = std::map<std::string, Entry>{{"one", e}};
    CHECK(r->entries.get() == std::map<std::string, Entry>{{"one", e}});
    CHECK(r->entries["one"].get() == e);
    const std::string key = long_key('p');
    CHECK(r->describe({7, vendor::Slice(key)}) == "7=" + key);
    CHECK(std::get<vendor::Box>(r->outcome(true)) == vendor::Box{{0, 1}, 2, 3});
    CHECK(std::get<vendor::Status>(r->outcome(false)) == vendor::Status::NotFound("no box"));
    CHECK(r->id_sets({vendor::Ids(std::vector<int>{1, 2}), vendor::Ids()}) == std::vector<vendor::Ids>{vendor::Ids(), vendor::Ids(std::vector<int>{1, 2})});
    std::vector<vendor::Status> streamed;
    for (const vendor::Status& status : r->replay(3)) streamed.push_back(status);
    CHECK(streamed == std::vector<vendor::Status>{vendor::Status::Restored(0, "r"), vendor::Status::Restored(1, "r"),
                                                  vendor::Status::Restored(2, "r")});
}

TEST_CASE("a REMOTEOBJ class with private data crosses by value through the adapter declared for it") {
    ServedShelf s;
    CHECK(s.obj.remote->promote(Token(41)).number() == 42);
}

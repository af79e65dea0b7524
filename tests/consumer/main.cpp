// tests/consumer: forks a Ledger's keeper, uses it through the proxy, and exits
// non-zero on any wrong value. tests/package also completes code after `book.remote->`.
#include <exception>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "catalog.hpp"
#include "db/client.hpp"
#include "inventory.hpp"
#include "ledger.hpp"
#include "net/client.hpp"
#include "shape.v1.hpp"
#include "shape.v2.hpp"

namespace {

// A class of another target (a library) using the same map type as this one's headers.
void check_catalog(const std::function<void(bool, const char*)>& expect) {
    Catalog catalog;
    auto keeper = remoteobj::process([&] { catalog.serve_until_closed(); });
    catalog.remote.wait_until_listening(keeper);
    catalog.remote->prices = {{"tea", 5}, {"cake", 3}};
    expect(catalog.remote->price("cake") == 3, "another target's class, the same map type");
    expect(catalog.remote->prices.get() == std::map<std::string, int>{{"cake", 3}, {"tea", 5}},
           "its map field, read back");
    catalog.remote->close();
    keeper.join();
}

// Everything of inventory.hpp and the same-named headers, through a second child.
void check_inventory(const std::function<void(bool, const char*)>& expect) {
    Inventory store;
    auto keeper = remoteobj::process([&] { store.serve_until_closed(); });
    store.remote.wait_until_listening(keeper);
    auto& r = store.remote;
    expect(r->add("apple", 2) == 5 && r->add("pear") == 1, "add() with and without its default");
    expect(r->stock.get() == std::map<std::string, int>{{"apple", 5}, {"pear", 1}}, "a map field");
    r->by_aisle = {{1, {"x"}}};
    expect(r->by_aisle.get().at(1) == std::vector<std::string>{"x"}, "a map of vectors");
    const Item made = r->make("plum");
    expect(made.name == "plum" && made.aisle == Aisle::back, "a struct returned by value, enum default");
    expect(r->aisle_of(Item{"fig", 1, Aisle::middle}) == Aisle::middle, "a struct argument, an enum result");
    expect(r->shelf.put(made, 2) == 2 && r->shelf.capacity.get() == 10, "a nested REMOTEOBJ field");
    expect(r->shelf.items.get().size() == 2, "a vector of structs in the nested object");
    // Formatting a nested proxy compiles under the user's -Werror in Release too (GCC
    // 12's -O3 -Wrestrict once misfired inside it).
    expect(fmt::format("{}", r->shelf) == "<Proxy Shelf at Inventory.shelf>", "a nested proxy, formatted");
    r->featured = made;
    expect(r->featured.get().has_value(), "an optional struct");
    expect(std::get<1>(r->label.get()) == "one", "a tuple field");
    r->name = "shop";
    r->path = 4;
    r->caller = 5;
    expect(r->name.get() == "shop" && r->path.get() == 4 && r->caller.get() == 5,
           "fields named name, path and caller");
#ifndef NDEBUG
    r->debug_calls = 3;
    expect(r->debug_calls.get() == 3, "a member that exists only without NDEBUG");
#endif
#ifdef CONSUMER_EXTRA
    expect(r->extra.get() == 7, "a member defined by the target's compile options");
#endif
#ifdef CONSUMER_FROM_FLAGS
    expect(r->from_flags.get() == 9, "a member defined by CMAKE_CXX_FLAGS");
#endif
    r->close();
    keeper.join();

    net::Client web;
    db::Client base;
    {
        auto web_server = remoteobj::serve(web);
        auto base_server = remoteobj::serve(base);
        base.remote->stock = {{"kiwi", 1}};
        expect(web.remote->port.get() == 80 && base.remote->database.get() == "main" &&
                   base.remote->stock.get().at("kiwi") == 1,
               "net/client.hpp and db/client.hpp, both named client.hpp");
    }
    v1::Shape triangle;
    v2::Shape square;
    {
        auto triangle_server = remoteobj::serve(triangle);
        auto square_server = remoteobj::serve(square);
        expect(triangle.remote->sides.get() == 3 && square.remote->sides.get() == 4,
               "shape.v1.hpp and shape.v2.hpp side by side");
    }
}

}  // namespace

int main() {
    Ledger book;
    auto keeper = remoteobj::process([&] { book.serve_until_closed(); });
    book.remote.wait_until_listening(keeper);

    int failures = 0;
    auto expect = [&](bool ok, const char* what) {
        fmt::print("{:<48} {}\n", what, ok ? "ok" : "FAILED");
        if (!ok) ++failures;
    };
    try {
        expect(book.remote->add(2) == 2, "add(2) returns 2");
        expect(book.remote->add(40) == 42, "add(40) returns 42");
        expect(book.remote->total.get() == 42, "total is 42");
        book.remote->owner = "consumer";
        expect(book.remote->owner.get() == "consumer", "owner was set remotely");
        expect(book.remote->entries.get() == std::vector<int>{2, 40}, "entries are [2, 40]");
        try {
            book.remote->add(-1);
            expect(false, "add(-1) throws std::invalid_argument");
        } catch (const std::invalid_argument& e) {
            expect(std::string(e.what()) == "a ledger only adds", "add(-1) throws std::invalid_argument");
        }
        expect(book.total == 0 && book.owner == "nobody", "the parent's own copy is untouched");
        book.remote->by_owner = {{"consumer", 42}};
        expect(book.remote->by_owner.get().at("consumer") == 42, "a map field of the same type as another header's");
        book.remote->close();
        keeper.join();
        check_inventory(expect);
        check_catalog(expect);
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
    return failures == 0 ? 0 : 1;
}

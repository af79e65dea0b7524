// Values nested in each other cross whole, as fields, arguments, results and items.
#include <doctest/doctest.h>

#include <remoteobj/serve.hpp>

#include "nested.hpp"

namespace {
struct ServedNest {
    Nest obj;
    remoteobj::Served child = remoteobj::serve(obj, remoteobj::process_options{.name = "nest"});
};
using Grid = std::vector<std::vector<int>>;
}  // namespace

TEST_CASE("containers of containers cross as fields, arguments and results") {
    ServedNest n;
    auto& r = n.obj.remote;
    CHECK(r->grid.get() == Grid{{1, 2}, {3}});
    r->grid = Grid{{}, {4, 5, 6}};
    CHECK(r->grid.get() == Grid{{}, {4, 5, 6}});
    CHECK(r->transpose(Grid{{1, 2}, {3, 4}}) == Grid{{1, 3}, {2, 4}});
    CHECK(r->square.get() == std::array<std::array<int, 2>, 2>{{{1, 2}, {3, 4}}});
    CHECK(r->unique_lists.get() == std::set<std::vector<int>>{{1}, {1, 2}});
    CHECK(r->cube.get() == std::vector<std::vector<std::vector<int>>>{{{1}}});
    r->cube = std::vector<std::vector<std::vector<int>>>{{{1, 2}, {}}, {}};
    CHECK(r->cube.get() == std::vector<std::vector<std::vector<int>>>{{{1, 2}, {}}, {}});
    CHECK(r->groups.get() == std::map<std::string, std::vector<std::string>>{{"a", {"x", "y"}}});
    CHECK(r->layers.get() == std::vector<std::map<std::string, long>>{{{"k", 1}}});
}

TEST_CASE("optionals of containers and structs, and containers of optionals") {
    ServedNest n;
    auto& r = n.obj.remote;
    CHECK(r->sparse.get() == std::vector<std::optional<int>>{1, std::nullopt, 3});
    CHECK_FALSE(r->maybe_list.get().has_value());
    r->maybe_list = std::vector<int>{};
    CHECK(r->maybe_list.get() == std::optional<std::vector<int>>(std::vector<int>{}));  // empty, yet present
    CHECK_FALSE(r->maybe_spot.get().has_value());
    r->maybe_spot = Spot{3, "three"};
    CHECK(r->maybe_spot.get() == std::optional<Spot>(Spot{3, "three"}));
    CHECK(r->row(1) == std::optional<std::vector<int>>(std::vector<int>{3}));
    CHECK_FALSE(r->row(9).has_value());
}

TEST_CASE("containers inside pairs, tuples and variants") {
    ServedNest n;
    auto& r = n.obj.remote;
    CHECK(r->labelled.get() == std::tuple<int, std::vector<std::string>>{7, {"seven"}});
    CHECK(r->either.get() == std::variant<int, std::vector<int>>{std::vector<int>{4, 5}});
    r->either = 9;
    CHECK(r->either.get() == std::variant<int, std::vector<int>>{9});
    CHECK(r->named_table.get() == std::pair<std::string, std::map<std::string, long>>{"t", {{"one", 1}}});
    CHECK(r->rows.get() == std::vector<std::tuple<int, std::string>>{{1, "a"}});
    CHECK(r->by_name({{1, "a"}, {2, "b"}, {3, "a"}}) ==
          std::map<std::string, std::vector<Spot>>{{"a", {{1, "a"}, {3, "a"}}}, {"b", {{2, "b"}}}});
}

TEST_CASE("items of nested containers are read and written through views") {
    ServedNest n;
    auto& r = n.obj.remote;
    CHECK(r->grid[0].get() == std::vector<int>{1, 2});
    r->grid[1] = std::vector<int>{8, 9};
    r->grid.push_back(std::vector<int>{10});
    CHECK(r->grid.get() == Grid{{1, 2}, {8, 9}, {10}});
    CHECK(r->groups["a"].get() == std::vector<std::string>{"x", "y"});
    r->groups["b"] = std::vector<std::string>{"z"};
    CHECK(remoteobj::len(r->groups) == 2);
    CHECK(r->sparse[1].get() == std::nullopt);
    r->sparse[1] = 2;
    CHECK(r->sparse[1].get() == std::optional<int>(2));
    CHECK(r->spots[0].get() == Spot{1, "one"});
    r->spots.push_back(Spot{2, "two"});
    CHECK(r->spots[-1].get() == Spot{2, "two"});
    CHECK(r->spot_rows[0].get() == std::vector<Spot>{{2, "two"}});
    CHECK(r->rows[0].get() == std::tuple<int, std::string>{1, "a"});
    CHECK(r->layers[0].get() == std::map<std::string, long>{{"k", 1}});
    CHECK(r->cube[0].get() == Grid{{1}});
    CHECK_THROWS_AS(r->grid[5].get(), std::out_of_range);  // the listener goes on
    CHECK(remoteobj::len(r->grid) == 3);
}

TEST_CASE("process() returns REMOTEOBJ structs and map types the generator has seen, and durations") {
    auto spot = remoteobj::process([] { return Spot{7, "seven"}; });
    CHECK(spot.join() == Spot{7, "seven"});
    using Groups = std::map<std::string, std::vector<std::string>>;
    auto groups = remoteobj::process([] { return Groups{{"a", {"x", "y"}}, {"b", {}}}; });
    CHECK(groups.join() == Groups{{"a", {"x", "y"}}, {"b", {}}});
    auto took = remoteobj::process([] { return std::chrono::milliseconds(1500); });
    CHECK(took.join() == std::chrono::milliseconds(1500));
}

// What the generator once accepted and then could not compile (issue #27 item 5),
// used for real through a forked process.
#include <doctest/doctest.h>

#include <remoteobj/serve.hpp>

#include "accepted.hpp"

namespace {

struct ServedSquare {
    Square obj;
    remoteobj::Served child = remoteobj::serve(obj, remoteobj::process_options{.name = "square"});
};

}  // namespace

TEST_CASE("an abstract REMOTEOBJ base is served through its concrete object") {
    ServedSquare s;
    CHECK(s.obj.remote->area() == 9);
    s.obj.remote->side = 4;
    CHECK(s.obj.remote->area() == 16);
    CHECK(s.obj.remote->kind() == "square");
    CHECK(s.obj.remote.super<Shape>().kind() == "shape");
}

TEST_CASE("a method returning a const reference to a REMOTEOBJ object gives that object's proxy") {
    ServedSquare s;
    CHECK(s.obj.remote->name_tag().text.get() == "label");
    CHECK(s.obj.remote->name_tag().length() == 5);
    s.obj.remote->label.text = "renamed";
    CHECK(s.obj.remote->name_tag().text.get() == "renamed");
}

TEST_CASE("a struct with a template constructor crosses by value") {
    ServedSquare s;
    CHECK(s.obj.remote->measure(Measure(21)).value == 42);
    CHECK(s.obj.remote->last.value.get() == 21);
}

TEST_CASE("a nodiscard method's result is returned through the proxy") {
    ServedSquare s;
    CHECK(s.obj.remote->checked(1) == 2);
}

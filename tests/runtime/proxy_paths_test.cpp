// Proxies over paths: nested objects, base classes and super, chaining, one-way
// calls, formatting, and interface checks.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <remoteobj/serve.hpp>

#include "test_support.hpp"

TEST_CASE("a field whose type is a REMOTEOBJ class is a nested proxy, to any depth") {
    ServedWidget w;
    auto& r = w.obj.remote;
    CHECK(r->branch.name.get() == "branch");
    CHECK(r->branch.leaf.value.get() == 1);
    r->branch.leaf.value = 21;
    CHECK(r->branch.leaf.twice() == 42);
    CHECK(r->branch.describe() == "branch:21");
    CHECK(w.obj.branch.leaf.value == 1);  // only the child's object changed
}

TEST_CASE("a method returning a reference to a REMOTEOBJ object gives that object's proxy") {
    ServedWidget w;
    auto& r = w.obj.remote;
    r->branch_ref().leaf_at(1).value = 8;
    CHECK(r->branch.spare.value.get() == 8);
    CHECK(r->branch_ref().leaf_at(1).twice() == 16);
    CHECK(r->branch.leaf_at().value.get() == 1);  // the default argument, evaluated remotely
    CHECK(fmt::format("{}", r->branch_ref().leaf_at(1)) == "<Proxy Leaf at Widget.branch_ref(...).leaf_at(...)>");
}

TEST_CASE("an exception inside a nested call comes back as itself: the listener goes on") {
    ServedWidget w;
    CHECK_THROWS_AS(w.obj.remote->branch.leaf.at(5), std::out_of_range);
    CHECK(w.obj.remote->branch.leaf.at(1) == 2);
}

TEST_CASE("base-class members are reachable through the derived proxy") {
    ServedWidget w;
    CHECK(w.obj.remote->gadget_count.get() == 3);
    w.obj.remote->gadget_count = 4;
    CHECK(w.obj.remote->gadget_count.get() == 4);
    CHECK(w.obj.remote->plain() == 11);
}

TEST_CASE("virtual calls run the override: super<Base>() runs the base's own implementation") {
    ServedWidget w;
    CHECK(w.obj.remote->kind() == "widget");
    CHECK(w.obj.remote.super<Gadget>().kind() == "gadget");
    CHECK(w.obj.remote.super().kind() == "gadget");
    CHECK(remoteobj::super<Gadget>(w.obj.remote.proxy()).kind() == "gadget");
    CHECK(remoteobj::super<Gadget>(w.obj.remote).kind() == "gadget");
    CHECK(w.obj.remote.super().gadget_count.get() == 3);
}

TEST_CASE("a method returning its own object chains on the proxy") {
    ServedWidget w;
    CHECK(w.obj.remote->number.get() == 0);
    CHECK(w.obj.remote->chain().chain().chain(5).number.get() == 7);
}

TEST_CASE("one-way calls are not waited for, and run in order before later calls") {
    ServedWidget w;
    for (int i = 1; i <= 100; ++i) w.obj.remote->note(i);
    CHECK(w.obj.remote->notes.get() == 5050);
}

TEST_CASE("a one-way call that throws does not stop the listener") {
    ServedWidget w;
    w.obj.remote->note_fails();
    CHECK(w.obj.remote->add(1, 1) == 2);
}

TEST_CASE("formatting a proxy names its class and path, and sends nothing") {
    Widget obj;  // nobody listens: formatting must not need to
    CHECK(fmt::format("{}", obj.remote.proxy()) == "<Proxy Widget>");
    CHECK(fmt::format("{}", obj.remote->branch.leaf) == "<Proxy Leaf at Widget.branch.leaf>");
    CHECK(fmt::format("{}", obj.remote.super<Gadget>()) == "<Proxy Gadget at Widget.super<Gadget>>");
    CHECK(fmt::format("{}", obj.remote) == "<Remote Widget: not listening>");
    auto listening = obj.remote.listen();
    CHECK(fmt::format("{}", obj.remote) == fmt::format("<Remote Widget: listening in pid {}>", ::getpid()));
}

TEST_CASE("a request for another class fails naming both class identities") {
    ServedWidget w;
    const std::uint64_t stale = 0x1234;
    try {
        remoteobj::detail::ProxyAccess::state(w.obj.remote.proxy()).call(
            {remoteobj::wire::Operation::Get, 1, 0, "Widget::number", stale}, remoteobj::detail::no_arguments{},
            remoteobj::detail::no_value{});
        FAIL("no exception");
    } catch (const remoteobj::InterfaceMismatch& e) {
        const std::string what = e.what();
        CHECK(what.find("Widget") != std::string::npos);
        CHECK(what.find("0000000000001234") != std::string::npos);
        CHECK(what.find(fmt::format("{:016x}", remoteobj::detail::ProxyTraits<Widget>::interface_hash)) != std::string::npos);
    }
    CHECK(w.obj.remote->number.get() == 0);  // the listener goes on
}

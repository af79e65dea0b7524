// passto<&fn>(args...): a function named at compile time runs on the remote object.
#include <doctest/doctest.h>

#include <remoteobj/serve.hpp>

#include "test_support.hpp"

namespace {

int items_total(const Widget& w) {
    int total = 0;
    for (int i : w.items) total += i;
    return total;
}

std::string renumber(Widget& w, const std::string& prefix, int n) {
    w.number = n;
    return prefix + std::to_string(w.number);
}

void zero(Widget& w) { w.number = 0; }

int gadget_twice(const Gadget& g) { return g.gadget_count * 2; }

int refuse(const Widget&) { throw std::domain_error("not here"); }

}  // namespace

TEST_CASE("passto runs fn(obj, args...) in the listening process and returns its result") {
    ServedWidget w;
    CHECK(w.obj.remote.passto<&items_total>() == 6);
    CHECK(w.obj.remote.passto<&renumber>("n=", 5) == "n=5");
    CHECK(w.obj.remote->number.get() == 5);
    w.obj.remote.passto<&zero>();
    CHECK(w.obj.remote->number.get() == 0);
    CHECK(remoteobj::passto<&items_total>(w.obj.remote.proxy()) == 6);
    CHECK(remoteobj::passto<&items_total>(w.obj.remote) == 6);
}

TEST_CASE("passto works on a base class's function through the derived proxy, and on nested objects") {
    ServedWidget w;
    CHECK(w.obj.remote.passto<&gadget_twice>() == 6);
}

TEST_CASE("what the passed function throws comes back as itself") {
    ServedWidget w;
    CHECK_THROWS_WITH_AS(w.obj.remote.passto<&refuse>(), "not here", std::domain_error);
    CHECK(w.obj.remote.passto<&items_total>() == 6);
}

TEST_CASE("an id that names no registered function is refused") {
    ServedWidget w;
    const remoteobj::detail::CallSpec spec{remoteobj::wire::Operation::Passto, 0, 0, "passto",
                                           remoteobj::detail::ProxyTraits<Widget>::interface_hash};
    CHECK_THROWS_AS(remoteobj::detail::ProxyAccess::state(w.obj.remote.proxy()).call(
                        spec,
                        [](flatbuffers::FlatBufferBuilder& fbb) {
                            remoteobj::detail::ValueCodec<std::uint64_t>::encode(fbb, 0xdeadbeef);
                        },
                        remoteobj::detail::no_arguments{}, remoteobj::detail::no_value{}),
                    remoteobj::ProtocolError);
}

// A member may have any name: members named like the proxy's own machinery
// compile, are reached through the proxy, and are all that completion offers.
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>
#include <remoteobj/serve.hpp>

#include "names.hpp"

namespace {

int doubled(const Names& names, int x) { return names.passto(x) * 2; }

}  // namespace

TEST_CASE("members named like the proxy's machinery are each reached through the proxy") {
    Names obj;
    auto server = remoteobj::serve(obj);
    auto& first = obj.remote->interface_hash;  // tests/runtime/complete_names.cmake completes here
    CHECK(first.get() == 1);
    auto& r = obj.remote;
    CHECK(r->class_name.get() == "mine");
    CHECK(r->path.get() == 3);
    CHECK(r->caller.get() == 4);
    CHECK(r->name.get() == 5);
    CHECK(r->id.get() == 6);
    CHECK(r->other.get() == 7);
    CHECK(r->parent.get() == 8);
    CHECK(r->step.get() == 9);
    CHECK(r->channel.get() == 10);
    CHECK(r->key.get() == 11);
    CHECK(r->add_method.get() == 12);
    CHECK(r->owner.get() == 13);
    CHECK(r->root_name_.get() == 14);
    CHECK(r->subscript.get() == 15);
    CHECK(r->Field.get() == 16);
    CHECK(r->detail.get() == 17);
    CHECK(r->wire.get() == 18);
    CHECK(r->generated.get() == 19);
    CHECK(r->remoteobj.get() == 20);
    CHECK(r->ItemView.get() == 21);
    CHECK(r->Channel.get() == 22);
    CHECK(r->leaf_view.get() == 23);
    CHECK(r->leaf() == 15);
    CHECK(r->leaf.view().get() == 15);
    CHECK(r->call(1) == 2);
    CHECK(r->call_async() == 2);
    CHECK(r->call_async.async().get() == 2);
    CHECK(r->describe() == "described");
    CHECK(r->passto(4) == 8);
    CHECK(r->super() == 3);
    CHECK(r->get() == 4);
    r->set(30);
    CHECK(r->path.get() == 30);
    CHECK(r->view() == 5);
    CHECK(r->async() == 6);
    CHECK(r->add(2, 3) == 5);
    CHECK(r[4].get() == 40);
    // The whole-object operations are still there, as free functions and on the Remote.
    CHECK(remoteobj::passto<&doubled>(r.proxy(), 3) == 12);
    CHECK(r.passto<&doubled>(3) == 12);
    CHECK(fmt::format("{}", r.proxy()) == "<Proxy Names>");
    CHECK(std::string(remoteobj::detail::ProxyTraits<Names>::class_name) == "Names");
}

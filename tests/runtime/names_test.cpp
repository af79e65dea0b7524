// A member may have any name: members named like the proxy's own machinery
// compile, are reached through the proxy, and are all that completion offers.
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>
#include <remoteobj/batch.hpp>
#include <remoteobj/serve.hpp>

#include "names.hpp"

namespace {

int doubled(const Names& names, int x) { return names.passto(x) * 2; }
int hidden_of(const Bare& bare) { return bare.hidden; }

}  // namespace

TEST_CASE("members named like the proxy's machinery are each reached through the proxy") {
    Names obj;
    auto server = remoteobj::serve(obj);
    auto& first = obj.remote->interface_hash;  // tests/CMakeLists.txt completes here
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
    CHECK(r->state.get() == 24);
    CHECK(r->state_.get() == 25);
    CHECK(r->proxy.get() == 26);
    CHECK(r->self_.get() == 27);
    CHECK(r->owner_state.get() == 28);
    CHECK(r->self_proxy.get() == 29);
    CHECK(r->handle.get() == 30);
    CHECK(r->ProxyState.get() == 31);
    CHECK(r->ProxyHandle.get() == 32);
    CHECK(r->remoteobj_proxy_state.get() == 33);
    CHECK(&r->self() == &r.proxy());  // chains on the same proxy
    CHECK(r->self().self().add(1, 2) == 3);
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
    // A copy of the proxy is a proxy of the same object, and offers the same names.
    remoteobj::Proxy<Names> copy = r.proxy();
    CHECK(copy.id.get() == 6);  // tests/CMakeLists.txt completes after "copy." too
    CHECK(fmt::format("{}", copy) == "<Proxy Names>");
    CHECK(std::string(remoteobj::detail::ProxyTraits<Names>::class_name) == "Names");
}

TEST_CASE("a proxy finds where its requests go with no member of its own, whatever members its class has") {
    SUBCASE("no exported member: the proxy holds it") {
        Bare bare;
        auto server = remoteobj::serve(bare);
        CHECK(remoteobj::passto<&hidden_of>(bare.remote.proxy()) == 41);
        CHECK(fmt::format("{}", bare.remote.proxy()) == "<Proxy Bare>");
    }
    SUBCASE("no member but its base's: found through the base proxy's views") {
        Heir heir;
        auto server = remoteobj::serve(heir);
        CHECK(heir.remote->add(2, 3) == 5);
        CHECK(heir.remote->id.get() == 6);
        CHECK(fmt::format("{}", heir.remote.proxy()) == "<Proxy Heir>");
        CHECK(fmt::format("{}", remoteobj::super<Names>(heir.remote.proxy())) == "<Proxy Names at Heir.super<Names>>");
        CHECK(remoteobj::super<Names>(heir.remote.proxy()).id.get() == 6);
    }
    SUBCASE("only objects as members: found as their parent") {
        Holder holder;
        holder.bare.hidden = 7;
        auto server = remoteobj::serve(holder);
        CHECK(fmt::format("{}", holder.remote.proxy()) == "<Proxy Holder>");
        CHECK(fmt::format("{}", holder.remote->bare) == "<Proxy Bare at Holder.bare>");
        CHECK(remoteobj::passto<&hidden_of>(holder.remote->bare) == 7);
        CHECK(holder.remote->heir.class_name.get() == "mine");
        remoteobj::Batch batch(holder.remote.proxy());
        auto sum = holder.remote->heir.add.async(20, 22);
        CHECK(sum.get() == 42);
    }
}

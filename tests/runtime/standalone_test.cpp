// Channel<T> and a standalone Proxy<T>: an object with no Remote member, made and
// served by a child process, used from the parent.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <remoteobj/remoteobj.hpp>

#include "tally.hpp"
#include "test_support.hpp"

namespace {

int scaled_sum(const Tally& tally, int scale) {
    int sum = 0;
    for (int v : tally.seen) sum += v;
    return sum * scale;
}

/// A child that makes its own Tally and serves it until `done` is raised.
struct ServedTally {
    remoteobj::Channel<Tally> channel;
    Signal done;
    remoteobj::Process<int> child = remoteobj::process(remoteobj::process_options{.name = "tally"}, [this] {
        Tally tally;  // exists only in the child
        tally.add(40);
        {
            auto listening = channel.listen(tally);
            done.wait();
        }
        return static_cast<int>(tally.seen.size());
    });
    ServedTally() { channel.wait_until_listening(child); }
};

}  // namespace

TEST_CASE("a standalone Proxy<T> on a Channel<T> reaches an object made in the child") {
    ServedTally served;
    remoteobj::Proxy<Tally> tally(served.channel);

    CHECK(tally.add(2) == 2);
    CHECK(tally.add(7) == 3);
    CHECK(tally.label.get() == "tally");
    tally.label = "renamed";
    CHECK(*tally.label == "renamed");
    CHECK(tally.seen[1].get() == 2);
    tally.seen.push_back(9);
    CHECK(remoteobj::len(tally.seen) == 4);
    CHECK(tally.last() == 9);

    // Copies of the proxy share the channel.
    remoteobj::Proxy<Tally> copy = served.channel.proxy();
    CHECK(copy.seen.get() == std::vector<int>{40, 2, 7, 9});

    served.done.raise();
    CHECK(served.child.join() == 4);
}

TEST_CASE("whole-object operations work on a standalone Proxy<T>") {
    ServedTally served;
    remoteobj::Proxy<Tally> tally(served.channel);
    tally.add(5);
    tally.add(5);

    CHECK(tally[0].get() == 40);
    tally[1] = 6;
    CHECK(tally[1].get() == 6);
    CHECK(tally.contains(5));
    CHECK_FALSE(tally.contains(99));
    CHECK(remoteobj::contains(tally, 6));
    CHECK(remoteobj::len(tally) == 3);
    CHECK(tally.erase(5) == 1);
    CHECK(remoteobj::erase(tally, 6) == 1);
    CHECK(tally.size() == 1);
    CHECK(remoteobj::passto<&scaled_sum>(tally, 3) == 120);  // the free form: a proxy has only the class's members

    // A remote exception comes back; the listener goes on.
    CHECK_THROWS_AS(tally[7].get(), std::out_of_range);
    CHECK(tally.size() == 1);

    served.done.raise();
    CHECK(served.child.join() == 1);
}

TEST_CASE("a REMOTEOBJ struct from another header crosses by value") {
    ServedTally served;
    remoteobj::Proxy<Tally> tally(served.channel);
    CHECK(tally.mark(Spot{1, "first"}) == Spot{});
    CHECK(tally.mark(Spot{2, "second"}) == Spot{1, "first"});
    CHECK(tally.marks.get() == std::vector<Spot>{{1, "first"}, {2, "second"}});
    CHECK(tally.marks[1].get() == Spot{2, "second"});
    served.done.raise();
    CHECK(served.child.join() == 1);
}

TEST_CASE("a standalone proxy says who it is and fails cleanly when nobody listens") {
    remoteobj::Channel<Tally> channel;
    remoteobj::Proxy<Tally> tally(channel);
    CHECK(fmt::format("{}", channel) == "<Channel Tally: not listening>");
    CHECK(fmt::format("{}", tally).find("Tally") != std::string::npos);
    CHECK_FALSE(channel.listening());
    CHECK_THROWS_AS(tally.add(1), remoteobj::NotListening);
    CHECK(tally.label.get_or("nobody") == "nobody");
}

TEST_CASE("a channel served by this process itself evaluates in place") {
    remoteobj::Channel<Tally> channel;
    Tally local;
    auto listening = channel.listen(local);
    remoteobj::Proxy<Tally> tally(channel);
    CHECK(tally.add(3) == 1);
    CHECK(local.seen == std::vector<int>{3});
    CHECK(fmt::format("{}", channel) == fmt::format("<Channel Tally: listening in pid {}>", ::getpid()));
}

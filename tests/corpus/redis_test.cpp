// redis-plus-plus's Redis served by a forked child (made from a URI, as users
// make it), called from the parent through its generated proxy: every argument a
// StringView (adapter), results in redis-plus-plus's own OptionalString (adapter),
// std::chrono durations, the UpdateType and BitOp enums, and Redis's errors.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "corpus_support.hpp"
#include "redis.hpp"
#include "redis.remote.hpp"

using sw::redis::OptionalString;
using sw::redis::Redis;
using sw::redis::StringView;
using sw::redis::UpdateType;

namespace {

corpus::Served<Redis> served_redis() {
    return corpus::Served<Redis>(
        "redis", [] { return std::make_unique<Redis>("tcp://user:secret@127.0.0.1:6379/2"); },
        [](Redis& redis) { return static_cast<int>(redis.dbsize()); });
}

}  // namespace

TEST_CASE("redis-plus-plus Redis: string commands take StringViews and give OptionalStrings") {
    auto served = served_redis();
    auto redis = served.proxy();
    CHECK(redis.ping() == "PONG");
    CHECK(redis.ping(StringView("hi")) == "hi");
    CHECK(redis.echo(StringView("echo")) == "echo");

    const OptionalString missing = redis.get(StringView("key"));
    CHECK_FALSE(missing);                                          // null crosses as null
    CHECK(redis.set(StringView("key"), StringView("val")));
    const OptionalString got = redis.get(StringView("key"));
    REQUIRE(got);
    CHECK(got.value() == "val");

    CHECK_FALSE(redis.set(StringView("key"), StringView("other"), std::chrono::milliseconds(0), UpdateType::NOT_EXIST));
    CHECK(redis.set(StringView("key"), StringView("other"), std::chrono::milliseconds(1500), UpdateType::EXIST));
    CHECK(redis.get(StringView("key")).value() == "other");
    CHECK(redis.set(StringView("key"), StringView("kept"), true));  // the bool (keepttl) overload
    CHECK(redis.append(StringView("key"), StringView("+more")) == 9);
    CHECK(redis.strlen(StringView("key")) == 9);
    CHECK(redis.getrange(StringView("key"), 0, 3) == "kept");
    CHECK(redis.getrange(StringView("key"), -4, -1) == "more");
    CHECK(redis.setrange(StringView("key"), 5, StringView("MORE")) == 9);
    CHECK(redis.get(StringView("key")).value() == "kept+MORE");

    const OptionalString old = redis.getset(StringView("key"), StringView("new"));
    CHECK(old.value() == "kept+MORE");
    CHECK(redis.set_with_get_option(StringView("key"), StringView("newer")).value() == "new");
    CHECK(redis.setnx(StringView("fresh"), StringView("1")));
    CHECK_FALSE(redis.setnx(StringView("fresh"), StringView("2")));
    redis.setex(StringView("session"), std::chrono::seconds(30), StringView("token"));
    redis.psetex(StringView("flash"), 250, StringView("x"));
    CHECK(redis.dbsize() == 4);
    CHECK(served.join() == 4);
}

TEST_CASE("redis-plus-plus Redis: counters, bits and errors through the proxy") {
    auto served = served_redis();
    auto redis = served.proxy();
    CHECK(redis.incr(StringView("n")) == 1);
    CHECK(redis.incrby(StringView("n"), 41) == 42);
    CHECK(redis.decr(StringView("n")) == 41);
    CHECK(redis.decrby(StringView("n"), 40) == 1);
    CHECK(redis.incrbyfloat(StringView("f"), 2.5) == doctest::Approx(2.5));

    redis.set(StringView("text"), StringView("abc"));
    CHECK_THROWS_WITH(redis.incr(StringView("text")), doctest::Contains("not an integer"));
    CHECK_THROWS_WITH(redis.setex(StringView("s"), 0, StringView("v")), doctest::Contains("invalid expire time"));

    redis.set(StringView("bits"), StringView("\x0f"));
    CHECK(redis.bitcount(StringView("bits")) == 4);
    CHECK(redis.getbit(StringView("bits"), 4) == 1);
    CHECK(redis.bitpos(StringView("bits"), 1) == 4);
    CHECK(redis.bitop(sw::redis::BitOp::NOT, StringView("inverted"), StringView("bits")) == 1);
    CHECK(redis.bitcount(StringView("inverted")) == 4);
    CHECK(redis.getbit(StringView("inverted"), 0) == 1);

    redis.auth(StringView("user"), StringView("secret"));
    CHECK_THROWS_WITH(redis.auth(StringView("secret")), doctest::Contains("WRONGPASS"));  // as user "default"
    redis.save();
    CHECK(redis.lastsave() == 1700000001);
    CHECK(redis.info(StringView("server")) == "# server\r\n");
    redis.flushdb();
    CHECK(redis.dbsize() == 0);
    CHECK(served.join() == 0);
}

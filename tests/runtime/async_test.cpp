// .async(): several requests in flight on one link, each reply to its own future.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include <remoteobj/serve.hpp>

#include "test_support.hpp"

TEST_CASE("64 calls in flight, each future gets its own result") {
    ServedWidget w;
    std::vector<remoteobj::future<int>> futures;
    for (int i = 0; i < 64; ++i) futures.push_back(w.obj.remote->add.async(i, 1000));
    for (int i = 63; i >= 0; --i) CHECK(futures[static_cast<std::size_t>(i)].get() == i + 1000);
}

TEST_CASE("async forms of fields, void methods, defaults and strings") {
    ServedWidget w;
    auto set = w.obj.remote->set_number.async(5);
    auto number = w.obj.remote->number.async();
    auto greeting = w.obj.remote->greet.async("you");
    auto defaulted = w.obj.remote->add.async(1);
    set.get();
    CHECK(number.get() == 5);  // requests are served in the order they were sent
    CHECK(greeting.get() == "hello you!");
    CHECK(defaulted.get() == 11);
}

TEST_CASE("a future's exception is the remote one, and other futures are unaffected") {
    ServedWidget w;
    auto bad = w.obj.remote->fail.async("no");
    auto good = w.obj.remote->add.async(2, 2);
    CHECK_THROWS_AS(bad.get(), std::invalid_argument);
    CHECK(good.get() == 4);
}

TEST_CASE("a future dropped unread does not disturb later calls") {
    ServedWidget w;
    { auto dropped = w.obj.remote->add.async(1, 1); }
    for (int i = 0; i < 10; ++i) CHECK(w.obj.remote->add(i, i) == 2 * i);
}

TEST_CASE("ready() turns true once the reply has arrived") {
    ServedWidget w;
    auto f = w.obj.remote->add.async(3, 4);
    while (!f.ready()) {
    }
    CHECK(f.get() == 7);
    CHECK(!f.valid());
}

TEST_CASE("futures pending when the listener dies all throw PeerLost") {
    ServedWidget w;
    std::vector<remoteobj::future<int>> futures;
    for (int i = 0; i < 5; ++i) futures.push_back(w.obj.remote->add.async(i, i));
    w.obj.remote->die.async(9);
    int peer_lost = 0, answered = 0;
    std::vector<remoteobj::future<int>> after;
    for (int i = 0; i < 5; ++i) after.push_back(w.obj.remote->add.async(i, i));
    for (auto& f : futures) {
        CHECK_NOTHROW(f.get());  // sent before the fatal call: answered
        ++answered;
    }
    for (auto& f : after) {
        try {
            f.get();
        } catch (const remoteobj::PeerLost&) {
            ++peer_lost;
        }
    }
    CHECK(answered == 5);
    CHECK(peer_lost == 5);
    CHECK_THROWS_AS(w.child.stop(), remoteobj::ProcessDied);
}

TEST_CASE("8 threads x 1000 mixed calls on one proxy: every reply reaches its caller") {
    ServedWidget w;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 1000; ++i) {
                switch (i % 4) {
                case 0:
                    if (w.obj.remote->add(t, i) != t + i) ++wrong;
                    break;
                case 1:
                    if (w.obj.remote->greet(std::to_string(t)) != "hello " + std::to_string(t) + "!") ++wrong;
                    break;
                case 2:
                    w.obj.remote->bump();
                    break;
                default:
                    if (w.obj.remote->add.async(i, t).get() != t + i) ++wrong;
                }
            }
        });
    for (auto& thread : threads) thread.join();
    CHECK(wrong == 0);
    CHECK(w.obj.remote->hits.get() == 8 * 250);  // every bump ran once, under the object's mutex
}

TEST_CASE("item views read asynchronously, errors included") {
    ServedWidget w;
    auto& r = w.obj.remote;
    auto first = r->items[0].async();
    auto last = r->items[-1].async();
    auto one = r->table["one"].async();
    auto missing = r->table["none"].async();
    auto past_end = r->items[10].async();
    CHECK(first.get() == 1);
    CHECK(last.get() == 3);
    CHECK(one.get() == 1);
    CHECK_THROWS_AS(missing.get(), std::out_of_range);
    CHECK_THROWS_AS(past_end.get(), std::out_of_range);
}

TEST_CASE("5000 futures sent in a row by one thread: the sender takes in replies while the pipe is full") {
    ServedWidget w;
    std::vector<remoteobj::future<int>> futures;
    futures.reserve(5000);
    // More requests than the request pipe holds, and more replies than the reply
    // pipe holds: without reading replies while it waits for room, the sender and
    // the listener would each wait for the other.
    for (int i = 0; i < 5000; ++i) futures.push_back(w.obj.remote->bump.async());
    for (int i = 0; i < 5000; ++i) CHECK(futures[static_cast<std::size_t>(i)].get() == i + 1);
}

TEST_CASE("50,000 futures in flight from one thread each get their own reply") {
    ServedWidget w;
    std::vector<remoteobj::future<int>> futures;
    futures.reserve(50000);
    for (int i = 0; i < 50000; ++i) futures.push_back(w.obj.remote->add.async(i, 1));
    int wrong = 0;
    for (int i = 0; i < 50000; ++i) wrong += futures[static_cast<std::size_t>(i)].get() == i + 1 ? 0 : 1;
    CHECK(wrong == 0);
}

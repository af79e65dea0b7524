// Fields and methods through a generated Proxy, to a Widget in a forked child.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include <remoteobj/serve.hpp>

#include "test_support.hpp"

TEST_CASE("a field is read and written in the other process") {
    ServedWidget w;
    CHECK(w.obj.remote->number.get() == 0);
    w.obj.remote->number = 42;
    CHECK(w.obj.remote->number.get() == 42);
    CHECK(*w.obj.remote->number == 42);
    CHECK(remoteobj::get(w.obj.remote->number) == 42);
    CHECK(w.obj.number == 0);  // this process's copy is untouched
    w.obj.remote->number.set(-5);
    CHECK(w.obj.remote->number.get() == -5);
}

TEST_CASE("fields of every scalar kind, strings and enums round-trip") {
    ServedWidget w;
    auto& r = w.obj.remote;
    r->ratio = 2.25;
    r->big = -(std::int64_t{1} << 40);
    r->tiny = 255;
    r->label = std::string("with\0nul", 8);
    r->color = Color::blue;
    CHECK(r->ratio.get() == 2.25);
    CHECK(r->big.get() == -(std::int64_t{1} << 40));
    CHECK(r->tiny.get() == 255);
    CHECK(r->label.get() == std::string("with\0nul", 8));
    CHECK(r->color.get() == Color::blue);
    CHECK(r->fixed.get() == 7);
}

TEST_CASE("an atomic field is loaded and stored") {
    ServedWidget w;
    CHECK(w.obj.remote->hits.get() == 0);
    CHECK(w.obj.remote->bump() == 1);
    CHECK(w.obj.remote->bump() == 2);
    w.obj.remote->hits = 40;
    CHECK(w.obj.remote->bump() == 41);
}

TEST_CASE("a method's omitted arguments take their defaults in the listening process") {
    Widget::default_bias = 100;  // the child is forked with this value...
    ServedWidget w;
    Widget::default_bias = 1;  // ...and the parent's changes after the fork
    CHECK(w.obj.remote->add(5) == 15);
    CHECK(w.obj.remote->add(5, 1) == 6);
    CHECK(w.obj.remote->with_bias(1) == 101);
    CHECK(w.obj.remote->with_bias(1, 2) == 3);
}

TEST_CASE("string arguments and results") {
    ServedWidget w;
    CHECK(w.obj.remote->greet("world") == "hello world!");
    CHECK(w.obj.remote->greet("you", "?") == "hello you?");
    CHECK(w.obj.remote->greet(std::string(100000, 'x')).size() == 100000 + 7);
}

TEST_CASE("enum arguments and results") {
    ServedWidget w;
    CHECK(w.obj.remote->next_color(Color::green) == Color::blue);
    CHECK(w.obj.remote->next_color(Color::blue) == Color::red);
}

TEST_CASE("a void method has run when the call returns") {
    ServedWidget w;
    w.obj.remote->set_number(9);
    CHECK(w.obj.remote->number.get() == 9);
}

TEST_CASE("a method that throws in the child raises in the parent: same type, same message") {
    ServedWidget w;
    try {
        w.obj.remote->fail("bad input");
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "bad input");
        const remoteobj::RemoteInfo* info = remoteobj::remote_info(e);
        REQUIRE(info);
        CHECK(info->type == "std::invalid_argument");
        CHECK(info->pid == w.child.pid());
        CHECK(info->process_name == "widget");
    }
    // The listener goes on.
    CHECK(w.obj.remote->add(1, 1) == 2);
}

TEST_CASE("std::out_of_range from a remote at() is caught as std::out_of_range") {
    ServedWidget w;
    CHECK(w.obj.remote->at(1) == 20);
    CHECK_THROWS_AS(w.obj.remote->at(99), std::out_of_range);
    CHECK(w.obj.remote->at(2) == 30);  // the listener goes on
}

TEST_CASE("a REMOTEOBJ exception class comes back as itself, registered by the generator") {
    ServedWidget w;
    CHECK_THROWS_WITH_AS(w.obj.remote->fail_custom("custom"), "custom", WidgetError);
}

TEST_CASE("a non-standard exception is reported with its type") {
    ServedWidget w;
    try {
        w.obj.remote->fail_oddly();
        FAIL("no exception");
    } catch (const remoteobj::RemoteError& e) {
        CHECK(e.type() == "int");
    }
}

TEST_CASE("requests run on the listener thread, not the child's main thread") {
    Widget obj;
    auto child = remoteobj::process([&] { obj.serve(); });  // records its main thread's tag
    obj.remote.wait_until_listening(child);
    CHECK(obj.remote->thread_tag() != obj.remote->main_tag.get());
    CHECK(obj.remote->pid() == child.pid());
    obj.remote->shutdown();
    child.join();
}

TEST_CASE("several threads share one proxy, and each gets its own reply") {
    ServedWidget w;
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i)
                if (w.obj.remote->add(t * 1000, i) != t * 1000 + i) ++wrong;
        });
    for (auto& thread : threads) thread.join();
    CHECK(wrong == 0);
}

TEST_CASE("the listener dying mid-request raises PeerLost, and join reports the exit") {
    ServedWidget w;
    CHECK_THROWS_AS(w.obj.remote->die(3), remoteobj::PeerLost);
    // It died still announced as the listener: later calls learn it is gone.
    CHECK_THROWS_AS(w.obj.remote->add(1), remoteobj::PeerLost);
    try {
        w.child.stop();
        FAIL("no exception");
    } catch (const remoteobj::ProcessDied& e) {
        CHECK(std::string(e.what()).find("exited with status 3") != std::string::npos);
    }
}

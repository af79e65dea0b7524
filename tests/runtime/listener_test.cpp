// Listening: when requests are served, where, and what callers get when nobody listens.
#include <doctest/doctest.h>

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "stopper.hpp"
#include "test_support.hpp"

TEST_CASE("NotListening before anyone listens: get_or gives the default instead") {
    Widget obj;
    CHECK(!obj.remote.listening());
    CHECK_THROWS_AS(obj.remote->number.get(), remoteobj::NotListening);
    CHECK_THROWS_AS(obj.remote->add(1), remoteobj::NotListening);
    CHECK_THROWS_AS(obj.remote->number = 3, remoteobj::NotListening);
    CHECK(obj.remote->number.get_or(-1) == -1);
}

TEST_CASE("NotListening after the child stopped listening, while it still runs") {
    Widget obj;
    Signal stopped, may_exit;
    remoteobj::Process child(remoteobj::process_options{}, [&] {
        obj.serve();  // returns once shutdown() ran and the listener has stopped
        stopped.raise();
        may_exit.wait();
    });
    obj.remote.wait_until_listening(child);
    CHECK(obj.remote->add(2, 2) == 4);
    obj.remote->shutdown();
    stopped.wait();
    CHECK(!obj.remote.listening());
    CHECK(child.alive());
    CHECK_THROWS_AS(obj.remote->add(2, 2), remoteobj::NotListening);
    CHECK(obj.remote->number.get_or(-7) == -7);
    may_exit.raise();
    child.join();
}

TEST_CASE("get_or returns the remote value when someone listens") {
    Widget obj;
    remoteobj::Process child(remoteobj::process_options{}, [&] {
        obj.number = 5;
        obj.serve();
    });
    obj.remote.wait_until_listening(child);
    CHECK(obj.remote->number.get_or(-1) == 5);
    obj.remote->shutdown();
    child.join();
}

TEST_CASE("foreground listening serves only inside process_requests(), on the caller's thread") {
    Widget obj;
    std::atomic<bool> done{false};
    remoteobj::Process child(remoteobj::process_options{}, [&] {
        obj.main_tag = obj.thread_tag();
        auto listening = obj.remote.listen(remoteobj::foreground);
        // Polling is the point of foreground mode: the owner decides when to serve.
        while (obj.number != -1) {
            obj.remote.process_requests();
            std::this_thread::yield();
        }
    });
    obj.remote.wait_until_listening(child);
    CHECK(obj.remote->thread_tag() == obj.remote->main_tag.get());
    obj.remote->set_number(-1);
    child.join();
    (void)done;
}

TEST_CASE("a foreground listener's ready_fd() wakes a poll() for the maker's calls and another process's, and is quiet when idle") {
    Widget obj;
    Signal idle_checked;
    constexpr int calls_each = 10;
    remoteobj::Process child(remoteobj::process_options{}, [&] {
        auto listening = obj.remote.listen(remoteobj::foreground);
        const int fd = listening.ready_fd();
        if (fd < 0) return 3;
        pollfd quiet{fd, POLLIN, 0};
        if (::poll(&quiet, 1, 0) != 0) return 4;  // nothing to do yet: a loop on it would spin
        idle_checked.raise();
        int polls = 0;
        while (obj.number != -1 && listening) {
            pollfd ready{fd, POLLIN, 0};
            if (::poll(&ready, 1, 10'000) != 1) return 1;  // a call waited 10 s unannounced
            ++polls;
            obj.remote.process_requests();
        }
        // Each call wakes it a few times at most (a connection, its greeting, the
        // request); readiness that outlived its work would have woken it thousands.
        return polls <= 20 * calls_each ? 0 : 2;
    });
    obj.remote.wait_until_listening(child);
    idle_checked.wait();
    for (int i = 0; i < calls_each; ++i) CHECK(obj.remote->add(i, 1) == i + 1);
    auto other = bounded("other caller", 60, [&] {
        int wrong = 0;
        for (int i = 0; i < calls_each; ++i) wrong += obj.remote->add(i, 2) != i + 2;
        return wrong;
    });
    CHECK(other.join() == 0);
    obj.remote->set_number(-1);
    CHECK(child.join() == 0);
}

TEST_CASE("a listener with a thread of its own has no ready_fd(), nor has an empty guard") {
    Widget obj;
    auto listening = obj.remote.listen();
    CHECK(listening.ready_fd() == -1);
    CHECK(remoteobj::ListenGuard{}.ready_fd() == -1);
}

TEST_CASE("process_requests() without foreground listening is an error, not a silent no-op") {
    Widget obj;
    CHECK_THROWS_AS(obj.remote.process_requests(), remoteobj::NotListening);
    // Nor beside a background listener: requests would be served on two threads at once.
    auto listening = obj.remote.listen();
    CHECK_THROWS_AS(obj.remote.process_requests(), remoteobj::NotListening);
}

TEST_CASE("a one-way call served in place still reports its failure on stderr") {
    Widget obj;
    auto listening = obj.remote.listen();
    int captured[2];
    REQUIRE(::pipe(captured) == 0);
    const int saved = ::dup(STDERR_FILENO);
    ::dup2(captured[1], STDERR_FILENO);
    obj.remote->note_fails();  // served here, in this process
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    ::close(captured[1]);
    char text[512] = {};
    const ssize_t got = ::read(captured[0], text, sizeof text - 1);
    ::close(captured[0]);
    REQUIRE(got > 0);
    CHECK(std::string(text).find("one-way failure") != std::string::npos);
}

TEST_CASE("a call from the listening process itself is served in place") {
    Widget obj;
    auto listening = obj.remote.listen();
    CHECK(obj.remote->add(1, 2) == 3);
    obj.remote->number = 11;
    CHECK(obj.number == 11);
    // In place: on this very thread, not the listener's.
    CHECK(obj.remote->thread_tag() == obj.thread_tag());
}

TEST_CASE("listening twice on one object is refused") {
    Widget obj;
    auto listening = obj.remote.listen();
    CHECK_THROWS_AS((void)obj.remote.listen(), remoteobj::Error);
}

TEST_CASE("the listen guard reads true while listening and stops when destroyed") {
    Widget obj;
    {
        auto listening = obj.remote.listen();
        CHECK(static_cast<bool>(listening));
        CHECK(obj.remote.listening());
    }
    CHECK(!obj.remote.listening());
    auto again = obj.remote.listen(remoteobj::foreground);
    CHECK(obj.remote.listening());
    again.stop();
    CHECK(!static_cast<bool>(again));
    CHECK(!obj.remote.listening());
}

TEST_CASE("wait_until_listening fails fast when the child exits first") {
    Widget obj;
    remoteobj::Process child(remoteobj::process_options{.name = "quitter"}, [] { std::_Exit(0); });
    CHECK_THROWS_AS(obj.remote.wait_until_listening(child), remoteobj::ProcessDied);
    child.join();
}

TEST_CASE("wait_until_listening gives up after its timeout") {
    Widget obj;
    Signal may_exit;
    remoteobj::Process child(remoteobj::process_options{}, [&] { may_exit.wait(); });
    CHECK_THROWS_AS(obj.remote.wait_until_listening(child, std::chrono::milliseconds(50)), remoteobj::Timeout);
    may_exit.raise();
    child.join();
}

TEST_CASE("a request sent while the listener stops is still answered (fulfill_final)") {
    Widget obj;
    Signal release;
    remoteobj::Process child(remoteobj::process_options{}, [&] {
        auto listening = obj.remote.listen(remoteobj::foreground);
        release.wait();  // the parent's request is in the pipe by now (see below)
    });                  // the guard ends here: pending requests are served first
    obj.remote.wait_until_listening(child);
    auto answer = std::async(std::launch::async, [&] { return obj.remote->add(20, 1); });
    // The call is in flight as soon as the caller's request frame is written;
    // whether or not it got there before the guard ended, it must get an answer.
    release.raise();
    int result = 0;
    bool not_listening = false;
    try {
        result = answer.get();
    } catch (const remoteobj::NotListening&) {
        not_listening = true;
    }
    CHECK((result == 21 || not_listening));
    child.join();
}

TEST_CASE("with fulfill_final = false, requests pending at the end are refused, never left hanging") {
    Widget obj;
    Signal release;
    remoteobj::Process child(remoteobj::process_options{}, [&] {
        auto listening = obj.remote.listen(remoteobj::foreground, {.fulfill_final = false});
        release.wait();
    });
    obj.remote.wait_until_listening(child);
    auto answer = std::async(std::launch::async, [&] { return obj.remote->add(20, 1); });
    release.raise();
    CHECK_THROWS_AS(answer.get(), remoteobj::NotListening);
    child.join();
}

TEST_CASE("a served method that stops its own listener: answered, the guard reads false, no abort") {
    Stopper stopper;
    Signal guarded;
    Signal answered;
    auto child = remoteobj::process([&] {
        stopper.listen();
        guarded.raise();  // guard_ is assigned: a served call may touch it from now on
        answered.wait();          // the served call has returned its answer
        stopper.end_listening();  // joins the listener's thread, from this one
        return 0;
    });
    stopper.remote.wait_until_listening(child);
    guarded.wait();
    CHECK(stopper.remote->stop_listening());
    CHECK_THROWS_AS(stopper.remote->calls.get(), remoteobj::NotListening);
    answered.raise();
    CHECK(child.join() == 0);
}

TEST_CASE("a served method that destroys its own listener's guard: answered, then nobody listens, no abort") {
    Stopper stopper;
    Signal guarded;
    Signal done;
    auto child = remoteobj::process([&] {
        stopper.listen();
        guarded.raise();  // guard_ is assigned: a served call may touch it from now on
        done.wait();
        return 0;
    });
    stopper.remote.wait_until_listening(child);
    guarded.wait();
    stopper.remote->drop_listener();
    CHECK_THROWS_AS(stopper.remote->calls.get(), remoteobj::NotListening);
    done.raise();
    CHECK(child.join() == 0);
}

TEST_CASE("a child made by the raw fork system call calls the listener, not its own copy") {
    Widget widget;
    widget.number = 1;
    auto listening = widget.remote.listen();
    // The raw system call runs no pthread_atfork handler: the child's cached pid is
    // its parent's, the listener's.
    const long pid = ::syscall(SYS_fork);
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int status = 0;
        try {
            widget.remote->number = 77;
            status = widget.number == 77 ? 2 : 0;  // 2: it served itself, on its copy
        } catch (...) {
            status = 3;
        }
        ::_exit(status);
    }
    int status = 0;
    REQUIRE(::waitpid(static_cast<pid_t>(pid), &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    std::lock_guard lock(widget.remote.mutex());
    CHECK(widget.number == 77);
}

TEST_CASE("re-entrancy: a call served in place that calls its own proxy again is served in place too") {
    // In a child, bounded by join_for: a deadlock fails the test instead of hanging it.
    auto p = remoteobj::process([] {
        Stopper stopper;
        stopper.calls = 41;
        auto listening = stopper.remote.listen();
        return stopper.remote->reenter();  // in place, and in place again inside it
    });
    const bool ended = p.join_for(std::chrono::seconds(60));
    CHECK(ended);
    if (!ended) p.kill();
    CHECK(p.join() == 42);
}

TEST_CASE("re-entrancy: in-place gets on the owner's thread while another process's call calls back in place") {
    auto p = remoteobj::process([] {
        Stopper stopper;
        auto listening = stopper.remote.listen();
        auto caller = remoteobj::process([&] {
            int sum = 0;
            for (int i = 0; i < 2000; ++i) sum += stopper.remote->reenter();
            return sum;
        });
        int gets = 0;
        for (int i = 0; i < 2000; ++i) gets += stopper.remote->calls.get() == 0 ? 1 : 0;
        return caller.join() == 2000 && gets == 2000 ? 0 : 1;
    });
    const bool ended = p.join_for(std::chrono::seconds(60));
    CHECK(ended);
    if (!ended) p.kill();
    CHECK(p.join() == 0);
}

TEST_CASE("after a 60 MiB argument and a 60 MiB result, both processes give the memory back") {
    Stopper stopper;
    Signal guarded;
    Signal done;
    auto child = remoteobj::process([&] {
        stopper.listen();
        guarded.raise();  // guard_ is assigned: a served call may touch it from now on
        done.wait();
        return 0;
    });
    stopper.remote.wait_until_listening(child);
    guarded.wait();
    const auto own = [&] { return stopper.resident_kib(); };
    const long parent_before = own();
    const long child_before = stopper.remote->resident_kib();
    {
        const std::vector<std::uint8_t> big(60u << 20, 1);
        CHECK(stopper.remote->take(big) == big.size());
    }
    CHECK(stopper.remote->make(60u << 20).size() == (60u << 20));
    (void)stopper.remote->take({});  // one more message: each side's buffers for it are small again
    // The reader's buffer is back to its steady size.
    CHECK(remoteobj::detail_link_of(stopper.remote).replies().capacity() <= (1u << 20));
#if !REMOTEOBJ_TEST_SANITIZED
    // And what is still allocated, builders included (sanitizers keep freed memory aside).
    const long slack = 20 * 1024;  // KiB: far less than one copy of the 60 MiB
    CHECK(own() - parent_before < slack);
    CHECK(stopper.remote->resident_kib() - child_before < slack);
#else
    (void)own;
    (void)parent_before;
    (void)child_before;
#endif
    done.raise();
    CHECK(child.join() == 0);
}

TEST_CASE("messages over the 64 MiB limit get a clear error naming it, and the link stays healthy") {
    Watchdog watchdog(std::chrono::seconds(120), "messages over the 64 MiB limit");  // a 70 MiB argument once blocked
    Stopper stopper;
    Signal guarded;
    Signal answered;
    auto child = remoteobj::process([&] {
        stopper.listen();
        guarded.raise();  // guard_ is assigned: a served call may touch it from now on
        answered.wait();
        stopper.end_listening();
        return 0;
    });
    stopper.remote.wait_until_listening(child);
    guarded.wait();
    auto& r = stopper.remote;
    const std::size_t over = 70u << 20;
    CHECK_THROWS_WITH_AS(r->make(over), doctest::Contains("over the limit of 67108864 bytes"), remoteobj::ProtocolError);
    CHECK_THROWS_WITH_AS(r->make(over), doctest::Contains("remoteobj::link_options{.max_message}"),
                         remoteobj::ProtocolError);
    CHECK(r->calls.get() == 0);
    CHECK_THROWS_WITH_AS(r->fail_with(over), doctest::Contains("over the limit"), remoteobj::ProtocolError);
    CHECK(r->calls.get() == 0);
    CHECK_THROWS_WITH_AS(r->take(std::vector<std::uint8_t>(over, 1)), doctest::Contains("nothing was sent"),
                         remoteobj::ProtocolError);
    CHECK(r->take(std::vector<std::uint8_t>(1000, 1)) == 1000);
    CHECK(r->stop_listening());  // the listener still stops when told
    answered.raise();
    CHECK(child.join() == 0);
}

TEST_CASE("link_options{.max_message} raises the limit for both processes of the link") {
    Watchdog watchdog(std::chrono::seconds(120), "link_options{.max_message}");
    Roomy roomy;
    auto server = remoteobj::serve(roomy);
    const std::size_t size = 70u << 20;
    CHECK(roomy.remote->take(std::vector<std::uint8_t>(size, 1)) == size);
    const std::vector<std::uint8_t> made = roomy.remote->make(size);
    CHECK(made.size() == size);
    CHECK(made.back() == 7);
}

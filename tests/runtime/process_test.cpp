// The minimal process: fork, join, and how the child ended.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include <remoteobj/process.hpp>

TEST_CASE("join returns once the child ran the function; exit code 0") {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    auto child = remoteobj::process([&](int value) { REQUIRE(::write(pipe_fds[1], &value, sizeof value) > 0); }, 1234);
    child.join();
    int got = 0;
    REQUIRE(::read(pipe_fds[0], &got, sizeof got) == sizeof got);
    CHECK(got == 1234);
    CHECK(child.exit_code() == 0);
    CHECK(!child.alive());
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
}

TEST_CASE("an exception in the child is rethrown by join as its own type, with its message") {
    auto child = remoteobj::process([] { throw std::out_of_range("index 9"); });
    try {
        child.join();
        FAIL("no exception");
    } catch (const std::out_of_range& e) {
        CHECK(std::string(e.what()) == "index 9");
        REQUIRE(remoteobj::remote_info(e));
        CHECK(remoteobj::remote_info(e)->type == "std::out_of_range");
        CHECK(remoteobj::remote_info(e)->pid == child.pid());
    }
}

TEST_CASE("a child killed by a signal makes join throw ProcessDied naming it") {
    auto child = remoteobj::process(remoteobj::process_options{.name = "victim"}, [] { ::pause(); });
    CHECK(child.alive());
    child.kill();
    try {
        child.join();
        FAIL("no exception");
    } catch (const remoteobj::ProcessDied& e) {
        const std::string what = e.what();
        CHECK(what.find("victim") != std::string::npos);
        CHECK(what.find("signal 9") != std::string::npos);
    }
}

TEST_CASE("a non-zero exit status makes join throw ProcessDied naming it") {
    auto child = remoteobj::process([] { std::_Exit(7); });
    CHECK_THROWS_WITH_AS(child.join(), doctest::Contains("exited with status 7"), remoteobj::ProcessDied);
}

TEST_CASE("join_for gives up on a running child, then joins it once it ends") {
    auto child = remoteobj::process([] {
        ::signal(SIGTERM, SIG_DFL);  // not the test framework's handler, inherited through fork()
        ::pause();
    });
    CHECK(!child.join_for(std::chrono::milliseconds(20)));
    child.terminate();
    CHECK_THROWS_AS(child.join_for(std::chrono::seconds(10)), remoteobj::ProcessDied);
}

TEST_CASE("processes get default names process-N") {
    auto child = remoteobj::process([] {});
    CHECK(child.name().rfind("process-", 0) == 0);
    child.join();
}

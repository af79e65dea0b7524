// remoteobj::process: running functions in children, getting back their results,
// yielded values and exceptions; process hygiene (no zombies, no leaked fds).
#include <doctest/doctest.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <remoteobj/process.hpp>
#include <remoteobj/serve.hpp>

#include "test_support.hpp"

namespace {

int work(int x, int y) { return x + y; }

remoteobj::generator<int> count_up(int from, int to) {
    for (int i = from; i < to; ++i) co_yield i;
}

remoteobj::generator<int> fails_after_three() {
    for (int i = 0; i < 4; ++i) co_yield i;
    throw std::runtime_error("no more numbers");
}

struct Adder {
    int base = 0;
    int add(int a, int b) const { return base + a + b; }
};

int open_fd_count() {
    int count = 0;
    DIR* dir = ::opendir("/proc/self/fd");
    while (::readdir(dir)) ++count;
    ::closedir(dir);
    return count;
}

// Every child of every thread of this process, by /proc.
std::string children_of_this_process() {
    std::string all;
    DIR* tasks = ::opendir("/proc/self/task");
    while (dirent* task = ::readdir(tasks)) {
        if (task->d_name[0] == '.') continue;
        std::string path = std::string("/proc/self/task/") + task->d_name + "/children";
        if (FILE* f = std::fopen(path.c_str(), "r")) {
            char buffer[4096];
            size_t n = std::fread(buffer, 1, sizeof buffer, f);
            all.append(buffer, n);
            std::fclose(f);
        }
    }
    ::closedir(tasks);
    return all;
}

// Whether join_for(timeout) waits for a child that a thread lets end 200 ms later.
// (A wait cut short returns false long before that; one that waits returns true
// however slow the machine, so the 200 ms is a bound, not a synchronisation.)
bool join_for_waits_for_the_end(std::chrono::milliseconds timeout) {
    Signal go;
    auto p = remoteobj::process([&] {
        go.wait();
        return 5;
    });
    std::thread later([&] {
        ::poll(nullptr, 0, 200);
        go.raise();
    });
    const bool ended = p.join_for(timeout);
    later.join();
    CHECK(p.join() == 5);
    return ended;
}

// Size, first and last byte of `text`, for a child to hand back what it saw.
std::vector<std::int64_t> ends_of(const std::string& text) {
    if (text.empty()) return {0};
    return {static_cast<std::int64_t>(text.size()), text.front(), text.back()};
}

// `size` bytes of 'x' between an 'F' and an 'L'.
std::string marked(std::size_t size) {
    std::string text(size, 'x');
    text.front() = 'F';
    text.back() = 'L';
    return text;
}

}  // namespace

TEST_CASE("a free function's value comes back from join, and the process is named after it") {
    auto first = remoteobj::process(work, 5, 2);
    auto second = remoteobj::process(work, 1, 1);
    CHECK(first.join() == 7);
    CHECK(second.join() == 2);
    const std::string a = first.name(), b = second.name();
    CAPTURE(a);
    REQUIRE(a.rfind("work-", 0) == 0);
    CHECK(b == "work-" + std::to_string(std::stoi(a.substr(5)) + 1));
}

TEST_CASE("lambdas get process-N names: options name and daemon are honoured") {
    auto p = remoteobj::process([] { return 1; });
    CHECK(p.name().rfind("process-", 0) == 0);
    auto named = remoteobj::process(remoteobj::process_options{.name = "x", .daemon = false}, [] { return 2; });
    CHECK(named.name() == "x");
    CHECK(p.join() + named.join() == 3);
}

TEST_CASE("capturing lambdas, member functions with their object, move-only arguments") {
    std::string prefix = "hello ";
    CHECK(remoteobj::process([&](const std::string& who) { return prefix + who; }, std::string("there")).join() ==
          "hello there");
    Adder adder{100};
    CHECK(remoteobj::process(&Adder::add, &adder, 2, 3).join() == 105);
    CHECK(remoteobj::process([](std::unique_ptr<int> p) { return *p * 2; }, std::make_unique<int>(21)).join() == 42);
    CHECK(remoteobj::process([] { return std::vector<std::string>{"a", "b"}; }).join() ==
          std::vector<std::string>{"a", "b"});
    CHECK(remoteobj::process([] { return 2.5; }).join() == 2.5);
    CHECK(remoteobj::process([] { return Color::blue; }).join() == Color::blue);
}

TEST_CASE("result() is empty until the child returned, then holds the value") {
    Signal go;
    auto p = remoteobj::process([&] {
        go.wait();
        return 99;
    });
    CHECK(!p.result());
    go.raise();
    CHECK(p.join() == 99);
    CHECK(p.result() == std::optional<int>(99));
}

TEST_CASE("join_for gives up on a running child, then reports once it ends") {
    Signal go;
    auto p = remoteobj::process([&] {
        go.wait();
        return 5;
    });
    CHECK(!p.join_for(std::chrono::milliseconds(20)));
    CHECK(p.alive());
    go.raise();
    CHECK(p.join_for(std::chrono::seconds(30)));
    CHECK(!p.alive());
    CHECK(p.join() == 5);
}

TEST_CASE("join_for saturates huge timeouts instead of wrapping them, and a negative one does not wait") {
    // 2^32 + 10 ms was poll()'s 10 ms, and 2^32 ms its 0: both mean about 50 days.
    CHECK(join_for_waits_for_the_end(std::chrono::milliseconds(4294967306)));
    CHECK(join_for_waits_for_the_end(std::chrono::milliseconds(std::int64_t{1} << 32)));
    CHECK(join_for_waits_for_the_end(std::chrono::milliseconds::max()));
    CHECK(join_for_waits_for_the_end(std::chrono::hours(24 * 365 * 1000)));  // past what the clock holds
    CHECK(!join_for_waits_for_the_end(std::chrono::milliseconds(-1)));  // was poll()'s "forever"
    CHECK(!join_for_waits_for_the_end(std::chrono::milliseconds::min()));
}

TEST_CASE("a generator's values stream to the parent as they are yielded") {
    Signal more;
    auto p = remoteobj::process([&]() -> remoteobj::generator<int> {
        co_yield 10;
        more.wait();  // the parent has 10 before this yields again
        co_yield 20;
    });
    auto results = p.results();
    auto it = results.begin();
    CHECK(*it == 10);
    more.raise();
    ++it;
    CHECK(*it == 20);
    ++it;
    CHECK(it == results.end());
    p.join();
}

TEST_CASE("a generator's values, then its exception at its point in the stream") {
    auto p = remoteobj::process(fails_after_three);
    std::vector<int> seen;
    try {
        for (int i : p.results()) seen.push_back(i);
        FAIL("no exception");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "no more numbers");
    }
    CHECK(seen == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("generator values not read before join stay readable") {
    auto p = remoteobj::process(count_up, 5, 10);
    p.join();
    std::vector<int> seen;
    for (int i : p.results()) seen.push_back(i);
    CHECK(seen == std::vector<int>{5, 6, 7, 8, 9});
}

TEST_CASE("an exception in the child is rethrown by join as its own type, with its message") {
    auto child = remoteobj::process([]() -> int { throw std::out_of_range("index 9"); });
    try {
        child.join();
        FAIL("no exception");
    } catch (const std::out_of_range& e) {
        CHECK(std::string(e.what()) == "index 9");
        REQUIRE(remoteobj::remote_info(e));
        CHECK(remoteobj::remote_info(e)->pid == child.pid());
        CHECK(remoteobj::remote_info(e)->process_name == child.name());
    }
}

TEST_CASE("a child killed by a signal makes join throw ProcessDied naming it") {
    auto child = remoteobj::process(remoteobj::process_options{.name = "victim"}, [] { ::pause(); });
    CHECK(child.alive());
    child.kill();
    CHECK_THROWS_WITH_AS(child.join(), doctest::Contains("victim"), remoteobj::ProcessDied);
    CHECK_THROWS_WITH_AS(child.join(), doctest::Contains("signal 9"), remoteobj::ProcessDied);
}

TEST_CASE("a child killed mid-stream makes the results throw ProcessDied") {
    auto p = remoteobj::process([]() -> remoteobj::generator<int> {
        co_yield 1;
        ::kill(::getpid(), SIGKILL);
        co_yield 2;
    });
    std::vector<int> seen;
    CHECK_THROWS_AS(
        [&] {
            for (int i : p.results()) seen.push_back(i);
        }(),
        remoteobj::ProcessDied);
    CHECK(seen == std::vector<int>{1});
}

TEST_CASE("a non-zero exit, or exiting without a result, makes join throw ProcessDied") {
    auto failed = remoteobj::process([] { std::_Exit(7); });
    CHECK_THROWS_WITH_AS(failed.join(), doctest::Contains("exited with status 7"), remoteobj::ProcessDied);
    auto silent = remoteobj::process([]() -> int { std::_Exit(0); });
    CHECK_THROWS_WITH_AS(silent.join(), doctest::Contains("without delivering its result"), remoteobj::ProcessDied);
}

TEST_CASE("terminate and exit_code") {
    Signal ready;
    auto child = remoteobj::process([&] {
        ::signal(SIGTERM, SIG_DFL);  // not the test framework's handler, inherited through fork()
        ready.raise();
        ::pause();
    });
    ready.wait();
    child.terminate();
    CHECK_THROWS_WITH_AS(child.join(), doctest::Contains("signal 15"), remoteobj::ProcessDied);
    CHECK(!child.exit_code());
    auto fine = remoteobj::process([] {});
    fine.join();
    CHECK(fine.exit_code() == 0);
}

TEST_CASE("an exception nobody observed is printed on stderr when the process is destroyed") {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const int saved = ::dup(2);
    ::dup2(pipe_fds[1], 2);
    {
        auto p = remoteobj::process(remoteobj::process_options{.name = "careless"},
                                    [] { throw std::runtime_error("nobody saw me"); });
        // Observed ones stay quiet: through join() and through results().
        auto joined = remoteobj::process(remoteobj::process_options{.name = "joined"},
                                         [] { throw std::runtime_error("seen by join"); });
        CHECK_THROWS(joined.join());
        auto streamed = remoteobj::process(remoteobj::process_options{.name = "streamed"}, fails_after_three);
        CHECK_THROWS([&] {
            for (int i : streamed.results()) (void)i;
        }());
        // A death the owner caused with kill(), or already saw through wait_until_listening().
        auto killed = remoteobj::process(remoteobj::process_options{.name = "killed"}, [] { ::pause(); });
        killed.kill();
        Widget widget;
        auto quitter = remoteobj::process(remoteobj::process_options{.name = "quitter"}, [] { ::_exit(3); });
        CHECK_THROWS_AS(widget.remote.wait_until_listening(quitter), remoteobj::ProcessDied);
    }
    ::dup2(saved, 2);
    ::close(saved);
    ::close(pipe_fds[1]);
    char buffer[1024] = {};
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer - 1);
    ::close(pipe_fds[0]);
    REQUIRE(n > 0);
    const std::string text(buffer, static_cast<size_t>(n));
    CHECK(text.find("careless") != std::string::npos);
    CHECK(text.find("nobody saw me") != std::string::npos);
    CHECK(text.find("joined") == std::string::npos);
    CHECK(text.find("streamed") == std::string::npos);
    CHECK(text.find("killed") == std::string::npos);
    CHECK(text.find("quitter") == std::string::npos);
}

TEST_CASE("a daemon child dies with its parent: a non-daemon child lives on") {
    for (bool daemon : {true, false}) {
        CAPTURE(daemon);
        int pid_pipe[2];
        REQUIRE(::pipe(pid_pipe) == 0);
        // The middle process forks the grandchild, reports its pid, and exits.
        auto middle = remoteobj::process([&] {
            auto grandchild = remoteobj::process(remoteobj::process_options{.daemon = daemon}, [] { ::pause(); });
            int pid = grandchild.pid();
            REQUIRE(::write(pid_pipe[1], &pid, sizeof pid) == sizeof pid);
            std::_Exit(0);  // no destructor: the grandchild is not joined
        });
        int grandchild = 0;
        REQUIRE(::read(pid_pipe[0], &grandchild, sizeof grandchild) == sizeof grandchild);
        middle.join();
        if (daemon) {
            CHECK(exits_within(grandchild, std::chrono::seconds(10)));
        } else {
            CHECK(!exits_within(grandchild, std::chrono::milliseconds(100)));
            ::kill(grandchild, SIGKILL);
            CHECK(exits_within(grandchild, std::chrono::seconds(10)));
        }
        ::close(pid_pipe[0]);
        ::close(pid_pipe[1]);
    }
}

TEST_CASE("1000 processes started and joined leave no zombie and no file descriptor behind") {
    const int fds_before = open_fd_count();
    const std::string children_before = children_of_this_process();
    for (int i = 0; i < 1000; ++i) CHECK(remoteobj::process([i] { return i; }).join() == i);
    CHECK(open_fd_count() == fds_before);
    CHECK(children_of_this_process() == children_before);
}

// Not under sanitizers: their runtimes need descriptors too (test_support.hpp).
TEST_CASE("process() that cannot open the child's pidfd throws SystemError and leaves no child behind" *
          doctest::skip(REMOTEOBJ_TEST_SANITIZED)) {
    const std::string outcome = watched(30, [] {
        // A descriptor table with room for the results pipe and nothing more, so
        // that pidfd_open(), after fork(), is the call that fails.
        rlimit limit{256, 256};
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return std::string("setrlimit failed");
        std::vector<int> fillers;
        for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) fillers.push_back(fd);
        if (fillers.size() < 2) return std::string("the table was full already");
        for (int i = 0; i < 2; ++i) {
            ::close(fillers.back());
            fillers.pop_back();
        }
        std::string what = "no error";
        try {
            auto p = remoteobj::process([] { return 1; });
        } catch (const remoteobj::SystemError& e) {
            what = e.what();
        }
        for (int fd : fillers) ::close(fd);
        int status = 0;
        const pid_t left = ::waitpid(-1, &status, WNOHANG);
        // ECHILD: no child at all, neither running nor a zombie.
        const bool none = left < 0 && errno == ECHILD;
        return what + (none ? "; no child left" : "; a child left: " + std::to_string(left));
    });
    CAPTURE(outcome);
    CHECK(outcome.find("pidfd_open") != std::string::npos);
    CHECK(outcome.find("; no child left") != std::string::npos);
}

TEST_CASE("a 100 MiB return value comes back whole, and join() does not block on it") {
    const auto seen = watched(60, [] {
        auto p = remoteobj::process([] { return marked(std::size_t{100} << 20); });
        return ends_of(p.join());
    });
    CHECK(seen == std::vector<std::int64_t>{std::int64_t{100} << 20, 'F', 'L'});
}

TEST_CASE("a 70 MiB what() comes back whole, and join() does not block on it") {
    const auto seen = watched(60, [] {
        auto p = remoteobj::process([]() -> int { throw std::length_error(marked(std::size_t{70} << 20)); });
        try {
            p.join();
        } catch (const std::length_error& e) {
            return ends_of(e.what());
        }
        return std::vector<std::int64_t>{-1};
    });
    CHECK(seen == std::vector<std::int64_t>{std::int64_t{70} << 20, 'F', 'L'});
}

TEST_CASE("a 70 MiB yielded value streams whole, and results() does not block on it") {
    const auto seen = watched(60, [] {
        auto p = remoteobj::process([]() -> remoteobj::generator<std::string> {
            co_yield "small";
            co_yield marked(std::size_t{70} << 20);
        });
        std::vector<std::int64_t> ends;
        for (const std::string& value : p.results())
            for (std::int64_t v : ends_of(value)) ends.push_back(v);
        return ends;
    });
    CHECK(seen == std::vector<std::int64_t>{5, 's', 'l', std::int64_t{70} << 20, 'F', 'L'});
}

TEST_CASE("join_for drains a large result while it waits, instead of timing out on a blocked child") {
    const auto seen = watched(30, [] {
        auto p = remoteobj::process([] { return marked(std::size_t{8} << 20); });
        if (!p.join_for(std::chrono::seconds(10))) return std::vector<std::int64_t>{-1};
        return ends_of(p.join());
    });
    CHECK(seen == std::vector<std::int64_t>{std::int64_t{8} << 20, 'F', 'L'});
}

TEST_CASE("a report over process_options::max_result_size fails join() naming the limit, without blocking") {
    const std::string what = watched(30, [] {
        auto p = remoteobj::process(remoteobj::process_options{.max_result_size = 1 << 20},
                                    [] { return marked(std::size_t{4} << 20); });
        try {
            p.join();
        } catch (const remoteobj::ProtocolError& e) {
            return std::string(e.what());
        }
        return std::string("no ProtocolError");
    });
    CAPTURE(what);
    CHECK(what.find("max_result_size") != std::string::npos);
    CHECK(what.find("1048576") != std::string::npos);
}

TEST_CASE("forking while another thread uses the library's locks never deadlocks the child") {
    std::atomic<bool> stop{false};
    // Takes the exception registry's lock over and over (allocating nothing, so
    // that only the library's own lock is at stake, not the allocator's).
    std::thread churn([&] {
        while (!stop) std::unique_lock lock(remoteobj::detail::exception_registry_mutex());
    });
    for (int i = 0; i < 100; ++i) {
        // The child needs the exception registry, which the other thread keeps taking.
        auto p = remoteobj::process([] {
            remoteobj::RemoteInfo info;
            info.type = "std::runtime_error";
            return remoteobj::detail::make_exception(info) != nullptr;
        });
        CHECK(p.join());
    }
    stop = true;
    churn.join();
}

TEST_CASE("serve(obj) listens in a child until the handle is destroyed") {
    Widget obj;
    int pid = 0;
    {
        auto child = remoteobj::serve(obj);
        pid = child.pid();
        CHECK(obj.remote->add(2, 3) == 5);
        CHECK(obj.remote->pid() == pid);
    }
    CHECK(!obj.remote.listening());
    CHECK(exits_within(pid, std::chrono::milliseconds(0)));
}

TEST_CASE("serve(obj, callback) calls the callback between requests") {
    Widget obj;
    auto child = remoteobj::serve(obj, [&obj] { obj.hits.store(obj.hits.load() + 1); });
    int hits = 0;
    while ((hits = obj.remote->hits.get()) < 3) {
    }
    CHECK(hits >= 3);
    // Served on the main thread of the child, between callbacks.
    CHECK(obj.remote->thread_tag() == obj.remote->thread_tag());
}

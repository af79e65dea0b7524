// Reports of what peers did (runtime/src/peer_report.hpp) across fork(): a child
// forked while another thread reports can report too.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "peer_report.hpp"
#include "test_support.hpp"

namespace {

// stderr goes to /dev/null while it lives: the reports are the load, not the output.
class QuietStderr {
public:
    QuietStderr() : saved_(::dup(STDERR_FILENO)) {
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        REQUIRE(null >= 0);
        REQUIRE(::dup2(null, STDERR_FILENO) == STDERR_FILENO);
        ::close(null);
    }
    ~QuietStderr() {
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
    }
    QuietStderr(const QuietStderr&) = delete;
    QuietStderr& operator=(const QuietStderr&) = delete;

private:
    int saved_;
};

}  // namespace

TEST_CASE("a child forked while another thread reports a peer can report one itself" *
          doctest::skip(REMOTEOBJ_TEST_SANITIZED)) {  // not fork-safe runtimes (test_support.hpp)
    QuietStderr quiet;
    std::atomic<bool> stop{false};
    std::thread reporter([&] {
        while (!stop.load(std::memory_order_relaxed)) remoteobj::detail::report_peer("a peer misbehaved");
    });
    int stuck = 0;
    for (int i = 0; i < 200 && stuck == 0; ++i) {
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            remoteobj::detail::report_peer("a peer of the child misbehaved");
            ::_exit(0);
        }
        if (!exits_within(child, std::chrono::seconds(10))) {
            ++stuck;  // waits for a lock its parent's other thread held at fork()
            ::kill(child, SIGKILL);
        }
        ::waitpid(child, nullptr, 0);
    }
    stop = true;
    reporter.join();
    CHECK(stuck == 0);
}

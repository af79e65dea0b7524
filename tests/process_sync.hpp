// What tests in any process take turns and bound themselves with: a one-byte
// signal between processes and a watchdog that turns a hang into a failure.
// Shared by the runtime tests and the corpus; it includes no generated proxy.
#pragma once

#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

/// A one-byte signal from one process to another, for tests to take turns on
/// (never a sleep).
struct Signal {
    int fds[2];
    Signal() { REQUIRE(::pipe(fds) == 0); }
    ~Signal() {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;
    void raise() { REQUIRE(::write(fds[1], "x", 1) == 1); }
    void wait() {
        char c;
        ssize_t got;
        do got = ::read(fds[0], &c, 1);
        while (got < 0 && errno == EINTR);  // a test's signal handler may interrupt it
        REQUIRE(got == 1);
    }
};

/// Ends the test program with a message when its scope lasts longer than `limit`:
/// a test whose fault would be a hang in this very process fails at once, instead
/// of hanging the suite until CTest's timeout. Never a way to wait for anything.
/// An alarm, not a thread: a thread would make every fork() of the test one of a
/// multi-threaded process, which ThreadSanitizer refuses to start threads after.
class Watchdog {
public:
    Watchdog(std::chrono::seconds limit, const char* what) {
        current() = what;
        struct sigaction action {};
        action.sa_handler = [](int) {
            // Only async-signal-safe calls here.
            const char* name = current();
            const char head[] = "watchdog: a hang in '";
            const char tail[] = "'\n";
            [[maybe_unused]] auto a = ::write(2, head, sizeof head - 1);
            [[maybe_unused]] auto b = ::write(2, name, std::strlen(name));
            [[maybe_unused]] auto c = ::write(2, tail, sizeof tail - 1);
            ::_exit(70);
        };
        ::sigaction(SIGALRM, &action, nullptr);
        ::alarm(static_cast<unsigned>(limit.count()));
    }
    ~Watchdog() {
        ::alarm(0);
        ::signal(SIGALRM, SIG_DFL);
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    static const char*& current() {
        static const char* what = "";
        return what;
    }
};

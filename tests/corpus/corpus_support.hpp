// What the corpus tests share: an object of a public project's class, made and
// served by a forked child through a remoteobj::Channel<T> (the classes have no
// Remote member), a one-byte signal between processes, and a watchdog that turns
// a hang into a failure. Never a sleep.
#pragma once

#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include <remoteobj/remoteobj.hpp>

namespace corpus {

/// A one-byte signal from one process to another, for tests to take turns on.
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
        while (got < 0 && errno == EINTR);
        REQUIRE(got == 1);
    }
};

/// Ends the test program with a message when its scope lasts longer than `limit`:
/// a fault that would be a hang fails at once instead of at CTest's timeout.
class Watchdog {
public:
    Watchdog(std::chrono::seconds limit, const char* what) {
        current() = what;
        struct sigaction action {};
        action.sa_handler = [](int) {
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

/// An object of class T that a child process makes with `make()` (which returns a
/// std::unique_ptr to T or to a class derived from it) and serves until the test
/// ends; `proxy()` reaches it. The child returns `finish(object)`, which `join()`
/// returns here: what the object's state is once every call has been served.
template <class T>
class Served {
public:
    template <class Make, class Finish>
    Served(const char* name, Make make, Finish finish)
        : child_(remoteobj::process(remoteobj::process_options{.name = name}, [this, make, finish] {
              auto object = make();
              {
                  auto listening = channel_.listen(*object);
                  done_.wait();
              }
              return finish(*object);
          })) {
        channel_.wait_until_listening(child_);
    }
    ~Served() {
        if (!joined_) {
            done_.raise();
            child_.join();
        }
    }
    Served(const Served&) = delete;
    Served& operator=(const Served&) = delete;

    remoteobj::Proxy<T> proxy() { return channel_.proxy(); }

    /// Stops serving; what the child's `finish` returned.
    int join() {
        done_.raise();
        joined_ = true;
        return child_.join();
    }

private:
    Watchdog watchdog_{std::chrono::seconds(60), "corpus test"};
    remoteobj::Channel<T> channel_;
    Signal done_;
    bool joined_ = false;
    remoteobj::Process<int> child_;
};

}  // namespace corpus

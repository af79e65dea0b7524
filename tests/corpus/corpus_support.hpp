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

#include "../process_sync.hpp"

namespace corpus {

using ::Signal;
using ::Watchdog;

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

// remoteobj::serve(obj): a child process whose only job is to listen on
// `obj.remote` (Python remoteobj's dummy_listener). Returns once the child
// listens; the returned handle stops and joins the child when it is destroyed.
//
//     Counter obj;
//     auto child = remoteobj::serve(obj);
//     obj.remote->toggle();           // served by the child
//                                     // ~Served: listening stops, the child is joined
#pragma once

#include <poll.h>

#include <cstdio>
#include <utility>

#include "remoteobj/channel.hpp"
#include "remoteobj/listener.hpp"
#include "remoteobj/process.hpp"

namespace remoteobj {

/// The child of serve(); stops and joins it on destruction.
class Served {
public:
    template <class T, class Callback>
    Served(T& obj, Callback callback, process_options options)
        : stop_(detail::open_eventfd()),
          child_(std::move(options), [&obj, &callback, stop = stop_.get()] {
              if constexpr (std::is_same_v<Callback, std::nullptr_t>) {
                  (void)callback;  // nothing to call back: the capture is for the other branch
                  // Until told to stop, or until the listener stops by itself (a
                  // non-daemon child's parent died: nobody is left to call).
                  auto listening = obj.remote.listen();
                  detail::wait_fd(stop, POLLIN, listening.ended_fd(), -1);
              } else {
                  // Requests are served between calls of the callback, on this thread.
                  auto listening = obj.remote.listen(foreground);
                  while (listening && detail::wait_fd(stop, POLLIN, -1, 0) == detail::Ready::Timeout) {
                      obj.remote.process_requests();
                      callback();
                  }
              }
          }) {
        obj.remote.wait_until_listening(child_);
    }
    Served(Served&&) noexcept = default;
    ~Served() {
        try {
            stop();
        } catch (const std::exception& e) {
            // A destructor cannot throw: report it, never lose it.
            std::fprintf(stderr, "remoteobj: serving child %s ended with an error nobody observed: %s\n",
                         child_.name().c_str(), e.what());
        }
    }

    /// Tells the child to stop listening (requests already sent are served) and
    /// joins it; rethrows what it threw. Called by the destructor otherwise.
    void stop() {
        if (stopped_) return;
        stopped_ = true;
        detail::ring(stop_.get());
        child_.join();
    }

    const ProcessBase& process() const noexcept { return child_; }
    int pid() const noexcept { return child_.pid(); }

private:
    detail::Fd stop_;  // an eventfd both sides of the fork share: rung to stop the child
    Process<void> child_;
    bool stopped_ = false;
};

/// Forks a child that listens on `obj.remote` until the returned handle is destroyed.
template <class T>
[[nodiscard]] Served serve(T& obj, process_options options = {}) {
    return Served(obj, nullptr, std::move(options));
}

/// Forks a child that serves `obj.remote` in the foreground, calling `callback()`
/// between requests, until the returned handle is destroyed.
template <class T, class Callback>
[[nodiscard]] Served serve(T& obj, Callback callback, process_options options = {}) {
    return Served(obj, std::move(callback), std::move(options));
}

}  // namespace remoteobj

// What Remote<T> and Channel<T> share: the link both processes keep after
// fork(), the listener's lifetime (ListenGuard), and waiting for a listener.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "remoteobj/caller.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/link.hpp"
#include "remoteobj/listener.hpp"

namespace remoteobj {

class ProcessBase;
namespace detail {
class RemoteCore;
}

/// Keeps a listener running; it stops when the guard is destroyed (or stop() is
/// called). Converts to false once the listener has stopped for any reason, so a
/// serving loop reads `while (!stop && listening) ...`.
class ListenGuard {
public:
    ListenGuard() = default;
    ListenGuard(ListenGuard&&) noexcept = default;
    ListenGuard& operator=(ListenGuard&& other) noexcept;
    ~ListenGuard();

    explicit operator bool() const noexcept { return listener_ && listener_->running(); }
    /// Stops listening now: requests already sent are settled first.
    void stop();

    /// Blocks until the listener stops for a reason of its own: the process that
    /// made the link died (nobody is left to call), or a stream it could not read
    /// on from. A child that only serves reads `auto l = obj.remote.listen(); l.wait();`.
    /// Returns at once for a guard that holds no listener.
    void wait() const;
    /// Readable (poll()) once the listener has stopped, to wait for that together
    /// with something else; -1 for a guard that holds no listener.
    int ended_fd() const noexcept { return listener_ ? listener_->ended_fd() : -1; }
    /// Foreground listening (`listen(remoteobj::foreground)`): readable (poll(),
    /// epoll, an event loop) while process_requests() has something to do, and from
    /// the moment the listener stops; call process_requests() when it is. -1 for a
    /// listener with a thread of its own, or a guard that holds no listener.
    int ready_fd() const noexcept { return listener_ ? listener_->ready_fd() : -1; }

private:
    friend class detail::RemoteCore;
    // Stops and lets go of the listener (the destructor, and assigning another).
    void end() noexcept;
    ListenGuard(detail::RemoteCore& core, std::unique_ptr<detail::Serving> listener) noexcept
        : core_(&core), listener_(std::move(listener)) {}

    detail::RemoteCore* core_ = nullptr;
    std::unique_ptr<detail::Serving> listener_;
};

namespace detail {

/// Everything of Remote<T> that does not depend on T.
class RemoteCore {
public:
    RemoteCore(void* object, const Interface& (*interface)(), link_options options = {});
    /// On a link adopted from descriptors a parent kept across exec().
    RemoteCore(void* object, const Interface& (*interface)(), const LinkFds& inherited);
    RemoteCore(const RemoteCore&) = delete;
    RemoteCore& operator=(const RemoteCore&) = delete;
    ~RemoteCore();

    /// Starts serving `object` (null: the object given at construction).
    ListenGuard listen(void* object, Listener::Mode mode, listen_options options);
    /// Starts serving `object` (null: as above) at a named endpoint, to callers
    /// that connect<T>() there, on a thread of its own.
    ListenGuard listen_at(void* object, std::string_view address, listen_options options);
    std::size_t process_requests();
    bool listening() const noexcept;
    int listener_pid() const noexcept;
    /// "<Remote Counter: listening in pid 42>", from the shared flags only.
    std::string describe(const char* kind) const;
    void wait_until_listening(const ProcessBase& process, std::chrono::milliseconds timeout);

    std::recursive_mutex& mutex() noexcept { return mutex_; }
    Caller& caller() noexcept { return caller_; }
    /// The pipes themselves: for tests and fuzzers that speak raw bytes.
    Link& link() noexcept { return link_; }

private:
    friend class remoteobj::ListenGuard;
    void release(Serving* listener) noexcept;

    std::recursive_mutex mutex_;
    Link link_;
    Target target_;
    Caller caller_;
    Listener* active_ = nullptr;  // owned by the ListenGuard that started it
};

/// The members Remote<T> and Channel<T> have in common.
class Endpoint {
public:
    /// Serves every request that has arrived (foreground listening); never blocks.
    std::size_t process_requests() { return core_.process_requests(); }

    /// True while some process listens on this object.
    bool listening() const noexcept { return core_.listening(); }

    /// Returns once `process` listens on this object; throws ProcessDied at once if
    /// it exits first, Timeout if `timeout` passes.
    void wait_until_listening(const ProcessBase& process,
                              std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        core_.wait_until_listening(process, timeout);
    }

    /// Held while a request runs on the object; hold it to keep the object's own
    /// critical sections consistent with requests. Recursive, so a member called
    /// remotely may take it again.
    std::recursive_mutex& mutex() noexcept { return core_.mutex(); }

protected:
    Endpoint(void* object, const Interface& (*interface)(), link_options options = {})
        : core_(object, interface, options) {}
    Endpoint(void* object, const Interface& (*interface)(), const LinkFds& inherited)
        : core_(object, interface, inherited) {}

    RemoteCore core_;
};

}  // namespace detail

}  // namespace remoteobj

// The parts of Remote<T> and Channel<T> that do not depend on T; see endpoint.hpp.
#include "remoteobj/endpoint.hpp"

#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include "remoteobj/error.hpp"
#include "remoteobj/process.hpp"
#include "connection_listener.hpp"

namespace remoteobj {

ListenGuard& ListenGuard::operator=(ListenGuard&& other) noexcept {
    if (this != &other) {
        end();  // as the destructor does, on the listener's own thread too
        core_ = std::exchange(other.core_, nullptr);
        listener_ = std::move(other.listener_);
    }
    return *this;
}

ListenGuard::~ListenGuard() { end(); }

void ListenGuard::end() noexcept {
    if (listener_ && listener_->on_own_thread()) {
        // Destroyed by a request its own listener serves: the thread cannot join
        // itself, so it takes the listener over and ends it when the request returns.
        listener_->stop();
        core_->release(listener_.get());
        listener_.release()->orphan();
        return;
    }
    stop();
}

void ListenGuard::wait() const {
    if (listener_) detail::wait_fd(listener_->ended_fd(), POLLIN, -1, -1);
}

void ListenGuard::stop() {
    if (!listener_) return;
    listener_->stop();
    if (listener_->on_own_thread()) return;  // joined by the next stop() from elsewhere, or the destructor
    core_->release(listener_.get());
    listener_.reset();
}

namespace detail {

RemoteCore::RemoteCore(void* object, const Interface& (*interface)(), link_options options)
    : link_(options), target_{object, interface, &mutex_}, caller_(link_, target_) {}

RemoteCore::RemoteCore(void* object, const Interface& (*interface)(), const LinkFds& inherited)
    : link_(inherited), target_{object, interface, &mutex_}, caller_(link_, target_) {}

RemoteCore::~RemoteCore() {
    // The maker destroys its object while another process listens: nobody is left
    // to call through this link, so that listener is told to end (a Closed on the
    // request stream), as it would at the maker's death. One atomic write of a few
    // bytes, never waited for: a full pipe means the listener is reading anyway.
    SharedFlags& flags = link_.flags();
    if (flags.creator_pid.load() != checked_pid() || flags.listening.load() != 1 || flags.listener_pid.load() == this_pid())
        return;
    flatbuffers::FlatBufferBuilder fbb;
    auto closed = wire::CreateClosed(fbb, flags.epoch.load());
    fbb.FinishSizePrefixed(wire::CreateEnvelope(fbb, wire::Message::Closed, closed.Union()));
    [[maybe_unused]] auto n = ::write(link_.door_write_fd(), fbb.GetBufferPointer(), fbb.GetSize());
}

ListenGuard RemoteCore::listen(void* object, Listener::Mode mode, listen_options options) {
    if (object) target_.object = object;
    if (!target_.object)
        throw Error(fmt::format("{}: listen() needs the object to serve", target_.interface().class_name));
    auto listener = std::make_unique<Listener>(link_, target_, mode, options);
    active_ = listener.get();
    return ListenGuard(*this, std::move(listener));
}

ListenGuard RemoteCore::listen_at(void* object, std::string_view address, listen_options options) {
    if (object) target_.object = object;
    if (!target_.object)
        throw Error(fmt::format("{}: listen_at() needs the object to serve", target_.interface().class_name));
    return ListenGuard(*this,
                       std::make_unique<ConnectionListener>(address, target_, std::move(options), link_.max_message()));
}

void RemoteCore::release(Serving* listener) noexcept {
    if (active_ == listener) active_ = nullptr;
}

std::size_t RemoteCore::process_requests() {
    if (!active_ || active_->mode() != Listener::Mode::foreground)
        throw NotListening(fmt::format("{}: process_requests() called without listen(remoteobj::foreground)",
                                       target_.interface().class_name));
    return active_->process_requests();
}

bool RemoteCore::listening() const noexcept {
    if (link_.serving_here()) return true;
    switch (link_.flags().listening.load()) {
        case 1: {
            const int pid = listener_pid();
            return pid == ::getpid() || still_running(pid);  // a killed listener never cleared the flag
        }
        case 2: return false;  // a listener is starting: not yet
        default:
            // The page says nobody listens, and any process of the link can write
            // it: the session's socket, which answers only while a listener runs,
            // has the last word (asked only here, so a live listener is never
            // disturbed by the question).
            return link_.session_answers();
    }
}

int RemoteCore::listener_pid() const noexcept { return link_.flags().listener_pid.load(); }

std::string RemoteCore::describe(const char* kind) const {
    const char* name = target_.interface().class_name;
    if (!listening()) return fmt::format("<{} {}: not listening>", kind, name);
    return fmt::format("<{} {}: listening in pid {}>", kind, name, listener_pid());
}

void RemoteCore::wait_until_listening(const ProcessBase& process, std::chrono::milliseconds timeout) {
    // Saturated: milliseconds::max() waits as long as it takes, never overflows.
    const auto until = deadline::after(timeout);
    for (;;) {
        link_.drain_changed();
        if (listening()) return;
        if (deadline::clock::now() >= until)
            throw Timeout(fmt::format("{}: {} did not start listening within {} ms", target_.interface().class_name,
                                      process.name(), timeout.count()));
        // Wakes when listening starts (the eventfd rings) or the process exits.
        if (wait_fd(link_.changed_fd(), POLLIN, process.pidfd(), poll_timeout(until)) == Ready::Other &&
            !listening()) {
            process.observe_death();  // reported here: its destructor need not say it again
            throw ProcessDied(fmt::format("{}: {} (pid {}) exited before it listened", target_.interface().class_name,
                                          process.name(), process.pid()));
        }
    }
}

}  // namespace detail
}  // namespace remoteobj

// The listening session of a fork()-made link; see listener.hpp.
#include "remoteobj/listener.hpp"

#include <fmt/format.h>

#include "remoteobj/error.hpp"
#include "connection_listener.hpp"

namespace remoteobj::detail {

Listener::Listener(Link& link, const Target& target, Mode mode, listen_options options)
    : link_(link), target_(target), mode_(mode) {
    SharedFlags& flags = link_.flags();
    // What can fail for want of descriptors comes before anything is published: a
    // failed start leaves the link as it was, never marked listening.
    SessionHooks hooks;
    const int creator = flags.creator_pid.load();
    if (creator > 0 && creator != checked_pid()) {  // checked: this may be a raw fork's child
        // The maker's death, or its Closed at the door, ends listening: nobody is
        // left to call. A maker gone already ends it at once.
        creator_ = open_pidfd(creator);
        hooks.creator_pidfd = creator_ ? creator_.get() : -2;
        hooks.maker_door = &link_.door();
    }
    hooks.on_end = [this] { withdraw(); };
    hooks.owner = this;
    std::uint32_t expected = 0;
    if (!flags.listening.compare_exchange_strong(expected, 2)) {
        // A listener killed outright never cleared the flag: its place is free.
        const int holder = flags.listener_pid.load();
        if (expected != 1 || still_running(holder) || !flags.listening.compare_exchange_strong(expected, 2))
            throw Error(fmt::format("{}: already listening (pid {})", target_.interface().class_name, holder));
    }
    // Published in this order so that a caller who sees `listening` also sees the
    // epoch and pid it belongs to.
    epoch_ = flags.epoch.fetch_add(1) + 1;
    try {
        // Every calling process connects to this session, and goes on over a pipe
        // pair (or rings) the greeting hands it. Abstract socket names are shared
        // by everything in the network namespace (no file, so no mode): the uid
        // check keeps other users out.
        loop_ = std::make_unique<ConnectionListener>(link_.session_address(), target_, std::move(options),
                                                     link_.max_message(), epoch_, mode_ == Mode::foreground,
                                                     link_.shared_memory() ? Handover::rings : Handover::pipes,
                                                     std::move(hooks));
    } catch (...) {
        flags.listening.store(0);  // the start is undone: the link is as it was
        throw;
    }
    link_.serve_here(epoch_);
    flags.listener_pid.store(this_pid());
    flags.listening.store(1);
    link_.notify_changed();
}

Listener::~Listener() { stop(); }

bool Listener::running() const noexcept { return loop_->running(); }

int Listener::ended_fd() const noexcept { return loop_->ended_fd(); }

int Listener::ready_fd() const noexcept { return loop_->ready_fd(); }

std::size_t Listener::process_requests() { return loop_->process_requests(); }

bool Listener::on_own_thread() const noexcept { return loop_->on_own_thread(); }

void Listener::stop() {
    withdraw();
    loop_->stop();
}

void Listener::orphan() noexcept { loop_->orphan(); }

void Listener::withdraw() noexcept {
    // Once, whoever ends listening first: stop(), the maker's death or its Closed.
    if (withdrawn_.exchange(true)) return;
    link_.stop_serving_here();
    link_.flags().listening.store(0);
    link_.notify_changed();
}

}  // namespace remoteobj::detail

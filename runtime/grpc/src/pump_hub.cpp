// One thread for every Pump's local socket; see pump_hub.hpp.
#include "pump_hub.hpp"

#include <sys/epoll.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "pump.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj::grpc::detail {

namespace {

thread_local bool hub_thread = false;

// Ready descriptors taken per wait.
constexpr int ready_per_wait = 64;

}  // namespace

PumpHub& PumpHub::instance() {
    static PumpHub* const hub = new PumpHub;  // never destroyed: its thread runs to the end
    return *hub;
}

bool PumpHub::on_hub_thread() noexcept { return hub_thread; }

PumpHub::PumpHub() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
    if (!epoll_) throw SystemError(errno, "epoll_create1 for gRPC's pumps");
    std::thread([this] {
        hub_thread = true;
        run();
    }).detach();
}

void PumpHub::attach(Pump& pump, short events) {
    // The socket first, then the bell: from the first epoll_ctl() on, the hub's
    // thread may run this Pump, and then only it touches the watch's fields
    // (epoll_ctl() and epoll_wait() order what was written before).
    watch_local(pump, events);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = &pump.bell_watch_;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, pump.notify_.get(), &event) != 0) {
        const int error = errno;
        detach(pump);
        throw SystemError(error, "epoll_ctl for a gRPC pump");
    }
}

void PumpHub::rewatch(Pump& pump, short events) {
    try {
        watch_local(pump, events);
    } catch (const SystemError& e) {
        // Nothing more can be learnt of its socket: the connection ends.
        std::fprintf(stderr, "remoteobj: gRPC pump: %s\n", e.what());
        pump.cancelled();
    }
}

void PumpHub::watch_local(Pump& pump, short events) {
    // Not watched at all while it waits for nothing there: level-triggered, a hung
    // up socket would otherwise wake this thread again and again.
    const std::uint32_t wanted = static_cast<std::uint16_t>(events);
    if (wanted == pump.local_events_ && pump.local_watched_ == (wanted != 0)) return;
    epoll_event event{};
    event.events = wanted;
    event.data.ptr = &pump.local_watch_;
    int op = EPOLL_CTL_MOD;
    if (wanted == 0) op = EPOLL_CTL_DEL;
    else if (!pump.local_watched_) op = EPOLL_CTL_ADD;
    const bool was_watched = pump.local_watched_;
    const std::uint32_t were = pump.local_events_;
    pump.local_watched_ = wanted != 0;
    pump.local_events_ = wanted;
    if (::epoll_ctl(epoll_.get(), op, pump.local_.get(), &event) != 0) {
        const int error = errno;
        pump.local_watched_ = was_watched;
        pump.local_events_ = were;
        throw SystemError(error, "epoll_ctl for a gRPC pump's socket");
    }
}

void PumpHub::detach(Pump& pump) noexcept {
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, pump.notify_.get(), nullptr);
    if (pump.local_watched_) ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, pump.local_.get(), nullptr);
    pump.local_watched_ = false;
}

void PumpHub::run() {
    epoll_event ready[ready_per_wait];
    for (;;) {
        const int n = ::epoll_wait(epoll_.get(), ready, ready_per_wait, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::fprintf(stderr, "remoteobj: gRPC pumps stopped: epoll_wait: %s\n", std::strerror(errno));
            return;
        }
        // Pumps that end here are released only after the whole batch: until then a
        // later event of the batch may still name one (taken before it was detached),
        // and a released Pump may be destroyed at once.
        Pump* ended[ready_per_wait];
        int ending = 0;
        for (int i = 0; i < n; ++i) {
            const auto* watch = static_cast<const Pump::HubWatch*>(ready[i].data.ptr);
            if (watch->pump->ended_by_hub_) continue;
            if (watch->pump->on_ready(watch->local, ready[i].events)) ended[ending++] = watch->pump;
        }
        for (int i = 0; i < ending; ++i) ended[i]->release();
    }
}

}  // namespace remoteobj::grpc::detail

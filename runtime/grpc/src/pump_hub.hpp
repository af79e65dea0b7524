// The one thread that watches every Pump's local socket in this process.
//
// Each Pump once had a thread of its own, asleep in poll() on its socket and its
// bell: a server with 1,000 connections had 1,000 threads (attack round 3). The
// work those threads did is small and never blocks (end-of-file of the local end,
// writing what the socket did not take at once), so one thread does it for all,
// told by epoll which Pump has something to do. Requests, replies and streamed
// values never pass through it (see pump.hpp).
//
// Made on first use and never destroyed (its thread runs until the process ends),
// so no Pump can outlive it. A process forked from one whose hub runs has no hub
// thread: gRPC may not be used there anyway (gRPC's rule; docs/limitations.md).
#pragma once

#include <cstdint>

#include "remoteobj/channel.hpp"

namespace remoteobj::grpc::detail {

class Pump;

class PumpHub {
public:
    static PumpHub& instance();

    /// Watches `pump`'s bell, and its local socket for `events` (none: not watched).
    void attach(Pump& pump, short events);
    /// From the hub's thread: what to watch the local socket for from now on.
    void rewatch(Pump& pump, short events);
    /// From the hub's thread: the Pump has ended; nothing of it is watched any more.
    void detach(Pump& pump) noexcept;
    /// Whether the calling thread is the hub's (a Pump's reactions run there).
    static bool on_hub_thread() noexcept;

private:
    PumpHub();
    void run();
    void watch_local(Pump& pump, short events);

    remoteobj::detail::Fd epoll_;
};

}  // namespace remoteobj::grpc::detail

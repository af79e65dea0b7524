// A class whose served methods stop, or destroy, the very listener serving them,
// or call its own proxy again (listener_test.cpp): never an abort, never a hang.
#pragma once

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Stopper {
public:
    remoteobj::Remote<Stopper> remote{*this};
    int calls = 0;

    /// Stops the listener serving this call; true when the guard then reads false.
    bool stop_listening() {
        guard_.stop();
        return !guard_;
    }
    /// Calls this object's own proxy from inside a served call: in place, again.
    int reenter();
    /// Destroys the guard of the listener serving this call.
    void drop_listener() { guard_ = {}; }

    REMOTEOBJ_HIDE void listen() { guard_ = remote.listen(); }
    REMOTEOBJ_HIDE void end_listening() { guard_ = {}; }
    REMOTEOBJ_HIDE int ended_fd() const { return guard_.ended_fd(); }

private:
    remoteobj::ListenGuard guard_;
};

#include "stopper.remote.hpp"

// After the generated header: a method that uses its own proxy needs Proxy<Stopper>.
inline int Stopper::reenter() { return remote->calls.get() + 1; }

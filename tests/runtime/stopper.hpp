// A class whose served methods stop, or destroy, the very listener serving them
// (listener_test.cpp): the listener must end cleanly, never abort.
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
    /// Destroys the guard of the listener serving this call.
    void drop_listener() { guard_ = {}; }

    REMOTEOBJ_HIDE void listen() { guard_ = remote.listen(); }
    REMOTEOBJ_HIDE void end_listening() { guard_ = {}; }
    REMOTEOBJ_HIDE int ended_fd() const { return guard_.ended_fd(); }

private:
    remoteobj::ListenGuard guard_;
};

#include "stopper.remote.hpp"

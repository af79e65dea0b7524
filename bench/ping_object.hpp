// The one class remoteobj_independent talks to: a method and a field, nothing more.
#pragma once

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ PingObject {
public:
    /// Pipes by default; `remoteobj::shared_memory` for rings.
    explicit PingObject(remoteobj::link_options options = {}) : remote{*this, options} {}
    remoteobj::Remote<PingObject> remote;
    int field = 0;
    int add(int a, int b) { return a + b; }
};

#include "ping_object.remote.hpp"

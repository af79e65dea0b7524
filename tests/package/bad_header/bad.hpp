// A class with a member that cannot cross processes: a raw pointer.
#pragma once

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Holder {
public:
    remoteobj::Remote<Holder> remote{*this};
    int* p = nullptr;
};

#include "bad.remote.hpp"

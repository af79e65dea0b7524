// Two overloads that differ only in a trailing parameter with a default: the same
// member on the wire (the id hashes the parameters without a default), refused.
#pragma once

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ SameId {
public:
    void resize(int width) { (void)width; }
    void resize(int width, int height = 0) { (void)width, (void)height; }
};

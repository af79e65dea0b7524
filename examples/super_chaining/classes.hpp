// The seed's "Advanced" example: calling a base class's implementation through
// the proxy, and methods that return their own object so that calls chain.
#pragma once

#include <remoteobj/remoteobj.hpp>

/// The base: its asdf() answers 5.
class REMOTEOBJ A {
public:
    virtual ~A() = default;
    virtual int asdf() { return 5; }
};

/// Overrides asdf(), and counts chain() calls in x.
class REMOTEOBJ B : public A {
public:
    remoteobj::Remote<B> remote{*this};
    int x = 0;

    int asdf() override { return 6; }

    /// Returns the object itself: remotely, the proxy, so calls chain.
    B& chain() {
        ++x;
        return *this;
    }
};

#include "classes.remote.hpp"

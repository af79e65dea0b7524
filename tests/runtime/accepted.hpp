// What the generator once accepted and then could not compile, now working end to
// end: an abstract REMOTEOBJ base served through its concrete object, a const
// reference to a REMOTEOBJ object as a nested proxy, a struct with a template
// constructor, and [[nodiscard]] / [[deprecated]] carried onto the stubs.
#pragma once

#include <string>

#include <remoteobj/remoteobj.hpp>

/// A value that also converts from anything numeric: the template constructor is
/// no member to export.
struct REMOTEOBJ Measure {
    int value = 0;
    Measure() = default;
    template <class T>
    explicit Measure(T v) : value(static_cast<int>(v)) {}
};

/// An abstract base: served through the concrete object, never constructed.
class REMOTEOBJ Shape {
public:
    virtual ~Shape() = default;
    virtual int area() const = 0;
    virtual std::string kind() const { return "shape"; }
};

class REMOTEOBJ Badge {
public:
    std::string text = "label";
    int length() const { return static_cast<int>(text.size()); }
};

class REMOTEOBJ Square : public Shape {
public:
    remoteobj::Remote<Square> remote{*this};
    int side = 3;
    Badge label;
    Measure last;

    int area() const override { return side * side; }
    std::string kind() const override { return "square"; }
    /// Its label, read-only: still a nested proxy.
    const Badge& name_tag() const { return label; }
    Measure measure(Measure m) {
        last = m;
        return Measure(m.value * 2);
    }
    [[nodiscard]] int checked(int x) const { return x + 1; }
    [[deprecated("use checked()")]] int unchecked(int x) const { return x - 1; }
};

#include "accepted.remote.hpp"

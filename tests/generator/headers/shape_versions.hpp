// One class in the versions --check-compatible compares (tests/CMakeLists.txt):
// SHAPE_VERSION unset is the old one; each other value is one change to it.
#pragma once

#include <cstdint>
#include <string>

#include <remoteobj/remoteobj.hpp>

#ifndef SHAPE_VERSION
#define SHAPE_VERSION 0
#endif
#define SHAPE_COMPATIBLE 1        // everything docs/changing-an-interface.md allows, at once
#define SHAPE_REMOVED_METHOD 2
#define SHAPE_CHANGED_PARAMETER 3
#define SHAPE_REQUIRED_PARAMETER 4
#define SHAPE_FIELD_INSERTED 5
#define SHAPE_FIELD_REMOVED 6
#define SHAPE_FIELD_RETYPED 7
#define SHAPE_ENUMERATOR_REMOVED 8
#define SHAPE_CHANGED_FIELD 9

/// Crosses by value: its fields travel by position.
struct Point {
#if SHAPE_VERSION == SHAPE_FIELD_INSERTED
    int z = 0;
#endif
    int x = 0;
#if SHAPE_VERSION == SHAPE_FIELD_RETYPED
    double y = 0;
#elif SHAPE_VERSION != SHAPE_FIELD_REMOVED
    int y = 0;
#endif
#if SHAPE_VERSION == SHAPE_COMPATIBLE
    int z = 0;
#endif
};

#if SHAPE_VERSION == SHAPE_ENUMERATOR_REMOVED
enum class Color : std::uint8_t { red, green };
#elif SHAPE_VERSION == SHAPE_COMPATIBLE
enum class Color : std::uint8_t { red, green, blue, violet };
#else
enum class Color : std::uint8_t { red, green, blue };
#endif

class REMOTEOBJ Shape {
public:
    remoteobj::Remote<Shape> remote{*this};
#if SHAPE_VERSION == SHAPE_COMPATIBLE
    std::string motto;            // a new field, before the others
    remoteobj::Signal<int> moved;  // a new signal
#endif
#if SHAPE_VERSION == SHAPE_CHANGED_FIELD
    long sides = 3;
#else
    int sides = 3;
#endif
    std::string name;

#if SHAPE_VERSION == SHAPE_CHANGED_PARAMETER
    int area(long scale) const { return static_cast<int>(scale); }
#elif SHAPE_VERSION == SHAPE_REQUIRED_PARAMETER
    int area(int scale, int extra) const { return scale + extra; }
#elif SHAPE_VERSION == SHAPE_COMPATIBLE
    int area(int scale, int extra = 0) const { return scale + extra; }  // a new defaulted parameter
#else
    int area(int scale) const { return scale; }
#endif
    void move(Point to) { at = to; }
#if SHAPE_VERSION != SHAPE_REMOVED_METHOD
    void paint(Color c) { color = c; }
#endif
#if SHAPE_VERSION == SHAPE_COMPATIBLE
    int reset() { return 0; }  // a new method
#endif

    Point at;
    Color color = Color::red;
};

#include "shape_versions.remote.hpp"

// tests/consumer: a header whose name has a dot before its extension; the generated
// files keep the whole name (shape.v2.remote.hpp), so v2 and v2 live side by side.
#pragma once

#include <remoteobj/remoteobj.hpp>

namespace v2 {
class REMOTEOBJ Shape {
public:
    remoteobj::Remote<Shape> remote{*this};
    int sides = 4;
};
}  // namespace v2

#include "shape.v2.remote.hpp"

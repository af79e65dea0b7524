// tests/consumer: a header whose name has a dot before its extension; the generated
// files keep the whole name (shape.v1.remote.hpp), so v1 and v2 live side by side.
#pragma once

#include <remoteobj/remoteobj.hpp>

namespace v1 {
class REMOTEOBJ Shape {
public:
    remoteobj::Remote<Shape> remote{*this};
    int sides = 3;
};
}  // namespace v1

#include "shape.v1.remote.hpp"

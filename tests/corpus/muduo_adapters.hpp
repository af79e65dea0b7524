// How muduo's own small types cross processes: the user's code, not muduo's.
// Included at the end of muduo.hpp, so that the generator finds it in the AST.
#pragma once

#include <string>

#include <remoteobj/adapter.hpp>

#include "muduo.hpp"

/// A StringPiece crosses as the bytes it views. The one received as an argument
/// refers into the received string, which lives until the member returns (Buffer's
/// append() copies the bytes at once).
template <>
struct remoteobj::adapter<muduo::StringPiece> {
    using wire = std::string;
    static wire to_wire(const muduo::StringPiece& s) { return s.as_string(); }
    static muduo::StringPiece from_wire(const wire& w) { return muduo::StringPiece(w); }
};

// remoteobj::adapter<T>: how a type the user does not own crosses processes.
//
// A user specialises it (in the annotated header or one it includes) to convert
// the type to a `wire` type that crosses, and back:
//
//     template <>
//     struct remoteobj::adapter<vendor::Slice> {
//         using wire = std::string;
//         static wire to_wire(const vendor::Slice& s) { return s.ToString(); }
//         static vendor::Slice from_wire(const wire& w) { return vendor::Slice(w); }
//     };
//
// The generator finds the specialisation in the header's AST and sends the type as
// its wire type; the codecs here (codec.hpp, value_codec.hpp) convert on both sides.
// This header only declares the template: it must never need to know any codec.
#pragma once

#include <type_traits>

namespace remoteobj {

/// Specialise for a class type T: `using wire = W;` (a type that crosses),
/// `static W to_wire(const T&)` and `static T from_wire(const W&)`. A T received
/// as an argument may refer into the `W` it was made from: that lives until the
/// member returns (a view such as a Slice is fine as an argument).
template <class T>
struct adapter;

namespace detail {

/// Whether T crosses through a user's adapter<T> (class types only: enums and
/// numbers have codecs of their own).
template <class T>
concept adapted = std::is_class_v<T> && requires { typename adapter<T>::wire; };

}  // namespace detail
}  // namespace remoteobj

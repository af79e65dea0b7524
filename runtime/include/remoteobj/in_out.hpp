// In-out parameters: a method's `T&` or `T*` parameter of a value type. The
// caller's value is sent; the member runs on a copy in the listening process; the
// value it leaves there comes back in the reply and is written into the caller's
// object before the call returns (for `.async()`, when the future's get() returns).
// A null pointer crosses as null and gets nothing back. A `const T*` is an input
// that may be null: sent the same way, never written back.
//
// What generated `.remote.cpp` files call on both sides. Nothing here decides what
// crosses: the generator does (parse/parser.cpp), and the codecs (codec.hpp) say how.
#pragma once

#include <optional>
#include <utility>

#include "remoteobj/codec.hpp"

namespace remoteobj::detail {

/// The value a pointer argument points to, as the std::optional<T> field it travels
/// in: absent for null. Nothing is copied to send it.
template <class T>
auto pointee_to_wire(flatbuffers::FlatBufferBuilder& fbb, const T* value) {
    using Inner = typename Codec<std::optional<T>>::Inner;
    if constexpr (is_offset_v<Inner>)
        return value ? Codec<T>::to_wire(fbb, *value) : Inner();
    else
        return value ? flatbuffers::Optional<Inner>(Codec<T>::to_wire(fbb, *value)) : flatbuffers::Optional<Inner>();
}

/// What the member receives for a pointer parameter: the received value, or null.
template <class T>
T* pointer_to(std::optional<T>& received) noexcept {
    return received ? &*received : nullptr;
}
/// For a `const T*` input: also from the temporary it was received as (it lives
/// until the call's full expression ends).
template <class T>
const T* pointer_to(const std::optional<T>& received) noexcept {
    return received ? &*received : nullptr;
}

/// Writes the value a reply brought back for an in-out reference into the caller's object.
template <class T, class W>
void write_back(T& target, const W& wire) {
    target = Codec<T>::from_wire(wire);
}

/// The same for an in-out pointer: nothing when the caller passed null (or when
/// the reply carries no value for it, which only a null argument gets).
template <class T, class W>
void write_back(T* target, const W& wire) {
    if (!target) return;
    std::optional<T> received = Codec<std::optional<T>>::from_wire(wire);
    if (received) *target = std::move(*received);
}

}  // namespace remoteobj::detail

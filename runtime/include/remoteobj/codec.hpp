// Conversions between C++ values and the FlatBuffers fields of generated tables.
//
// The generator maps each exported type to a field type in the class's schema;
// these templates convert a value to what flatc's Create*() functions take and
// back from what its accessors return. Generated code calls them and nothing else.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <type_traits>

#include <flatbuffers/flatbuffers.h>

namespace remoteobj::detail {

template <class T, class = void>
struct Codec;

template <class T>
struct Codec<T, std::enable_if_t<std::is_arithmetic_v<T>>> {
    static T to_wire(flatbuffers::FlatBufferBuilder&, T v) noexcept { return v; }
    static T from_wire(T v) noexcept { return v; }
};

/// Enums travel as their underlying integer.
template <class T>
struct Codec<T, std::enable_if_t<std::is_enum_v<T>>> {
    using underlying = std::underlying_type_t<T>;
    static underlying to_wire(flatbuffers::FlatBufferBuilder&, T v) noexcept { return static_cast<underlying>(v); }
    static T from_wire(underlying v) noexcept { return static_cast<T>(v); }
};

template <>
struct Codec<std::string> {
    static flatbuffers::Offset<flatbuffers::String> to_wire(flatbuffers::FlatBufferBuilder& fbb, std::string_view v) {
        return fbb.CreateString(v.data(), v.size());
    }
    static std::string from_wire(const flatbuffers::String* s) {
        return s ? std::string(s->data(), s->size()) : std::string();
    }
};

/// Sent from a std::string_view argument; received as a std::string, which the
/// callee's string_view parameter then views for the length of the call.
template <>
struct Codec<std::string_view> : Codec<std::string> {};

/// An atomic field is read and written as its value (load and store).
template <class T>
struct Codec<std::atomic<T>> : Codec<T> {};

template <class T>
auto to_wire(flatbuffers::FlatBufferBuilder& fbb, const T& v) {
    return Codec<T>::to_wire(fbb, v);
}

template <class T, class W>
auto from_wire(const W& w) {
    return Codec<T>::from_wire(w);
}

/// Reads a field of the object for sending: atomics are loaded.
template <class T>
const T& load(const T& field) noexcept {
    return field;
}
template <class T>
T load(const std::atomic<T>& field) noexcept {
    return field.load();
}

/// The type a field's value has once read (an atomic's value type).
template <class T>
struct value_of {
    using type = T;
};
template <class T>
struct value_of<std::atomic<T>> {
    using type = T;
};
template <class T>
using value_of_t = typename value_of<T>::type;

}  // namespace remoteobj::detail

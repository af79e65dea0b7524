// Conversions between C++ values and the FlatBuffers fields of generated tables.
//
// The generator maps each exported type to a field type in the class's schema;
// these templates convert a value to what flatc's Create*() functions take and
// back from what its accessors return. Generated code calls them and nothing else.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <flatbuffers/flatbuffers.h>

namespace remoteobj::detail {

template <class T, class = void>
struct Codec;

/// How a value is written as an element of a FlatBuffers vector: as its Codec
/// says, except for what a vector cannot hold (a vector, an optional), which the
/// generator wraps in an element table and specialises this for.
template <class T>
struct Element : Codec<T> {};

template <class W>
inline constexpr bool is_offset_v = false;
template <class X>
inline constexpr bool is_offset_v<flatbuffers::Offset<X>> = true;

template <class T>
struct Codec<T, std::enable_if_t<std::is_arithmetic_v<T>>> {
    static T to_wire(flatbuffers::FlatBufferBuilder&, T v) noexcept { return v; }
    static T from_wire(T v) noexcept { return v; }
};

/// The declared values of enum E, specialised by the generated header of a class
/// that uses E: `name` and `values`. Left undefined for other enums.
template <class E>
struct Enumerators;

/// Thrown for a received value that no C++ value of its type can be (an enum
/// value that is not one of its enumerators).
[[noreturn]] void throw_bad_value(const char* type_name, std::int64_t value);

/// Enums travel as their underlying integer. A received value must be one of the
/// enumerators (when the generated header declared them): a flag combination or a
/// stray integer is refused, never turned into an enum value nobody declared.
template <class T>
struct Codec<T, std::enable_if_t<std::is_enum_v<T>>> {
    using underlying = std::underlying_type_t<T>;
    static underlying to_wire(flatbuffers::FlatBufferBuilder&, T v) noexcept { return static_cast<underlying>(v); }
    static T from_wire(underlying v) {
        if constexpr (requires { Enumerators<T>::values; }) {
            bool declared = false;
            for (std::int64_t e : Enumerators<T>::values) declared = declared || e == static_cast<std::int64_t>(v);
            if (!declared) throw_bad_value(Enumerators<T>::name, static_cast<std::int64_t>(v));
        }
        return static_cast<T>(v);
    }
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

namespace codec_detail {
template <class C>
void add(C& out, typename C::value_type&& value) {
    if constexpr (requires { out.push_back(std::move(value)); })
        out.push_back(std::move(value));
    else
        out.insert(std::move(value));
}
}  // namespace codec_detail

/// std::vector, std::set and std::array travel as FlatBuffers vectors of their elements.
template <class C>
struct SequenceCodec {
    using T = typename C::value_type;
    using Written = decltype(Element<T>::to_wire(std::declval<flatbuffers::FlatBufferBuilder&>(), std::declval<const T&>()));
    using Wire = std::conditional_t<std::is_same_v<T, bool>, std::uint8_t, Written>;

    // Numbers in contiguous storage are the wire's bytes already (FlatBuffers is
    // little-endian, as this machine): copied whole, once, never element by element.
    static constexpr bool contiguous_numbers =
        std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && std::is_same_v<Written, T> &&
        std::endian::native == std::endian::little && requires(const C& c) { c.data(); };

    static flatbuffers::Offset<flatbuffers::Vector<Wire>> to_wire(flatbuffers::FlatBufferBuilder& fbb, const C& values) {
        if constexpr (contiguous_numbers) return fbb.CreateVector(values.data(), values.size());
        std::vector<Wire> wire;
        wire.reserve(values.size());
        for (const T& value : values) wire.push_back(static_cast<Wire>(Element<T>::to_wire(fbb, value)));
        return fbb.CreateVector(wire);
    }
    template <class V>
    static C from_wire(const flatbuffers::Vector<V>* wire) {
        C out{};
        if (!wire) return out;
        if constexpr (requires { std::tuple_size<C>::value; }) {
            if (wire->size() != out.size())
                throw std::length_error("received " + std::to_string(wire->size()) + " elements for an array of " +
                                        std::to_string(out.size()));
            for (flatbuffers::uoffset_t i = 0; i < wire->size(); ++i) out[i] = element(wire->Get(i));
        } else if constexpr (contiguous_numbers && std::is_same_v<V, T>) {
            out.assign(wire->data(), wire->data() + wire->size());
        } else {
            if constexpr (requires { out.reserve(wire->size()); }) out.reserve(wire->size());
            for (flatbuffers::uoffset_t i = 0; i < wire->size(); ++i) codec_detail::add(out, element(wire->Get(i)));
        }
        return out;
    }

private:
    template <class W>
    static T element(W wire) {
        if constexpr (std::is_same_v<T, bool>)
            return wire != 0;
        else if constexpr (std::is_pointer_v<W>)  // a string or a table
            return Element<T>::from_wire(wire);
        else
            return Element<T>::from_wire(static_cast<Written>(wire));
    }
};

template <class T, class A>
struct Codec<std::vector<T, A>> : SequenceCodec<std::vector<T, A>> {};
template <class T, std::size_t N>
struct Codec<std::array<T, N>> : SequenceCodec<std::array<T, N>> {};
template <class T, class Compare, class A>
struct Codec<std::set<T, Compare, A>> : SequenceCodec<std::set<T, Compare, A>> {};

/// std::optional: a scalar as a FlatBuffers optional scalar (`= null`); anything
/// else (a string, a vector, a table) as a field that may be absent.
template <class T>
struct Codec<std::optional<T>> {
    using Inner = decltype(Codec<T>::to_wire(std::declval<flatbuffers::FlatBufferBuilder&>(), std::declval<const T&>()));

    static auto to_wire(flatbuffers::FlatBufferBuilder& fbb, const std::optional<T>& value) {
        if constexpr (is_offset_v<Inner>)
            return value ? Codec<T>::to_wire(fbb, *value) : Inner();
        else
            return value ? flatbuffers::Optional<Inner>(Codec<T>::to_wire(fbb, *value)) : flatbuffers::Optional<Inner>();
    }
    template <class P>
    static std::optional<T> from_wire(const P* wire) {
        if (!wire) return std::nullopt;
        return Codec<T>::from_wire(wire);
    }
    template <class W>
    static std::optional<T> from_wire(const flatbuffers::Optional<W>& value) {
        if (!value) return std::nullopt;
        return Codec<T>::from_wire(*value);
    }
};

/// std::map and std::unordered_map fields: their value table holds the keys and
/// the values as two vectors of the same length.
template <class M>
struct MapCodec {
    using K = typename M::key_type;
    using V = typename M::mapped_type;

    static auto keys(flatbuffers::FlatBufferBuilder& fbb, const M& map) {
        std::vector<K> keys;
        keys.reserve(map.size());
        for (const auto& entry : map) keys.push_back(entry.first);
        return Codec<std::vector<K>>::to_wire(fbb, keys);
    }
    static auto values(flatbuffers::FlatBufferBuilder& fbb, const M& map) {
        std::vector<V> values;
        values.reserve(map.size());
        for (const auto& entry : map) values.push_back(entry.second);
        return Codec<std::vector<V>>::to_wire(fbb, values);
    }
    template <class KW, class VW>
    static M from_wire(const flatbuffers::Vector<KW>* keys, const flatbuffers::Vector<VW>* values) {
        std::vector<K> k = Codec<std::vector<K>>::from_wire(keys);
        std::vector<V> v = Codec<std::vector<V>>::from_wire(values);
        if (k.size() != v.size())
            throw std::length_error("a map arrived with " + std::to_string(k.size()) + " keys and " +
                                    std::to_string(v.size()) + " values");
        M map;
        for (std::size_t i = 0; i < k.size(); ++i) map.emplace(std::move(k[i]), std::move(v[i]));
        return map;
    }
};

/// A std::chrono::duration travels as its count(), in its own period.
template <class Rep, class Period>
struct Codec<std::chrono::duration<Rep, Period>> {
    static Rep to_wire(flatbuffers::FlatBufferBuilder&, std::chrono::duration<Rep, Period> d) noexcept { return d.count(); }
    static std::chrono::duration<Rep, Period> from_wire(Rep count) noexcept { return std::chrono::duration<Rep, Period>(count); }
};

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

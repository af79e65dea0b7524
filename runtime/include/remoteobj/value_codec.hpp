// ValueCodec<T>: a whole value as a FlatBuffer of its own, for what crosses
// without a generated table (the return and yielded values of remoteobj::process).
// Fields go through the same Codec<T> as generated tables; the tables are the
// runtime's (schemas/values.fbs).
#pragma once

#include <cstring>
#include <chrono>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "remoteobj/codec.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/wire/values_generated.h"

namespace remoteobj::detail {

// An enum's underlying integer; any other type itself.
template <class T, bool = std::is_enum_v<T>>
struct integer_of {
    using type = T;
};
template <class T>
struct integer_of<T, true> {
    using type = std::underlying_type_t<T>;
};

template <class T>
inline constexpr bool is_integer_like_v = (std::is_integral_v<T> || std::is_enum_v<T>) && !std::is_same_v<T, bool>;
template <class T>
inline constexpr bool is_signed_integral_v = is_integer_like_v<T> && std::is_signed_v<typename integer_of<T>::type>;
template <class T>
inline constexpr bool is_unsigned_integral_v =
    is_integer_like_v<T> && std::is_unsigned_v<typename integer_of<T>::type>;

template <class T>
struct ValueCodec {
    static_assert(sizeof(T) == 0,
                  "no value codec for this type: arithmetic types, bool, enums, strings (std::string, "
                  "std::u8string, std::filesystem::path), durations and time points, and std::vector of numbers, "
                  "bools, enums and strings have one; other types get one from the generated header of a "
                  "REMOTEOBJ class that uses them (include it)");
};

#define REMOTEOBJ_VALUE_CODEC_(Condition, Table, Wire)                                                        \
    template <class T>                                                                                        \
        requires(Condition)                                                                                   \
    struct ValueCodec<T> {                                                                                    \
        static void encode(flatbuffers::FlatBufferBuilder& fbb, const T& value) {                             \
            fbb.Finish(values::Create##Table(fbb, static_cast<Wire>(Codec<T>::to_wire(fbb, value))));         \
        }                                                                                                     \
        static T decode(Bytes bytes) {                                                                        \
            return Codec<T>::from_wire(                                                                       \
                static_cast<decltype(Codec<T>::to_wire(std::declval<flatbuffers::FlatBufferBuilder&>(),       \
                                                       std::declval<const T&>()))>(                           \
                    verified_root<values::Table>(bytes, "a returned value")->value()));                        \
        }                                                                                                     \
    };

REMOTEOBJ_VALUE_CODEC_((std::is_same_v<T, bool>), Bool, bool)
REMOTEOBJ_VALUE_CODEC_(is_signed_integral_v<T>, Long, std::int64_t)
REMOTEOBJ_VALUE_CODEC_(is_unsigned_integral_v<T>, ULong, std::uint64_t)
REMOTEOBJ_VALUE_CODEC_((std::is_floating_point_v<T>), Double, double)
#undef REMOTEOBJ_VALUE_CODEC_

/// What travels as a FlatBuffers string: std::string, std::u8string, std::filesystem::path.
template <class T>
inline constexpr bool is_string_like_v =
    std::is_same_v<T, std::string> || std::is_same_v<T, std::u8string> || std::is_same_v<T, std::filesystem::path>;

template <class T>
    requires is_string_like_v<T>
struct ValueCodec<T> {
    static void encode(flatbuffers::FlatBufferBuilder& fbb, const T& value) {
        fbb.Finish(values::CreateString(fbb, Codec<T>::to_wire(fbb, value)));
    }
    static T decode(Bytes bytes) {
        return Codec<T>::from_wire(verified_root<values::String>(bytes, "a returned string")->value());
    }
};

template <class E>
inline constexpr bool is_listable_v = std::is_arithmetic_v<E> || std::is_enum_v<E> || is_string_like_v<E>;

/// Vectors of numbers, bools and strings, element by element through the scalar codecs.
template <class E>
    requires is_listable_v<E>
struct ValueCodec<std::vector<E>> {
    using Scalar = std::conditional_t<std::is_same_v<E, bool>, bool,
                   std::conditional_t<std::is_floating_point_v<E>, double,
                   std::conditional_t<is_unsigned_integral_v<E>, std::uint64_t, std::int64_t>>>;

    static void encode(flatbuffers::FlatBufferBuilder& fbb, const std::vector<E>& value) {
        if constexpr (is_string_like_v<E>) {
            fbb.Finish(values::CreateStringList(fbb, Codec<std::vector<E>>::to_wire(fbb, value)));
        } else {
            std::vector<Scalar> wire;
            wire.reserve(value.size());
            for (const E& e : value) wire.push_back(static_cast<Scalar>(e));
            fbb.Finish(Table::create(fbb, fbb.CreateVector(wire)));
        }
    }
    static std::vector<E> decode(Bytes bytes) {
        std::vector<E> out;
        if constexpr (is_string_like_v<E>) {
            auto* list = verified_root<values::StringList>(bytes, "a returned list")->value();
            if (list)
                for (const flatbuffers::String* s : *list) out.push_back(Codec<E>::from_wire(s));
        } else {
            auto* list = verified_root<typename Table::type>(bytes, "a returned list")->value();
            if (list) {
                // Copied, not loaded in place: the verifier checks a vector's length
                // field for alignment, not its 8-byte elements, which a peer may misalign.
                const auto* data = reinterpret_cast<const std::uint8_t*>(list->Data());
                out.reserve(list->size());
                for (flatbuffers::uoffset_t i = 0; i < list->size(); ++i) {
                    Scalar element;
                    std::memcpy(&element, data + i * sizeof(Scalar), sizeof element);
                    out.push_back(static_cast<E>(flatbuffers::EndianScalar(element)));
                }
            }
        }
        return out;
    }

private:
    struct Table {
        using type = std::conditional_t<std::is_same_v<Scalar, bool>, values::BoolList,
                     std::conditional_t<std::is_same_v<Scalar, double>, values::DoubleList,
                     std::conditional_t<std::is_same_v<Scalar, std::uint64_t>, values::ULongList, values::LongList>>>;
        template <class V>
        static auto create(flatbuffers::FlatBufferBuilder& fbb, V vector) {
            if constexpr (std::is_same_v<Scalar, bool>) return values::CreateBoolList(fbb, vector);
            else if constexpr (std::is_same_v<Scalar, double>) return values::CreateDoubleList(fbb, vector);
            else if constexpr (std::is_same_v<Scalar, std::uint64_t>) return values::CreateULongList(fbb, vector);
            else return values::CreateLongList(fbb, vector);
        }
    };
};

/// A std::chrono::duration, as its count.
template <class Rep, class Period>
struct ValueCodec<std::chrono::duration<Rep, Period>> {
    static void encode(flatbuffers::FlatBufferBuilder& fbb, std::chrono::duration<Rep, Period> value) {
        ValueCodec<Rep>::encode(fbb, value.count());
    }
    static std::chrono::duration<Rep, Period> decode(Bytes bytes) {
        return std::chrono::duration<Rep, Period>(ValueCodec<Rep>::decode(bytes));
    }
};

/// A std::chrono::time_point, as its duration since the epoch.
template <class Clock, class Duration>
struct ValueCodec<std::chrono::time_point<Clock, Duration>> {
    static void encode(flatbuffers::FlatBufferBuilder& fbb, std::chrono::time_point<Clock, Duration> value) {
        ValueCodec<Duration>::encode(fbb, value.time_since_epoch());
    }
    static std::chrono::time_point<Clock, Duration> decode(Bytes bytes) {
        return std::chrono::time_point<Clock, Duration>(ValueCodec<Duration>::decode(bytes));
    }
};

/// A type with a user's remoteobj::adapter<T>, as its wire type's whole value
/// (a process() result, a passto argument or result). A passto argument may refer
/// into its wire value: the listener's WireScope keeps that until the call returned.
template <adapted T>
struct ValueCodec<T> {
    using W = typename adapter<T>::wire;
    static void encode(flatbuffers::FlatBufferBuilder& fbb, const T& value) {
        ValueCodec<W>::encode(fbb, adapter<T>::to_wire(value));
    }
    static T decode(Bytes bytes) {
        if (WireScope* scope = WireScope::current()) return adapter<T>::from_wire(scope->keep(ValueCodec<W>::decode(bytes)));
        const W wire = ValueCodec<W>::decode(bytes);
        return adapter<T>::from_wire(wire);
    }
};

// Generated code specialises ValueCodec for the REMOTEOBJ structs, pairs, tuples,
// variants, maps and nested containers its classes use, with their own tables as roots.

}  // namespace remoteobj::detail

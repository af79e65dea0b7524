// Conversions between C++ values and the FlatBuffers fields of generated tables.
//
// The generator maps each exported type to a field type in the class's schema;
// these templates convert a value to what flatc's Create*() functions take and
// back from what its accessors return. Generated code calls them and nothing else.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <bitset>
#include <chrono>
#include <complex>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <forward_list>
#include <iterator>
#include <list>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <variant>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/adapter.hpp"
#include "remoteobj/detail/wire_scope.hpp"

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

/// Whether the field at `position` (its place in the table, as the schema declares
/// it) was written. A by-value struct's table from an older build lacks the fields
/// appended since: such a field keeps its C++ default member initialiser.
template <class Table>
bool has_field(const Table* table, unsigned position) {
    // Generated tables derive (privately) from flatbuffers::Table and add nothing.
    return reinterpret_cast<const flatbuffers::Table*>(table)->CheckField(
        static_cast<flatbuffers::voffset_t>(4 + 2 * position));
}

/// Makes `fbb` write every scalar, even one equal to its schema default (which
/// FlatBuffers otherwise leaves out): a by-value struct's absent field must mean
/// "the sender's build has no such field", never "zero". Left on for the rest of
/// the builder's message (nothing in remoteobj turns it off): a few bytes more.
inline void write_every_field(flatbuffers::FlatBufferBuilder& fbb) noexcept { fbb.ForceDefaults(true); }

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

/// Thrown (BadRequest) for a received value whose shape its type cannot take: an
/// array or a bitset of another length, a complex number without two parts, a map
/// with more keys than values.
[[noreturn]] void throw_malformed(const std::string& what);

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

/// A std::u8string travels as a FlatBuffers string of its UTF-8 code units.
template <>
struct Codec<std::u8string> {
    static flatbuffers::Offset<flatbuffers::String> to_wire(flatbuffers::FlatBufferBuilder& fbb, std::u8string_view v) {
        return fbb.CreateString(reinterpret_cast<const char*>(v.data()), v.size());
    }
    static std::u8string from_wire(const flatbuffers::String* s) {
        if (!s) return {};
        return std::u8string(reinterpret_cast<const char8_t*>(s->data()), s->size());
    }
};

/// A std::filesystem::path travels as its native string: on POSIX systems the
/// bytes of the name as the file system has them (UTF-8 where names are), so any
/// name comes back unchanged, with no conversion that could fail.
template <>
struct Codec<std::filesystem::path> {
    static_assert(std::is_same_v<std::filesystem::path::value_type, char>, "paths cross as their native char string");
    static flatbuffers::Offset<flatbuffers::String> to_wire(flatbuffers::FlatBufferBuilder& fbb,
                                                            const std::filesystem::path& p) {
        return fbb.CreateString(p.native());
    }
    static std::filesystem::path from_wire(const flatbuffers::String* s) {
        return s ? std::filesystem::path(std::string(s->data(), s->size())) : std::filesystem::path();
    }
};

/// A `const char*` argument or result travels as a string, absent for a null
/// pointer. It is received as a std::optional<std::string> (empty for null): a
/// caller gets that as the result; the callee's parameter points into it (c_str())
/// for the length of the call.
template <>
struct Codec<const char*> {
    static flatbuffers::Offset<flatbuffers::String> to_wire(flatbuffers::FlatBufferBuilder& fbb, const char* s) {
        return s ? fbb.CreateString(s) : flatbuffers::Offset<flatbuffers::String>();
    }
    static std::optional<std::string> from_wire(const flatbuffers::String* s) {
        if (!s) return std::nullopt;
        return std::string(s->data(), s->size());
    }
};

/// What a received `const char*` argument passes to the callee: a pointer into the
/// received string (which lives until the call's full expression ends), or null.
inline const char* c_str(const std::optional<std::string>& received) noexcept {
    return received ? received->c_str() : nullptr;
}

/// A received value as an lvalue, for the full expression of the call it is passed
/// to: a std::span<T> parameter views a vector received for it (a span of non-const
/// elements cannot view a temporary).
template <class T>
T& lvalue(T&& received) noexcept {
    return received;
}

namespace codec_detail {
template <class C>
void add(C& out, typename C::value_type&& value) {
    if constexpr (requires { out.push_back(std::move(value)); })
        out.push_back(std::move(value));
    else
        out.insert(std::move(value));
}
}  // namespace codec_detail

/// Sequences and sets (std::vector, std::array, std::deque, std::list,
/// std::forward_list, std::set, std::multiset, std::unordered_set,
/// std::unordered_multiset, a std::span argument) travel as FlatBuffers vectors of
/// their elements, in iteration order.
template <class C>
struct SequenceCodec {
    using T = typename C::value_type;
    using Written = decltype(Element<T>::to_wire(std::declval<flatbuffers::FlatBufferBuilder&>(), std::declval<const T&>()));
    // What the schema's vector holds: a bool as a ubyte, a char as the byte or
    // ubyte its signedness makes it.
    using Wire = std::conditional_t<std::is_same_v<T, bool>, std::uint8_t,
                 std::conditional_t<std::is_same_v<Written, char>,
                                    std::conditional_t<std::is_signed_v<char>, std::int8_t, std::uint8_t>, Written>>;

    // Numbers in contiguous storage are the wire's bytes already (FlatBuffers is
    // little-endian, as this machine): copied whole, once, never element by element.
    static constexpr bool contiguous_numbers =
        std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && std::is_same_v<Written, T> &&
        std::endian::native == std::endian::little && requires(const C& c) { c.data(); };

    static flatbuffers::Offset<flatbuffers::Vector<Wire>> to_wire(flatbuffers::FlatBufferBuilder& fbb, const C& values) {
        if constexpr (contiguous_numbers)
            return fbb.CreateVector(reinterpret_cast<const Wire*>(values.data()), values.size());
        return write(fbb, values);
    }
    /// Any range of T (a map's keys or values) as the vector this codec writes.
    template <class Range>
    static flatbuffers::Offset<flatbuffers::Vector<Wire>> write(flatbuffers::FlatBufferBuilder& fbb, const Range& values) {
        std::vector<Wire> wire;
        if constexpr (requires { values.size(); }) wire.reserve(values.size());
        for (const T& value : values) wire.push_back(static_cast<Wire>(Element<T>::to_wire(fbb, value)));
        return fbb.CreateVector(wire);
    }
    template <class V>
    static C from_wire(const flatbuffers::Vector<V>* wire) {
        C out{};
        if (!wire) return out;
        if constexpr (requires { std::tuple_size<C>::value; }) {
            if (wire->size() != out.size())
                throw_malformed("received " + std::to_string(wire->size()) + " elements for an array of " +
                                std::to_string(out.size()));
            for (flatbuffers::uoffset_t i = 0; i < wire->size(); ++i) out[i] = element(wire->Get(i));
        } else if constexpr (contiguous_numbers && std::is_same_v<V, T>) {
            out.assign(wire->data(), wire->data() + wire->size());
        } else if constexpr (requires { out.insert_after(out.before_begin(), std::declval<T>()); }) {
            // std::forward_list: appended after its last element, in order.
            auto last = out.before_begin();
            for (flatbuffers::uoffset_t i = 0; i < wire->size(); ++i) last = out.insert_after(last, element(wire->Get(i)));
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
template <class T, class A>
struct Codec<std::deque<T, A>> : SequenceCodec<std::deque<T, A>> {};
template <class T, class A>
struct Codec<std::list<T, A>> : SequenceCodec<std::list<T, A>> {};
template <class T, class A>
struct Codec<std::forward_list<T, A>> : SequenceCodec<std::forward_list<T, A>> {};
template <class T, class Compare, class A>
struct Codec<std::set<T, Compare, A>> : SequenceCodec<std::set<T, Compare, A>> {};
template <class T, class Compare, class A>
struct Codec<std::multiset<T, Compare, A>> : SequenceCodec<std::multiset<T, Compare, A>> {};
template <class T, class Hash, class Equal, class A>
struct Codec<std::unordered_set<T, Hash, Equal, A>> : SequenceCodec<std::unordered_set<T, Hash, Equal, A>> {};
template <class T, class Hash, class Equal, class A>
struct Codec<std::unordered_multiset<T, Hash, Equal, A>> : SequenceCodec<std::unordered_multiset<T, Hash, Equal, A>> {};

/// A std::span argument is sent as the vector of what it views; the listening side
/// receives a std::vector (or a std::array, for a span of fixed extent) and passes
/// the callee a span of that: the callee sees a copy, alive for the call.
template <class T, std::size_t Extent>
struct Codec<std::span<T, Extent>> : SequenceCodec<std::span<T, Extent>> {
    using received_type = std::conditional_t<Extent == std::dynamic_extent, std::vector<std::remove_cv_t<T>>,
                                             std::array<std::remove_cv_t<T>, Extent>>;
    template <class V>
    static received_type from_wire(const flatbuffers::Vector<V>* wire) {
        return Codec<received_type>::from_wire(wire);
    }
};

/// A std::bitset<N> travels as its bits packed into bytes, bit i in byte i / 8 at
/// bit i % 8. A received value must have exactly (N + 7) / 8 bytes and no bit set
/// past N: anything else is refused, never cut to fit.
template <std::size_t N>
struct Codec<std::bitset<N>> {
    static constexpr std::size_t bytes = (N + 7) / 8;

    static flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> to_wire(flatbuffers::FlatBufferBuilder& fbb,
                                                                          const std::bitset<N>& value) {
        std::array<std::uint8_t, bytes> packed{};
        for (std::size_t i = 0; i < N; ++i)
            if (value[i]) packed[i / 8] = static_cast<std::uint8_t>(packed[i / 8] | (1u << (i % 8)));
        return fbb.CreateVector(packed.data(), packed.size());
    }
    static std::bitset<N> from_wire(const flatbuffers::Vector<std::uint8_t>* wire) {
        std::bitset<N> value;
        if (!wire) return value;
        if (wire->size() != bytes)
            throw_malformed("a std::bitset<" + std::to_string(N) + "> arrived as " + std::to_string(wire->size()) +
                            " bytes, not " + std::to_string(bytes));
        if constexpr (N % 8 != 0)
            if ((wire->Get(bytes - 1) >> (N % 8)) != 0)
                throw_malformed("a std::bitset<" + std::to_string(N) + "> arrived with bits set past its " +
                                std::to_string(N));
        for (std::size_t i = 0; i < N; ++i)
            value[i] = ((wire->Get(static_cast<flatbuffers::uoffset_t>(i / 8)) >> (i % 8)) & 1u) != 0;
        return value;
    }
};

/// A std::complex<T> travels as a vector of its two parts, real first; a received
/// one must have exactly two.
template <class T>
struct Codec<std::complex<T>> {
    static flatbuffers::Offset<flatbuffers::Vector<T>> to_wire(flatbuffers::FlatBufferBuilder& fbb,
                                                               const std::complex<T>& value) {
        const T parts[2] = {value.real(), value.imag()};
        return fbb.CreateVector(parts, 2);
    }
    static std::complex<T> from_wire(const flatbuffers::Vector<T>* wire) {
        if (!wire) return {};
        if (wire->size() != 2)
            throw_malformed("a std::complex arrived with " + std::to_string(wire->size()) + " parts, not 2");
        return {wire->Get(0), wire->Get(1)};
    }
};

/// std::monostate, an alternative of a variant, carries nothing: a bool that is
/// never read.
template <>
struct Codec<std::monostate> {
    static bool to_wire(flatbuffers::FlatBufferBuilder&, std::monostate) noexcept { return false; }
    static std::monostate from_wire(bool) noexcept { return {}; }
};

/// What may hold one value or none: std::optional<T>, and std::unique_ptr<T> and
/// std::shared_ptr<T> of a value type (null, or a new value on the other side). A
/// scalar travels as a FlatBuffers optional scalar (`= null`); anything else (a
/// string, a vector, a table) as a field that may be absent.
template <class N, class T>
struct NullableCodec {
    using Inner = decltype(Codec<T>::to_wire(std::declval<flatbuffers::FlatBufferBuilder&>(), std::declval<const T&>()));

    static auto to_wire(flatbuffers::FlatBufferBuilder& fbb, const N& value) {
        if constexpr (is_offset_v<Inner>)
            return value ? Codec<T>::to_wire(fbb, *value) : Inner();
        else
            return value ? flatbuffers::Optional<Inner>(Codec<T>::to_wire(fbb, *value)) : flatbuffers::Optional<Inner>();
    }
    template <class P>
    static N from_wire(const P* wire) {
        if (!wire) return N();
        return make(Codec<T>::from_wire(wire));
    }
    template <class W>
    static N from_wire(const flatbuffers::Optional<W>& value) {
        if (!value) return N();
        return make(Codec<T>::from_wire(*value));
    }

private:
    static N make(T&& value) {
        if constexpr (requires { typename N::deleter_type; })
            return N(std::make_unique<T>(std::move(value)));
        else if constexpr (requires { typename N::weak_type; })
            return N(std::make_shared<T>(std::move(value)));
        else
            return N(std::move(value));
    }
};

template <class T>
struct Codec<std::optional<T>> : NullableCodec<std::optional<T>, T> {};
template <class T>
struct Codec<std::unique_ptr<T>> : NullableCodec<std::unique_ptr<T>, std::remove_const_t<T>> {};
template <class T>
struct Codec<std::shared_ptr<T>> : NullableCodec<std::shared_ptr<T>, std::remove_const_t<T>> {};

/// Maps (std::map, std::unordered_map, std::multimap, std::unordered_multimap):
/// their table holds the keys and the values as two vectors of the same length, in
/// iteration order (a multimap's equal keys each with their value).
template <class M>
struct MapCodec {
    using K = typename M::key_type;
    using V = typename M::mapped_type;

    static auto keys(flatbuffers::FlatBufferBuilder& fbb, const M& map) {
        return SequenceCodec<std::vector<K>>::write(fbb, Side<K, &M::value_type::first>{map});
    }
    static auto values(flatbuffers::FlatBufferBuilder& fbb, const M& map) {
        return SequenceCodec<std::vector<V>>::write(fbb, Side<V, &M::value_type::second>{map});
    }
    template <class KW, class VW>
    static M from_wire(const flatbuffers::Vector<KW>* keys, const flatbuffers::Vector<VW>* values) {
        std::vector<K> k = Codec<std::vector<K>>::from_wire(keys);
        std::vector<V> v = Codec<std::vector<V>>::from_wire(values);
        if (k.size() != v.size())
            throw_malformed("a map arrived with " + std::to_string(k.size()) + " keys and " +
                            std::to_string(v.size()) + " values");
        M map;
        for (std::size_t i = 0; i < k.size(); ++i) map.emplace(std::move(k[i]), std::move(v[i]));
        return map;
    }

private:
    // The keys or the values of a map, read in place: nothing is copied (a value
    // may be move-only, a std::unique_ptr).
    template <class E, auto Member>
    struct Side {
        const M& map;
        struct iterator {
            typename M::const_iterator at;
            const E& operator*() const { return (*at).*Member; }
            iterator& operator++() {
                ++at;
                return *this;
            }
            bool operator!=(const iterator& other) const { return at != other.at; }
        };
        iterator begin() const { return {map.begin()}; }
        iterator end() const { return {map.end()}; }
        std::size_t size() const { return map.size(); }
    };
};

/// A std::chrono::duration travels as its count(), in its own period.
template <class Rep, class Period>
struct Codec<std::chrono::duration<Rep, Period>> {
    static Rep to_wire(flatbuffers::FlatBufferBuilder&, std::chrono::duration<Rep, Period> d) noexcept { return d.count(); }
    static std::chrono::duration<Rep, Period> from_wire(Rep count) noexcept { return std::chrono::duration<Rep, Period>(count); }
};

/// A std::chrono::time_point travels as its duration since its clock's epoch, as
/// that duration's count(). The generator lets through system_clock's and
/// steady_clock's only (steady_clock's epoch means something on one machine only).
template <class Clock, class Duration>
struct Codec<std::chrono::time_point<Clock, Duration>> {
    using Rep = typename Duration::rep;
    static Rep to_wire(flatbuffers::FlatBufferBuilder&, std::chrono::time_point<Clock, Duration> t) noexcept {
        return t.time_since_epoch().count();
    }
    static std::chrono::time_point<Clock, Duration> from_wire(Rep count) noexcept {
        return std::chrono::time_point<Clock, Duration>(Duration(count));
    }
};

/// A type with a user's remoteobj::adapter<T> travels as its wire type, in the
/// wire type's own tables (the schema names the wire type, never T). A received T
/// is made from a wire value that an open WireScope keeps (for an argument: until
/// the member returns); outside one, from a wire value alive while from_wire runs.
template <class T, bool AsElement>
struct AdaptedCodec {
    using W = typename adapter<T>::wire;
    using Of = std::conditional_t<AsElement, Element<W>, Codec<W>>;
    static auto to_wire(flatbuffers::FlatBufferBuilder& fbb, const T& value) {
        const W wire = adapter<T>::to_wire(value);  // alive while the wire form is written
        return Of::to_wire(fbb, wire);
    }
    template <class X>
    static T from_wire(const X& received) {
        if (WireScope* scope = WireScope::current()) return adapter<T>::from_wire(scope->keep(Of::from_wire(received)));
        const W wire = Of::from_wire(received);
        return adapter<T>::from_wire(wire);
    }
};

template <adapted T>
struct Codec<T> : AdaptedCodec<T, false> {};
/// As an element of a vector, an adapted type takes its wire type's element table.
template <adapted T>
struct Element<T> : AdaptedCodec<T, true> {};

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

/// Reads a field of the object for sending: atomics are loaded, a C array is
/// copied into the std::array it travels as.
template <class T>
const T& load(const T& field) noexcept {
    return field;
}
template <class T>
T load(const std::atomic<T>& field) noexcept {
    return field.load();
}
template <class T, std::size_t N>
auto load(const T (&field)[N]) {
    std::array<std::remove_cvref_t<decltype(load(field[0]))>, N> value;
    for (std::size_t i = 0; i < N; ++i) value[i] = load(field[i]);
    return value;
}

/// Writes a received value into a field of the object: assigned (an atomic's is
/// stored), or copied element by element into a C array.
template <class T, class V>
    requires(!std::is_array_v<T>)
void store(T& field, V&& value) {
    field = std::forward<V>(value);
}
template <class T, std::size_t N, class U>
void store(T (&field)[N], const std::array<U, N>& value) {
    for (std::size_t i = 0; i < N; ++i) store(field[i], value[i]);
}

/// The type a field's value has once read (an atomic's value type, a C array's std::array).
template <class T>
struct value_of {
    using type = T;
};
template <class T>
struct value_of<std::atomic<T>> {
    using type = T;
};
template <class T, std::size_t N>
struct value_of<T[N]> {
    using type = std::array<typename value_of<T>::type, N>;
};
template <class T>
using value_of_t = typename value_of<T>::type;

}  // namespace remoteobj::detail

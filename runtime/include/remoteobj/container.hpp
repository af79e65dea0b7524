// The listening side of container views: the operations of SequenceField,
// SetField, MapField and OptionalField applied to the object's own container.
// Keys and elements travel as values.fbs tables (ValueCodec), verified first.
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include "remoteobj/envelope.hpp"
#include "remoteobj/value_codec.hpp"

namespace remoteobj::detail {

/// One value or none: std::optional, and std::unique_ptr / std::shared_ptr of a value.
template <class C>
concept Optional = requires(C c) {
    c.reset();
    c.has_value();
} || requires(C c) {
    typename C::element_type;
    c.reset();
    static_cast<bool>(c);
};
template <class C>
concept Map = requires { typename C::mapped_type; };
/// A map whose element for a key can be read (at) and written ([]): not a multimap.
template <class C>
concept UniqueMap = Map<C> && requires(C c, const typename C::key_type& k) {
    c.at(k);
    c[k];
};
template <class C>
concept Set = requires { typename C::key_type; } && !Map<C>;
/// Any other container of values in an order (vector, array, deque, list, forward_list).
template <class C>
concept Sequence = requires { typename C::value_type; } && !Map<C> && !Set<C> && !Optional<C> &&
                   requires(C c) { c.begin(); };
/// A sequence whose elements are reached by index (vector, array, deque).
template <class C>
concept Indexed = Sequence<C> && requires(C c) {
    c[0];
    c.size();
};

/// The number of elements of `c` (a std::forward_list counts them).
template <class C>
std::size_t size_of(const C& c) {
    if constexpr (requires { c.size(); })
        return c.size();
    else
        return static_cast<std::size_t>(std::distance(c.begin(), c.end()));
}

/// Index `index` of `c`, negative counting from the end; std::out_of_range past either end.
template <class C>
std::size_t checked_index(const C& c, std::int64_t index) {
    const auto size = static_cast<std::int64_t>(c.size());
    const std::int64_t at = index < 0 ? index + size : index;
    if (at < 0 || at >= size)
        throw std::out_of_range(fmt::format("index {} is out of range for a container of {} elements", index, size));
    return static_cast<std::size_t>(at);
}

/// Runs a container operation (not Get or Set) on `c`. Throws BadRequest for an
/// operation the container does not have.
template <class C>
void serve_container(C& c, const wire::Request& request, flatbuffers::FlatBufferBuilder& out, const char* what) {
    // Read only by the operations that take one: an absent key is named as such.
    auto key = [&] { return key_of(request, what); };
    const Bytes args = bytes_of(request.args());
    switch (request.op()) {
    case wire::Operation::Size:
        if constexpr (Optional<C>)
            ValueCodec<std::uint64_t>::encode(out, static_cast<bool>(c) ? 1 : 0);
        else
            ValueCodec<std::uint64_t>::encode(out, size_of(c));
        return;
    case wire::Operation::Reset:
        if constexpr (Optional<C>) {
            c.reset();
            return;
        }
        break;
    case wire::Operation::Clear:
        if constexpr (requires { c.clear(); }) {
            c.clear();
            return;
        }
        break;
    case wire::Operation::ItemGet:
        if constexpr (UniqueMap<C>) {
            ValueCodec<typename C::mapped_type>::encode(out, c.at(ValueCodec<typename C::key_type>::decode(key())));
            return;
        } else if constexpr (Indexed<C>) {
            using E = typename C::value_type;
            // Bound, not copied: an element may be move-only (a std::unique_ptr).
            const E& element = c[checked_index(c, ValueCodec<std::int64_t>::decode(key()))];
            ValueCodec<E>::encode(out, element);
            return;
        }
        break;
    case wire::Operation::ItemSet:
        if constexpr (UniqueMap<C>) {
            c[ValueCodec<typename C::key_type>::decode(key())] = ValueCodec<typename C::mapped_type>::decode(args);
            return;
        } else if constexpr (Indexed<C> && requires { c[0] = std::declval<typename C::value_type>(); }) {
            c[checked_index(c, ValueCodec<std::int64_t>::decode(key()))] = ValueCodec<typename C::value_type>::decode(args);
            return;
        }
        break;
    case wire::Operation::Append:
        if constexpr (Sequence<C> && requires { c.push_back(std::declval<typename C::value_type>()); }) {
            c.push_back(ValueCodec<typename C::value_type>::decode(args));
            return;
        } else if constexpr (Set<C>) {
            c.insert(ValueCodec<typename C::key_type>::decode(args));
            return;
        }
        break;
    case wire::Operation::Contains:
        if constexpr (Map<C> || Set<C>) {
            ValueCodec<bool>::encode(out, c.count(ValueCodec<typename C::key_type>::decode(key())) != 0);
            return;
        }
        break;
    case wire::Operation::Erase:
        if constexpr (Map<C> || Set<C>) {
            ValueCodec<bool>::encode(out, c.erase(ValueCodec<typename C::key_type>::decode(key())) != 0);
            return;
        }
        break;
    default:
        break;
    }
    throw BadRequest(fmt::format("{} does not support {}", what, operation_name(request.op())));
}

/// A C array field: read and written by index, and its size, as the std::array it
/// travels as (an element that is a C array itself travels as a std::array too).
template <class T, std::size_t N>
void serve_container(T (&c)[N], const wire::Request& request, flatbuffers::FlatBufferBuilder& out, const char* what) {
    using E = value_of_t<T>;
    auto index = [&] { return checked_index(std::span<T, N>(c), ValueCodec<std::int64_t>::decode(key_of(request, what))); };
    switch (request.op()) {
    case wire::Operation::Size:
        ValueCodec<std::uint64_t>::encode(out, N);
        return;
    case wire::Operation::ItemGet:
        ValueCodec<E>::encode(out, load(c[index()]));
        return;
    case wire::Operation::ItemSet:
        if constexpr (!std::is_const_v<T>) {
            store(c[index()], ValueCodec<E>::decode(bytes_of(request.args())));
            return;
        }
        break;
    default:
        break;
    }
    throw BadRequest(fmt::format("{} (a C array) does not support {}", what, operation_name(request.op())));
}

/// The last step of a path was a call returning `ref`: applies the request's
/// operation to it. Traits: the method's view traits (encode, decode, writable).
template <class Traits, class T>
void serve_reference(T& ref, const wire::Request& request, std::uint32_t step, flatbuffers::FlatBufferBuilder& out) {
    if (request.path() && step < request.path()->size())
        throw BadRequest(fmt::format("{} returns a value: no path goes on from it", Traits::qualified_name));
    switch (request.op()) {
    case wire::Operation::Get:
        Traits::encode(out, ref);
        return;
    case wire::Operation::Set:
        if constexpr (Traits::writable && !std::is_const_v<T>) {
            ref = Traits::decode(bytes_of(request.args()));
            return;
        }
        break;
    default:
        if constexpr (!std::is_const_v<T> && (Optional<T> || Map<T> || Set<T> || Sequence<T>)) {
            serve_container(ref, request, out, Traits::qualified_name);
            return;
        }
        break;
    }
    throw BadRequest(fmt::format("{} (a returned reference) does not support {}", Traits::qualified_name,
                                 wire::EnumNameOperation(request.op())));
}

}  // namespace remoteobj::detail

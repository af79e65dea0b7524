// passto<&fn>(args...): run `fn(object, args...)` in the listening process (Python's
// `remote.passto(fn, *args)`). `fn` is named at compile time: each instantiation
// registers itself under an id (a hash of its name) in both processes of a fork,
// and only registered functions can be called. No address crosses the wire.
#pragma once

#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "remoteobj/envelope.hpp"
#include "remoteobj/value_codec.hpp"

namespace remoteobj {
template <class T>
class Proxy;

namespace detail {
template <class T>
struct ProxyTraits;
}  // namespace detail
}

namespace remoteobj::detail {

/// Runs a registered function on `object` with the encoded arguments; finishes the result in `out`.
using PasstoFn = void (*)(void* object, const values::Arguments* args, flatbuffers::FlatBufferBuilder& out);

/// Registers `fn` for objects of the class whose interface hash is `interface`.
void register_passto(std::uint64_t id, std::uint64_t interface, PasstoFn fn);

/// Listening side: runs the function `request` names on `object` (a class with
/// interface hash `interface`). Throws BadRequest for an unknown id or another class.
void serve_passto(void* object, std::uint64_t interface, const wire::Request& request,
                  flatbuffers::FlatBufferBuilder& out);

std::uint64_t fnv1a(std::string_view text) noexcept;

template <class F>
struct function_traits;
template <class R, class First, class... Rest>
struct function_traits<R (*)(First, Rest...)> {
    using result = R;
    using object = std::remove_cvref_t<First>;
    using arguments = std::tuple<std::remove_cvref_t<Rest>...>;
};

template <class T>
void encode_nested(flatbuffers::FlatBufferBuilder& fbb, std::vector<flatbuffers::Offset<values::Nested>>& out,
                   const T& value) {
    flatbuffers::FlatBufferBuilder one;
    ValueCodec<T>::encode(one, value);
    fbb.ForceVectorAlignment(one.GetSize(), 1, 8);
    out.push_back(values::CreateNested(fbb, fbb.CreateVector(one.GetBufferPointer(), one.GetSize())));
}

/// The registration of one passto function; `id` is what travels.
template <auto Fn>
struct Passto {
    using traits = function_traits<decltype(Fn)>;
    using Object = typename traits::object;
    using Result = typename traits::result;

    static std::uint64_t make_id() {
        // The same in every process of one program: the compiler's name for this
        // instantiation, which spells out the function.
        return fnv1a(__PRETTY_FUNCTION__);
    }

    static void run(void* object, const values::Arguments* args, flatbuffers::FlatBufferBuilder& out) {
        using Args = typename traits::arguments;
        constexpr std::size_t count = std::tuple_size_v<Args>;
        const auto* list = args ? args->values() : nullptr;
        if ((list ? list->size() : 0) != count) throw BadRequest("passto: wrong number of arguments");
        auto decoded = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return Args{ValueCodec<std::tuple_element_t<I, Args>>::decode(bytes_of(list->Get(I)->bytes()))...};
        }(std::make_index_sequence<count>{});
        auto& self = *static_cast<Object*>(object);
        if constexpr (std::is_void_v<Result>) {
            std::apply([&](auto&... a) { Fn(self, a...); }, decoded);
        } else {
            ValueCodec<std::remove_cvref_t<Result>>::encode(out, std::apply([&](auto&... a) { return Fn(self, a...); }, decoded));
        }
    }

    static std::uint64_t registered_id() {
        static const std::uint64_t registered = [] {
            const std::uint64_t made = make_id();
            register_passto(made, ProxyTraits<Object>::interface_hash, &run);
            return made;
        }();
        return registered;
    }
    // Registers at start-up in every process, not only where passto is first called.
    static inline const std::uint64_t id = registered_id();
};

}  // namespace remoteobj::detail

// What generated proxies are made of: ProxyBase (where requests go) and the member
// views (Field for data members, Method for methods).
//
// A view sends nothing until it is resolved: `p->count` is a Field, and only
// `.get()`, `*`, or an assignment makes a request. Generated code defines
// `remoteobj::Proxy<T>` for each REMOTEOBJ class out of these pieces.
#pragma once

#include <cstdint>

#include <fmt/format.h>

#include "remoteobj/caller.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj {

/// The typed proxy of a REMOTEOBJ class; specialised by `<header>.remote.hpp`.
template <class T>
class Proxy;

namespace detail {

/// Where a proxy's requests go: a Caller, and the interface it was generated from.
class ProxyBase {
public:
    ProxyBase(Caller& caller, std::uint64_t interface, const char* class_name) noexcept
        : caller_(&caller), interface_(interface), class_name_(class_name) {}
    ProxyBase(const ProxyBase&) = default;
    ProxyBase& operator=(const ProxyBase&) = delete;
    virtual ~ProxyBase() = default;

    template <class Encode, class Decode>
    decltype(auto) call(const CallSpec& spec, Encode&& encode, Decode&& decode) const {
        return caller_->call(interface_, spec, std::forward<Encode>(encode), std::forward<Decode>(decode));
    }

    const char* class_name() const noexcept { return class_name_; }

private:
    Caller* caller_;
    std::uint64_t interface_;
    const char* class_name_;
};

/// Base of the generated per-method stubs: which proxy they belong to.
class Method {
public:
    explicit Method(const ProxyBase& owner) noexcept : owner_(owner) {}
    Method(const Method&) = delete;
    Method& operator=(const Method&) = delete;

protected:
    const ProxyBase& owner() const noexcept { return owner_; }

private:
    const ProxyBase& owner_;
};

/// Encodes nothing: for requests without arguments.
struct no_arguments {
    void operator()(flatbuffers::FlatBufferBuilder&) const noexcept {}
};

/// Decodes nothing: for void results.
struct no_value {
    void operator()(Bytes) const noexcept {}
};

}  // namespace detail

/// A view of a remote data member. `Traits` is generated: the member's id, name and
/// value type, and how its value table is encoded and decoded.
template <class Traits>
class Field {
public:
    using value_type = typename Traits::value_type;

    explicit Field(const detail::ProxyBase& owner) noexcept : owner_(owner) {}
    Field(const Field&) = delete;

    /// Reads the remote value. Throws NotListening, PeerLost, or what reading threw there.
    value_type get() const {
        return owner_.call({wire::Operation::Get, Traits::id, 0, Traits::qualified_name}, detail::no_arguments{},
                           &Traits::decode);
    }

    /// The remote value, or `fallback` when nobody listens (never throws NotListening).
    value_type get_or(value_type fallback) const {
        try {
            return get();
        } catch (const NotListening&) {
            return fallback;
        }
    }

    value_type operator*() const { return get(); }

    /// Writes the remote value; returns once it has been stored there.
    void set(const value_type& value) const {
        owner_.call({wire::Operation::Set, Traits::id, 1, Traits::qualified_name},
                    [&](flatbuffers::FlatBufferBuilder& fbb) { Traits::encode(fbb, value); }, detail::no_value{});
    }

    const Field& operator=(const value_type& value) const {
        set(value);
        return *this;
    }

private:
    const detail::ProxyBase& owner_;
};

/// The value of a view: `remoteobj::get(p->count)`. A free function, so it can never
/// collide with a member the user exported.
template <class View>
auto get(const View& view) -> decltype(view.get()) {
    return view.get();
}

}  // namespace remoteobj

// What generated proxies are made of: ProxyState (where requests go), shared by the
// member views (Field for data members, Method for methods).
//
// A view sends nothing until it is resolved: `p->count` is a Field, and only
// `.get()`, `*`, or an assignment makes a request. Generated code defines
// `remoteobj::Proxy<T>` for each REMOTEOBJ class out of these pieces.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include "remoteobj/caller.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/future.hpp"
#include "remoteobj/passto.hpp"
#include "remoteobj/stream.hpp"
#include "remoteobj/value_codec.hpp"

namespace remoteobj {

namespace detail {
template <class T>
inline constexpr bool generated_proxy = false;

/// What a REMOTEOBJ class is, as its generated header specialises it: the
/// `interface_hash` both sides must agree on, the `class_name` messages use, and
/// `base` for a class with one REMOTEOBJ base. Kept out of Proxy<T>, so that every
/// name in the proxy's scope is one of the user's members.
template <class T>
struct ProxyTraits;

class ProxyState;

/// What every view of one proxy shares: where its requests go. A generated Proxy<T>
/// has no base and no member of its own; each of its views holds this handle, so
/// that the only names after `p->` are the user's members.
using ProxyHandle = std::shared_ptr<const ProxyState>;

/// How the runtime reaches the state of a proxy or of a view. A generated proxy
/// names its state through a hidden friend, `remoteobj_proxy_state(proxy)`, found
/// only by argument-dependent lookup: not a member, so never listed after `p->`.
struct ProxyAccess {
    template <class P>
    static const ProxyHandle& handle(const P& proxy) noexcept {
        return remoteobj_proxy_state(proxy);
    }
    template <class P>
    static const ProxyState& state(const P& proxy) noexcept {
        return *handle(proxy);
    }
    /// The handle a view (Field, a method's stub) was made with.
    template <class View>
    static const ProxyHandle& owner(const View& view) noexcept {
        return view.owner_;
    }
};

/// Whether P is a generated proxy (for the free functions and the formatter).
template <class P>
concept proxy_type = requires(const P& proxy) {
    { remoteobj_proxy_state(proxy) } -> std::same_as<const ProxyHandle&>;
};

/// A generated proxy, owned where its class may still be incomplete (the
/// Remote<T> member of T): it is deleted through the deleter it was made with.
class OwnedProxy {
public:
    template <class P, class... A>
    static OwnedProxy make(A&&... args) {
        OwnedProxy owned;
        owned.proxy_ = {new P(std::forward<A>(args)...), [](void* proxy) { delete static_cast<P*>(proxy); }};
        return owned;
    }
    template <class P>
    P& get() const noexcept {
        return *static_cast<P*>(proxy_.get());
    }

private:
    std::unique_ptr<void, void (*)(void*)> proxy_{nullptr, nullptr};
};
}  // namespace detail

/// The typed proxy of a REMOTEOBJ class; specialised by `<header>.remote.hpp`. This
/// primary template is what a translation unit sees that forgot that include.
template <class T>
class Proxy {
    static_assert(detail::generated_proxy<T>,
                  "remoteobj::Proxy<T> is not generated here: #include \"<header>.remote.hpp\" (add_remote_proxy() "
                  "generates it for each annotated header) after the REMOTEOBJ class, at the end of its header");
};

template <class T>
class Channel;

class Batch;

namespace detail {

/// The caller of a channel's calling end: what a standalone Proxy<T> is built on.
template <class T>
Caller& caller_of(Channel<T>& channel) noexcept;

/// The bytes of an argument table built by `encode`, for a Call step of a path.
template <class Encode>
std::vector<std::uint8_t> encoded(Encode&& encode) {
    flatbuffers::FlatBufferBuilder fbb;
    std::forward<Encode>(encode)(fbb);
    if (fbb.GetSize() == 0) return {};  // no arguments: nothing was built (or finished)
    return std::vector<std::uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

/// `read()`, or `fallback` when nobody answers (nobody listens, or the listener
/// died): what every view's get_or() does, as Python's `get_(default=...)`.
template <class Read, class T>
T unless_not_listening(Read&& read, T fallback) {
    try {
        return std::forward<Read>(read)();
    } catch (const NotListening&) {
        return fallback;
    } catch (const PeerLost&) {
        return fallback;
    }
}

/// Where a proxy's requests go: a Caller, and the path from the root object to
/// the object this proxy stands for. Immutable, and shared by the views of one
/// proxy (and by the copies of that proxy) through a ProxyHandle.
class ProxyState {
public:
    /// The root object of a Remote<T>.
    ProxyState(Caller& caller, const char* class_name) : caller_(&caller), class_name_(class_name) {}
    /// An object reached from `parent` by one more step (a field, a base, a call).
    ProxyState(ProxyHandle parent, Step step, const char* class_name)
        : caller_(parent->caller_),
          path_(parent->path_),
          class_name_(class_name),
          root_name_(parent->root_name_),
          parent_(std::move(parent)) {
        path_.push_back(std::move(step));
    }
    ProxyState(const ProxyState&) = delete;
    ProxyState& operator=(const ProxyState&) = delete;

    template <class Encode, class Decode>
    decltype(auto) call(const CallSpec& spec, Encode&& encode, Decode&& decode) const {
        return caller_->call(path_, spec, std::forward<Encode>(encode), std::forward<Decode>(decode));
    }
    /// Sends the request now and returns the future of its reply.
    template <class R, class Encode>
    future<R> call_async(const CallSpec& spec, Encode&& encode, typename future<R>::Decode decode) const {
        ReplySlot* slot = caller_->send(path_, spec, [](flatbuffers::FlatBufferBuilder&) {}, std::forward<Encode>(encode));
        return future<R>(*caller_, slot, decode);
    }

    /// The same for a method with in-out parameters: the future's get() writes
    /// their values back through `write_back`.
    template <class R, class Encode>
    future<R> call_async_in_out(const CallSpec& spec, Encode&& encode, typename future<R>::Decode decode,
                                WriteBack write_back) const {
        ReplySlot* slot = caller_->send(path_, spec, [](flatbuffers::FlatBufferBuilder&) {}, std::forward<Encode>(encode));
        return future<R>(*caller_, slot, decode, std::move(write_back));
    }

    /// Calls a method that returns remoteobj::generator<R>: its values stream back.
    template <class R, class Encode>
    stream<R> call_stream(CallSpec spec, Encode&& encode, R (*decode)(Bytes)) const {
        spec.window = stream_window;
        ReplySlot* slot = caller_->send_stream(path_, spec, std::forward<Encode>(encode));
        return stream<R>(*caller_, slot, decode, spec.interface, spec.what);
    }

    /// The same, for an operation on an element: `key` encodes the element's key.
    template <class R, class EncodeKey, class Encode>
    future<R> call_async(const CallSpec& spec, EncodeKey&& key, Encode&& encode,
                         typename future<R>::Decode decode) const {
        ReplySlot* slot = caller_->send(path_, spec, std::forward<EncodeKey>(key), std::forward<Encode>(encode));
        return future<R>(*caller_, slot, decode);
    }

    template <class EncodeKey, class Encode, class Decode>
    decltype(auto) call(const CallSpec& spec, EncodeKey&& key, Encode&& encode, Decode&& decode) const {
        return caller_->call(path_, spec, std::forward<EncodeKey>(key), std::forward<Encode>(encode),
                             std::forward<Decode>(decode));
    }

    /// `Fn(object, args...)` run in the listening process, its result returned:
    /// Python's `remote.passto(fn, *args)`. `Fn` is named at compile time and
    /// travels as an id; its first parameter is the object (`T&` or `const T&`).
    template <auto Fn, class... A>
    auto passto(const A&... args) const {
        using Entry = Passto<Fn>;
        using Args = typename Entry::traits::arguments;
        using Result = std::remove_cvref_t<typename Entry::Result>;
        static_assert(sizeof...(A) == std::tuple_size_v<Args>, "passto: give exactly the function's arguments after the object");
        const CallSpec spec{wire::Operation::Passto, 0, static_cast<std::uint8_t>(sizeof...(A)), "passto",
                            ProxyTraits<typename Entry::Object>::interface_hash};
        auto key = [](flatbuffers::FlatBufferBuilder& fbb) { ValueCodec<std::uint64_t>::encode(fbb, Entry::id); };
        auto encode = [&](flatbuffers::FlatBufferBuilder& fbb) {
            std::vector<flatbuffers::Offset<values::Nested>> items;
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                (encode_nested(fbb, items, std::tuple_element_t<I, Args>(args)), ...);
            }(std::make_index_sequence<sizeof...(A)>{});
            fbb.Finish(values::CreateArguments(fbb, fbb.CreateVector(items)));
        };
        if constexpr (std::is_void_v<Result>)
            call(spec, key, encode, no_value{});
        else
            return call(spec, key, encode, [](Bytes bytes) { return ValueCodec<Result>::decode(bytes); });
    }

    /// "<Proxy Counter>", "<Proxy Child at Counter.child>": no request is sent.
    std::string describe() const {
        std::string where = root_name_ ? root_name_ : class_name_;
        for (const Step& step : path_) {
            if (step.kind == wire::StepKind::Base)
                where += fmt::format(".super<{}>", step.name);
            else if (step.kind == wire::StepKind::Call)
                where += fmt::format(".{}(...)", step.name);
            else
                where += fmt::format(".{}", step.name);  // not "." + std::string: GCC 12's -O3 -Wrestrict misfires on it
        }
        return path_.empty() ? fmt::format("<Proxy {}>", class_name_) : fmt::format("<Proxy {} at {}>", class_name_, where);
    }

    const char* class_name() const noexcept { return class_name_; }
    /// The steps from the root object to this one.
    const Path& path() const noexcept { return path_; }
    Caller& caller() const noexcept { return *caller_; }
    /// The state of the object one step nearer the root (null at the root).
    const ProxyHandle& parent() const noexcept { return parent_; }

private:
    Caller* caller_;
    Path path_;
    const char* class_name_;
    const char* root_name_ = class_name_;
    ProxyHandle parent_;
};

/// The state of a root proxy: what `Proxy<T>(caller)` is built on.
inline ProxyHandle root_state(Caller& caller, const char* class_name) {
    return std::make_shared<const ProxyState>(caller, class_name);
}

/// The state of an object one step from `parent`'s: a field holding an object, a
/// base class, the object a method returns.
inline ProxyHandle child_state(ProxyHandle parent, Step step, const char* class_name) {
    return std::make_shared<const ProxyState>(std::move(parent), std::move(step), class_name);
}

/// A proxy of the same object as its base class B, whose calls run B's own
/// implementation of virtual methods (Python's `remote.super`).
template <class B>
Proxy<B> super_of(const ProxyHandle& proxy) {
    return Proxy<B>(child_state(
        proxy, Step{wire::StepKind::Base, 0, ProxyTraits<B>::interface_hash, ProxyTraits<B>::class_name, 0, {}},
        ProxyTraits<B>::class_name));
}

/// Base of the generated per-method stubs: which proxy they belong to.
class Method {
public:
    explicit Method(ProxyHandle owner) noexcept : owner_(std::move(owner)) {}
    Method(const Method&) = delete;
    Method& operator=(const Method&) = delete;

protected:
    const ProxyState& owner() const noexcept { return *owner_; }
    const ProxyHandle& owner_handle() const noexcept { return owner_; }

private:
    friend struct ProxyAccess;

    ProxyHandle owner_;
};

}  // namespace detail

/// A view of a remote data member. `Traits` is generated: the member's id, name and
/// value type, and how its value table is encoded and decoded.
template <class Traits>
class Field {
public:
    using value_type = typename Traits::value_type;

    explicit Field(detail::ProxyHandle owner) noexcept : owner_(std::move(owner)) {}
    Field(const Field&) = delete;
    Field& operator=(const Field&) = delete;

    /// Reads the remote value. Throws NotListening, PeerLost, or what reading threw there.
    value_type get() const {
        return owner_->call({wire::Operation::Get, Traits::id, 0, Traits::qualified_name, Traits::interface},
                           detail::no_arguments{}, &Traits::decode);
    }

    /// The remote value, or `fallback` when nobody listens (never throws NotListening).
    value_type get_or(value_type fallback) const {
        return detail::unless_not_listening([this] { return get(); }, std::move(fallback));
    }

    value_type operator*() const { return get(); }

    /// Sends the read now; the future's get() returns the value.
    future<value_type> async() const {
        return owner_->template call_async<value_type>(
            {wire::Operation::Get, Traits::id, 0, Traits::qualified_name, Traits::interface}, detail::no_arguments{},
            &Traits::decode);
    }

    /// Writes the remote value; returns once it has been stored there.
    void set(const value_type& value) const {
        static_assert(Traits::writable, "this field is const: it can be read, not written");
        owner_->call({wire::Operation::Set, Traits::id, 1, Traits::qualified_name, Traits::interface},
                    [&](flatbuffers::FlatBufferBuilder& fbb) { Traits::encode(fbb, value); }, detail::no_value{});
    }

    const Field& operator=(const value_type& value) const {
        set(value);
        return *this;
    }

protected:
    detail::CallSpec spec(wire::Operation op, std::uint8_t argc = 0) const {
        return {op, Traits::id, argc, Traits::qualified_name, Traits::interface};
    }
    template <class T>
    static auto encoder(const T& value) {
        return [&value](flatbuffers::FlatBufferBuilder& fbb) { detail::ValueCodec<T>::encode(fbb, value); };
    }
    template <class T>
    static T decode_value(detail::Bytes bytes) {
        return detail::ValueCodec<T>::decode(bytes);
    }

    friend struct detail::ProxyAccess;

    detail::ProxyHandle owner_;
};

/// A view of one element of a remote container: `p->items[2]`, `p->table["k"]`.
/// Sends nothing until resolved or assigned.
template <class Traits, class Key, class Element>
class ItemView : private Field<Traits> {
public:
    ItemView(detail::ProxyHandle owner, Key key) : Field<Traits>(std::move(owner)), key_(std::move(key)) {}

    /// The element; std::out_of_range (from the other process) if there is none.
    Element get() const {
        return this->owner_->call(this->spec(wire::Operation::ItemGet), this->encoder(key_), detail::no_arguments{},
                                 &Field<Traits>::template decode_value<Element>);
    }
    Element get_or(Element fallback) const {
        return detail::unless_not_listening([this] { return get(); }, std::move(fallback));
    }
    Element operator*() const { return get(); }

    /// Sends the read now; the future's get() returns the element.
    future<Element> async() const {
        return this->owner_->template call_async<Element>(this->spec(wire::Operation::ItemGet), this->encoder(key_),
                                                         detail::no_arguments{},
                                                         &Field<Traits>::template decode_value<Element>);
    }

    void set(const Element& value) const {
        this->owner_->call(this->spec(wire::Operation::ItemSet, 1), this->encoder(key_), this->encoder(value),
                          detail::no_value{});
    }
    const ItemView& operator=(const Element& value) const {
        set(value);
        return *this;
    }

private:
    Key key_;
};

/// The operations every remote container field has.
template <class Traits>
class ContainerField : public Field<Traits> {
public:
    using Field<Traits>::Field;
    using Field<Traits>::operator=;

    /// The number of elements, read remotely (also `remoteobj::len(view)`).
    std::size_t size() const {
        return static_cast<std::size_t>(this->owner_->call(this->spec(wire::Operation::Size), detail::no_arguments{},
                                                          &Field<Traits>::template decode_value<std::uint64_t>));
    }
    /// Where the container has a clear() (a std::array has none).
    void clear() const
        requires requires(typename Traits::value_type& c) { c.clear(); }
    {
        this->owner_->call(this->spec(wire::Operation::Clear), detail::no_arguments{}, detail::no_value{});
    }
};

/// A remote sequence field (std::vector, std::array, std::deque, std::list,
/// std::forward_list, a C array): `p->items[2]` (where the container has an
/// operator[]), `push_back` and `clear` (where it has them), `size`. Indices may be
/// negative, counting from the end (as in Python).
template <class Traits>
class SequenceField : public ContainerField<Traits> {
public:
    using element_type = typename Traits::value_type::value_type;
    using ContainerField<Traits>::ContainerField;
    using Field<Traits>::operator=;

    ItemView<Traits, std::int64_t, element_type> operator[](std::int64_t index) const
        requires requires(typename Traits::value_type& c) { c[0]; }
    {
        return {this->owner_, index};
    }
    void push_back(const element_type& value) const
        requires requires(typename Traits::value_type& c, const element_type& e) { c.push_back(e); }
    {
        this->owner_->call(this->spec(wire::Operation::Append, 1), this->encoder(value), detail::no_value{});
    }
};

/// What set and map fields share: membership and erasure by key.
template <class Traits>
class KeyedField : public ContainerField<Traits> {
public:
    using key_type = typename Traits::value_type::key_type;
    using ContainerField<Traits>::ContainerField;
    using Field<Traits>::operator=;

    bool contains(const key_type& key) const {
        return this->owner_->call(this->spec(wire::Operation::Contains), this->encoder(key), detail::no_arguments{},
                                 &Field<Traits>::template decode_value<bool>);
    }
    /// Whether something was erased.
    bool erase(const key_type& key) const {
        return this->owner_->call(this->spec(wire::Operation::Erase), this->encoder(key), detail::no_arguments{},
                                 &Field<Traits>::template decode_value<bool>);
    }
};

/// A remote set field (std::set, std::multiset, std::unordered_set,
/// std::unordered_multiset): `contains`, `insert`, `erase` (every equal element), `clear`, `size`.
template <class Traits>
class SetField : public KeyedField<Traits> {
public:
    using typename KeyedField<Traits>::key_type;
    using KeyedField<Traits>::KeyedField;
    using Field<Traits>::operator=;

    void insert(const key_type& key) const {
        this->owner_->call(this->spec(wire::Operation::Append, 1), this->encoder(key), detail::no_value{});
    }
};

/// A remote map field (std::map, std::unordered_map, std::multimap,
/// std::unordered_multimap): `p->table["k"]` (not for a multimap: a key may have
/// many values; reading a missing key throws std::out_of_range; assigning
/// inserts), `contains`, `erase` (every value of the key).
template <class Traits>
class MapField : public KeyedField<Traits> {
public:
    using typename KeyedField<Traits>::key_type;
    using mapped_type = typename Traits::value_type::mapped_type;
    using KeyedField<Traits>::KeyedField;
    using Field<Traits>::operator=;

    ItemView<Traits, key_type, mapped_type> operator[](const key_type& key) const
        requires requires(typename Traits::value_type& m, const key_type& k) { m.at(k); }
    {
        return {this->owner_, key};
    }
};

/// A remote std::optional field, or std::unique_ptr / std::shared_ptr of a value:
/// `reset()`, `has_value()` (whether it holds a value, or is not null).
template <class Traits>
class OptionalField : public Field<Traits> {
public:
    using Field<Traits>::Field;
    using Field<Traits>::operator=;

    void reset() const { this->owner_->call(this->spec(wire::Operation::Reset), detail::no_arguments{}, detail::no_value{}); }
    bool has_value() const {
        return this->owner_->call(this->spec(wire::Operation::Size), detail::no_arguments{},
                                 &Field<Traits>::template decode_value<std::uint64_t>) != 0;
    }
};

/// A view of what a method returned by reference, kept in the listening process:
/// `p->items_ref.view()`. Holds its own path (the call as its last step) and
/// offers the operations of `View` (Field, SequenceField, MapField, ...).
template <template <class> class View, class Traits>
class ReturnedView : public View<Traits> {
public:
    ReturnedView(detail::ProxyHandle parent, detail::Step step)
        : View<Traits>(detail::child_state(std::move(parent), std::move(step), Traits::qualified_name)) {}
    using View<Traits>::operator=;

    /// Its own path makes it a proxy too: formatted, batched, passed to free functions.
    friend const detail::ProxyHandle& remoteobj_proxy_state(const ReturnedView& view) noexcept {
        return detail::ProxyAccess::owner(view);
    }
};

/// The number of elements of a container view: `remoteobj::len(p->items)`.
template <class View>
auto len(View&& view) -> decltype(view.size()) {
    return view.size();
}

/// `remoteobj::contains(view, x)`, `remoteobj::erase(view, k)`, `remoteobj::item(view, k)`:
/// the free forms of `view.contains(x)`, `view.erase(k)` and `view[k]`, for containers,
/// remotes and proxies alike.
template <class View, class... A>
auto contains(View&& view, const A&... args) -> decltype(view.contains(args...)) {
    return view.contains(args...);
}
template <class View, class... A>
auto erase(View&& view, const A&... args) -> decltype(view.erase(args...)) {
    return view.erase(args...);
}
template <class View, class K>
auto item(View&& view, const K& key) -> decltype(view[key]) {
    return view[key];
}

/// `Fn(object, args...)` in the listening process: `remoteobj::passto<&fn>(p, args...)`,
/// the form that cannot collide with an exported member named `passto`.
template <auto Fn, detail::proxy_type P, class... A>
auto passto(const P& proxy, const A&... args) {
    return detail::ProxyAccess::state(proxy).template passto<Fn>(args...);
}

/// The base-class proxy of `proxy`: `remoteobj::super<Base>(p)`, the form that
/// cannot collide with an exported member named `super`.
template <class B, detail::proxy_type P>
Proxy<B> super(const P& proxy) {
    return detail::super_of<B>(detail::ProxyAccess::handle(proxy));
}

/// The value of a view: `remoteobj::get(p->count)`. A free function, so it can never
/// collide with a member the user exported.
template <class View>
auto get(const View& view) -> decltype(view.get()) {
    return view.get();
}

}  // namespace remoteobj

/// `fmt::format("{}", proxy)`: the class and the path, without sending anything.
template <remoteobj::detail::proxy_type P>
struct fmt::formatter<P> : fmt::formatter<std::string_view> {
    auto format(const P& proxy, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(remoteobj::detail::ProxyAccess::state(proxy).describe(), ctx);
    }
};

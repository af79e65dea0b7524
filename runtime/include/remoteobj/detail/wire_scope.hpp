// WireScope: keeps the wire values adapters' from_wire() made received values
// from, until the member they were received for has returned.
//
// A type crossing through remoteobj::adapter<T> may be a view (leveldb's Slice)
// that refers into the wire value (a std::string) it was made from. The listener
// opens a scope around each request it serves; the adapter codecs keep each wire
// value in it, so a view argument stays valid for the whole call, nested in a
// vector or an optional too. Outside a scope (a result received by the caller) the
// wire value lives only while from_wire() runs: from_wire must return an owning T.
// This header never knows a codec or the wire format.
#pragma once

#include <memory>
#include <utility>
#include <vector>

namespace remoteobj::detail {

class WireScope {
public:
    WireScope() noexcept : outer_(current_) { current_ = this; }
    ~WireScope() { current_ = outer_; }
    WireScope(const WireScope&) = delete;
    WireScope& operator=(const WireScope&) = delete;

    /// The innermost scope open on this thread, or null.
    static WireScope* current() noexcept { return current_; }

    /// Moves `value` into this scope; the reference stays valid until the scope ends.
    template <class W>
    const W& keep(W&& value) {
        auto held = std::make_unique<Held<W>>(std::move(value));
        const W& kept = held->value;
        held_.push_back(std::move(held));
        return kept;
    }

private:
    struct HeldBase {
        virtual ~HeldBase() = default;
    };
    template <class W>
    struct Held final : HeldBase {
        explicit Held(W&& v) : value(std::move(v)) {}
        W value;
    };

    std::vector<std::unique_ptr<HeldBase>> held_;  // empty (no allocation) unless an adapter kept something
    WireScope* outer_;
    static inline thread_local WireScope* current_ = nullptr;
};

}  // namespace remoteobj::detail

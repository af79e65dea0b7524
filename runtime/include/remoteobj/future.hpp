// remoteobj::future<R>: the reply to a request sent with `.async(...)`, awaited
// later. Many may be in flight on one link; whichever thread waits reads the
// replies for all of them.
#pragma once

#include <functional>
#include <type_traits>
#include <utility>

#include "remoteobj/caller.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj {

namespace detail {
/// Writes what a reply brings back for in-out parameters into the caller's objects
/// (in_out.hpp); empty for a call without them.
using WriteBack = std::function<void(Bytes)>;
}  // namespace detail

template <class R>
class future {
public:
    /// How the reply's value table becomes an R.
    using Decode = std::conditional_t<std::is_void_v<R>, void (*)(detail::Bytes), R (*)(detail::Bytes)>;

    future() = default;
    future(detail::Caller& caller, detail::ReplySlot* slot, Decode decode) noexcept
        : caller_(&caller), slot_(slot), decode_(decode) {}
    /// A call with in-out parameters: get() also writes their values back through
    /// `write_back`, which refers to the caller's objects (they must outlive get()).
    future(detail::Caller& caller, detail::ReplySlot* slot, Decode decode, detail::WriteBack write_back) noexcept
        : caller_(&caller), slot_(slot), decode_(decode), write_back_(std::move(write_back)) {}
    future(future&& other) noexcept
        : caller_(other.caller_),
          slot_(std::exchange(other.slot_, nullptr)),
          decode_(other.decode_),
          write_back_(std::move(other.write_back_)) {}
    future& operator=(future&& other) noexcept {
        if (this != &other) {
            abandon();
            caller_ = other.caller_;
            slot_ = std::exchange(other.slot_, nullptr);
            decode_ = other.decode_;
            write_back_ = std::move(other.write_back_);
        }
        return *this;
    }
    future(const future&) = delete;
    future& operator=(const future&) = delete;
    /// A reply nobody asked for is dropped when it arrives.
    ~future() { abandon(); }

    /// Whether get() can be called: the future holds a request not yet collected.
    bool valid() const noexcept { return slot_ != nullptr; }

    /// Whether the reply is here (reads what has arrived; never blocks).
    bool ready() { return slot_ && caller_->ready(*slot_); }

    /// Waits for the reply and returns the value, or throws what the call threw
    /// (or NotListening / PeerLost). Once per future. For a method with in-out
    /// parameters, their values are written into the caller's objects first; a
    /// call that threw writes nothing back, nor does a future dropped unawaited.
    R get() {
        if (!slot_) throw Error("remoteobj::future::get() on a future without a request");
        detail::ReplySlot* slot = std::exchange(slot_, nullptr);
        struct Release {
            detail::Caller* caller;
            detail::ReplySlot* slot;
            ~Release() { caller->release(slot); }
        } release{caller_, slot};
        detail::Bytes value = caller_->await(*slot);
        if (write_back_) write_back_(value);
        if constexpr (std::is_void_v<R>)
            (void)value;
        else
            return decode_(value);
    }

private:
    void abandon() noexcept {
        if (slot_) caller_->release(std::exchange(slot_, nullptr));
    }

    detail::Caller* caller_ = nullptr;
    detail::ReplySlot* slot_ = nullptr;
    Decode decode_ = nullptr;
    detail::WriteBack write_back_;
};

}  // namespace remoteobj

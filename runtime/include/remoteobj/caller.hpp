// The calling side of a Link: turns one operation on a member into a request,
// sends it, and waits for its reply without ever hanging on a dead listener.
//
// Calls from several threads are serialised on one mutex and each gets its own
// reply. When the listener is this very process, the request is served in place
// and never crosses the pipe.
#pragma once

#include <cstdint>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/interface.hpp"
#include "remoteobj/link.hpp"
#include "remoteobj/wire/remoteobj_generated.h"

namespace remoteobj::detail {

/// Which member a call is for, and how.
struct CallSpec {
    wire::Operation op;
    std::uint32_t member;
    std::uint8_t argc;
    const char* what;         // "Counter::toggle", for messages
    std::uint64_t interface;  // hash of the class that declares the member
    bool oneway = false;      // send, and do not wait for a reply
};

/// One step from the root object to the object a proxy stands for.
struct Step {
    wire::StepKind kind;
    std::uint32_t member = 0;     // Field, Call: the member's id
    std::uint64_t interface = 0;  // Base: the base class's interface hash
    const char* name = "";        // for messages ("child", "super<Base>")
    std::uint8_t argc = 0;        // Call: arguments passed
    std::vector<std::uint8_t> args;  // Call: the argument table
};

using Path = std::vector<Step>;

/// One request in flight: where its reply lands. Pooled by the Caller, so the
/// steady state allocates nothing.
struct ReplySlot {
    std::uint64_t id = 0;
    std::uint32_t epoch = 0;
    int listener = 0;                // the pid the request went to
    const char* what = "";
    bool in_use = false;
    bool done = false;
    std::vector<std::uint8_t> frame;  // the whole (verified) response frame
    std::exception_ptr error;         // NotListening / PeerLost decided on this side
};

class Caller {
public:
    /// `local`: what this process serves when it is the listener; read at each
    /// call, so a Channel<T> may name its object only when it starts listening.
    Caller(Link& link, const Target& local) : link_(link), local_(local) {}
    Caller(const Caller&) = delete;
    Caller& operator=(const Caller&) = delete;

    /// Runs `encode(FlatBufferBuilder&)` to build the argument table (it must
    /// Finish() it, or leave the builder empty for no arguments), performs the
    /// operation remotely, and returns `decode(Bytes)` of the reply's value table.
    template <class Encode, class Decode>
    decltype(auto) call(const Path& path, const CallSpec& spec, Encode&& encode, Decode&& decode) {
        return call(path, spec, [](flatbuffers::FlatBufferBuilder&) {}, std::forward<Encode>(encode),
                    std::forward<Decode>(decode));
    }

    /// The same, for container operations: `encode_key` builds the index or key.
    template <class EncodeKey, class Encode, class Decode>
    decltype(auto) call(const Path& path, const CallSpec& spec, EncodeKey&& encode_key, Encode&& encode,
                        Decode&& decode) {
        ReplySlot* slot = send(path, spec, std::forward<EncodeKey>(encode_key), std::forward<Encode>(encode));
        if (!slot) return std::forward<Decode>(decode)(Bytes{});  // one-way: nothing comes back
        Held held(*this, slot);
        return std::forward<Decode>(decode)(await(*slot));
    }

    /// Sends the request and returns its slot without waiting (null for one-way).
    template <class EncodeKey, class Encode>
    ReplySlot* send(const Path& path, const CallSpec& spec, EncodeKey&& encode_key, Encode&& encode) {
        std::lock_guard lock(write_mutex_);
        args_.Clear();
        key_.Clear();
        std::forward<EncodeKey>(encode_key)(key_);
        std::forward<Encode>(encode)(args_);
        return send_built(path, spec);
    }

    /// Waits for the reply in `slot` (reading replies for every waiter while
    /// nobody else does) and returns its value bytes, valid until the slot is
    /// released. Throws what the reply says.
    Bytes await(ReplySlot& slot);

    /// Whether the reply has arrived, reading what is already there; never blocks.
    bool ready(ReplySlot& slot);

    /// Gives the slot back; a reply still to come for it is dropped.
    void release(ReplySlot* slot) noexcept;

private:
    // Releases a slot when a synchronous call ends, however it ends.
    struct Held {
        Caller& caller;
        ReplySlot* slot;
        Held(Caller& c, ReplySlot* s) : caller(c), slot(s) {}
        ~Held() { caller.release(slot); }
    };

    ReplySlot* send_built(const Path& path, const CallSpec& spec);
    // A free slot (or a new one) set up for request `id`; state_mutex_ held.
    ReplySlot* acquire_slot(std::uint64_t id, std::uint32_t epoch, int listener, const char* what);
    // Takes the reading role (lock held on entry and on return) and pumps.
    void read_for_all(std::unique_lock<std::mutex>& lock, bool block);
    // Takes in the replies that have arrived, or waits for one (blocking); called
    // by the one thread that holds the reading role, without state_mutex_.
    void pump(bool block);
    void deliver(Bytes frame);

    Link& link_;
    const Target& local_;

    std::mutex write_mutex_;  // building and writing requests
    flatbuffers::FlatBufferBuilder args_;
    flatbuffers::FlatBufferBuilder key_;
    flatbuffers::FlatBufferBuilder request_;
    flatbuffers::FlatBufferBuilder local_value_;
    flatbuffers::FlatBufferBuilder local_reply_;
    std::uint64_t next_id_ = 1;

    std::mutex state_mutex_;  // slots, the reading role, the listener's pidfd
    std::condition_variable replied_;
    bool reading_ = false;
    std::vector<std::unique_ptr<ReplySlot>> slots_;
    int pidfd_owner_ = 0;
    Fd pidfd_;
    Fd retired_pidfd_;  // the previous one, which a reader may still be polling
};

/// Throws the exception a non-Ok response stands for.
[[noreturn]] void throw_failure(const wire::Response& response, const char* what);

}  // namespace remoteobj::detail

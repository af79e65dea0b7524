// The calling side of a Link: turns one operation on a member into a request,
// sends it, and waits for its reply without ever hanging on a dead listener.
//
// Calls from several threads are serialised on one mutex and each gets its own
// reply. When the listener is this very process, the request is served in place
// and never crosses the pipe.
#pragma once

#include <cstdint>
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
    std::uint32_t member = 0;     // Field: the field's id
    std::uint64_t interface = 0;  // Base: the base class's interface hash
    const char* name = "";        // for messages ("child", "super<Base>")
};

using Path = std::vector<Step>;

class Caller {
public:
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
        std::lock_guard lock(mutex_);
        args_.Clear();
        key_.Clear();
        std::forward<EncodeKey>(encode_key)(key_);
        std::forward<Encode>(encode)(args_);
        Bytes value = exchange(path, spec);
        return std::forward<Decode>(decode)(value);
    }

private:
    // Sends the request built from args_ and returns the value bytes of its reply,
    // valid until the next exchange (empty for a one-way call, which has no reply).
    // Throws what the reply's status says.
    Bytes exchange(const Path& path, const CallSpec& spec);
    Bytes await_reply(std::uint64_t id, std::uint32_t epoch, const CallSpec& spec);
    int listener_pidfd(int pid, const CallSpec& spec);

    Link& link_;
    Target local_;
    std::mutex mutex_;
    flatbuffers::FlatBufferBuilder args_;
    flatbuffers::FlatBufferBuilder key_;
    flatbuffers::FlatBufferBuilder request_;
    flatbuffers::FlatBufferBuilder local_value_;
    flatbuffers::FlatBufferBuilder local_reply_;
    std::uint64_t next_id_ = 1;
    int pidfd_owner_ = 0;
    Fd pidfd_;
};

/// Throws the exception a non-Ok response stands for.
[[noreturn]] void throw_failure(const wire::Response& response, const char* what);

}  // namespace remoteobj::detail

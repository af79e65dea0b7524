// The members a listener announced in its Hello (issue #30 item 3), kept by the
// calling end of each connection: a call to a member of this caller's class that
// the listener lacks is refused here, before anything is sent, naming the member
// and both signatures. Every other member works.
//
// The common case, every one of this caller's members announced, costs a call
// one test of an empty vector. What a listener announces can only make a call
// refused, never make one go through: the listener still checks each id.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "remoteobj/interface.hpp"
#include "remoteobj/wire/remoteobj_generated.h"

namespace remoteobj::detail {

struct CallSpec;
struct Step;

/// The most members a Hello may announce, and the longest name and wire signature
/// of one: a table over them is not a remoteobj listener's (ProtocolError).
inline constexpr std::size_t max_announced_members = 4096;
inline constexpr std::size_t max_announced_name = 256;
inline constexpr std::size_t max_announced_signature = 4096;

class ListenerMembers {
public:
    /// Reads the table of `hello` (held in `greeting`, which is kept for messages)
    /// against `ours`; `listener()` names the listener in messages (called only
    /// when a message may need it: connecting costs no formatting). Without a table
    /// (an older listener) nothing is refused here. Throws ProtocolError for a
    /// table over the limits above, a member without a name or signature, or two
    /// with one id.
    void take(const wire::Hello& hello, std::vector<std::uint8_t>&& greeting, const Interface& ours,
              const std::function<std::string()>& listener);

    /// Whether the listener announced its members.
    bool announced() const noexcept { return announced_; }
    /// Whether every member of this caller's class is among them (or none came).
    bool all_match() const noexcept { return missing_.empty(); }

    /// Throws InterfaceMismatch when the request `spec` on `path` reaches a member
    /// of this caller's class (the root object) that the listener lacks.
    void check(const std::vector<Step>& path, const CallSpec& spec) const {
        if (!missing_.empty()) check_missing(path, spec);
    }

private:
    void check_missing(const std::vector<Step>& path, const CallSpec& spec) const;
    [[noreturn]] void refuse(std::uint32_t id) const;

    bool announced_ = false;
    const Interface* ours_ = nullptr;
    std::vector<std::uint32_t> missing_;  // sorted: ids of `ours` the listener did not announce
    std::vector<std::uint8_t> greeting_;  // the Hello, for naming the listener's members (only when some are missing)
    std::string listener_;                // "the listener at unix:... (pid 42)"
};

}  // namespace remoteobj::detail

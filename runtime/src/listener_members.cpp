// Checking calls against the members a listener announced; see listener_members.hpp.
#include "remoteobj/detail/listener_members.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "remoteobj/caller.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj::detail {

void ListenerMembers::take(const wire::Hello& hello, std::vector<std::uint8_t>&& greeting, const Interface& ours,
                           const std::function<std::string()>& listener) {
    announced_ = false;
    ours_ = &ours;
    missing_.clear();
    greeting_.clear();
    const auto* members = hello.members();
    if (!members) return;  // an older listener: it answers an unknown id itself
    auto refuse_table = [&](std::string_view why) {
        return ProtocolError(fmt::format("{}: {} announced a member table that no remoteobj listener sends: {}",
                                         ours.class_name, listener(), why));
    };
    if (members->size() > max_announced_members)
        throw refuse_table(fmt::format("{} members, over the limit of {}", members->size(), max_announced_members));
    std::vector<std::uint32_t> ids;
    ids.reserve(members->size());
    for (const wire::HelloMember* member : *members) {
        if (!member || !member->name() || !member->signature())
            throw refuse_table("a member without a name or a wire signature");
        if (member->name()->size() > max_announced_name || member->signature()->size() > max_announced_signature)
            throw refuse_table(fmt::format("a name or wire signature over {} or {} bytes", max_announced_name,
                                           max_announced_signature));
        ids.push_back(member->id());
    }
    std::sort(ids.begin(), ids.end());
    if (const auto twice = std::adjacent_find(ids.begin(), ids.end()); twice != ids.end())
        throw refuse_table(fmt::format("the wire id {:#010x} twice", *twice));
    for (std::size_t i = 0; i < ours.member_count; ++i)
        if (!std::binary_search(ids.begin(), ids.end(), ours.members[i].id)) missing_.push_back(ours.members[i].id);
    std::sort(missing_.begin(), missing_.end());
    announced_ = true;
    if (missing_.empty()) return;  // the common case: nothing kept
    greeting_ = std::move(greeting);
    listener_ = listener();
}

void ListenerMembers::check_missing(const std::vector<Step>& path, const CallSpec& spec) const {
    switch (spec.op) {
    case wire::Operation::Unsubscribe:
    case wire::Operation::Credit:
    case wire::Operation::Cancel:
    case wire::Operation::Describe:
        return;  // about a subscription, a stream or the object, not a member
    default:
        break;
    }
    // The announced table is the served (root) class's: a request reaches one of its
    // members by the first step of its path, or, with no path, by its own member.
    std::uint32_t id = spec.member;
    if (!path.empty()) {
        if (path.front().kind == wire::StepKind::Base) return;
        id = path.front().member;
    } else if (spec.interface != ours_->hash) {
        return;
    }
    if (std::binary_search(missing_.begin(), missing_.end(), id)) refuse(id);
}

namespace {

// "Shape::scale(int32) -> int32" from "method scale(int32) -> int32", "Shape::label: string"
// from "field label: string", "Shape::operator[string] -> float64" from "subscript [string] -> float64":
// how a C++ reader names the member, with its wire types.
std::string spelled(std::string_view class_name, std::string_view signature) {
    const std::size_t space = signature.find(' ');
    const std::string_view rest = space == std::string_view::npos ? signature : signature.substr(space + 1);
    return fmt::format("{}::{}{}", class_name, rest.starts_with('[') ? "operator" : "", rest);
}

}  // namespace

void ListenerMembers::refuse(std::uint32_t id) const {
    const MemberInfo* mine = std::find_if(ours_->members, ours_->members + ours_->member_count,
                                          [&](const MemberInfo& m) { return m.id == id; });
    // The listener's members of the same name (an overload set may have several).
    std::string theirs;
    const auto* envelope = flatbuffers::GetSizePrefixedRoot<wire::Envelope>(greeting_.data());
    if (const wire::Hello* hello = envelope->message_as_Hello(); hello && hello->members())
        for (const wire::HelloMember* member : *hello->members())
            if (member->name()->string_view() == mine->name)
                theirs += fmt::format("{}{}", theirs.empty() ? "" : " and ",
                                      spelled(ours_->class_name, member->signature()->string_view()));
    const std::string has = theirs.empty() ? fmt::format("has no member named {}", mine->name)
                                           : fmt::format("has {} instead", theirs);
    throw InterfaceMismatch(fmt::format("{}: {} {} (wire id {:#010x} is not among the members it announced: it "
                                        "was built from another version of {}); nothing was sent, and every other "
                                        "member still works",
                                        spelled(ours_->class_name, mine->wire_signature), listener_, has, id,
                                        ours_->class_name));
}

}  // namespace remoteobj::detail

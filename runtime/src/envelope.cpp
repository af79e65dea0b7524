// Verification of incoming envelopes; see envelope.hpp.
#include "remoteobj/envelope.hpp"
#include "remoteobj/interface.hpp"

#include <fmt/format.h>

#include "remoteobj/error.hpp"

namespace remoteobj::detail {

flatbuffers::Verifier::Options verifier_options() {
    flatbuffers::Verifier::Options options;
    options.max_depth = 64;
    options.max_tables = 1u << 20;
    options.check_alignment = true;
    return options;
}

const wire::Envelope* verify_envelope(Bytes frame) {
    flatbuffers::Verifier verifier(frame.data(), frame.size(), verifier_options());
    if (!verifier.VerifySizePrefixedBuffer<wire::Envelope>(nullptr)) return nullptr;
    return flatbuffers::GetSizePrefixedRoot<wire::Envelope>(frame.data());
}

flatbuffers::Offset<wire::Failure> write_failure(flatbuffers::FlatBufferBuilder& fbb, const RemoteInfo& info) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> frames;
    frames.reserve(info.trace.size());
    for (const std::string& frame : info.trace) frames.push_back(fbb.CreateString(frame));
    return wire::CreateFailure(fbb, fbb.CreateString(info.type), fbb.CreateString(info.message),
                               fbb.CreateVector(frames), info.pid, fbb.CreateString(info.process_name),
                               fbb.CreateString(info.group), info.code, fbb.CreateString(info.category));
}

RemoteInfo read_failure(const wire::Failure* failure) {
    RemoteInfo info;
    if (!failure) return info;
    auto text = [](const flatbuffers::String* s) { return s ? s->str() : std::string(); };
    info.type = text(failure->type());
    info.message = text(failure->message());
    if (failure->trace())
        for (const flatbuffers::String* frame : *failure->trace()) info.trace.push_back(text(frame));
    info.pid = failure->pid();
    info.process_name = text(failure->process_name());
    info.group = text(failure->group());
    info.code = failure->code();
    info.category = text(failure->category());
    return info;
}

std::string operation_name(wire::Operation op) {
    const char* name = wire::EnumNameOperation(op);
    return name && *name ? name : fmt::format("operation {} (no such operation)", static_cast<int>(op));
}

Bytes key_of(const wire::Request& request, const char* what) {
    if (!request.key())
        throw BadRequest(fmt::format("{}: {} arrived without the key or index it needs", what,
                                     operation_name(request.op())));
    return bytes_of(request.key());
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::HelloMember>>> announce_members(
    flatbuffers::FlatBufferBuilder& fbb, const Interface& iface) {
    std::vector<flatbuffers::Offset<wire::HelloMember>> members;
    members.reserve(iface.member_count);
    for (std::size_t i = 0; i < iface.member_count; ++i) {
        const MemberInfo& member = iface.members[i];
        members.push_back(wire::CreateHelloMember(fbb, member.id, fbb.CreateString(member.name),
                                                  fbb.CreateString(member.wire_signature)));
    }
    return fbb.CreateVector(members);
}

}  // namespace remoteobj::detail

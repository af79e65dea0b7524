// Making requests and waiting for replies; see caller.hpp.
#include "remoteobj/caller.hpp"

#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/listener.hpp"

namespace remoteobj::detail {

void throw_failure(const wire::Response& response, const char* what) {
    RemoteInfo info = read_failure(response.failure());
    const std::string& message = info.message;
    switch (response.status()) {
    case wire::Status::NotListening:
        throw NotListening(fmt::format("{}: {}", what, message));
    case wire::Status::BadRequest:
        throw ProtocolError(fmt::format("{}: the listener rejected the request: {}", what, message));
    case wire::Status::InterfaceMismatch:
        throw InterfaceMismatch(message);
    case wire::Status::Raised:
        std::rethrow_exception(make_exception(info));
    case wire::Status::Ok:
        break;
    }
    throw ProtocolError(fmt::format("{}: reply with unknown status {}", what, static_cast<int>(response.status())));
}

int Caller::listener_pidfd(int pid, const CallSpec& spec) {
    if (pid != pidfd_owner_ || !pidfd_) {
        pidfd_ = open_pidfd(pid);
        pidfd_owner_ = pid;
        if (!pidfd_) throw PeerLost(fmt::format("{}: the listening process {} is gone", spec.what, pid));
    }
    return pidfd_.get();
}

Bytes Caller::exchange(const Path& path, const CallSpec& spec) {
    SharedFlags& flags = link_.flags();
    if (flags.listening.load() != 1)
        throw NotListening(fmt::format("{}: nobody listens on this object (start remote.listen() in the "
                                       "other process, and wait_until_listening() here)",
                                       spec.what));
    const std::uint32_t epoch = flags.epoch.load();
    const int listener = flags.listener_pid.load();
    const std::uint64_t id = next_id_++;

    request_.Clear();
    flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> args;
    if (args_.GetSize() > 0) {
        request_.ForceVectorAlignment(args_.GetSize(), 1, 8);
        args = request_.CreateVector(args_.GetBufferPointer(), args_.GetSize());
    }
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::Step>>> steps;
    if (!path.empty()) {
        // Few steps, built on the stack: no heap allocation per call.
        flatbuffers::Offset<wire::Step> built[16];
        if (path.size() > std::size(built))
            throw ProtocolError(fmt::format("{}: a path deeper than {} steps", spec.what, std::size(built)));
        for (std::size_t i = 0; i < path.size(); ++i)
            built[i] = wire::CreateStep(request_, path[i].kind, path[i].member, path[i].interface);
        steps = request_.CreateVector(built, path.size());
    }
    flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> key;
    if (key_.GetSize() > 0) {
        request_.ForceVectorAlignment(key_.GetSize(), 1, 8);
        key = request_.CreateVector(key_.GetBufferPointer(), key_.GetSize());
    }
    auto request = wire::CreateRequest(request_, id, epoch, spec.interface, steps, spec.op, spec.member, spec.argc,
                                       args, spec.oneway, key);
    request_.FinishSizePrefixed(wire::CreateEnvelope(request_, wire::Message::Request, request.Union()));

    if (listener == ::getpid()) {
        // This process listens: serve in place, through the same code as a remote
        // request, so the semantics (locking, errors) are the same.
        const wire::Envelope* envelope = flatbuffers::GetSizePrefixedRoot<wire::Envelope>(request_.GetBufferPointer());
        serve_request(local_, *envelope->message_as_Request(), epoch, false, local_value_, local_reply_);
        if (spec.oneway) return {};
        const wire::Response* response =
            flatbuffers::GetSizePrefixedRoot<wire::Envelope>(local_reply_.GetBufferPointer())->message_as_Response();
        if (response->status() != wire::Status::Ok) throw_failure(*response, spec.what);
        return bytes_of(response->value());
    }

    link_.request_writer().write(bytes_of(request_), listener_pidfd(listener, spec));
    if (spec.oneway) return {};
    return await_reply(id, epoch, spec);
}

Bytes Caller::await_reply(std::uint64_t id, std::uint32_t epoch, const CallSpec& spec) {
    FrameReader& replies = link_.replies();
    for (;;) {
        Bytes frame;
        auto status = replies.next(frame);
        if (status == FrameReader::Status::Frame) {
            const wire::Envelope* envelope = verify_envelope(frame);
            if (!envelope)
                throw ProtocolError(fmt::format("{}: received a malformed reply (failed verification)", spec.what));
            if (const wire::Response* response = envelope->message_as_Response()) {
                // Replies to requests whose callers already gave up are dropped here.
                if (response->id() != id) continue;
                if (response->status() != wire::Status::Ok) throw_failure(*response, spec.what);
                return bytes_of(response->value());
            }
            if (const wire::Closed* closed = envelope->message_as_Closed(); closed && closed->epoch() >= epoch)
                throw NotListening(fmt::format("{}: the listener stopped before serving this request", spec.what));
            continue;
        }
        if (status == FrameReader::Status::Closed)
            throw PeerLost(fmt::format("{}: the reply pipe was closed", spec.what));
        if (wait_fd(replies.fd(), POLLIN, pidfd_.get(), -1) == Ready::Other) {
            // The listener died. A reply it wrote just before dying is still in the
            // pipe and wins; otherwise the request is lost with it.
            if (replies.next(frame) == FrameReader::Status::Frame) {
                const wire::Envelope* envelope = verify_envelope(frame);
                const wire::Response* response = envelope ? envelope->message_as_Response() : nullptr;
                if (response && response->id() == id) {
                    if (response->status() != wire::Status::Ok) throw_failure(*response, spec.what);
                    return bytes_of(response->value());
                }
            }
            pidfd_ = Fd{};
            throw PeerLost(fmt::format("{}: the listening process {} died before replying", spec.what, pidfd_owner_));
        }
    }
}

}  // namespace remoteobj::detail

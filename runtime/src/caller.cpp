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

ReplySlot* Caller::acquire_slot(std::uint64_t id, std::uint32_t epoch, int listener, const char* what) {
    ReplySlot* slot = nullptr;
    for (auto& candidate : slots_)
        if (!candidate->in_use) {
            slot = candidate.get();
            break;
        }
    if (!slot) slot = slots_.emplace_back(std::make_unique<ReplySlot>()).get();
    // The frame keeps its capacity: a reused slot allocates nothing.
    slot->id = id;
    slot->epoch = epoch;
    slot->listener = listener;
    slot->what = what;
    slot->in_use = true;
    slot->done = false;
    slot->error = nullptr;
    return slot;
}

void Caller::release(ReplySlot* slot) noexcept {
    if (!slot) return;
    std::lock_guard lock(state_mutex_);
    slot->in_use = false;
    slot->done = false;
    slot->error = nullptr;
}

ReplySlot* Caller::send_built(const Path& path, const CallSpec& spec) {
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
        for (std::size_t i = 0; i < path.size(); ++i) {
            flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> step_args;
            if (!path[i].args.empty()) {
                request_.ForceVectorAlignment(path[i].args.size(), 1, 8);
                step_args = request_.CreateVector(path[i].args);
            }
            built[i] = wire::CreateStep(request_, path[i].kind, path[i].member, path[i].interface, path[i].argc,
                                        step_args);
        }
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
        if (spec.oneway) return nullptr;
        std::lock_guard lock(state_mutex_);
        ReplySlot* slot = acquire_slot(id, epoch, listener, spec.what);
        slot->frame.assign(local_reply_.GetBufferPointer(), local_reply_.GetBufferPointer() + local_reply_.GetSize());
        slot->done = true;
        return slot;
    }

    ReplySlot* slot = nullptr;
    int pidfd = -1;
    {
        std::lock_guard lock(state_mutex_);
        if (listener != pidfd_owner_ || !pidfd_) {
            Fd fresh = open_pidfd(listener);
            if (!fresh) throw PeerLost(fmt::format("{}: the listening process {} is gone", spec.what, listener));
            retired_pidfd_ = std::move(pidfd_);
            pidfd_ = std::move(fresh);
            pidfd_owner_ = listener;
        }
        pidfd = pidfd_.get();
        if (!spec.oneway) slot = acquire_slot(id, epoch, listener, spec.what);
    }
    try {
        link_.request_writer().write(bytes_of(request_), pidfd);
    } catch (...) {
        release(slot);
        throw;
    }
    return slot;
}

void Caller::read_for_all(std::unique_lock<std::mutex>& lock, bool block) {
    reading_ = true;
    lock.unlock();
    struct Handover {  // however pump() ends, the role passes on and waiters wake
        Caller& caller;
        std::unique_lock<std::mutex>& lock;
        ~Handover() {
            lock.lock();
            caller.reading_ = false;
            caller.replied_.notify_all();
        }
    } handover{*this, lock};
    pump(block);
}

Bytes Caller::await(ReplySlot& slot) {
    std::unique_lock lock(state_mutex_);
    while (!slot.done) {
        if (reading_)
            replied_.wait(lock);
        else
            read_for_all(lock, true);
    }
    if (slot.error) std::rethrow_exception(slot.error);
    const wire::Response* response =
        flatbuffers::GetSizePrefixedRoot<wire::Envelope>(slot.frame.data())->message_as_Response();
    if (response->status() != wire::Status::Ok) throw_failure(*response, slot.what);
    return bytes_of(response->value());
}

bool Caller::ready(ReplySlot& slot) {
    std::unique_lock lock(state_mutex_);
    if (!slot.done && !reading_) read_for_all(lock, false);
    return slot.done;
}

void Caller::deliver(Bytes frame) {
    const wire::Envelope* envelope = verify_envelope(frame);
    if (!envelope) throw ProtocolError("received a malformed reply (failed verification)");
    std::lock_guard lock(state_mutex_);
    if (const wire::Response* response = envelope->message_as_Response()) {
        for (auto& slot : slots_) {
            if (slot->in_use && !slot->done && slot->id == response->id()) {
                slot->frame.assign(frame.begin(), frame.end());
                slot->done = true;
                return;
            }
        }
        return;  // a reply to a request whose caller gave up: dropped
    }
    if (const wire::Closed* closed = envelope->message_as_Closed()) {
        for (auto& slot : slots_)
            if (slot->in_use && !slot->done && slot->epoch <= closed->epoch()) {
                slot->error = std::make_exception_ptr(
                    NotListening(fmt::format("{}: the listener stopped before serving this request", slot->what)));
                slot->done = true;
            }
    }
}

void Caller::pump(bool block) {
    FrameReader& replies = link_.replies();
    int pidfd;
    int owner;
    {
        std::lock_guard lock(state_mutex_);
        pidfd = pidfd_.get();
        owner = pidfd_owner_;
    }
    Bytes frame;
    bool took = false;
    for (;;) {
        auto status = replies.next(frame);
        if (status == FrameReader::Status::Frame) {
            deliver(frame);
            took = true;
            continue;
        }
        if (status == FrameReader::Status::Closed) {
            std::lock_guard lock(state_mutex_);
            for (auto& slot : slots_)
                if (slot->in_use && !slot->done) {
                    slot->error = std::make_exception_ptr(PeerLost(fmt::format("{}: the reply pipe was closed", slot->what)));
                    slot->done = true;
                }
            return;
        }
        if (took || !block) return;
        if (wait_fd(replies.fd(), POLLIN, pidfd, -1) == Ready::Other) {
            // The listener died. Replies it wrote just before dying are still in
            // the pipe and win; the requests still pending are lost with it.
            while (replies.next(frame) == FrameReader::Status::Frame) deliver(frame);
            std::lock_guard lock(state_mutex_);
            for (auto& slot : slots_)
                if (slot->in_use && !slot->done && slot->listener == owner) {
                    slot->error = std::make_exception_ptr(PeerLost(
                        fmt::format("{}: the listening process {} died before replying", slot->what, owner)));
                    slot->done = true;
                }
            if (pidfd_owner_ == owner) {
                retired_pidfd_ = std::move(pidfd_);
                pidfd_owner_ = 0;
            }
            return;
        }
    }
}

}  // namespace remoteobj::detail

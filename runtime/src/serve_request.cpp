// Running one request on the object and building its reply, for every
// connection of the serving loop; see listener.hpp.
#include "remoteobj/listener.hpp"

#include <poll.h>
#include <unistd.h>

#include <exception>
#include <mutex>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "remoteobj/detail/wire_scope.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "peer_report.hpp"

namespace remoteobj::detail {
namespace {

void finish_reply(flatbuffers::FlatBufferBuilder& reply, std::uint64_t id, wire::Status status,
                  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> value, const RemoteInfo* info = nullptr) {
    flatbuffers::Offset<wire::Failure> failure;
    if (info) failure = write_failure(reply, *info);
    auto response = wire::CreateResponse(reply, id, status, value, failure);
    reply.FinishSizePrefixed(wire::CreateEnvelope(reply, wire::Message::Response, response.Union()));
}

void fail_reply(flatbuffers::FlatBufferBuilder& reply, std::uint64_t id, wire::Status status, const RemoteInfo& info) {
    reply.Clear();  // whatever the member's value table got to
    finish_reply(reply, id, status, 0, &info);
}

RemoteInfo library_failure(const char* type, std::string message) {
    RemoteInfo info;
    info.type = type;
    info.message = std::move(message);
    info.pid = static_cast<int>(::getpid());
    info.process_name = this_process_name();
    return info;
}

void serve_unchecked(const Target& target, const wire::Request& request, std::uint32_t epoch, bool refuse,
                     flatbuffers::FlatBufferBuilder& reply) {
    const Interface& iface = target.interface();
    const std::uint64_t id = request.id();
    if (refuse || request.epoch() != epoch) {
        fail_reply(reply, id, wire::Status::NotListening,
                   library_failure("remoteobj::NotListening",
                                   fmt::format("{}: the listener stopped before serving this request",
                                               iface.class_name)));
        return;
    }
    if (request.op() == wire::Operation::Describe) {
        // About the object, not a member: any peer may ask (a tool knows no class id),
        // and the text is the generated code's constant: the object is not reached, and
        // nothing here takes its mutex (the serving loop's batch lock still may).
        const std::string_view text = iface.description ? iface.description : "";
        clear_builder(reply);
        reply.ForceVectorAlignment(text.size(), 1, 8);
        finish_reply(reply, id, wire::Status::Ok,
                     reply.CreateVector(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
        return;
    }
    if (is_stream_control(request.op())) {
        // About a subscription or a stream of this connection, not a member: served
        // under the object's mutex (cancelling destroys a generator's frame).
        if (Outbound* outbound = serving_outbound()) {
            std::lock_guard lock(*target.mutex);
            if (request.op() == wire::Operation::Unsubscribe)
                outbound->unsubscribe(request.stream());
            else if (request.op() == wire::Operation::Credit)
                outbound->credit(request.stream(), request.window());
            else
                outbound->cancel(request.stream());
        }
        clear_builder(reply);
        finish_reply(reply, id, wire::Status::Ok, 0);
        return;
    }
    if (request.path() && request.path()->size() > max_path_steps) {
        fail_reply(reply, id, wire::Status::BadRequest,
                   library_failure("remoteobj::ProtocolError",
                                   fmt::format("{}: a path of {} steps (at most {})", iface.class_name,
                                               request.path()->size(), max_path_steps)));
        return;
    }
    clear_builder(reply);  // a large last reply's memory is given back
    // The value table is built in place, inside the reply: never copied.
    const flatbuffers::uoffset_t mark = begin_nested(reply);
    try {
        std::lock_guard lock(*target.mutex);
        // What adapted arguments refer into (a Slice's string) lives until the member returned.
        detail::WireScope received;
        iface.dispatch(target.object, request, 0, false, reply);
    } catch (const InterfaceMismatch& e) {
        fail_reply(reply, id, wire::Status::InterfaceMismatch, library_failure("remoteobj::InterfaceMismatch", e.what()));
        return;
    } catch (const BadRequest& e) {
        fail_reply(reply, id, wire::Status::BadRequest, library_failure("remoteobj::ProtocolError", e.what()));
        return;
    } catch (...) {
        // Whatever the member threw, standard or not (`throw 42;`), goes back by type.
        fail_reply(reply, id, wire::Status::Raised, describe_current_exception());
        return;
    }
    finish_reply(reply, id, wire::Status::Ok, end_nested(reply, mark));
}

}  // namespace

void serve_request(const Target& target, const wire::Request& request, std::uint32_t epoch, bool refuse,
                   flatbuffers::FlatBufferBuilder& reply, std::size_t max_message) {
    serve_unchecked(target, request, epoch, refuse, reply);
    const std::size_t size = reply.GetSize();
    if (size <= max_message) return;
    // The caller could not read it (and would stop reading, leaving this listener
    // stuck in its write): it gets why instead, and the link stays healthy.
    fail_reply(reply, request.id(), wire::Status::BadRequest,
               library_failure("remoteobj::ProtocolError",
                               fmt::format("{}: the reply (what the member returned or threw) is {} bytes, over the "
                                           "limit of {} bytes for one message (raise it with remoteobj::link_options"
                                           "{{.max_message}} where the Remote or Channel is made)",
                                           target.interface().class_name, size, max_message)));
}

void report_oneway_failure(const Target& target, const wire::Request& request,
                           const flatbuffers::FlatBufferBuilder& reply) {
    const auto* response =
        flatbuffers::GetSizePrefixedRoot<wire::Envelope>(reply.GetBufferPointer())->message_as_Response();
    if (response->status() == wire::Status::Ok) return;
    RemoteInfo info = read_failure(response->failure());
    // Rate-limited: a caller can send as many failing one-way calls as it likes.
    report_peer(fmt::format("remoteobj: one-way call to {} (member {}) failed: {}: {}", target.interface().class_name,
                            request.member(), info.type, info.message));
}

bool still_running(int pid) {
    Fd pidfd = open_pidfd(pid);
    return pidfd && wait_fd(pidfd.get(), POLLIN, -1, 0) == Ready::Timeout;
}

}  // namespace remoteobj::detail

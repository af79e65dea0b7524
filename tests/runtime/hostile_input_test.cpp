// Bytes no honest caller sends: the listener answers or skips them, never crashes
// or hangs, and serves the next valid request.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <remoteobj/envelope.hpp>
#include <remoteobj/serve.hpp>

#include "test_support.hpp"
#include "widget.remote_generated.h"

namespace {

// A served Widget whose link the test writes raw bytes into: into this process's
// own connection, made by a first call.
struct RawServedWidget : ServedWidget {
    remoteobj::detail::Link& link = remoteobj::detail_link_of(obj.remote);
    int connected = obj.remote->add(0, 0);

    // Writes all of `data`; the request pipe does not block, so a large frame goes
    // in as many writes as the listener makes room for.
    void write_raw(const void* data, std::size_t size) {
        const auto* bytes = static_cast<const std::uint8_t*>(data);
        while (size > 0) {
            ssize_t written = ::write(link.request_fd(), bytes, size);
            if (written < 0 && errno == EAGAIN) {
                remoteobj::detail::wait_fd(link.request_fd(), POLLOUT, -1, -1);
                continue;
            }
            REQUIRE(written > 0);
            bytes += written;
            size -= static_cast<std::size_t>(written);
        }
    }
    void write_frame(const std::vector<std::uint8_t>& payload) {
        const auto size = static_cast<std::uint32_t>(payload.size());
        write_raw(&size, 4);
        if (!payload.empty()) write_raw(payload.data(), payload.size());
    }
    // Sends a request envelope with the given member, interface and raw argument bytes,
    // and returns the reply's status.
    remoteobj::wire::Status send_request(std::uint32_t member, std::uint64_t interface,
                                         const std::vector<std::uint8_t>& args, std::uint8_t argc,
                                         remoteobj::wire::Operation op = remoteobj::wire::Operation::Call,
                                         std::size_t call_steps = 0, std::uint32_t step_member = 0) {
        flatbuffers::FlatBufferBuilder fbb;
        std::vector<flatbuffers::Offset<remoteobj::wire::Step>> steps;
        for (std::size_t i = 0; i < call_steps; ++i)
            steps.push_back(remoteobj::wire::CreateStep(fbb, remoteobj::wire::StepKind::Call, step_member,
                                                        remoteobj::detail::ProxyTraits<Widget>::interface_hash, 0));
        auto request = remoteobj::wire::CreateRequestDirect(
            fbb, 77, link.flags().epoch.load(), interface, call_steps ? &steps : nullptr, op, member, argc,
            args.empty() ? nullptr : &args);
        fbb.FinishSizePrefixed(
            remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Request, request.Union()));
        write_raw(fbb.GetBufferPointer(), fbb.GetSize());
        return read_status(77);
    }
    // Reads the next reply, which must answer request `id`, and returns its status.
    remoteobj::wire::Status read_status(std::uint64_t id) {
        remoteobj::detail::Bytes frame;
        for (;;) {
            auto status = link.replies().next(frame);
            if (status == remoteobj::detail::FrameReader::Status::Frame) break;
            REQUIRE(status == remoteobj::detail::FrameReader::Status::Empty);
            remoteobj::detail::wait_fd(link.replies().fd(), POLLIN, -1, -1);
        }
        const auto* envelope = remoteobj::detail::verify_envelope(frame);
        REQUIRE(envelope);
        REQUIRE(envelope->message_as_Response());
        CHECK(envelope->message_as_Response()->id() == id);
        return envelope->message_as_Response()->status();
    }
};

constexpr std::uint32_t add_id = remoteobj::generated::stubs::Widget_add::id;
constexpr std::uint64_t widget_hash = remoteobj::detail::ProxyTraits<Widget>::interface_hash;

template <class Build>
std::vector<std::uint8_t> table_bytes(Build build) {
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(build(fbb));
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

}  // namespace

TEST_CASE("random bytes in a frame are skipped: the next request is served") {
    RawServedWidget w;
    std::mt19937 random(42);
    for (int i = 0; i < 200; ++i) {
        std::vector<std::uint8_t> junk(random() % 300);
        for (auto& b : junk) b = static_cast<std::uint8_t>(random());
        w.write_frame(junk);
    }
    CHECK(w.obj.remote->add(2, 2) == 4);
}

TEST_CASE("a truncated frame completed by garbage is skipped: the listener goes on") {
    RawServedWidget w;
    const std::uint32_t size = 64;
    w.write_raw(&size, 4);
    std::vector<std::uint8_t> half(30, 0xee), rest(34, 0xee);
    w.write_raw(half.data(), half.size());
    w.write_raw(rest.data(), rest.size());  // the rest: still not an envelope
    CHECK(w.obj.remote->add(3, 3) == 6);
}

TEST_CASE("a request naming a member id the listener lacks gets an InterfaceMismatch reply, and the listener goes on") {
    // Ids are hashes of members' signatures: an unknown one is most often another
    // version's member, and from a hostile peer it is only an error reply.
    RawServedWidget w;
    for (std::uint32_t id : {0u, 999u, 0xffffffffu})
        CHECK(w.send_request(id, remoteobj::detail::ProxyTraits<Widget>::interface_hash, {}, 0) ==
              remoteobj::wire::Status::InterfaceMismatch);
    CHECK(w.obj.remote->add(1, 1) == 2);
}

TEST_CASE("a request for another class gets an InterfaceMismatch reply, and the listener goes on") {
    RawServedWidget w;
    CHECK(w.send_request(add_id, widget_hash ^ 1, {}, 1) == remoteobj::wire::Status::InterfaceMismatch);
    CHECK(w.obj.remote->add(1, 1) == 2);
}

TEST_CASE("a request whose argument table is not one gets a BadRequest reply") {
    RawServedWidget w;
    std::vector<std::uint8_t> garbage(40, 0xff);
    CHECK(w.send_request(add_id, remoteobj::detail::ProxyTraits<Widget>::interface_hash, garbage, 2) ==
          remoteobj::wire::Status::BadRequest);
    CHECK(w.send_request(add_id, remoteobj::detail::ProxyTraits<Widget>::interface_hash, {}, 2) ==
          remoteobj::wire::Status::BadRequest);
    CHECK(w.obj.remote->add(1, 1) == 2);
}

TEST_CASE("too many arguments for a method gets a BadRequest reply") {
    RawServedWidget w;
    CHECK(w.send_request(add_id, remoteobj::detail::ProxyTraits<Widget>::interface_hash, {}, 0) ==
          remoteobj::wire::Status::BadRequest);
}

TEST_CASE("a frame announcing 4 GiB drops that connection only: the listener serves on, the next call connects anew") {
    RawServedWidget w;
    const std::uint32_t huge = 0xffffffffu;
    w.write_raw(&huge, 4);
    // The listener cannot resynchronise past such a frame: it drops the connection,
    // which the call waiting on it sees (a ProtocolError: the listener lives); the
    // next call is served on a new one.
    CHECK_THROWS_AS(w.obj.remote->add(1, 1), remoteobj::ProtocolError);
    CHECK(w.obj.remote->add(1, 1) == 2);
    CHECK(w.obj.remote.listening());
}

TEST_CASE("another member's argument table, which does not verify as this one's, gets a BadRequest reply") {
    RawServedWidget w;
    // add's arguments are two ints; greet's first field is a string: an int is no string offset.
    auto add_args = table_bytes([](auto& fbb) { return remoteobj::gen::CreateWidget_add_Args(fbb, 0x7fffffff, -5); });
    CHECK(w.send_request(remoteobj::generated::stubs::Widget_greet::id, widget_hash, add_args, 1) ==
          remoteobj::wire::Status::BadRequest);
    CHECK(w.obj.remote->greet("you") == "hello you!");
}

TEST_CASE("an enum value that is none of its enumerators gets a BadRequest reply") {
    RawServedWidget w;
    auto stray = table_bytes([](auto& fbb) { return remoteobj::gen::CreateWidget_color_Value(fbb, 99); });
    CHECK(w.send_request(remoteobj::generated::Widget_color::id, widget_hash, stray, 1,
                         remoteobj::wire::Operation::Set) == remoteobj::wire::Status::BadRequest);
    CHECK(w.obj.remote->color.get() == Color::red);  // unchanged, and the listener goes on
    auto green = table_bytes([](auto& fbb) {
        return remoteobj::gen::CreateWidget_color_Value(fbb, static_cast<std::uint8_t>(Color::green));
    });
    CHECK(w.send_request(remoteobj::generated::Widget_color::id, widget_hash, green, 1,
                         remoteobj::wire::Operation::Set) == remoteobj::wire::Status::Ok);
    CHECK(w.obj.remote->color.get() == Color::green);
}

TEST_CASE("a value outside an unscoped enum's range gets a BadRequest reply and never reaches the member") {
    // Found by the listener fuzzer (tests/fuzz): 4 sent for an enum of values 0 to 3 was cast
    // unchecked, and UBSan reported the load of the invalid value in the listening process.
    RawServedWidget w;
    auto stray = table_bytes([](auto& fbb) { return remoteobj::gen::CreateWidget_next_level_Args(fbb, 4); });
    CHECK(w.send_request(remoteobj::generated::stubs::Widget_next_level::id, widget_hash, stray, 1) ==
          remoteobj::wire::Status::BadRequest);
    CHECK(w.obj.remote->next_level(level_mid) == level_high);
}

TEST_CASE("a path of 100000 steps gets a BadRequest reply, not a stack overflow") {
    RawServedWidget w;
    // ping.pong().ping().pong()...: each step a call on the object the last one returned.
    const std::uint32_t ping_id = remoteobj::detail::ProxyAccess::state(w.obj.remote->ping).path().back().member;
    const std::uint32_t pong_call = remoteobj::generated::stubs::Ping_pong::id;
    const std::uint32_t ping_call = remoteobj::generated::stubs::Pong_ping::id;
    auto send_path = [&](std::uint64_t id, int calls) {
        flatbuffers::FlatBufferBuilder fbb;
        std::vector<flatbuffers::Offset<remoteobj::wire::Step>> steps;
        steps.push_back(remoteobj::wire::CreateStep(fbb, remoteobj::wire::StepKind::Field, ping_id, widget_hash, 0));
        for (int i = 0; i < calls; ++i) {
            bool on_ping = i % 2 == 0;
            steps.push_back(remoteobj::wire::CreateStep(
                fbb, remoteobj::wire::StepKind::Call, on_ping ? pong_call : ping_call,
                on_ping ? remoteobj::detail::ProxyTraits<Ping>::interface_hash : remoteobj::detail::ProxyTraits<Pong>::interface_hash, 0));
        }
        auto request = remoteobj::wire::CreateRequestDirect(fbb, id, w.link.flags().epoch.load(),
                                                            remoteobj::detail::ProxyTraits<Ping>::interface_hash, &steps,
                                                            remoteobj::wire::Operation::Get,
                                                            remoteobj::generated::Ping_hits::id, 0, nullptr);
        fbb.FinishSizePrefixed(
            remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Request, request.Union()));
        w.write_raw(fbb.GetBufferPointer(), fbb.GetSize());
        return w.read_status(id);
    };
    CHECK(send_path(78, 4) == remoteobj::wire::Status::Ok);  // the same path, short: a valid request
    CHECK(send_path(79, 100000) == remoteobj::wire::Status::BadRequest);
    CHECK(w.obj.remote->add(2, 3) == 5);
}

TEST_CASE("a long path that an honest proxy builds is served") {
    ServedWidget w;
    auto& r = w.obj.remote;
    // 15 steps: each call ran in the child on the way, and returned the same Ping.
    CHECK(r->ping.pong().ping().pong().ping().pong().ping().pong().ping().pong().ping().pong().ping().pong().ping()
              .hits.get() == 7);
    CHECK(r->ping.pong().ping().hits.get() == 8);
}

namespace {

// The message of the ProtocolError a hand-made request gets back through the proxy.
std::string rejection(Widget& widget, remoteobj::wire::Operation op, std::uint32_t member, const char* what) {
    try {
        remoteobj::detail::ProxyAccess::state(widget.remote.proxy())
            .call({op, member, 0, what, widget_hash}, remoteobj::detail::no_arguments{}, remoteobj::detail::no_value{});
    } catch (const remoteobj::ProtocolError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("rejections name what arrived: an unknown operation by number, a container request without its key") {
    ServedWidget w;
    const std::string unknown = rejection(w.obj, static_cast<remoteobj::wire::Operation>(200), add_id, "Widget::add");
    CHECK(unknown.find("operation 200 (no such operation)") != std::string::npos);
    CHECK(unknown.find("accepting  with") == std::string::npos);
    const std::string keyless = rejection(w.obj, remoteobj::wire::Operation::ItemGet,
                                          remoteobj::generated::Widget_items::id, "Widget::items");
    CHECK(keyless.find("ItemGet arrived without the key or index it needs") != std::string::npos);
    CHECK(keyless.find("malformed value table") == std::string::npos);
}

TEST_CASE("an oversized frame drops the connection with one message, not two") {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const int saved = ::dup(2);
    ::dup2(pipe_fds[1], 2);
    {
        RawServedWidget w;  // its child writes to the pipe as its stderr
        const std::uint32_t huge = 0xffffffffu;
        w.write_raw(&huge, 4);
        CHECK_THROWS_AS(w.obj.remote->add(1, 1), remoteobj::ProtocolError);
    }  // the child has ended: all it will ever print is in the pipe
    ::dup2(saved, 2);
    ::close(saved);
    ::close(pipe_fds[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    std::size_t count = 0;
    for (std::size_t at = text.find("dropped the connection"); at != std::string::npos;
         at = text.find("dropped the connection", at + 1))
        ++count;
    CHECK(count == 1);
}

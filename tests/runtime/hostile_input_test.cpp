// Bytes no honest caller sends: the listener answers or skips them, never crashes
// or hangs, and serves the next valid request.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstring>
#include <random>
#include <vector>

#include <remoteobj/envelope.hpp>
#include <remoteobj/serve.hpp>

#include "test_support.hpp"

namespace {

// A served Widget whose link the test writes raw bytes into.
struct RawServedWidget : ServedWidget {
    remoteobj::detail::Link& link = remoteobj::detail_link_of(obj.remote);

    void write_raw(const void* data, std::size_t size) {
        REQUIRE(::write(link.request_write_fd(), data, size) == static_cast<ssize_t>(size));
    }
    void write_frame(const std::vector<std::uint8_t>& payload) {
        const auto size = static_cast<std::uint32_t>(payload.size());
        write_raw(&size, 4);
        if (!payload.empty()) write_raw(payload.data(), payload.size());
    }
    // Sends a request envelope with the given member, interface and raw argument bytes,
    // and returns the reply's status.
    remoteobj::wire::Status send_request(std::uint32_t member, std::uint64_t interface,
                                         const std::vector<std::uint8_t>& args, std::uint8_t argc) {
        flatbuffers::FlatBufferBuilder fbb;
        auto request = remoteobj::wire::CreateRequestDirect(
            fbb, 77, link.flags().epoch.load(), interface, nullptr, remoteobj::wire::Operation::Call, member, argc,
            args.empty() ? nullptr : &args);
        fbb.FinishSizePrefixed(
            remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Request, request.Union()));
        write_raw(fbb.GetBufferPointer(), fbb.GetSize());
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
        CHECK(envelope->message_as_Response()->id() == 77);
        return envelope->message_as_Response()->status();
    }
};

constexpr std::uint32_t add_id = remoteobj::Proxy<Widget>::add_method::id;

}  // namespace

TEST_CASE("random bytes in a frame are skipped; the next request is served") {
    RawServedWidget w;
    std::mt19937 random(42);
    for (int i = 0; i < 200; ++i) {
        std::vector<std::uint8_t> junk(random() % 300);
        for (auto& b : junk) b = static_cast<std::uint8_t>(random());
        w.write_frame(junk);
    }
    CHECK(w.obj.remote->add(2, 2) == 4);
}

TEST_CASE("a truncated frame completed by garbage is skipped; the listener goes on") {
    RawServedWidget w;
    const std::uint32_t size = 64;
    w.write_raw(&size, 4);
    std::vector<std::uint8_t> half(30, 0xee);
    w.write_raw(half.data(), half.size());
    w.write_raw(half.data(), 34);  // the rest: still not an envelope
    CHECK(w.obj.remote->add(3, 3) == 6);
}

TEST_CASE("a request naming no exported member gets a BadRequest reply") {
    RawServedWidget w;
    CHECK(w.send_request(999, remoteobj::Proxy<Widget>::interface_hash, {}, 0) ==
          remoteobj::wire::Status::BadRequest);
    CHECK(w.obj.remote->add(1, 1) == 2);
}

TEST_CASE("a request whose argument table is not one gets a BadRequest reply") {
    RawServedWidget w;
    std::vector<std::uint8_t> garbage(40, 0xff);
    CHECK(w.send_request(add_id, remoteobj::Proxy<Widget>::interface_hash, garbage, 2) ==
          remoteobj::wire::Status::BadRequest);
    CHECK(w.send_request(add_id, remoteobj::Proxy<Widget>::interface_hash, {}, 2) ==
          remoteobj::wire::Status::BadRequest);
    CHECK(w.obj.remote->add(1, 1) == 2);
}

TEST_CASE("too many arguments for a method gets a BadRequest reply") {
    RawServedWidget w;
    CHECK(w.send_request(add_id, remoteobj::Proxy<Widget>::interface_hash, {}, 0) ==
          remoteobj::wire::Status::BadRequest);
}

TEST_CASE("a frame announcing 4 GiB ends the listener cleanly; callers get NotListening, never a hang") {
    RawServedWidget w;
    const std::uint32_t huge = 0xffffffffu;
    w.write_raw(&huge, 4);
    // The listener cannot resynchronise past such a frame: it stops and says so.
    CHECK_THROWS_AS(
        [&] {
            for (;;) w.obj.remote->add(1, 1);
        }(),
        remoteobj::NotListening);
    CHECK(!w.obj.remote.listening());
}

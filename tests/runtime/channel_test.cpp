// Frames over pipes: split reads, back-to-back frames, limits, end of file.
#include <doctest/doctest.h>

#include <poll.h>
#include <unistd.h>

#include <thread>

#include <cstring>
#include <vector>

#include <remoteobj/channel.hpp>
#include <remoteobj/error.hpp>

using remoteobj::detail::Bytes;
using remoteobj::detail::Fd;
using remoteobj::detail::FrameReader;
using remoteobj::detail::FrameWriter;

namespace {

std::vector<std::uint8_t> frame_of(std::size_t payload, std::uint8_t fill) {
    std::vector<std::uint8_t> frame(4 + payload, fill);
    const auto size = static_cast<std::uint32_t>(payload);
    std::memcpy(frame.data(), &size, 4);
    return frame;
}

}  // namespace

TEST_CASE("a frame written in pieces is delivered whole, once complete") {
    Fd read_end, write_end;
    remoteobj::detail::open_pipe(read_end, write_end);
    FrameReader reader(read_end.get(), 1024);
    auto frame = frame_of(16, 0xab);
    Bytes got;
    REQUIRE(::write(write_end.get(), frame.data(), 3) == 3);
    CHECK(reader.next(got) == FrameReader::Status::Empty);
    REQUIRE(::write(write_end.get(), frame.data() + 3, frame.size() - 3) == static_cast<ssize_t>(frame.size() - 3));
    REQUIRE(reader.next(got) == FrameReader::Status::Frame);
    CHECK(got.size() == frame.size());
    CHECK(std::memcmp(got.data(), frame.data(), frame.size()) == 0);
    CHECK(reader.next(got) == FrameReader::Status::Empty);
}

TEST_CASE("back-to-back frames of odd sizes come out separately and 8-byte aligned") {
    Fd read_end, write_end;
    remoteobj::detail::open_pipe(read_end, write_end);
    FrameReader reader(read_end.get(), 1024);
    FrameWriter writer(write_end.get());
    for (std::size_t size : {5u, 13u, 0u, 7u}) writer.write(frame_of(size, static_cast<std::uint8_t>(size)), -1);
    for (std::size_t size : {5u, 13u, 0u, 7u}) {
        Bytes got;
        REQUIRE(reader.next(got) == FrameReader::Status::Frame);
        CHECK(got.size() == 4 + size);
        CHECK(reinterpret_cast<std::uintptr_t>(got.data()) % 8 == 0);
        if (size) CHECK(got[4] == size);
    }
}

TEST_CASE("a frame announcing more than the limit is refused without reading it") {
    Fd read_end, write_end;
    remoteobj::detail::open_pipe(read_end, write_end);
    FrameReader reader(read_end.get(), 1024);
    const std::uint32_t huge = 0xffffffffu;
    REQUIRE(::write(write_end.get(), &huge, 4) == 4);
    Bytes got;
    CHECK_THROWS_AS(reader.next(got), remoteobj::ProtocolError);
}

TEST_CASE("a frame larger than the pipe's buffer is written and read whole") {
    Fd read_end, write_end;
    remoteobj::detail::open_pipe(read_end, write_end);
    FrameReader reader(read_end.get(), 8u << 20);
    auto frame = frame_of(1u << 20, 0x5a);
    std::thread writer([&] { FrameWriter(write_end.get()).write(frame, -1); });
    Bytes got;
    FrameReader::Status status;
    while ((status = reader.next(got)) == FrameReader::Status::Empty)
        remoteobj::detail::wait_fd(read_end.get(), POLLIN, -1, -1);
    writer.join();
    REQUIRE(status == FrameReader::Status::Frame);
    CHECK(got.size() == frame.size());
    CHECK(got[got.size() - 1] == 0x5a);
}

TEST_CASE("end of file is reported as Closed") {
    Fd read_end, write_end;
    remoteobj::detail::open_pipe(read_end, write_end);
    FrameReader reader(read_end.get(), 1024);
    write_end = Fd{};
    Bytes got;
    CHECK(reader.next(got) == FrameReader::Status::Closed);
}

// muduo's Buffer served by a forked child, called from the parent through its
// generated proxy: bytes appended through the StringPiece adapter, network-order
// integers, and readFd()'s in-out `int* savedErrno`.
#include <doctest/doctest.h>

#include <errno.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "corpus_support.hpp"
#include "muduo.hpp"
#include "muduo.remote.hpp"

using muduo::net::Buffer;

namespace {

corpus::Served<Buffer> served_buffer() {
    return corpus::Served<Buffer>(
        "muduo-buffer", [] { return std::make_unique<Buffer>(); },
        [](Buffer& b) { return static_cast<int>(b.readableBytes()); });
}

}  // namespace

TEST_CASE("muduo Buffer: bytes appended as StringPieces come back as strings") {
    auto served = served_buffer();
    auto buf = served.proxy();
    CHECK(buf.readableBytes() == 0);
    CHECK(buf.prependableBytes() == Buffer::kCheapPrepend);
    CHECK(buf.writableBytes() == Buffer::kInitialSize);

    buf.append(muduo::StringPiece("hello "));          // the adapter: a StringPiece crosses as its bytes
    const std::string world = "world";
    buf.append(muduo::StringPiece(world));
    CHECK(buf.readableBytes() == 11);
    CHECK(buf.retrieveAsString(6) == "hello ");
    CHECK(buf.readableBytes() == 5);
    CHECK(buf.retrieveAllAsString() == "world");
    CHECK(buf.readableBytes() == 0);

    buf.append(muduo::StringPiece(std::string(2000, 'x')));  // grows past kInitialSize in the child
    CHECK(buf.readableBytes() == 2000);
    CHECK(buf.internalCapacity() >= 2000 + Buffer::kCheapPrepend);
    buf.retrieve(1990);
    CHECK(served.join() == 10);
}

TEST_CASE("muduo Buffer: network-order integers written and read through the proxy") {
    auto served = served_buffer();
    auto buf = served.proxy();
    buf.appendInt32(0x01020304);
    buf.appendInt16(-2);
    buf.appendInt8(7);
    buf.appendInt64(-1234567890123LL);
    CHECK(buf.readableBytes() == 4 + 2 + 1 + 8);
    CHECK(buf.peekInt32() == 0x01020304);
    CHECK(buf.readInt32() == 0x01020304);
    CHECK(buf.readInt16() == -2);
    CHECK(buf.readInt8() == 7);
    CHECK(buf.readInt64() == -1234567890123LL);
    CHECK(buf.readableBytes() == 0);

    buf.append(muduo::StringPiece("body"));
    buf.prependInt32(4);                                    // a length prefix, in the cheap prepend space
    CHECK(buf.prependableBytes() == Buffer::kCheapPrepend - 4);
    CHECK(buf.readInt32() == 4);
    CHECK(buf.retrieveAllAsString() == "body");
    CHECK(served.join() == 0);
}

TEST_CASE("muduo Buffer: readFd's in-out savedErrno is written back, and what it read is in the buffer") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);  // before the fork: the child has the same descriptors
    auto served = served_buffer();
    auto buf = served.proxy();

    int savedErrno = 0;
    CHECK(buf.readFd(-1, &savedErrno) == -1);
    CHECK(savedErrno == EBADF);                              // written back into the caller's int

    REQUIRE(::write(fds[1], "ping\r\n", 6) == 6);
    savedErrno = 0;
    CHECK(buf.readFd(fds[0], &savedErrno) == 6);
    CHECK(savedErrno == 0);
    CHECK(buf.readableBytes() == 6);
    CHECK(buf.retrieveAsString(4) == "ping");
    CHECK(served.join() == 2);
    ::close(fds[0]);
    ::close(fds[1]);
}

// The Pump's own concurrency, without gRPC's threads (which ThreadSanitizer cannot
// see into: Debian's gRPC is not instrumented), so that this part of
// remoteobj::grpc runs under TSan too. A fake stream stands for the reactor: its
// "network" thread completes the Pump's writes and answers its reads, as gRPC's
// threads do, while this test's threads write and read the local socket and offer
// frames, as the caller's and the listener's threads do.
#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "pump.hpp"
#include "remoteobj/error.hpp"
#include "transport/acceptor.hpp"

namespace {

using namespace std::chrono_literals;
using remoteobj::grpc::detail::Pump;
using remoteobj::grpc::detail::Side;

// The byte at `i` of a test's stream, so that order and content are checked.
std::uint8_t pattern(std::size_t i) { return static_cast<std::uint8_t>((i * 7 + i / 251) & 0xff); }

class FakeStream final : public remoteobj::grpc::detail::StreamOps {
public:
    Pump* pump = nullptr;

    void start_read(grpc::ByteBuffer* into) override {
        std::lock_guard lock(mutex_);
        read_into_ = into;
        changed_.notify_all();
    }
    void start_write(const grpc::ByteBuffer* from) override {
        std::vector<grpc::Slice> slices;
        REQUIRE(from->Dump(&slices).ok());
        std::lock_guard lock(mutex_);
        for (const auto& slice : slices) sent.insert(sent.end(), slice.begin(), slice.end());
        ++writes_to_complete_;
        changed_.notify_all();
    }
    void end_writes() override {
        std::lock_guard lock(mutex_);
        writes_ended = true;
        changed_.notify_all();
    }
    void finished() override {
        std::lock_guard lock(mutex_);
        finished_ = true;
        changed_.notify_all();
    }

    /// Queues `bytes` as one incoming message; `end`: then the remote side finishes.
    void arrive(std::vector<std::uint8_t> bytes) {
        std::lock_guard lock(mutex_);
        incoming_.push_back(std::move(bytes));
        changed_.notify_all();
    }
    /// From now on, writes complete: until then the first one stays outstanding, and
    /// what is offered after it piles up in the Pump's queue.
    void release_writes() {
        std::lock_guard lock(mutex_);
        writes_released_ = true;
        changed_.notify_all();
    }
    void remote_finishes() {
        std::lock_guard lock(mutex_);
        remote_finished_ = true;
        changed_.notify_all();
    }
    bool wait_finished() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 60s, [&] { return finished_; });
    }
    bool wait_writes_ended() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 60s, [&] { return writes_ended; });
    }

    /// gRPC's threads: completes writes, answers reads, until the call is over.
    void network() {
        std::unique_lock lock(mutex_);
        for (;;) {
            changed_.wait(lock, [&] {
                return finished_ || (writes_released_ && writes_to_complete_ > 0) ||
                       (read_into_ && (!incoming_.empty() || remote_finished_));
            });
            if (writes_released_ && writes_to_complete_ > 0) {
                --writes_to_complete_;
                lock.unlock();
                pump->write_done(true);
                lock.lock();
                continue;
            }
            if (read_into_ && !incoming_.empty()) {
                grpc::Slice slice(incoming_.front().data(), incoming_.front().size());
                *read_into_ = grpc::ByteBuffer(&slice, 1);
                incoming_.pop_front();
                read_into_ = nullptr;
                lock.unlock();
                pump->read_done(true);
                lock.lock();
                continue;
            }
            if (read_into_ && remote_finished_) {
                read_into_ = nullptr;
                lock.unlock();
                pump->read_done(false);
                lock.lock();
                continue;
            }
            if (finished_) return;
        }
    }

    std::vector<std::uint8_t> sent;
    bool writes_ended = false;

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    grpc::ByteBuffer* read_into_ = nullptr;
    std::deque<std::vector<std::uint8_t>> incoming_;
    int writes_to_complete_ = 0;
    bool writes_released_ = false;
    bool remote_finished_ = false;
    bool finished_ = false;
};

}  // namespace

TEST_CASE("a Pump carries 12 MiB each way, holds a writer back at its bound until room comes, and ends when both sides have") {
    remoteobj::detail::Fd app_end, pump_end;
    remoteobj::detail::open_socket_pair(app_end, pump_end);
    FakeStream stream;
    Pump pump(std::move(pump_end), stream, Side::client);
    stream.pump = &pump;
    pump.start();
    std::thread network([&] { stream.network(); });

    constexpr std::size_t total = 12u << 20, frame = 100'000;
    // The remote side's messages, arriving while the writer offers.
    std::thread remote([&] {
        for (std::size_t at = 0; at < total; at += 64u << 10) {
            std::vector<std::uint8_t> bytes(std::min<std::size_t>(64u << 10, total - at));
            for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = pattern(at + i);
            stream.arrive(std::move(bytes));
        }
    });
    // The writer: whole frames, waiting for room as FrameWriter does. Its first
    // refusal (the queue at its bound) lets the writes complete.
    bool refused = false;
    std::thread writer([&] {
        std::vector<std::uint8_t> bytes(frame);
        for (std::size_t at = 0; at < total; at += frame) {
            bytes.resize(std::min(frame, total - at));
            for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = pattern(at + i);
            for (std::size_t done = 0; done < bytes.size();) {
                done += pump.offer(remoteobj::detail::Bytes(bytes).subspan(done));
                if (done == bytes.size()) break;
                refused = true;
                stream.release_writes();
                pollfd room{pump.room_fd(), POLLIN, 0};
                REQUIRE(::poll(&room, 1, 60'000) == 1);
                (void)remoteobj::detail::drain(pump.room_fd());
            }
        }
    });
    // This side's reader, through the socketpair.
    std::vector<std::uint8_t> received;
    std::vector<std::uint8_t> buffer(1u << 16);
    while (received.size() < total) {
        pollfd fd{app_end.get(), POLLIN, 0};
        REQUIRE(::poll(&fd, 1, 60'000) == 1);
        const ssize_t n = ::recv(app_end.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (n < 0 && errno == EAGAIN) continue;
        REQUIRE(n > 0);
        received.insert(received.end(), buffer.begin(), buffer.begin() + n);
    }
    remote.join();
    writer.join();
    CHECK(refused);  // the writer met the bound, and room came
    bool in_order = true;
    for (std::size_t i = 0; i < total; ++i) in_order = in_order && received[i] == pattern(i);
    CHECK(in_order);

    // This side closes: once everything offered has gone, the Pump half-closes.
    app_end = remoteobj::detail::Fd{};
    REQUIRE(stream.wait_writes_ended());
    stream.remote_finishes();
    REQUIRE(stream.wait_finished());
    network.join();
    pump.join();
    REQUIRE(stream.sent.size() == total);
    bool sent_in_order = true;
    for (std::size_t i = 0; i < total; ++i) sent_in_order = sent_in_order && stream.sent[i] == pattern(i);
    CHECK(sent_in_order);
    // After the end, a writer is told, never kept waiting.
    CHECK_THROWS_AS(pump.offer(remoteobj::detail::Bytes(buffer)), remoteobj::PeerLost);
}

// libFuzzer target: each input is the byte stream a listener reads from a caller's
// connection (the request pipe its session handed over), as a hostile or broken
// peer might write it. The bytes go through
// what a listener runs on them (FrameReader, verify_envelope, serve_request on a
// real generated object, the reply written back), in this process and thread,
// on a fresh FuzzObject per input, so that a finding reproduces from its input alone.
//
// Beyond what the sanitizers catch, it checks the listener's promise to callers:
// every reply it writes verifies as an envelope a caller can read.
//
// An input that starts with the byte 0xf5 feeds the ring reader of a shared-memory
// connection instead: the next 8 bytes are the writer's index as the region says
// it (forged at will), the rest are the ring's bytes.
//
// Run it with scripts/fuzz; the seeds come from make_seeds.cpp.
#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <remoteobj/detail/shared_ring.hpp>
#include <remoteobj/envelope.hpp>
#include <remoteobj/listener.hpp>

#include "fuzz_object.hpp"
#include "transport/unix_socket.hpp"

namespace {

// What a caller writes per step before the listener runs: small enough that the
// replies to one step's requests always fit in the reply pipe (see below), and
// a frame split over steps arrives in pieces, as from a real pipe.
constexpr std::size_t step_bytes = 1024;
// Pipe capacity for both directions (the unprivileged maximum, fs.pipe-max-size):
// listener and caller are one thread here, so neither may ever wait for room.
constexpr int pipe_bytes = 1 << 20;

// The seeds call r.passto<&weigh>(...): the function must be registered here too.
[[maybe_unused]] const std::uint64_t weigh_id = remoteobj::detail::Passto<&weigh>::id;

[[noreturn]] void harness_failure(const char* what) {
    std::fprintf(stderr, "listener_fuzzer: %s (errno %d)\n", what, errno);
    // Also where the sanitizers report: stderr itself is closed under -close_fd_mask=2.
    __sanitizer_report_error_summary(what);
    std::abort();
}

void write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            harness_failure("cannot write the input into the request pipe");
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

// Reads every reply written so far: each must be a Response or Closed envelope
// that verifies, or a caller would be left with a reply it cannot read. False once
// the listener closed the connection (it dropped it, or stopped).
bool check_replies(remoteobj::detail::FrameReader& replies) {
    remoteobj::detail::Bytes frame;
    for (;;) {
        const auto status = replies.next(frame);
        if (status == remoteobj::detail::FrameReader::Status::Empty) return true;
        if (status == remoteobj::detail::FrameReader::Status::Closed) return false;
        const auto* envelope = remoteobj::detail::verify_envelope(frame);
        if (!envelope || !(envelope->message_as_Response() || envelope->message_as_Closed()))
            harness_failure("the listener wrote a reply that does not verify as a Response or Closed envelope");
    }
}

// This process's connection to the foreground session `obj` listens at, made as a
// caller makes one: connected, greeted by process_requests(), its pipes taken from
// the greeting (the request pipe's write end, the reply pipe's read end, and the
// request pipe's read end, kept so that writing cannot raise SIGPIPE).
std::vector<remoteobj::detail::Fd> connect_to_session(FuzzObject& obj) {
    remoteobj::detail::Link& link = remoteobj::detail_link_of(obj.remote);
    const remoteobj::detail::Fd socket = remoteobj::detail::connect_unix(
        remoteobj::detail::parse_unix_address(link.session_address()));
    obj.remote.process_requests();
    std::vector<remoteobj::detail::Fd> fds;
    std::uint8_t hello[1024];
    if (remoteobj::detail::receive_with_descriptors(socket.get(), hello, fds, 3) <= 0 || fds.size() != 3)
        harness_failure("the session did not greet the connection with its pipes");
    return fds;
}

constexpr std::uint8_t ring_mode = 0xf5;

// The ring mode: what a listener does with a shared-memory connection's ring that
// holds anything, with a writer's index that says anything.
void fuzz_ring(const std::uint8_t* data, std::size_t size) {
    std::uint64_t written = 0;
    std::memcpy(&written, data, std::min(size, sizeof written));
    data += std::min(size, sizeof written);
    size -= std::min(size, sizeof written);
    remoteobj::detail::SharedRegion region(1, 4096);
    std::memcpy(region.data(0), data, std::min(size, region.capacity()));
    region.words(0).written.store(written);
    const remoteobj::detail::Fd wake = remoteobj::detail::open_eventfd();
    remoteobj::detail::RingReader ring(region, 0, wake.get());
    remoteobj::detail::FrameReader reader(-1, 1u << 16);
    reader.attach(&ring, wake.get(), -1, 0);
    FuzzObject obj;
    const remoteobj::detail::Target target{&obj, &remoteobj::detail::interface_of<FuzzObject>, &obj.remote.mutex()};
    flatbuffers::FlatBufferBuilder reply;
    try {
        remoteobj::detail::Bytes frame;
        while (reader.next(frame) == remoteobj::detail::FrameReader::Status::Frame) {
            const auto* envelope = remoteobj::detail::verify_envelope(frame);
            const auto* request = envelope ? envelope->message_as_Request() : nullptr;
            if (!request) continue;
            remoteobj::detail::serve_request(target, *request, 1, false, reply);
            if (request->oneway()) continue;
            const auto* answer = remoteobj::detail::verify_envelope(remoteobj::detail::bytes_of(reply));
            if (!answer || !answer->message_as_Response())
                harness_failure("a reply built for a ring's request does not verify as a Response envelope");
        }
    } catch (const remoteobj::ProtocolError&) {
        // A corrupted ring or an oversized frame: the listener ends that connection.
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 0 && data[0] == ring_mode) {
        fuzz_ring(data + 1, size - 1);
        return 0;
    }
    FuzzObject obj;
    {
        auto listening = obj.remote.listen(remoteobj::foreground);
        const std::vector<remoteobj::detail::Fd> pipes = connect_to_session(obj);
        const int requests = pipes[0].get();
        remoteobj::detail::FrameReader replies(pipes[1].get(), remoteobj::detail::default_max_frame,
                                               remoteobj::detail::FrameReader::Source::blocking_pipe);
        if (::fcntl(requests, F_SETPIPE_SZ, pipe_bytes) < 0 || ::fcntl(replies.fd(), F_SETPIPE_SZ, pipe_bytes) < 0)
            harness_failure("cannot enlarge the pipes (fs.pipe-max-size, or the per-user pipe limit)");
        // Fed step by step while the listener runs; once it has dropped the
        // connection (a frame over the size limit), nothing reads the pipe any more.
        bool open = true;
        for (std::size_t done = 0; done < size && open;) {
            const std::size_t n = std::min(step_bytes, size - done);
            write_all(requests, data + done, n);
            done += n;
            obj.remote.process_requests();
            open = check_replies(replies);
        }
        listening = {};  // stopping serves what is left and writes Closed
        if (open) (void)check_replies(replies);
    }
    return 0;
}

// Forking, joining, and reporting how a child ended; see process.hpp.
#include "remoteobj/process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cxxabi.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "remoteobj/envelope.hpp"
#include "remoteobj/link.hpp"
#include "remoteobj/error.hpp"

namespace remoteobj {
namespace {

std::atomic<int> process_counter{0};

// In the child: tells the parent what the function threw, as a Response envelope.
void report_failure(int fd, const RemoteInfo& info) {
    flatbuffers::FlatBufferBuilder fbb;
    auto failure = detail::write_failure(fbb, info);
    auto response = wire::CreateResponse(fbb, 0, wire::Status::Raised, 0, failure);
    fbb.FinishSizePrefixed(wire::CreateEnvelope(fbb, wire::Message::Response, response.Union()));
    try {
        detail::FrameWriter(fd).write(detail::bytes_of(fbb), -1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "remoteobj: could not report %s to the parent: %s\n", info.type.c_str(), e.what());
    }
}

[[noreturn]] void run_child(int results_fd, pid_t parent, const std::string& name, bool daemon, void (*body)(void*),
                            void* context) {
    detail::set_this_process_name(name);
    if (daemon) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The parent may have died between fork() and prctl(); then no signal comes.
        if (::getppid() != parent) ::_exit(128 + SIGKILL);
    }
    int status = 0;
    try {
        body(context);
    } catch (...) {
        report_failure(results_fd, detail::describe_current_exception());
        status = 1;
    }
    // _exit, not exit: the parent's atexit handlers and static destructors belong
    // to the parent. Flush our own output first, since _exit does not.
    std::fflush(nullptr);
    ::_exit(status);
}

}  // namespace

ProcessBase::ProcessBase(process_options options, void (*body)(void*), void* context)
    : name_(options.name.empty() ? fmt::format("process-{}", ++process_counter) : std::move(options.name)) {
    detail::Fd results_write;
    detail::open_pipe(results_, results_write);
    const pid_t parent = ::getpid();
    std::fflush(nullptr);  // or buffered output would be printed twice, once by each process
    pid_ = ::fork();
    if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid_ == 0) {
        results_ = detail::Fd{};
        run_child(results_write.get(), parent, name_, options.daemon, body, context);
    }
    pidfd_ = detail::open_pidfd(pid_);
}

ProcessBase::ProcessBase(ProcessBase&& other) noexcept
    : name_(std::move(other.name_)), pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_)),
      results_(std::move(other.results_)), joined_(std::exchange(other.joined_, true)),
      exit_code_(other.exit_code_), signal_(other.signal_), failure_(std::move(other.failure_)) {}

ProcessBase::~ProcessBase() {
    if (pid_ < 0 || joined_) return;
    try {
        join();
    } catch (const std::exception& e) {
        // Nobody joined, so nobody else will ever see this: report, never lose it.
        std::fprintf(stderr, "remoteobj: %s ended with an error nobody observed: %s\n", name_.c_str(), e.what());
    }
}

bool ProcessBase::alive() const {
    if (joined_) return false;
    return detail::wait_fd(pidfd_.get(), POLLIN, -1, 0) == detail::Ready::Timeout;
}

bool ProcessBase::read_results(detail::FrameReader& reader) {
    detail::Bytes frame;
    try {
        for (;;) {
            auto status = reader.next(frame);
            if (status == detail::FrameReader::Status::Empty) return false;
            if (status == detail::FrameReader::Status::Closed) return true;
            const wire::Envelope* envelope = detail::verify_envelope(frame);
            const wire::Response* response = envelope ? envelope->message_as_Response() : nullptr;
            if (response && response->failure()) failure_ = detail::read_failure(response->failure());
        }
    } catch (const ProtocolError& e) {
        RemoteInfo info;
        info.type = "remoteobj::ProtocolError";
        info.message = fmt::format("{} sent an unreadable report: {}", name_, e.what());
        failure_ = info;
        return true;
    }
}

bool ProcessBase::join_for(std::chrono::milliseconds timeout) {
    if (joined_) return true;
    if (detail::wait_fd(pidfd_.get(), POLLIN, -1, static_cast<int>(timeout.count())) == detail::Ready::Timeout)
        return false;
    join();
    return true;
}

void ProcessBase::join() {
    if (joined_) return;
    // The child's report can be larger than the pipe holds, so it is read while
    // waiting, not after: a child blocked writing it would never exit.
    detail::FrameReader reader(results_.get(), detail::default_max_frame);
    while (!read_results(reader)) {
        if (detail::wait_fd(results_.get(), POLLIN, pidfd_.get(), -1) == detail::Ready::Other) {
            read_results(reader);  // what it wrote just before it exited
            break;
        }
    }
    siginfo_t info{};
    while (::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, WEXITED) != 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitid");
    }
    joined_ = true;
    if (info.si_code == CLD_EXITED) {
        exit_code_ = info.si_status;
    } else {
        signal_ = info.si_status;
    }
    if (failure_) std::rethrow_exception(detail::make_exception(*failure_));
    if (signal_)
        throw ProcessDied(fmt::format("{} (pid {}) was killed by signal {} ({})", name_, pid_, signal_,
                                      ::strsignal(signal_)));
    if (*exit_code_ != 0)
        throw ProcessDied(fmt::format("{} (pid {}) exited with status {}", name_, pid_, *exit_code_));
}

void ProcessBase::terminate() const {
    if (!joined_) ::kill(pid_, SIGTERM);
}

void ProcessBase::kill() const {
    if (!joined_) ::kill(pid_, SIGKILL);
}

}  // namespace remoteobj

// Forking, joining, and carrying results back; see process.hpp.
#include "remoteobj/process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <system_error>

#include <fmt/format.h>

#include "remoteobj/detail/stack_trace.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/except.hpp"

#if defined(__SANITIZE_THREAD__)
#define REMOTEOBJ_PROCESS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define REMOTEOBJ_PROCESS_TSAN 1
#endif
#endif
#ifdef REMOTEOBJ_PROCESS_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace {

void tsan_forget_lock([[maybe_unused]] void* mutex) noexcept {
#ifdef REMOTEOBJ_PROCESS_TSAN
    __tsan_mutex_pre_unlock(mutex, 0);
    __tsan_mutex_post_unlock(mutex, 0);
#endif
}

}  // namespace

namespace remoteobj {
namespace detail {

std::mutex names_mutex;

namespace {

std::map<std::string, int> name_counters;

using Clock = std::chrono::steady_clock;

// The deadline `timeout` from now. Durations saturate, never wrap: none (no limit)
// when the deadline lies beyond what the clock can hold (milliseconds::max() is
// "as long as it takes"), and now for a negative timeout (no wait, as for zero).
std::optional<Clock::time_point> deadline_after(std::chrono::milliseconds timeout) {
    const Clock::time_point now = Clock::now();
    if (timeout <= std::chrono::milliseconds::zero()) return now;
    if (timeout >= std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now))
        return std::nullopt;
    return now + timeout;
}

// poll()'s timeout for a wait until `deadline`: -1 for none; else what is left, in
// milliseconds rounded up (rounded down it would wake early, again and again), and
// at most INT_MAX: poll() takes an int, and the caller waits again after it.
int poll_timeout(const std::optional<Clock::time_point>& deadline) {
    if (!deadline) return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<decltype(left)>(left, 0, INT_MAX));
}

std::string numbered(const std::string& base) {
    std::lock_guard lock(names_mutex);
    return fmt::format("{}-{}", base, ++name_counters[base]);
}

void send(int fd, flatbuffers::FlatBufferBuilder& fbb) {
    try {
        FrameWriter(fd).write(bytes_of(fbb), -1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "remoteobj: %s could not report to its parent: %s\n", this_process_name().c_str(),
                     e.what());
    }
}

flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> nested(flatbuffers::FlatBufferBuilder& fbb, Bytes value) {
    if (value.empty()) return 0;
    fbb.ForceVectorAlignment(value.size(), 1, 8);
    return fbb.CreateVector(value.data(), value.size());
}

// In the child: tells the parent what the function threw.
void report_failure(int fd, const RemoteInfo& info) {
    flatbuffers::FlatBufferBuilder fbb;
    auto failure = write_failure(fbb, info);
    auto response = wire::CreateResponse(fbb, 0, wire::Status::Raised, 0, failure);
    fbb.FinishSizePrefixed(wire::CreateEnvelope(fbb, wire::Message::Response, response.Union()));
    send(fd, fbb);
}

[[noreturn]] void run_child(int results_fd, pid_t parent, const std::string& name, bool daemon,
                            void (*body)(void*, int), void* context) {
    set_this_process_name(name);
    if (daemon) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The parent may have died between fork() and prctl(); then no signal comes.
        if (::getppid() != parent) ::_exit(128 + SIGKILL);
    }
    int status = 0;
    try {
        body(context, results_fd);
    } catch (...) {
        report_failure(results_fd, describe_current_exception());
        status = 1;
    }
    // _exit, not exit: the parent's atexit handlers and static destructors belong
    // to the parent. Flush our own output first, since _exit does not.
    std::fflush(nullptr);
    ::_exit(status);
}

}  // namespace

void send_yielded(int fd, Bytes value) {
    flatbuffers::FlatBufferBuilder fbb(value.size() + 64);
    auto yielded = wire::CreateYielded(fbb, nested(fbb, value));
    fbb.FinishSizePrefixed(wire::CreateEnvelope(fbb, wire::Message::Yielded, yielded.Union()));
    send(fd, fbb);
}

void send_returned(int fd, Bytes value) {
    flatbuffers::FlatBufferBuilder fbb(value.size() + 64);
    auto response = wire::CreateResponse(fbb, 0, wire::Status::Ok, nested(fbb, value));
    fbb.FinishSizePrefixed(wire::CreateEnvelope(fbb, wire::Message::Response, response.Union()));
    send(fd, fbb);
}

std::string function_name(const void* address) {
    std::string name = symbol_at(address);
    if (name.empty()) return "";
    // "(anonymous namespace)::work(int, int) [clone .cold]" -> "work": drop what
    // follows the parameter list, the list itself, then the scopes.
    if (auto clone = name.find(" [clone"); clone != std::string::npos) name.resize(clone);
    if (!name.empty() && name.back() == ')') {
        int depth = 0;
        for (std::size_t i = name.size(); i-- > 0;) {
            if (name[i] == ')') ++depth;
            if (name[i] == '(' && --depth == 0) {
                name.resize(i);
                break;
            }
        }
    }
    if (auto colons = name.rfind("::"); colons != std::string::npos) name.erase(0, colons + 2);
    return name;
}

}  // namespace detail

ProcessBase::ProcessBase(process_options options, std::string default_name, Body body, void* context)
    : name_(!options.name.empty() ? std::move(options.name)
                                  : detail::numbered(default_name.empty() ? "process" : default_name)),
      max_result_size_(options.max_result_size) {
    detail::Fd results_write;
    detail::open_pipe(results_, results_write);
    const pid_t parent = ::getpid();
    std::fflush(nullptr);  // or buffered output would be printed twice, once by each process
    {
        // The library's own locks are held across fork(), so that no other thread
        // is inside them at that moment; the child then starts them afresh, since
        // their state still counts waiters that do not exist there. The Excepts'
        // lock comes first: a wait that holds it pulls records, which takes the
        // registry's.
        std::unique_lock excepts(detail::excepts_mutex());
        std::unique_lock names(detail::names_mutex);
        std::unique_lock registry(detail::exception_registry_mutex());
        pid_ = ::fork();
        if (pid_ == 0) {
            excepts.release();
            names.release();
            registry.release();
            // ThreadSanitizer does not see a statically initialised mutex made anew
            // (no init call): it is told the fork's locks were let go first.
            tsan_forget_lock(&detail::excepts_mutex());
            tsan_forget_lock(&detail::names_mutex);
            tsan_forget_lock(&detail::exception_registry_mutex());
            new (&detail::excepts_mutex()) std::mutex;
            new (&detail::names_mutex) std::mutex;
            new (&detail::exception_registry_mutex()) std::shared_mutex;
        }
    }
    if (pid_ < 0) throw SystemError(errno, "fork");
    if (pid_ == 0) {
        results_ = detail::Fd{};
        detail::run_child(results_write.get(), parent, name_, options.daemon, body, context);
    }
    try {
        pidfd_ = detail::open_pidfd(pid_);
        reader_ = std::make_unique<detail::FrameReader>(results_.get(), max_result_size_);
    } catch (...) {
        // Without its pidfd nobody could wait for the child or reap it: it would run
        // unwatched and end a zombie. It has only just started; stop it here.
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        throw;
    }
}

ProcessBase::ProcessBase(ProcessBase&& other) noexcept
    : name_(std::move(other.name_)), pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_)),
      results_(std::move(other.results_)), reader_(std::move(other.reader_)), returned_(std::move(other.returned_)),
      yielded_(std::move(other.yielded_)), max_result_size_(other.max_result_size_),
      stream_ended_(other.stream_ended_), refused_(other.refused_), exited_(other.exited_),
      reaped_(std::exchange(other.reaped_, true)), outcome_observed_(other.outcome_observed_),
      exit_code_(other.exit_code_), signal_(other.signal_), failure_(std::move(other.failure_)) {}

ProcessBase::~ProcessBase() {
    if (pid_ < 0) return;
    if (outcome_observed_) {
        try {
            if (!reaped_) reap();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "remoteobj: could not reap %s: %s\n", name_.c_str(), e.what());
        }
        return;
    }
    try {
        if (!reaped_) reap();
        throw_if_failed();  // what the child threw is reported even after a kill()
        if (signal_sent_ && signal_ == signal_sent_) return;  // the death the owner asked for
        settle();
    } catch (const std::exception& e) {
        // Nobody looked, so nobody else will ever see this: report it, never lose it.
        std::fprintf(stderr, "remoteobj: %s ended with an error nobody observed: %s\n", name_.c_str(), e.what());
    }
}

bool ProcessBase::alive() const {
    if (reaped_) return false;
    return detail::wait_fd(pidfd_.get(), POLLIN, -1, 0) == detail::Ready::Timeout;
}

void ProcessBase::read_reports() {
    if (refused_) {
        // The stream cannot be resynchronised after a refused frame; what follows
        // is dropped, or the child would block on a full pipe and never exit.
        char scratch[64 * 1024];
        for (;;) {
            ssize_t n = ::read(results_.get(), scratch, sizeof scratch);
            if (n > 0 || (n < 0 && errno == EINTR)) continue;
            if (n == 0) refused_ = false;  // the end: nothing more to drop
            return;                        // EAGAIN: dropped what there was
        }
    }
    if (stream_ended_) return;
    detail::Bytes frame;
    for (;;) {
        detail::FrameReader::Status status;
        try {
            status = reader_->next(frame);
        } catch (const ProtocolError& e) {
            // FrameReader's only refusal: a frame over the limit.
            RemoteInfo info;
            info.type = "remoteobj::ProtocolError";
            info.message = fmt::format("{} sent a report larger than process_options::max_result_size allows: {}",
                                       name_, e.what());
            failure_ = info;
            stream_ended_ = true;
            refused_ = true;
            read_reports();
            return;
        }
        if (status == detail::FrameReader::Status::Frame) {
            take(frame);
            continue;
        }
        if (status == detail::FrameReader::Status::Closed) stream_ended_ = true;
        return;
    }
}

void ProcessBase::wait_once(int timeout_ms) {
    // A negative descriptor is one poll() skips: the pipe is not watched once the
    // stream ended (at its end it would be readable forever), unless it is still
    // being dropped.
    const bool reading = !stream_ended_ || refused_;
    std::vector<pollfd> fds{{reading ? results_.get() : -1, POLLIN, 0}, {pidfd_.get(), POLLIN, 0}};
    // The child may be blocked recording into a full Except pipe, and would never
    // exit: what it records is read here too (see Except).
    for (int fd : detail::except_fds()) fds.push_back({fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0) {
        if (errno == EINTR) return;  // the caller waits again, with what is left of its time
        throw SystemError(errno, "poll");
    }
    if (std::any_of(fds.begin() + 2, fds.end(), [](const pollfd& p) { return p.revents != 0; }))
        detail::pull_excepts();
    if (fds[0].revents != 0) read_reports();
    if (fds[1].revents != 0) {
        // Exited. Whatever it wrote is in the pipe now; read it, then stop (a
        // grandchild holding the pipe open must not keep us waiting).
        read_reports();
        stream_ended_ = true;
        refused_ = false;
        exited_ = true;
    }
}

bool ProcessBase::wait_exit(Deadline deadline) {
    while (!exited_) {
        wait_once(detail::poll_timeout(deadline));
        if (!exited_ && deadline && detail::Clock::now() >= *deadline) return false;
    }
    return true;
}

void ProcessBase::take(detail::Bytes frame) {
    const wire::Envelope* envelope = detail::verify_envelope(frame);
    if (!envelope) return;  // garbage, but framed: skipped
    if (const wire::Yielded* yielded = envelope->message_as_Yielded()) {
        detail::Bytes value = detail::bytes_of(yielded->value());
        yielded_.emplace_back(value.begin(), value.end());
    } else if (const wire::Response* response = envelope->message_as_Response()) {
        if (response->status() == wire::Status::Ok) {
            detail::Bytes value = detail::bytes_of(response->value());
            returned_.emplace(value.begin(), value.end());
        } else {
            failure_ = detail::read_failure(response->failure());
        }
    }
}

const std::vector<std::uint8_t>* ProcessBase::returned() {
    if (!returned_) read_reports();
    return returned_ ? &*returned_ : nullptr;
}

bool ProcessBase::next_yielded(std::vector<std::uint8_t>& value) {
    while (yielded_.empty() && !returned_ && !failure_ && !stream_ended_) wait_once(-1);
    if (!yielded_.empty()) {
        value = std::move(yielded_.front());
        yielded_.pop_front();
        return true;
    }
    if (failure_) {
        outcome_observed_ = true;
        throw_if_failed();
    }
    if (returned_) return false;
    // The stream ended without the generator finishing: the child died.
    wait_and_check();  // throws ProcessDied for a signal or a failure status
    throw ProcessDied(name_ + " exited before its generator finished");
}

void ProcessBase::throw_if_failed() {
    if (failure_) std::rethrow_exception(detail::make_exception(*failure_));
}

bool ProcessBase::join_for(std::chrono::milliseconds timeout) {
    if (reaped_) return true;
    if (!wait_exit(detail::deadline_after(timeout))) return false;
    wait_and_check();
    return true;
}

void ProcessBase::wait_and_check() {
    outcome_observed_ = true;
    settle();
}

void ProcessBase::reap() {
    // Reports can be larger than the pipe holds, so they are read while waiting:
    // a child blocked writing one would never exit.
    wait_exit(std::nullopt);
    siginfo_t info{};
    while (::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, WEXITED) != 0) {
        if (errno != EINTR) throw SystemError(errno, "waitid");
    }
    reaped_ = true;
    if (info.si_code == CLD_EXITED)
        exit_code_ = info.si_status;
    else
        signal_ = info.si_status;
}

void ProcessBase::settle() {
    if (!reaped_) reap();
    throw_if_failed();
    if (signal_)
        throw ProcessDied(fmt::format("{} (pid {}) was killed by signal {} ({})", name_, pid_, signal_,
                                      ::strsignal(signal_)));
    if (exit_code_ && *exit_code_ != 0)
        throw ProcessDied(fmt::format("{} (pid {}) exited with status {}", name_, pid_, *exit_code_));
}

void ProcessBase::terminate() const {
    if (reaped_) return;
    signal_sent_ = SIGTERM;
    ::kill(pid_, SIGTERM);
}

void ProcessBase::kill() const {
    if (reaped_) return;
    signal_sent_ = SIGKILL;
    ::kill(pid_, SIGKILL);
}

}  // namespace remoteobj

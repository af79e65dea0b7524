// A Channel<T> whose object is served by another executable: the child of fork()
// exec()s exec_worker_new or exec_worker_old, which adopts the channel. Built from
// new/versioned.hpp, so against exec_worker_old this is a proxy from a changed
// header talking to a listener built from the old one, across two real builds.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include <remoteobj/remoteobj.hpp>

#include "../mismatch_of.hpp"
#include "versioned.hpp"

namespace {

namespace detail = remoteobj::detail;

std::size_t open_descriptors() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
    return count;
}

/// The interface hash a worker executable was built with, as it prints it.
std::string hash_of_worker(const char* path) {
    FILE* out = ::popen(fmt::format("'{}' --hash", path).c_str(), "r");
    REQUIRE(out != nullptr);
    char line[64] = {};
    const bool got = std::fgets(line, sizeof line, out) != nullptr;
    REQUIRE(::pclose(out) == 0);
    REQUIRE(got);
    std::string hash(line);
    if (!hash.empty() && hash.back() == '\n') hash.pop_back();
    return hash;
}

/// A pipe whose read end becomes a worker's stdin: closing the write end tells it to exit.
struct StopPipe {
    int fds[2] = {-1, -1};
    StopPipe() { REQUIRE(::pipe2(fds, O_CLOEXEC) == 0); }
    ~StopPipe() { close_end(0), close_end(1); }
    StopPipe(const StopPipe&) = delete;
    StopPipe& operator=(const StopPipe&) = delete;
    void close_end(int i) {
        if (fds[i] >= 0) ::close(std::exchange(fds[i], -1));
    }
};

/// A child that exec()s `path` with the channel's handle (or `handle` instead, if
/// given), its stdin the stop pipe.
struct Worker {
    remoteobj::Channel<Versioned> channel;
    StopPipe stop;
    remoteobj::Process<void> child;

    explicit Worker(const char* path, std::string handle = {})
        : child(remoteobj::process(remoteobj::process_options{.name = "exec-worker"}, [this, path, handle] {
              std::string kept = channel.keep_across_exec();
              if (::dup2(stop.fds[0], STDIN_FILENO) < 0)
                  throw std::system_error(errno, std::generic_category(), "dup2");
              ::execl(path, path, handle.empty() ? kept.c_str() : handle.c_str(), nullptr);
              throw std::system_error(errno, std::generic_category(), fmt::format("exec {}", path));
          })) {
        stop.close_end(0);
    }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;
    ~Worker() { stop.close_end(1); }  // runs before `child` is destroyed, which joins it

    /// Ends the worker and checks it exited cleanly and was reaped.
    void end_and_join() {
        stop.close_end(1);
        child.join();
        CHECK(child.exit_code() == 0);
        const int waited = ::waitpid(child.pid(), nullptr, WNOHANG);
        const int error = errno;
        CHECK(waited == -1);  // no zombie left: nothing to wait for
        CHECK(error == ECHILD);
    }
};

/// what() of the remoteobj::Error adopting `handle` throws.
std::string adopt_error(const std::string& handle) {
    try {
        auto adopted = remoteobj::Channel<Versioned>::adopt(handle);
    } catch (const remoteobj::Error& e) {
        return e.what();
    }
    FAIL("adopted ", handle);
    return "";
}

bool open_with_cloexec(int fd) { return ::fcntl(fd, F_GETFD) == FD_CLOEXEC; }

}  // namespace

TEST_CASE("a proxy calls an object served by an exec'd worker built from the same header") {
    const std::size_t before = open_descriptors();
    {
        Worker worker(REMOTEOBJ_EXEC_WORKER_NEW);
        worker.channel.wait_until_listening(worker.child);
        CHECK(worker.channel.describe() == fmt::format("<Channel Versioned: listening in pid {}>", worker.child.pid()));

        remoteobj::Proxy<Versioned> versioned(worker.channel);
        CHECK(versioned.add(5) == 5);
        CHECK(versioned.add(7) == 12);
        CHECK(versioned.total.get() == 12);
        versioned.label = "the worker";
        CHECK(versioned.greet("the parent") == "hello the parent from the worker");
        CHECK(*versioned.label == "the worker");

        worker.end_and_join();
        CHECK_FALSE(worker.channel.listening());
    }
    CHECK(open_descriptors() == before);
}

TEST_CASE("a proxy from a changed header meets an old worker: the changed and the new method are refused by name, the rest works") {
    // A class is named by its qualified name on the wire: both builds agree on it.
    const std::string ours = fmt::format("{:016x}", detail::interface_of<Versioned>().hash);
    REQUIRE(hash_of_worker(REMOTEOBJ_EXEC_WORKER_OLD) == ours);
    REQUIRE(hash_of_worker(REMOTEOBJ_EXEC_WORKER_NEW) == ours);

    const std::size_t before = open_descriptors();
    {
        Worker worker(REMOTEOBJ_EXEC_WORKER_OLD);
        worker.channel.wait_until_listening(worker.child);
        remoteobj::Proxy<Versioned> versioned(worker.channel);

        // add() takes and returns a wider integer here: another member for the old worker.
        const std::string message = mismatch_of([&] { versioned.add(1); });
        INFO(message);
        CHECK(message.find("Versioned::add(int64) -> int64") != std::string::npos);
        // Refused before sending, with the signature the old worker announced.
        CHECK(message.find("has Versioned::add(int32) -> int32 instead") != std::string::npos);
        CHECK(message.find("nothing was sent") != std::string::npos);
        CHECK(mismatch_of([&] { versioned.greet("anyone"); }).find("Versioned::greet(string) -> string") !=
              std::string::npos);

        // The fields both builds have keep working; the link stays in step.
        CHECK(versioned.total.get() == 0);
        versioned.label = "old";
        CHECK(*versioned.label == "old");
        CHECK(worker.channel.listening());

        worker.end_and_join();
    }
    CHECK(open_descriptors() == before);
}

TEST_CASE("a worker given a bad handle exits before it listens: wait_until_listening throws ProcessDied") {
    const std::size_t before = open_descriptors();
    {
        Worker worker(REMOTEOBJ_EXEC_WORKER_NEW, "remoteobj-link:garbage");
        CHECK_THROWS_AS(worker.channel.wait_until_listening(worker.child), remoteobj::ProcessDied);
        CHECK_THROWS_AS(worker.child.join(), remoteobj::ProcessDied);  // it exited with status 1
        CHECK(worker.child.exit_code() == 1);
    }
    CHECK(open_descriptors() == before);
}

TEST_CASE("an exec'd worker stops listening and exits when the process that made the channel dies") {
    // Its stdin stays open (this process holds the write end), and it is no daemon:
    // only the listener noticing its creator's death can end it.
    StopPipe stdin_pipe;
    StopPipe report;
    auto creator = remoteobj::process(remoteobj::process_options{.name = "creator"}, [&] {
        remoteobj::Channel<Versioned> channel;
        remoteobj::Process<void> worker(remoteobj::process_options{.name = "orphan", .daemon = false}, [&] {
            std::string handle = channel.keep_across_exec();
            if (::dup2(stdin_pipe.fds[0], STDIN_FILENO) < 0)
                throw std::system_error(errno, std::generic_category(), "dup2");
            ::execl(REMOTEOBJ_EXEC_WORKER_NEW, REMOTEOBJ_EXEC_WORKER_NEW, handle.c_str(), nullptr);
            throw std::system_error(errno, std::generic_category(), "exec");
        });
        channel.wait_until_listening(worker);
        const int pid = worker.pid();
        if (::write(report.fds[1], &pid, sizeof pid) != sizeof pid) ::_exit(2);
        ::_exit(0);  // dies without stopping or joining the worker
    });
    report.close_end(1);  // so that a creator dying early ends the read below
    int worker_pid = 0;
    REQUIRE(::read(report.fds[0], &worker_pid, sizeof worker_pid) == sizeof worker_pid);
    creator.join();

    // The worker is no child of ours: watch it through a pidfd, for a bounded time.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, worker_pid, 0));
    if (pidfd < 0) {
        CHECK(errno == ESRCH);  // already gone and reaped
        return;
    }
    pollfd exited{pidfd, POLLIN, 0};
    int ready;
    do ready = ::poll(&exited, 1, 10'000);
    while (ready < 0 && errno == EINTR);
    ::close(pidfd);
    CHECK(ready == 1);
    if (ready != 1) ::kill(worker_pid, SIGKILL);  // not left behind by a failing test
}

TEST_CASE("adopt refuses a malformed handle, saying what is wrong") {
    CHECK(adopt_error("garbage").find("'garbage' is not a link handle (no prefix)") != std::string::npos);
    CHECK(adopt_error("remoteobj-link:3,4,5").find("fewer than six numbers") != std::string::npos);
    CHECK(adopt_error("remoteobj-link:3,4,5,6,7,8x").find("something follows the sixth number") !=
          std::string::npos);
    CHECK(adopt_error("remoteobj-link:3,-4,5,6,7,8").find("number 2 is not a descriptor") != std::string::npos);
    CHECK(adopt_error("remoteobj-link:").find("number 1 is not a descriptor") != std::string::npos);
}

TEST_CASE("adopt refuses descriptors that are not a link's, names the first wrong one, and leaves them all open") {
    detail::Link link;
    const detail::LinkFds fds = link.fds();
    auto adopting = [&](auto change) {
        detail::LinkFds wrong = fds;
        change(wrong);
        return adopt_error(detail::format_link_handle(wrong));
    };

    const int closed = ::dup(fds.changed);
    ::close(closed);
    CHECK(adopting([&](auto& f) { f.changed = closed; })
              .find(fmt::format("descriptor {} (the change eventfd) is not open in this process", closed)) !=
          std::string::npos);
    CHECK(adopting([](auto& f) { std::swap(f.request_read, f.request_write); })
              .find(fmt::format("descriptor {} (the request pipe's read end) is not a pipe's read end",
                                fds.request_write)) != std::string::npos);
    CHECK(adopting([](auto& f) { f.reply_write = f.request_write; })
              .find("(the reply pipe's write end) is also given as the request pipe's write end") != std::string::npos);
    CHECK(adopting([](auto& f) { std::swap(f.request_write, f.reply_write); })
              .find(fmt::format("descriptor {} (the request pipe's write end) is not the other end of descriptor {}",
                                fds.reply_write, fds.request_read)) != std::string::npos);
    CHECK(adopting([](auto& f) { std::swap(f.changed, f.flags); }).find("(the change eventfd) is not an eventfd") !=
          std::string::npos);

    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    CHECK(adopting([&](auto& f) { f.flags = null; }).find("(the shared flags memfd) is not a memfd") !=
          std::string::npos);
    const int empty = ::memfd_create("empty", MFD_CLOEXEC);
    CHECK(adopting([&](auto& f) { f.flags = empty; }).find("holds 0 bytes") != std::string::npos);
    REQUIRE(::ftruncate(empty, sizeof(detail::SharedFlags)) == 0);
    CHECK(adopting([&](auto& f) { f.flags = empty; }).find("does not hold this version's shared flags") !=
          std::string::npos);
    int blocking[2];
    REQUIRE(::pipe2(blocking, O_CLOEXEC) == 0);
    CHECK(adopting([&](auto& f) {
              f.request_read = blocking[0];
              f.request_write = blocking[1];
          }).find("is blocking") != std::string::npos);

    // Nothing was closed or changed: the link's descriptors and ours are as they were.
    for (int fd : {fds.request_read, fds.request_write, fds.reply_read, fds.reply_write, fds.changed, fds.flags, null,
                   empty, blocking[0], blocking[1]})
        CHECK(open_with_cloexec(fd));
    for (int fd : {null, empty, blocking[0], blocking[1]}) ::close(fd);
}

TEST_CASE("an adopted link shares the creator's flags page and keeps its creator_pid") {
    detail::Link link;
    const detail::LinkFds fds = link.fds();
    // Copies of the descriptors, as a child would inherit them, without CLOEXEC.
    detail::LinkFds copies;
    int* to[] = {&copies.request_read, &copies.request_write, &copies.reply_read,
                 &copies.reply_write,  &copies.changed,       &copies.flags};
    const int from[] = {fds.request_read, fds.request_write, fds.reply_read, fds.reply_write, fds.changed, fds.flags};
    for (int i = 0; i < 6; ++i) REQUIRE((*to[i] = ::dup(from[i])) >= 0);

    detail::Link adopted(detail::parse_link_handle(detail::format_link_handle(copies)));
    CHECK(adopted.flags().creator_pid.load() == ::getpid());
    link.flags().max_message.store(0x1234);
    CHECK(adopted.flags().max_message.load() == 0x1234);
    for (int i = 0; i < 6; ++i) CHECK(open_with_cloexec(*to[i]));  // set again by the adoption

    // The change eventfd is one: rung through one link, read through the other.
    link.notify_changed();
    std::uint64_t rang = 0;
    CHECK(::read(adopted.changed_fd(), &rang, sizeof rang) == sizeof rang);
    CHECK(rang == 1);
}

TEST_CASE("keep_across_exec refuses in the process that made the channel") {
    remoteobj::Channel<Versioned> channel;
    CHECK_THROWS_WITH_AS(channel.keep_across_exec(), doctest::Contains("belongs in the child of fork()"),
                         remoteobj::Error);
}

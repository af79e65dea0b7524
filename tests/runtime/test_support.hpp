// What the runtime tests share: a served Widget, and a one-byte signal between processes.
#pragma once

#include <doctest/doctest.h>

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <remoteobj/serve.hpp>

#include "../process_sync.hpp"
#include "../temp_dir.hpp"
#include "../unix_address.hpp"
#include "widget.hpp"

// Sanitizer builds, where a few tests cannot run as written: the sanitizers'
// runtimes need descriptors of their own (UBSan's type checks fail at the
// descriptor limit), keep freed memory aside (RSS), and neither runtime is
// fork-safe while another thread allocates: ASan's allocator, and GCC 12's
// ThreadSanitizer (which locks its allocator and stack depot around fork() only
// from LLVM 19, and stops checking a child forked from several threads).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define REMOTEOBJ_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define REMOTEOBJ_TEST_SANITIZED 1
#endif
#endif
#ifndef REMOTEOBJ_TEST_SANITIZED
#define REMOTEOBJ_TEST_SANITIZED 0
#endif

/// How many entries a directory has (of /proc/self/fd: descriptors open; of
/// /proc/self/task: threads).
inline int entries_in(const char* path) {
    int count = 0;
    if (DIR* dir = ::opendir(path)) {
        while (dirent* entry = ::readdir(dir)) count += entry->d_name[0] != '.';
        ::closedir(dir);
    }
    return count;
}

/// A Widget served by a child process (remoteobj::serve) for the length of a test.
struct ServedWidget {
    Widget obj;
    remoteobj::Served child = remoteobj::serve(obj, remoteobj::process_options{.name = "widget"});
};


/// Whether process `pid` (any process, not only a child) has exited, or exits
/// within `timeout`: a bound for a test to fail at instead of hanging.
inline bool exits_within(int pid, std::chrono::milliseconds timeout) {
    remoteobj::detail::Fd pidfd = remoteobj::detail::open_pidfd(pid);
    if (!pidfd) return true;
    return remoteobj::detail::wait_fd(pidfd.get(), POLLIN, -1, static_cast<int>(timeout.count())) ==
           remoteobj::detail::Ready::Fd;
}

/// A child named `name` running `fn`, which SIGALRM ends after `seconds`: a wait
/// that would hang there makes join() throw ProcessDied naming signal 14, instead
/// of hanging the suite.
template <class Fn>
auto bounded(const char* name, unsigned seconds, Fn fn) {
    return remoteobj::process(remoteobj::process_options{.name = name}, [seconds, fn] {
        ::signal(SIGALRM, SIG_DFL);
        ::alarm(seconds);
        return fn();
    });
}

/// bounded(), joined: `fn`'s value.
template <class Fn>
auto watched(unsigned seconds, Fn fn) {
    return bounded("watched", seconds, std::move(fn)).join();
}


/// Whether `call` threw what a call on a connection whose listener stopped throws:
/// NotListening (sent before the connection read the listener's Closed: stopped
/// before serving it) or PeerLost (after).
template <class Call>
bool refused_as_stopped(Call call) {
    try {
        call();
    } catch (const remoteobj::PeerLost&) {
        return true;
    } catch (const remoteobj::NotListening&) {
        return true;
    }
    return false;
}

/// Reads one int another process wrote to `fd` (a pid, a count).
inline int read_int(int fd) {
    int value = 0;
    ssize_t got;
    do got = ::read(fd, &value, sizeof value);
    while (got < 0 && errno == EINTR);
    REQUIRE(got == static_cast<ssize_t>(sizeof value));
    return value;
}

/// The descriptors the listening session of `link` hands a new connection with its
/// greeting (SCM_RIGHTS), as a process of the link receives them: for bytes no
/// proxy sends. Exactly `count` of them (3 for pipes, 5 for rings).
inline std::vector<remoteobj::detail::Fd> raw_session_descriptors(remoteobj::detail::Link& link, std::size_t count) {
    const std::string address = link.session_address();
    REQUIRE(address.starts_with("unix:@"));
    remoteobj::detail::Fd socket{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    REQUIRE(socket);
    const auto session = remoteobj::testing::unix_address(address);
    REQUIRE(::connect(socket.get(), session.get(), session.length) == 0);
    std::uint8_t prefix[4];
    iovec data{prefix, sizeof prefix};
    alignas(cmsghdr) char control[CMSG_SPACE(8 * sizeof(int))];
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    REQUIRE(::recvmsg(socket.get(), &message, MSG_WAITALL | MSG_CMSG_CLOEXEC) == static_cast<ssize_t>(sizeof prefix));
    const cmsghdr* header = CMSG_FIRSTHDR(&message);
    REQUIRE(header);
    REQUIRE(header->cmsg_type == SCM_RIGHTS);
    REQUIRE(header->cmsg_len == CMSG_LEN(count * sizeof(int)));
    std::vector<remoteobj::detail::Fd> fds;
    for (std::size_t i = 0; i < count; ++i) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
        fds.emplace_back(fd);
    }
    return fds;
}


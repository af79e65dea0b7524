// The other version's server, run for one test: evolve_server_v1 or _v2 exec'd
// with a socket in a fresh temporary directory, or (Over::grpc) serving over gRPC
// on 127.0.0.1 at a port it picks. Ready once it printed "listening" (read from
// its stdout: no sleep); ends when its stdin is closed.
#pragma once

#include <doctest/doctest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

extern char** environ;

class PeerServer {
public:
    enum class Over { unix_socket, grpc };

    explicit PeerServer(const char* program, Over over = Over::unix_socket) {
        char name[] = "/tmp/remoteobj-evolve-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        dir_ = name;
        address_ = "unix:" + dir_ + "/evolving.sock";
        int to_child[2], from_child[2];
        REQUIRE(::pipe2(to_child, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(from_child, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t actions;
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
        ::posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
        std::string program_name = program;
        std::string where = over == Over::grpc ? "grpc" : address_;
        char* argv[] = {program_name.data(), where.data(), nullptr};
        const int spawned = ::posix_spawn(&pid_, program, &actions, nullptr, argv, environ);
        ::posix_spawn_file_actions_destroy(&actions);
        ::close(to_child[0]);
        ::close(from_child[1]);
        stdin_ = to_child[1];
        REQUIRE(spawned == 0);
        std::string line;
        char c;
        ssize_t got;
        while ((got = ::read(from_child[0], &c, 1)) > 0 || (got < 0 && errno == EINTR))
            if (got > 0) {
                if (c == '\n') break;
                line += c;
            }
        ::close(from_child[0]);
        if (over == Over::grpc && line.rfind("listening ", 0) == 0) {
            address_ = "127.0.0.1:" + line.substr(std::string("listening ").size());
            line = "listening";
        }
        REQUIRE_MESSAGE(line == "listening", program, " did not start listening");
    }
    PeerServer(const PeerServer&) = delete;
    PeerServer& operator=(const PeerServer&) = delete;
    ~PeerServer() {
        if (stdin_ >= 0) ::close(stdin_);
        if (pid_ > 0) {
            int status = 0;
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "the peer server did not exit cleanly");
        }
        std::remove((dir_ + "/evolving.sock").c_str());
        ::rmdir(dir_.c_str());
    }

    const std::string& address() const { return address_; }

private:
    std::string dir_, address_;
    pid_t pid_ = -1;
    int stdin_ = -1;
};

// Processes that only burn CPU while a bench measures: its figures under CPU
// contention, as while a compile uses every core (--load).
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <vector>

/// `count` processes that do nothing but run, as a compile using every core would:
/// the figures under CPU contention. Killed when this ends.
class CpuLoad {
public:
    explicit CpuLoad(int count) {
        for (int i = 0; i < count; ++i) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                std::atomic<std::uint64_t> spins{0};
                for (;;) spins.fetch_add(1, std::memory_order_relaxed);
            }
            if (pid > 0) pids_.push_back(pid);
        }
    }
    ~CpuLoad() {
        for (pid_t pid : pids_) ::kill(pid, SIGKILL);
        for (pid_t pid : pids_) ::waitpid(pid, nullptr, 0);
    }
    CpuLoad(const CpuLoad&) = delete;
    CpuLoad& operator=(const CpuLoad&) = delete;

private:
    std::vector<pid_t> pids_;
};

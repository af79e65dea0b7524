// Whether a shared-memory end spins follows where its peer may run, not only its
// own CPU mask (issue #29): two processes pinned to different CPUs spin, two that
// share the only CPU they may use never do.
#include <doctest/doctest.h>

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include <remoteobj/channel.hpp>

#include "test_support.hpp"

namespace {

std::vector<int> usable_cpus() {
    cpu_set_t mask;
    std::vector<int> cpus;
    if (::sched_getaffinity(0, sizeof mask, &mask) != 0) return cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &mask)) cpus.push_back(cpu);
    return cpus;
}

void pin_to(int cpu) {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    CPU_SET(cpu, &mask);
    REQUIRE(::sched_setaffinity(0, sizeof mask, &mask) == 0);
}

// A child that pins itself to `cpu`, says so on a pipe, and waits to be killed.
class PinnedChild {
public:
    explicit PinnedChild(int cpu) {
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            cpu_set_t mask;
            CPU_ZERO(&mask);
            CPU_SET(cpu, &mask);
            const char ok = ::sched_setaffinity(0, sizeof mask, &mask) == 0 ? 'y' : 'n';
            [[maybe_unused]] auto w = ::write(ready[1], &ok, 1);
            for (;;) ::pause();
        }
        ::close(ready[1]);
        char ok = 0;
        REQUIRE(::read(ready[0], &ok, 1) == 1);
        ::close(ready[0]);
        REQUIRE(ok == 'y');
    }
    ~PinnedChild() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    PinnedChild(const PinnedChild&) = delete;
    PinnedChild& operator=(const PinnedChild&) = delete;
    int pid() const noexcept { return pid_; }

private:
    int pid_ = -1;
};

}  // namespace

TEST_CASE("a shared-memory end spins when its peer is pinned to another CPU, never when both share the only one") {
    ::unsetenv("REMOTEOBJ_SPIN_NS");  // this process's own: the budget is computed, not set
    const std::vector<int> cpus = usable_cpus();
    REQUIRE_FALSE(cpus.empty());
    Watchdog watchdog(std::chrono::seconds(30), "spin placement");
    cpu_set_t saved;
    REQUIRE(::sched_getaffinity(0, sizeof saved, &saved) == 0);
    struct Restore {
        cpu_set_t& mask;
        ~Restore() { ::sched_setaffinity(0, sizeof mask, &mask); }
    } restore{saved};
    pin_to(cpus[0]);
    {
        PinnedChild beside(cpus[0]);
        CHECK(remoteobj::detail::spin_budget_ns(beside.pid()) == 0);
    }
    if (cpus.size() < 2) return;  // one CPU only: nothing can run beside us
    {
        // Our own mask has one CPU, as before; the peer runs on the other.
        PinnedChild elsewhere(cpus[1]);
        CHECK(remoteobj::detail::spin_budget_ns(elsewhere.pid()) > 0);
    }
    // Without a peer to ask, our own mask decides: one CPU, no spin.
    CHECK(remoteobj::detail::spin_budget_ns(0) == 0);
}

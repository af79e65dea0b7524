// remoteobj::process: run a function in a fork()ed child and join it like a thread.
//
// This is the minimal form: the child runs the function, and join() reports how it
// ended (its exception, rethrown as its own type where known, or the signal or
// status it died of). Return values and generators are not carried yet.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "remoteobj/channel.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/remote_exception.hpp"

namespace remoteobj {

struct process_options {
    /// Shown in messages; defaults to "process-N".
    std::string name;
    /// The child is killed when the parent dies (PR_SET_PDEATHSIG).
    bool daemon = true;
};

/// A child process running a function. Joined by its destructor.
class ProcessBase {
public:
    ProcessBase(ProcessBase&& other) noexcept;
    ProcessBase& operator=(ProcessBase&&) = delete;
    ProcessBase(const ProcessBase&) = delete;
    ~ProcessBase();

    int pid() const noexcept { return pid_; }
    const std::string& name() const noexcept { return name_; }
    /// Readable once the child has exited; for waiting on it together with other things.
    int pidfd() const noexcept { return pidfd_.get(); }

    /// True until the child has exited.
    bool alive() const;
    /// Waits for the child to end. Rethrows what the function threw (see remote_exception.hpp),
    /// or throws ProcessDied when the child died of a signal or exited non-zero.
    void join();
    /// Like join(), giving up after `timeout`: false if the child still runs.
    bool join_for(std::chrono::milliseconds timeout);
    /// The child's exit status once it was joined and exited normally.
    std::optional<int> exit_code() const noexcept { return exit_code_; }
    /// Sends SIGTERM / SIGKILL.
    void terminate() const;
    void kill() const;

protected:
    ProcessBase(process_options options, void (*body)(void*), void* context);

private:
    // Takes in what the child reported so far; true once it can report no more.
    bool read_results(detail::FrameReader& reader);

    std::string name_;
    int pid_ = -1;
    detail::Fd pidfd_;
    detail::Fd results_;  // what the child reports: its exception, if any
    bool joined_ = false;
    std::optional<int> exit_code_;
    int signal_ = 0;
    std::optional<RemoteInfo> failure_;  // what the function threw, as the child reported it
};

class Process : public ProcessBase {
public:
    template <class Fn, class... Args>
    Process(process_options options, Fn&& fn, Args&&... args)
        : Process(started, std::move(options), Call<Fn, Args...>{std::forward<Fn>(fn), std::forward<Args>(args)...}) {}

private:
    struct started_t {};
    static constexpr started_t started{};

    template <class Fn, class... Args>
    struct Call {
        Fn fn;
        std::tuple<Args...> args;
        Call(Fn&& f, Args&&... a) : fn(std::forward<Fn>(f)), args(std::forward<Args>(a)...) {}
        static void run(void* self) {
            auto& call = *static_cast<Call*>(self);
            std::apply([&](auto&&... a) { std::invoke(std::forward<Fn>(call.fn), std::forward<decltype(a)>(a)...); },
                       std::move(call.args));
        }
    };
    // The call lives on the parent's stack only until fork() has copied it.
    template <class C>
    Process(started_t, process_options options, C&& call) : ProcessBase(std::move(options), &C::run, &call) {}
};

/// Forks a child that runs `fn(args...)` and exits.
template <class Fn, class... Args>
Process process(Fn&& fn, Args&&... args) {
    return Process(process_options{}, std::forward<Fn>(fn), std::forward<Args>(args)...);
}
template <class Fn, class... Args>
Process process(process_options options, Fn&& fn, Args&&... args) {
    return Process(std::move(options), std::forward<Fn>(fn), std::forward<Args>(args)...);
}

}  // namespace remoteobj

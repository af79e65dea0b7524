// remoteobj::process: run a function in a fork()ed child and join it like a thread,
// getting back its return value, its yielded values, or its exception.
//
//     auto p = remoteobj::process(work, 5, 2);     // fork(); named "work-1"
//     int sum = p.join();                          // the value, or the child's exception
//
//     auto g = remoteobj::process(count_up, 0, 4); // returns remoteobj::generator<int>
//     for (int i : g.results()) ...                // each co_yield as it happens
//
// After fork() only the calling thread exists in the child: locks other threads
// held stay locked there. remoteobj takes its own global locks around the fork, so
// the library is safe to use in the child; the user's own locks, and a Remote
// being called by another thread at that moment, are not (see docs/processes.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "remoteobj/channel.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/generator.hpp"
#include "remoteobj/remote_exception.hpp"
#include "remoteobj/value_codec.hpp"

namespace remoteobj {

namespace detail {
class RemoteCore;
}  // namespace detail

/// FlatBuffers' own bound on a buffer (2 GiB): no report can be larger.
inline constexpr std::size_t max_report_size = FLATBUFFERS_MAX_BUFFER_SIZE;

struct process_options {
    /// Shown in messages and remote_info(); defaults to the function's name and a
    /// counter ("work-1") for free functions, "process-N" otherwise.
    std::string name;
    /// The child is killed when the parent dies (PR_SET_PDEATHSIG).
    bool daemon = true;
    /// The largest report the parent takes in, in bytes: the returned value, one
    /// yielded value or the exception, encoded. A larger one makes join() and
    /// results() throw ProtocolError naming this limit (the child is not blocked
    /// by it: the rest is read and dropped). The child is this process's own fork,
    /// not a stranger, so by default only what FlatBuffers cannot encode at all is
    /// refused; lower it to bound the memory a result may take.
    std::size_t max_result_size = max_report_size;
};

/// A child process running a function; what does not depend on its result type.
/// Joined by its destructor; an error nobody observed is then printed on stderr.
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
    /// Waits up to `timeout` for the child to end, reading what it reports meanwhile;
    /// false if it still runs. When it ended, reports as join() does (throws what the
    /// child threw or died of). A timeout too long for the clock
    /// (milliseconds::max()) waits as long as it takes; a negative one does not wait.
    bool join_for(std::chrono::milliseconds timeout);
    /// The child's exit status once it was joined and exited normally.
    std::optional<int> exit_code() const noexcept { return exit_code_; }
    /// Sends SIGTERM / SIGKILL (nothing once joined). A death by the signal sent is
    /// what the caller asked for: the destructor does not report it as unobserved.
    void terminate() const;
    void kill() const;

protected:
    using Body = void (*)(void* context, int results_fd);
    ProcessBase(process_options options, std::string default_name, Body body, void* context);

    /// Waits for the child to end and reaps it; rethrows what the function threw,
    /// or throws ProcessDied for a signal or a non-zero status.
    void wait_and_check();
    /// The returned value's bytes if they have arrived (never blocks).
    const std::vector<std::uint8_t>* returned();
    /// The next yielded value's bytes, waiting for it; false at the end of the
    /// stream (after rethrowing the child's exception, if it ended with one).
    bool next_yielded(std::vector<std::uint8_t>& value);

private:
    friend class detail::RemoteCore;  // wait_until_listening() reports a death itself
    void observe_death() const noexcept { outcome_observed_ = true; }

    using Deadline = std::optional<std::chrono::steady_clock::time_point>;  // none: no limit
    // Waits until the child has exited or `deadline` has passed, taking in what it
    // reports meanwhile (a child blocked writing a report would never exit). True
    // once it has exited.
    bool wait_exit(Deadline deadline);
    // One wait of up to `timeout_ms` (-1: no limit) for a report or the exit, then
    // takes in what came.
    void wait_once(int timeout_ms);
    // Takes in the reports the pipe holds now (or drops them, once one was
    // refused); never blocks.
    void read_reports();
    void take(detail::Bytes frame);
    void throw_if_failed();
    void reap();    // waits for the exit, reading reports meanwhile
    void settle();  // reaps, then throws for a failure, a signal or a non-zero status

    std::string name_;
    int pid_ = -1;
    detail::Fd pidfd_;
    detail::Fd results_;
    std::unique_ptr<detail::FrameReader> reader_;
    std::optional<std::vector<std::uint8_t>> returned_;
    std::deque<std::vector<std::uint8_t>> yielded_;
    std::size_t max_result_size_;
    bool stream_ended_ = false;  // nothing more is taken in
    bool refused_ = false;       // a report over max_result_size_: what follows is read and dropped
    bool exited_ = false;        // the pidfd said so, and what the child wrote before was read
    bool reaped_ = false;
    mutable bool outcome_observed_ = false;  // join(), results() or wait_until_listening() reported how it ended
    mutable int signal_sent_ = 0;            // kill() or terminate(): a death by it was asked for
    std::optional<int> exit_code_;
    int signal_ = 0;
    std::optional<RemoteInfo> failure_;
};

namespace detail {

// Child side: report a yielded value / the returned value (or the end) through `fd`.
void send_yielded(int fd, Bytes value);
void send_returned(int fd, Bytes value);

/// "work" for a free function `work`, or "" when `fn` is not a plain function.
std::string function_name(const void* address);

template <class Fn>
std::string name_of(const Fn& fn) {
    using F = std::decay_t<Fn>;
    if constexpr (std::is_pointer_v<F> && std::is_function_v<std::remove_pointer_t<F>>)
        return function_name(reinterpret_cast<const void*>(static_cast<F>(fn)));
    else
        return "";
}

// What runs in the child: the call, then its result sent through `fd`.
template <class R, class Fn, class... Args>
struct ProcessCall {
    Fn fn;
    std::tuple<Args...> args;

    static void run(void* self, int fd);
};

}  // namespace detail

/// A child process whose function returns R.
template <class R>
class Process : public ProcessBase {
public:
    template <class Fn, class... Args>
    Process(process_options options, Fn&& fn, Args&&... args)
        : Process(std::move(options), detail::name_of(fn),
                  detail::ProcessCall<R, Fn&&, Args&&...>{std::forward<Fn>(fn), {std::forward<Args>(args)...}}) {}

    /// Waits for the child and returns what the function returned; rethrows what it
    /// threw (as its own type where known); throws ProcessDied if it died first.
    R join() {
        wait_and_check();
        if constexpr (!std::is_void_v<R>) {
            const auto* bytes = returned();
            if (!bytes) throw ProcessDied(name() + " exited without delivering its result");
            return detail::ValueCodec<R>::decode(detail::Bytes(bytes->data(), bytes->size()));
        }
    }

    /// The returned value once the child has sent it; empty before. Never blocks.
    template <class U = R>
        requires(!std::is_void_v<U>)
    std::optional<U> result() {
        const auto* bytes = returned();
        if (!bytes) return std::nullopt;
        return detail::ValueCodec<U>::decode(detail::Bytes(bytes->data(), bytes->size()));
    }

private:
    template <class Call>
    Process(process_options options, std::string default_name, Call&& call)
        : ProcessBase(std::move(options), std::move(default_name), &std::decay_t<Call>::run, &call) {}
};

/// A child process running a generator: its values stream back as they are yielded.
template <class T>
class Process<generator<T>> : public ProcessBase {
public:
    template <class Fn, class... Args>
    Process(process_options options, Fn&& fn, Args&&... args)
        : Process(std::move(options), detail::name_of(fn),
                  detail::ProcessCall<generator<T>, Fn&&, Args&&...>{std::forward<Fn>(fn),
                                                                     {std::forward<Args>(args)...}}) {}

    /// An input range of the yielded values, in order, each as soon as it arrives.
    /// An exception the generator threw is rethrown where it happened in the
    /// stream; a child that died mid-stream makes it throw ProcessDied.
    class Results {
    public:
        class iterator {
        public:
            using iterator_category = std::input_iterator_tag;
            using value_type = T;
            using difference_type = std::ptrdiff_t;
            iterator() = default;
            explicit iterator(Process* process) : process_(process) { advance(); }
            const T& operator*() const { return *current_; }
            iterator& operator++() {
                advance();
                return *this;
            }
            void operator++(int) { advance(); }
            friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return !it.current_; }

        private:
            void advance() {
                std::vector<std::uint8_t> bytes;
                if (process_->next_yielded(bytes))
                    current_ = detail::ValueCodec<T>::decode(detail::Bytes(bytes.data(), bytes.size()));
                else
                    current_.reset();
            }
            Process* process_ = nullptr;
            std::optional<T> current_;
        };
        explicit Results(Process& process) : process_(process) {}
        iterator begin() { return iterator(&process_); }
        std::default_sentinel_t end() const noexcept { return {}; }

    private:
        Process& process_;
    };

    Results results() { return Results(*this); }

    /// Waits for the child to end (values not read yet stay available to results()).
    void join() { wait_and_check(); }

private:
    template <class Call>
    Process(process_options options, std::string default_name, Call&& call)
        : ProcessBase(std::move(options), std::move(default_name), &std::decay_t<Call>::run, &call) {}
};

template <class Fn, class... Args>
Process(process_options, Fn&&, Args&&...) -> Process<std::invoke_result_t<Fn, Args...>>;

/// Forks a child that runs `fn(args...)` (any callable: a function, a lambda, a
/// member function pointer with its object) and exits.
template <class Fn, class... Args>
Process<std::invoke_result_t<Fn, Args...>> process(Fn&& fn, Args&&... args) {
    return Process<std::invoke_result_t<Fn, Args...>>(process_options{}, std::forward<Fn>(fn),
                                                      std::forward<Args>(args)...);
}
template <class Fn, class... Args>
Process<std::invoke_result_t<Fn, Args...>> process(process_options options, Fn&& fn, Args&&... args) {
    return Process<std::invoke_result_t<Fn, Args...>>(std::move(options), std::forward<Fn>(fn),
                                                      std::forward<Args>(args)...);
}

template <class R, class Fn, class... Args>
void detail::ProcessCall<R, Fn, Args...>::run(void* self, int fd) {
    auto& call = *static_cast<ProcessCall*>(self);
    auto invoke = [&] { return std::apply(std::forward<Fn>(call.fn), std::move(call.args)); };
    flatbuffers::FlatBufferBuilder fbb;
    if constexpr (std::is_void_v<R>) {
        invoke();
        send_returned(fd, {});
    } else if constexpr (is_generator<R>::value) {
        using T = typename is_generator<R>::value_type;
        R values = invoke();
        for (const T& value : values) {
            fbb.Clear();
            ValueCodec<T>::encode(fbb, value);
            send_yielded(fd, bytes_of(fbb));
        }
        send_returned(fd, {});
    } else {
        R value = invoke();
        ValueCodec<R>::encode(fbb, value);
        send_returned(fd, bytes_of(fbb));
    }
}

}  // namespace remoteobj

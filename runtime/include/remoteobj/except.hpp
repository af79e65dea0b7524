// remoteobj::LocalExcept and remoteobj::Except: catch exceptions inside blocks,
// record them in named groups, and raise them later, in this process
// (LocalExcept) or in the process that created the Except (Except), as in
// Python remoteobj's `with exc('work'):` blocks.
//
//     remoteobj::Except exc;
//     auto p = remoteobj::process([&] {
//         exc(remoteobj::raises(false), [&] {   // record, do not propagate
//             exc("init", [&] { init(); });
//             exc("work", [&] { work(); });     // a throw here is recorded under "work"
//         });
//     });
//     p.join();
//     exc.raise_any("work");                    // rethrows it here, as its own type
//
// Rules (Python's): a block records what it catches and lets it propagate, unless
// `raises(false)`; `catches<E...>` records only those types and lets the rest pass
// unrecorded; with `catch_once` (the default) nested blocks record an exception once,
// at the innermost block, and with `catch_once(false)` every block records it (and
// blocks always propagate, so that the outer ones see it).
#pragma once

#include <any>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/remote_exception.hpp"

namespace remoteobj {

/// Whether a block lets what it recorded propagate (the default) or swallows it.
struct raises_t {
    bool value;
};
constexpr raises_t raises(bool value) noexcept { return {value}; }

/// Whether nested blocks record an exception once (the default) or each.
struct catch_once_t {
    bool value;
};
constexpr catch_once_t catch_once(bool value) noexcept { return {value}; }

/// Records only exceptions of these types (and types derived from them).
template <class... Es>
struct catches_t {
    static bool matches(const std::exception_ptr& exception) { return match<Es...>(exception); }

private:
    template <class E, class... Rest>
    static bool match(const std::exception_ptr& exception) {
        try {
            std::rethrow_exception(exception);
        } catch (const E&) {
            return true;
        } catch (...) {
            // Not an E: try the next type.
        }
        if constexpr (sizeof...(Rest) > 0)
            return match<Rest...>(exception);
        else
            return false;
    }
};
template <class... Es>
inline constexpr catches_t<Es...> catches{};

/// The group blocks without a name record into.
inline constexpr std::string_view default_group{};

/// One recorded exception and the group it was recorded in.
struct Caught {
    std::string group;
    std::exception_ptr exception;
};

/// Records exceptions in groups, in one process. Thread-safe.
class LocalExcept {
public:
    /// Options, in any order: raises(bool), catch_once(bool), catches<E...>.
    template <class... Options>
    explicit LocalExcept(Options... options) {
        (apply(options), ...);
    }
    LocalExcept(const LocalExcept&) = delete;
    LocalExcept& operator=(const LocalExcept&) = delete;
    virtual ~LocalExcept() = default;

    /// Runs `block()`, recording what it throws in the default group.
    template <class Fn>
    void operator()(Fn&& block) {
        run(default_group, raises_, std::forward<Fn>(block));
    }
    /// ... in `group`.
    template <class Fn>
    void operator()(std::string_view group, Fn&& block) {
        run(group, raises_, std::forward<Fn>(block));
    }
    /// ... in the default group, propagating or not as `r` says.
    template <class Fn>
    void operator()(raises_t r, Fn&& block) {
        run(default_group, r.value, std::forward<Fn>(block));
    }
    template <class Fn>
    void operator()(std::string_view group, raises_t r, Fn&& block) {
        run(group, r.value, std::forward<Fn>(block));
    }

    /// Rethrows the last exception recorded in `group`; does nothing when there is none.
    void raise_any(std::string_view group);
    /// Rethrows the last exception recorded in any group; does nothing when there is none.
    void raise_any();

    /// The last exception of `group`, or null.
    std::exception_ptr get(std::string_view group = default_group);
    /// Every exception of `group`, in the order they were recorded.
    std::vector<std::exception_ptr> group(std::string_view name = default_group);
    /// Every exception recorded, with its group, in order.
    std::vector<Caught> all();
    /// Whether anything was recorded.
    bool caught();
    /// Forgets everything recorded (and the last result of a wrapped function).
    void clear();

    /// `fn` wrapped in a `raises(false)` block of the default group: calling it
    /// returns its result (std::optional, empty if it threw; for void, whether it
    /// ran through), records what it threw, and keeps the result for result<R>().
    template <class Fn>
    auto wrap(Fn fn) {
        return [this, fn = std::move(fn)](auto&&... args) mutable {
            using R = std::invoke_result_t<Fn&, decltype(args)...>;
            if constexpr (std::is_void_v<R>) {
                bool ran = false;
                run(default_group, false, [&] {
                    fn(std::forward<decltype(args)>(args)...);
                    ran = true;
                });
                return ran;
            } else {
                std::optional<R> result;
                run(default_group, false, [&] { result.emplace(fn(std::forward<decltype(args)>(args)...)); });
                if (result) set_result(std::any(*result));
                return result;
            }
        };
    }

    /// The last value a wrapped function returned, if it was an R.
    template <class R>
    std::optional<R> result() {
        std::lock_guard lock(mutex_);
        if (const R* value = std::any_cast<R>(&result_)) return *value;
        return std::nullopt;
    }

    /// "<Except ... group [n raised] - last: type: message ...>", for fmt::format("{}", exc).
    std::string summary();

protected:
    /// Called with every exception a block records; Except also sends it.
    virtual void record(std::string_view group, const std::exception_ptr& exception);
    /// Called before every query; Except takes in what other processes sent.
    virtual void pull() {}
    virtual const char* kind() const noexcept { return "LocalExcept"; }
    void append(std::string group, std::exception_ptr exception);

private:
    template <class Fn>
    void run(std::string_view group, bool raises, Fn&& block) {
        try {
            std::forward<Fn>(block)();
        } catch (...) {
            if (!handle_current(group, raises)) throw;
        }
    }
    // Records the exception being handled if the rules say so; true to swallow it.
    bool handle_current(std::string_view group, bool raises);
    void set_result(std::any value);

    void apply(raises_t r) noexcept { raises_ = r.value; }
    void apply(catch_once_t c) noexcept { catch_once_ = c.value; }
    template <class... Es>
    void apply(catches_t<Es...>) noexcept {
        matches_ = &catches_t<Es...>::matches;
    }

    bool raises_ = true;
    bool catch_once_ = true;
    bool (*matches_)(const std::exception_ptr&) = nullptr;  // null: every exception
    std::mutex mutex_;
    std::vector<Caught> caught_;
    std::any result_;
};

namespace detail {

/// The read ends of the pipes of the Excepts this process created, for a wait on
/// a child to watch too (see Except).
std::vector<int> except_fds();
/// Takes in what children sent to the Excepts this process created.
void pull_excepts();
/// Guards the list of this process's Excepts; process() holds it across fork().
std::mutex& excepts_mutex();

}  // namespace detail

/// A LocalExcept whose records from other processes arrive here: create it
/// before fork(); what a child records is sent to the creating process as it is
/// recorded (so none is lost if the child dies right after) and rethrown here as
/// its own type, with remote_info() telling where it came from.
///
/// Records travel through a pipe: a write of up to PIPE_BUF bytes is atomic, so
/// records of several children never interleave, and one made just before a
/// SIGKILL is whole. A pipe holds only so much, so a child recording more blocks
/// until the creating process reads; every wait of a remoteobj::process (join(),
/// join_for(), results(), its destructor) therefore reads this process's Excepts
/// while it waits, and so do all of the queries. (Not a reader thread: it would
/// hold the records' lock at some fork() and deadlock that child's first record.
/// Not a shared file: a write to one can tear when its writer is killed.)
class Except : public LocalExcept {
public:
    template <class... Options>
    explicit Except(Options... options) : LocalExcept(options...) {
        open();
    }
    ~Except() override;

protected:
    void record(std::string_view group, const std::exception_ptr& exception) override;
    void pull() override;
    const char* kind() const noexcept override { return "Except"; }

private:
    friend std::vector<int> detail::except_fds();
    friend void detail::pull_excepts();
    void open();

    int owner_pid_ = 0;
    detail::Fd read_, write_;
    std::mutex reader_mutex_;  // a process's wait and a query may pull at once
    std::unique_ptr<detail::FrameReader> reader_;
};

}  // namespace remoteobj

template <class E>
    requires std::is_base_of_v<remoteobj::LocalExcept, E>
struct fmt::formatter<E> : fmt::formatter<std::string_view> {
    auto format(const E& exc, fmt::format_context& ctx) const {
        // Summarising takes in what other processes sent first, which changes the
        // records but not what the object means: formatting is logically const.
        return fmt::formatter<std::string_view>::format(const_cast<E&>(exc).summary(), ctx);
    }
};

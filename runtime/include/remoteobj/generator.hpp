// remoteobj::generator<T>: a minimal C++20 coroutine generator (GCC 12 has no
// std::generator). Run in a child by remoteobj::process, each co_yield is sent
// to the parent as it happens; run locally it is an ordinary input range.
#pragma once

#include <coroutine>
#include <exception>
#include <iterator>
#include <optional>
#include <utility>

namespace remoteobj {

template <class T>
class generator {
public:
    struct promise_type {
        std::optional<T> current;
        std::exception_ptr error;

        generator get_return_object() { return generator(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        // By reference: the yielded value (which lives until the generator
        // resumes) is copied or moved once, into `current`.
        std::suspend_always yield_value(const T& value) {
            current = value;
            return {};
        }
        std::suspend_always yield_value(T&& value) {
            current = std::move(value);
            return {};
        }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
        template <class U>
        void await_transform(U&&) = delete;  // a generator yields; it does not co_await
    };

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;

        iterator() = default;
        explicit iterator(std::coroutine_handle<promise_type> handle) : handle_(handle) { advance(); }
        T& operator*() const { return *handle_.promise().current; }
        iterator& operator++() {
            advance();
            return *this;
        }
        void operator++(int) { advance(); }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
            return !it.handle_ || it.handle_.done();
        }

    private:
        void advance() {
            handle_.promise().current.reset();
            handle_.resume();
            if (handle_.done() && handle_.promise().error) std::rethrow_exception(handle_.promise().error);
        }
        std::coroutine_handle<promise_type> handle_;
    };

    generator(generator&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    generator& operator=(generator&& other) noexcept {
        if (this != &other) {
            if (handle_) handle_.destroy();
            handle_ = std::exchange(other.handle_, {});
        }
        return *this;
    }
    ~generator() {
        if (handle_) handle_.destroy();
    }

    /// Runs the body up to its first co_yield. Once per generator.
    iterator begin() { return iterator(handle_); }
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    explicit generator(std::coroutine_handle<promise_type> handle) : handle_(handle) {}
    std::coroutine_handle<promise_type> handle_;
};

template <class T>
struct is_generator : std::false_type {};
template <class T>
struct is_generator<generator<T>> : std::true_type {
    using value_type = T;
};

}  // namespace remoteobj

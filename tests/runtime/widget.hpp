// The annotated class the runtime tests talk to across processes.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <remoteobj/remoteobj.hpp>

enum class Color : std::uint8_t { red, green, blue };

/// Thrown by Widget; REMOTEOBJ, so its generated code registers it for rethrowing.
class REMOTEOBJ WidgetError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A bit of everything the walking skeleton supports.
class REMOTEOBJ Widget {
public:
    remoteobj::Remote<Widget> remote{*this};

    int number = 0;
    double ratio = 0.5;
    std::int64_t big = 0;
    std::uint8_t tiny = 0;
    std::string label = "widget";
    Color color = Color::red;
    std::atomic<int> hits{0};
    const int fixed = 7;
    /// Tag of the thread that started serving (see thread_tag()).
    std::uint64_t main_tag = 0;

    /// Read where the default of with_bias() is evaluated: set differently per process.
    static inline int default_bias = 1;

    int add(int a, int b = 10) const { return a + b; }
    int with_bias(int x, int bias = default_bias) const { return x + bias; }
    std::string greet(const std::string& name, std::string_view punctuation = "!") const {
        return "hello " + name + std::string(punctuation);
    }
    void set_number(int n) { number = n; }
    int bump() { return ++hits; }
    Color next_color(Color c) const { return static_cast<Color>((static_cast<int>(c) + 1) % 3); }
    /// Throws std::out_of_range past the end, as std::vector::at does.
    int at(int index) const { return values_.at(static_cast<std::size_t>(index)); }
    void fail(const std::string& message) { throw std::invalid_argument(message); }
    void fail_oddly() { throw 42; }
    void fail_custom(const std::string& message) { throw WidgetError(message); }
    /// Ends the listening process in the middle of a request.
    void die(int status) { std::_Exit(status); }
    int pid() const { return static_cast<int>(::getpid()); }
    /// Identifies the thread a request runs on.
    std::uint64_t thread_tag() const { return std::hash<std::thread::id>{}(std::this_thread::get_id()); }

    /// Lets serve() return.
    void shutdown() {
        stopping = true;
        stopping.notify_all();
    }

    /// Serves on a background thread until shutdown().
    void serve() {
        main_tag = thread_tag();
        auto listening = remote.listen();
        stopping.wait(false);
    }

private:
    std::atomic<bool> stopping{false};
    std::vector<int> values_{10, 20, 30};
};

#include "widget.remote.hpp"

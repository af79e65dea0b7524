// A header exercising what the generator's model must capture.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>
#include <string_view>

#include <remoteobj/annotate.hpp>

namespace app {

enum class Mode : short { slow, fast };

// Not annotated: the generator must ignore it.
struct Plain {
    int x = 0;
    int* pointer = nullptr;  // would be an error if Plain were exported
};

/// A base class.
class REMOTEOBJ Base {
public:
    int base_value = 0;
};

/// A sample class.
/// Its doc comment has two lines.
class REMOTEOBJ Sample : public Base {
public:
    /// How many.
    int count = 0;
    const double limit = 1.0;
    std::atomic<long> hits{0};
    Mode mode = Mode::slow;
    std::string name;
    REMOTEOBJ_HIDE int* hidden = nullptr;

    /// Adds two numbers.
    int add(int a, int b = 2 * 3) const;
    void rename(const std::string& to, std::string_view why = "because");
    REMOTEOBJ_ONEWAY void poke();
    static int helper();
    unsigned char small(std::uint64_t wide, float f, bool flag);
    const double& operator[](const std::string& key) const;
    double& operator[](const std::string& key);
    Sample& operator=(const Sample&) = default;

private:
    int secret_ = 0;
};

/// An error type of the application.
class REMOTEOBJ Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    const char* what() const noexcept override { return std::runtime_error::what(); }
    int code = 0;
};

}  // namespace app

// A vendor's types, as a library ships them: nothing here knows remoteobj. Plain
// aggregates (ReadOptions, Box) cross as they are; Slice (a view into someone
// else's bytes) and Status (private data) cross through the adapters of
// vendor_adapters.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vendor {

/// leveldb's kind of options: a plain aggregate with defaults.
struct ReadOptions {
    bool verify_checksums = false;
    bool fill_cache = true;
    int tier = 0;
    std::string tag;
    std::vector<int> levels;
    bool operator==(const ReadOptions&) const = default;  // a member function: still a plain aggregate
};

/// A plain aggregate with a plain aggregate base.
struct Origin {
    int x = 0;
    int y = 0;
    bool operator==(const Origin&) const = default;
};
struct Box : Origin {
    int width = 0;
    int height = 0;
    bool operator==(const Box&) const = default;
};

/// A view of bytes it does not own, as leveldb's Slice.
class Slice {
public:
    Slice() = default;
    Slice(const char* data, std::size_t size) : data_(data), size_(size) {}
    explicit Slice(const std::string& s) : data_(s.data()), size_(s.size()) {}
    const char* data() const { return data_; }
    std::size_t size() const { return size_; }
    std::string ToString() const { return std::string(data_, size_); }

private:
    const char* data_ = "";
    std::size_t size_ = 0;
};

/// An outcome with private state, made by named constructors only.
class Status {
public:
    Status() = default;
    static Status OK() { return Status(); }
    static Status NotFound(std::string message) { return Status(1, std::move(message)); }
    static Status Restored(int code, std::string message) { return Status(code, std::move(message)); }
    bool ok() const { return code_ == 0; }
    int code() const { return code_; }
    const std::string& message() const { return message_; }
    bool operator==(const Status&) const = default;

private:
    Status(int code, std::string message) : code_(code), message_(std::move(message)) {}
    int code_ = 0;
    std::string message_;
};

/// A duration in a vendor's own type: crosses as a number (a scalar wire type).
class Millis {
public:
    explicit Millis(std::int64_t count = 0) : count_(count) {}
    std::int64_t count() const { return count_; }
    bool operator==(const Millis&) const = default;

private:
    std::int64_t count_;
};

/// A set of ids that crosses as a std::vector<int>: inside a vector it takes that
/// vector's element table.
class Ids {
public:
    Ids() = default;
    explicit Ids(std::vector<int> ids) : ids_(std::move(ids)) {}
    const std::vector<int>& ids() const { return ids_; }
    bool operator==(const Ids&) const = default;

private:
    std::vector<int> ids_;
};

}  // namespace vendor

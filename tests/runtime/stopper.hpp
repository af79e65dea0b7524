// A class whose served methods stop, or destroy, the very listener serving them,
// or call its own proxy again (listener_test.cpp): never an abort, never a hang.
#pragma once

#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Stopper {
public:
    remoteobj::Remote<Stopper> remote{*this};
    int calls = 0;

    /// Stops the listener serving this call; true when the guard then reads false.
    bool stop_listening() {
        guard_.stop();
        return !guard_;
    }
    /// Calls this object's own proxy from inside a served call: in place, again.
    int reenter();
    /// Destroys the guard of the listener serving this call.
    void drop_listener() { guard_ = {}; }

    /// Takes a large argument and returns its size.
    std::size_t take(const std::vector<std::uint8_t>& bytes) const { return bytes.size(); }
    /// A large result.
    std::vector<std::uint8_t> make(std::size_t size) const { return std::vector<std::uint8_t>(size, 7); }
    /// Throws an exception whose what() is `size` bytes.
    void fail_with(std::size_t size) const { throw std::runtime_error(std::string(size, 'x')); }
    /// This process's resident set, in KiB (/proc/self/statm), after the allocator
    /// gave back what is free: what is still allocated, not what malloc keeps.
    long resident_kib() const {
        ::malloc_trim(0);
        long pages = 0, resident = 0;
        if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
            if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
            std::fclose(f);
        }
        return resident * (::sysconf(_SC_PAGESIZE) / 1024);
    }

    /// Under the object's mutex, as every served call runs: a call that arrives at
    /// once waits until guard_ is assigned (ThreadSanitizer sees no pipe between
    /// processes, so the tests' signals do not order it).
    REMOTEOBJ_HIDE void listen() {
        std::lock_guard lock(remote.mutex());
        guard_ = remote.listen();
    }
    REMOTEOBJ_HIDE void end_listening() { guard_ = {}; }

private:
    remoteobj::ListenGuard guard_;
};

/// A link whose messages may be larger than the default 64 MiB.
class REMOTEOBJ Roomy {
public:
    remoteobj::Remote<Roomy> remote{*this, remoteobj::link_options{.max_message = 128u << 20}};
    std::size_t take(const std::vector<std::uint8_t>& bytes) const { return bytes.size(); }
    std::vector<std::uint8_t> make(std::size_t size) const { return std::vector<std::uint8_t>(size, 7); }
};

#include "stopper.remote.hpp"

// After the generated header: a method that uses its own proxy needs Proxy<Stopper>.
inline int Stopper::reenter() { return remote->calls.get() + 1; }

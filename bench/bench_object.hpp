// The annotated classes the benchmark talks to across processes: one member per
// case of the table (a field, a nested object's field, a two-int method, a string
// argument, a 1 MiB byte-vector argument), plus two helpers the harness needs in
// the child (its allocation count, and recording an exception in an Except).
//
// Keep every member trivial: the bench measures the runtime, not the object.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <remoteobj/remoteobj.hpp>

/// The nested object: reached as `remote->child.value` (a path of one Field step).
class REMOTEOBJ BenchChild {
public:
    int value = 7;
};

/// The object that lives in the child process.
class REMOTEOBJ BenchObject {
public:
    remoteobj::Remote<BenchObject> remote{*this};

    /// Read and written by the field get / field set cases.
    int field = 0;
    /// The nested view get case reads `child.value`.
    BenchChild child;

    /// The scalar method call case.
    int add(int a, int b) { return a + b; }
    /// The 64-byte string case.
    std::uint64_t take_string(const std::string& text) { return text.size(); }
    /// The 1 MiB argument case.
    std::uint64_t take_bytes(const std::vector<std::uint8_t>& bytes) { return bytes.size(); }

    /// The events case: emitted by emit(), received by the parent.
    remoteobj::Signal<int> tick{remoteobj::signal_options{.queue = 1u << 16}};
    void emit(int n) {
        for (int i = 0; i < n; ++i) tick(i);
    }
    /// The stream case: 0, 1, ... n-1.
    remoteobj::generator<int> count_to(int n) {
        for (int i = 0; i < n; ++i) co_yield i;
    }

    /// Heap allocations this process has made so far (the bench's counting operator new).
    std::uint64_t allocations() const;
    /// Records a std::runtime_error in group "bench" of the bench's Except, from
    /// the process that runs it (the child), and does not propagate it.
    void record_error();
};

#include "bench_object.remote.hpp"

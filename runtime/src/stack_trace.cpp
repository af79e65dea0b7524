// Recording where exceptions are thrown, and naming the frames; see stack_trace.hpp.
#include "remoteobj/detail/stack_trace.hpp"

#include "remoteobj/remote_exception.hpp"

#include <backtrace.h>
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <typeinfo>

#include <fmt/format.h>

namespace remoteobj::detail {
namespace {

constexpr int max_frames = 48;

struct ThrowRecord {
    const std::type_info* type = nullptr;
    const void* thrower = nullptr;  // the return address into the function that threw
    int depth = 0;
    void* frames[max_frames];
};

thread_local ThrowRecord last_throw;

std::string demangle(const char* name) { return name ? demangle_symbol(name) : std::string("??"); }

backtrace_state* symbol_state() {
    // One state per process, created on first use; libbacktrace keeps it for good.
    static backtrace_state* state = backtrace_create_state(nullptr, /*threaded=*/1, nullptr, nullptr);
    return state;
}

struct Frame {
    std::string function;  // from the symbol table: the full demangled signature
    std::string location;  // file:line in the function itself (not in what it inlined)
};

int on_pcinfo(void* data, std::uintptr_t, const char* file, int line, const char* function) {
    auto* frame = static_cast<Frame*>(data);
    // Called innermost inlined frame first; the last call is the real function,
    // with the line in it where the inlined code began. Keep overwriting.
    if (file) frame->location = fmt::format("{}:{}", file, line);
    if (function && frame->function.empty()) frame->function = function;
    return 0;
}

void on_syminfo(void* data, std::uintptr_t, const char* symbol, std::uintptr_t, std::uintptr_t) {
    if (symbol) static_cast<Frame*>(data)->function = demangle(symbol);
}

void ignore_error(void*, const char*, int) {}

std::string describe_frame(void* address) {
    Frame frame;
    // A return address points after the call; one byte back is inside it.
    auto pc = reinterpret_cast<std::uintptr_t>(address) - 1;
    if (backtrace_state* state = symbol_state()) {
        backtrace_syminfo(state, pc, on_syminfo, ignore_error, &frame);
        Frame lines;
        backtrace_pcinfo(state, pc, on_pcinfo, ignore_error, &lines);
        frame.location = lines.location;
        if (frame.function.empty()) frame.function = lines.function;
    }
    if (frame.function.empty()) {
        // No debug info nor static symbols (a stripped shared library such as
        // libstdc++): its dynamic symbol table still names exported functions.
        Dl_info info{};
        if (::dladdr(address, &info) && info.dli_sname) {
            frame.function = demangle(info.dli_sname);
            if (info.dli_fname && frame.location.empty()) frame.location = info.dli_fname;
        } else if (info.dli_fname) {
            // Not even that (a hidden function): the library and the offset in it.
            frame.function = fmt::format("{}+{:#x}", info.dli_fname,
                                         reinterpret_cast<std::uintptr_t>(address) -
                                             reinterpret_cast<std::uintptr_t>(info.dli_fbase));
        } else {
            frame.function = fmt::format("{}", address);
        }
    }
    return frame.location.empty() ? frame.function : fmt::format("{} at {}", frame.function, frame.location);
}

}  // namespace

std::string symbol_at(const void* address) {
    Frame frame;
    if (backtrace_state* state = symbol_state())
        backtrace_syminfo(state, reinterpret_cast<std::uintptr_t>(address), on_syminfo, ignore_error, &frame);
    if (frame.function.empty()) {
        Dl_info info{};
        if (::dladdr(address, &info) && info.dli_sname) frame.function = demangle(info.dli_sname);
    }
    return frame.function;
}

extern "C" const int remoteobj_throw_hook_linked;

std::vector<std::string> current_exception_trace() {
    if (!remoteobj_throw_hook_linked) return {};
    const std::type_info* current = abi::__cxa_current_exception_type();
    // The record is this thread's last throw; it belongs to the exception being
    // handled only if the types agree (a different exception may have been thrown
    // and caught meanwhile, inside a destructor say).
    if (!current || last_throw.type != current || last_throw.depth == 0) return {};
    std::vector<std::string> trace;
    // The trace starts at the function that threw: the recorder and the wrapper
    // (however many frames they take in this build) are left out.
    int first = 0;
    while (first < last_throw.depth && last_throw.frames[first] != last_throw.thrower) ++first;
    if (first == last_throw.depth) first = 0;
    for (int i = first; i < last_throw.depth; ++i) trace.push_back(describe_frame(last_throw.frames[i]));
    return trace;
}

}  // namespace remoteobj::detail

// Called by the __cxa_throw wrapper (throw_hook.c) before every throw.
extern "C" void remoteobj_record_throw(const void* type, const void* thrower) {
    auto& record = remoteobj::detail::last_throw;
    record.type = static_cast<const std::type_info*>(type);
    record.thrower = thrower;
    record.depth = ::backtrace(record.frames, remoteobj::detail::max_frames);
}

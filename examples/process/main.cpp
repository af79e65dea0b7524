// examples/process: functions run in child processes, as in Python remoteobj's
// util.process examples: a return value, and a generator that fails after 0..3.
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <remoteobj/remoteobj.hpp>

namespace {

int remote_func(int x, int y) { return x * y; }

remoteobj::generator<int> remote_gen() {
    for (int i = 0; i < 4; ++i) co_yield i;
    throw std::runtime_error("the generator ran out after 3");
}

}  // namespace

int main() {
    {
        auto p = remoteobj::process(remote_func, 5, 2);  // named "remote_func-1"
        const int value = p.join();
        fmt::print("{} (pid {}) returned {}\n", p.name(), p.pid(), value);
        if (value != 10) return 1;
    }  // the destructor would have joined, too

    auto g = remoteobj::process(remote_gen);
    std::vector<int> seen;
    try {
        for (int i : g.results()) {
            fmt::print("{} yielded {}\n", g.name(), i);
            seen.push_back(i);
        }
        return 1;  // the generator's exception must come through
    } catch (const std::runtime_error& e) {
        fmt::print("then it raised: {} (from {})\n", e.what(), remoteobj::remote_info(e)->process_name);
    }
    fmt::print("values before the error: {}\n", seen);
    return seen == std::vector<int>{0, 1, 2, 3} ? 0 : 1;
}

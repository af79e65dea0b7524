// examples/except: a child records its exceptions by group (init / work / cleanup);
// the parent raises them, as their own types, with where they were thrown.
#include <cstdio>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <remoteobj/remoteobj.hpp>

namespace {

void init() { fmt::print("child: init ok\n"); }

int work() {
    std::vector<int> samples{1, 2, 3};
    return samples.at(7);  // throws std::out_of_range
}

void cleanup() { throw std::runtime_error("cleanup could not remove the temp dir"); }

}  // namespace

int main() {
    remoteobj::Except exc;  // before fork(): the child's records come back through it

    auto child = remoteobj::process(remoteobj::process_options{.name = "worker"}, [&] {
        exc(remoteobj::raises(false), [&] {  // record, never let it end the child
            exc("init", [&] { init(); });
            exc("work", remoteobj::raises(false), [&] { work(); });  // recorded; the child goes on
            exc("cleanup", [&] { cleanup(); });  // recorded, then passed up and swallowed
        });
    });
    child.join();  // the child exited normally: its outer block swallowed everything

    fmt::print("parent: {}\n", exc);
    exc.raise_any("init");  // nothing recorded there: a no-op

    try {
        exc.raise_any("work");
        fmt::print(stderr, "error: nothing was raised from 'work'\n");
        return 1;
    } catch (const std::out_of_range& e) {  // the original type
        const remoteobj::RemoteInfo& info = *remoteobj::remote_info(e);
        fmt::print("parent: caught {} from {} (pid {}), group '{}': {}\n", info.type, info.process_name, info.pid,
                   info.group, e.what());
        for (const auto& frame : info.trace) fmt::print("    at {}\n", frame);
    }

    try {
        exc.raise_any();  // the last one recorded, in any group: cleanup's
        return 1;
    } catch (const std::runtime_error& e) {
        fmt::print("parent: the last exception was from '{}': {}\n", remoteobj::remote_info(e)->group, e.what());
    }
    // "cleanup" was recorded once, by its own block: catch_once kept the outer
    // block from recording it again in the default group.
    return exc.group(remoteobj::default_group).empty() && exc.group("work").size() == 1 ? 0 : 1;
}

// examples/counter: toggles a Counter living in a child process, watches it count.
#include <cstdio>

#include <fmt/format.h>

#include "counter.hpp"

namespace {

// Reads the remote count until it has passed `above`.
int wait_for_count_above(Counter& obj, int above) {
    int seen;
    while ((seen = obj.remote->count.get()) <= above) {
    }
    return seen;
}

}  // namespace

int main() {
    Counter obj;
    auto child = remoteobj::process([&] { obj.run(); });
    obj.remote.wait_until_listening(child);
    fmt::print("child {} listens\n", child.pid());

    obj.remote->toggle();  // `state` takes its default, true, in the child
    fmt::print("toggled on: count rose to {}\n", wait_for_count_above(obj, 1000));

    obj.remote->toggle(false);
    const int stopped_at = obj.remote->count.get();
    const int still = obj.remote->count.get();
    fmt::print("toggled off: count stays at {} ({})\n", stopped_at, still);
    if (still != stopped_at) {
        fmt::print(stderr, "error: count moved from {} to {} while off\n", stopped_at, still);
        return 1;
    }

    obj.remote->toggle(true);
    fmt::print("toggled on again: count rose to {}\n", wait_for_count_above(obj, still + 1000));

    obj.remote->stop = true;
    child.join();
    fmt::print("child stopped and joined; on = {} locally (the child's copy was the one toggled)\n",
               obj.on.load());
    return 0;
}

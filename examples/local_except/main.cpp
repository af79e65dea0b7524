// examples/local_except: the same groups as examples/except, in one process:
// record while going on, raise at the end.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include <remoteobj/remoteobj.hpp>

int main() {
    remoteobj::LocalExcept exc{remoteobj::raises(false)};

    exc("init", [] { fmt::print("init ok\n"); });
    for (int item = 0; item < 5; ++item)
        exc("work", [item] {
            if (item % 2) throw std::invalid_argument("item " + std::to_string(item) + " is odd");
            fmt::print("item {} done\n", item);
        });
    exc("cleanup", [] { throw std::runtime_error("cleanup failed"); });

    fmt::print("{}\n", exc);
    if (exc.group("work").size() != 2) return 1;

    try {
        exc.raise_any("work");
        return 1;
    } catch (const std::invalid_argument& e) {
        fmt::print("the last work error: {}\n", e.what());
    }
    exc.clear();
    exc.raise_any();  // nothing left: a no-op
    return 0;
}

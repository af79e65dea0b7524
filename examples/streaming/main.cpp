// examples/streaming: methods that yield, called through the proxy. Values arrive
// as they are yielded; leaving the loop early stops the generator in the child.
#include <string>

#include <fmt/format.h>

#include "catalog.hpp"

int main() {
    Catalog catalog;
    for (int volume = 1; volume <= 2000; ++volume) {
        catalog.titles.push_back(fmt::format("The Art of Programming, volume {}", volume));
        catalog.titles.push_back(fmt::format("Gardening, volume {}", volume));
    }
    auto child = remoteobj::serve(catalog);

    int matches = 0;
    for (const std::string& title : catalog.remote->search("volume 1")) {
        if (matches < 3) fmt::print("found: {}\n", title);
        ++matches;
    }
    fmt::print("{} titles match \"volume 1\"\n", matches);

    // An endless generator: the loop takes what it needs, and breaking out cancels it.
    long last = 0;
    for (long value : catalog.remote->fibonacci()) {
        if (value > 1000000) break;
        last = value;
    }
    fmt::print("the last Fibonacci number below a million: {}\n", last);

    const long examined = catalog.remote->examined.get();
    fmt::print("the child examined {} titles\n", examined);
    // "volume 1", "volume 10..19", "volume 100..199", "volume 1000..1999": 1111 of
    // each kind of title.
    if (matches != 2222 || last != 832040 || examined != 4000) {
        fmt::print(stderr, "error: {} matches, last {}, examined {}\n", matches, last, examined);
        return 1;
    }
    return 0;
}

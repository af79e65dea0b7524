// tests/consumer: forks a Ledger's keeper, uses it through the proxy, and exits
// non-zero on any wrong value. tests/package also completes code after `book.remote->`.
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ledger.hpp"

int main() {
    Ledger book;
    auto keeper = remoteobj::process([&] { book.serve_until_closed(); });
    book.remote.wait_until_listening(keeper);

    int failures = 0;
    auto expect = [&](bool ok, const char* what) {
        fmt::print("{:<48} {}\n", what, ok ? "ok" : "FAILED");
        if (!ok) ++failures;
    };
    try {
        expect(book.remote->add(2) == 2, "add(2) returns 2");
        expect(book.remote->add(40) == 42, "add(40) returns 42");
        expect(book.remote->total.get() == 42, "total is 42");
        book.remote->owner = "consumer";
        expect(book.remote->owner.get() == "consumer", "owner was set remotely");
        expect(book.remote->entries.get() == std::vector<int>{2, 40}, "entries are [2, 40]");
        try {
            book.remote->add(-1);
            expect(false, "add(-1) throws std::invalid_argument");
        } catch (const std::invalid_argument& e) {
            expect(std::string(e.what()) == "a ledger only adds", "add(-1) throws std::invalid_argument");
        }
        expect(book.total == 0 && book.owner == "nobody", "the parent's own copy is untouched");
        book.remote->close();
        keeper.join();
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
    return failures == 0 ? 0 : 1;
}

// A user's file that uses a REMOTEOBJ class whose header never includes its
// generated `.remote.hpp`: it must not compile, and the first error must say what
// to include (tests/compile_fail/expect_first_error.cmake).
#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Counter {
public:
    remoteobj::Remote<Counter> remote{*this};
    int count = 0;
};
// #include "counter.remote.hpp" is missing here.

int main() {
    Counter counter;
    return counter.remote->count.get();
}

// An in-out parameter is taken through the proxy as the method takes it, `int&`:
// a temporary, which nothing could be written back into, does not compile there
// either.
#include "in_out.hpp"

void pass_temporary(Ledger& ledger) {
    int n = 1;
    ledger.remote->twice(n);  // an lvalue: fine
    ledger.remote->twice(2);
}

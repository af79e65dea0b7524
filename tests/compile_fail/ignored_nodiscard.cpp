// Ignoring the result of a [[nodiscard]] method through its proxy warns, as a
// local call does: compiled with -Werror=unused-result, this must fail there.
#include "accepted.hpp"

void ignore(Square& square) {
    (void)square.remote->checked(1);  // a cast says it is meant: no warning
    square.remote->checked(1);
}

// Calling a [[deprecated("...")]] method through its proxy warns with the header's
// message, as a local call does: compiled with -Werror=deprecated-declarations,
// this must fail there.
#include "accepted.hpp"

int call(Square& square) {
    return square.remote->checked(1) + square.remote->unchecked(1);
}

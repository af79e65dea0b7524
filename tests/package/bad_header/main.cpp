// Never built: the generator refuses bad.hpp first.
#include "bad.hpp"

int main() { return 0; }

// Never compiled: configuring the project fails first.
#include "plain.hpp"
int main() { return Plain{}.value; }

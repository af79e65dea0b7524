// The smallest exportable header, which Clang compiles without a warning:
// the command-line tests read remoteobj-gen's stderr as its own.
#include <remoteobj/annotate.hpp>

class REMOTEOBJ Minimal {
public:
    int value = 0;
};

// A header whose exported class has a member that cannot cross processes.
#include <remoteobj/annotate.hpp>

class REMOTEOBJ Bad {
public:
    int* pointer = nullptr;
    int fine = 0;
};

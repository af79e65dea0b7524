// Exported methods the generator must refuse, each at its own location.
#include <remoteobj/annotate.hpp>

class REMOTEOBJ Refused {
public:
    void takes_pointer(int** value);
    template <class T> void generic(T value);
    void out_param(int&& result);
    REMOTEOBJ_ONEWAY int oneway_with_result();
};

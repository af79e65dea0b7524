// Signals and streaming methods the generator must refuse, each at its own line.
#include <string>
#include <string_view>

#include <remoteobj/annotate.hpp>
#include <remoteobj/generator.hpp>

#include "stand_ins.hpp"  // remoteobj::Signal, remoteobj::Remote

class REMOTEOBJ Owner {
public:
    remoteobj::Remote<Owner> remote{*this};
};

class REMOTEOBJ Broken {
public:
    remoteobj::Signal<int, int*> pointer;
    remoteobj::Signal<const std::string&> reference;
    remoteobj::Signal<std::string_view> view;
    remoteobj::Signal<Owner> object;
    remoteobj::generator<void> nothing();
    remoteobj::generator<int&> references();
    REMOTEOBJ_ONEWAY remoteobj::generator<int> oneway();
    remoteobj::generator<Owner> owners();
    remoteobj::Signal<int> fine;
    remoteobj::generator<std::string> also_fine();
};

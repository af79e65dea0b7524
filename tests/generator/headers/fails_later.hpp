// What the generator once accepted and then could not compile, or emptied silently
// (issue #27 item 5): each is an error at the member that uses it by value.
#include <memory>
#include <vector>
#include <remoteobj/annotate.hpp>
#include "stand_ins.hpp"  // remoteobj::Remote

class REMOTEOBJ Abstract {
public:
    virtual ~Abstract() = default;
    virtual int area() const = 0;
};

struct REMOTEOBJ NoDefault {
    int x;
    NoDefault(int v) : x(v) {}
};

class REMOTEOBJ Secret {
public:
    int shown = 1;
private:
    int hidden = 500;
    int also = 2;
};

class REMOTEOBJ PrivateRemote {
    remoteobj::Remote<PrivateRemote> remote{*this};
public:
    int value = 0;
};

class REMOTEOBJ User {
public:
    remoteobj::Remote<User> remote{*this};
    template <class T> explicit User(T) {}
    void take_abstract(const Abstract& a);
    void take_no_default(NoDefault n);
    Secret secret();
    std::vector<Secret> secrets();
    std::unique_ptr<Abstract> make();
    const Abstract& shape() const;
    std::vector<NoDefault> none;
    [[nodiscard]] int checked(int x) const;
    [[deprecated("use checked()")]] int unchecked(int x) const;
};

struct REMOTEOBJ OneSecret {
    int shown = 0;
    OneSecret() = default;
private:
    int kept = 0;
};

class REMOTEOBJ Keeper {
public:
    remoteobj::Remote<Keeper> remote{*this};
    void put(const OneSecret& s);
};

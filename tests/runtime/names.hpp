// A class whose members are named after everything the proxy machinery uses: the
// generated Proxy<T>, its state and hidden friend, its constructors' parameters, the
// stubs and the class-level facts. Each must be reachable through the proxy (names_test.cpp).
#pragma once

#include <string>

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ Names {
public:
    remoteobj::Remote<Names> remote{*this};

    int interface_hash = 1;
    std::string class_name = "mine";
    int path = 3;
    int caller = 4;
    int name = 5;
    int id = 6;
    int other = 7;
    int parent = 8;
    int step = 9;
    int channel = 10;
    int key = 11;
    int add_method = 12;  // the name the stub of add() once had
    int owner = 13;
    int root_name_ = 14;
    // Names the generated class body uses for the runtime's own namespaces and views,
    // and the suffixes of the generated traits (subscript, view).
    int subscript = 15;
    int Field = 16;
    int detail = 17;
    int wire = 18;
    int generated = 19;
    int remoteobj = 20;
    int ItemView = 21;
    int Channel = 22;
    int leaf_view = 23;
    // What the proxy's views share, and the names of its state, its hidden friend and
    // the parameters and members of the stubs that return their proxy.
    int state = 24;
    int state_ = 25;
    int proxy = 26;
    int self_ = 27;
    int owner_state = 28;
    int self_proxy = 29;
    int handle = 30;
    int ProxyState = 31;
    int ProxyHandle = 32;
    int remoteobj_proxy_state = 33;
    int& leaf() { return subscript; }
    Names& self() { return *this; }  // returns its own object: the stub holds its proxy

    int call(int x) const { return x + 1; }
    int call_async() const { return 2; }
    std::string describe() const { return "described"; }
    int passto(int x) const { return x * 2; }
    int super() const { return 3; }
    int get() const { return 4; }
    void set(int value) { path = value; }
    int view() const { return 5; }
    int async() const { return 6; }
    int add(int a, int b) const { return a + b; }
    int operator[](int k) const { return k * 10; }
};


/// A class that exports no member: its proxy has no view to hold where requests
/// go, so it holds that itself, and is still a proxy for passto() and formatting.
class REMOTEOBJ Bare {
public:
    remoteobj::Remote<Bare> remote{*this};
    REMOTEOBJ_HIDE int hidden = 41;
};

/// A class that adds no member to its REMOTEOBJ base: its proxy finds its state
/// through the base proxy's members.
class REMOTEOBJ Heir : public Names {
public:
    remoteobj::Remote<Heir> remote{*this};
};

/// A class whose only members hold objects: its state is found as their parent's.
class REMOTEOBJ Holder {
public:
    remoteobj::Remote<Holder> remote{*this};
    Bare bare;
    Heir heir;
};

#include "names.remote.hpp"

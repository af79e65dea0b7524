// A class whose members are named after everything the proxy machinery uses: the
// generated Proxy<T>, its ProxyBase, its constructors' parameters, the stubs and the
// class-level facts. Each must be reachable through the proxy (names_test.cpp).
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
    int& leaf() { return subscript; }

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

#include "names.remote.hpp"

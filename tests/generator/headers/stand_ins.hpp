// Stand-ins for runtime class templates whose real headers include the
// flatc-generated wire headers, which these tests' include path does not have.
// The generator reads only a template's qualified name and arguments.
#pragma once

namespace remoteobj {

template <class... A>
class Signal {
public:
    void operator()(const A&...) const {}
};

template <class T>
class Remote {
public:
    explicit Remote(T&) {}
};

}  // namespace remoteobj

// examples/super_chaining: super<A>() reaches the base implementation of a
// virtual method; chain().chain().chain() runs three remote calls on one object.
#include <fmt/format.h>

#include "classes.hpp"

int main() {
    B obj;
    auto child = remoteobj::serve(obj);  // a child that listens on obj.remote

    const int derived = obj.remote->asdf();
    const int base = obj.remote.super().asdf();  // A::asdf, like super(B, obj).asdf()
    fmt::print("{} asdf() = {}, {} asdf() = {}\n", obj.remote.proxy(), derived, obj.remote.super(), base);

    const int before = obj.remote->x.get();
    const int after = obj.remote->chain().chain().chain().x.get();
    fmt::print("x = {} before, {} after chain().chain().chain()\n", before, after);

    B local;  // the same, locally
    const int local_after = local.chain().chain().chain().x;
    return derived == 6 && base == 5 && before == 0 && after == 3 && local_after == 3 ? 0 : 1;
}

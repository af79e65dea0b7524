// examples/basic_usage: the seed's Basic Usage, line by line: calls, passto,
// views of attributes and items, get in its three spellings, setting items and
// attributes. Each Python line is in the comment next to its C++.
#include <stdexcept>

#include <fmt/format.h>

#include "idk.hpp"

namespace {

std::size_t length(const Idk& list) { return list.size(); }  // Python's len, for passto

bool check(bool ok, const char* what) {
    fmt::print("{:<52} {}\n", what, ok ? "ok" : "FAILED");
    return ok;
}

}  // namespace

int main() {
    Idk obj;
    auto child = remoteobj::serve(obj);  // a child process listening on obj.remote
    auto& r_obj = obj.remote;

    bool ok = true;
    r_obj->append(5);                                                        // r_obj.append(5)
    ok &= check(r_obj.passto<&length>() == 1, "r_obj.passto(len) == 1");     // r_obj.passto(len) == 1
    r_obj->another.push_back(6);                                             // r_obj.another.append(6)
    ok &= check(r_obj->another.get() == std::vector<int>{6}, "another == [6]");
    ok &= check(remoteobj::get(r_obj[0]) == 5, "remoteobj::get(r_obj[0]) == 5");  // remoteobj.get(r_obj[0]) == 5
    ok &= check(*r_obj[0] == 5, "*r_obj[0] == 5");                           // r_obj[0].__ == 5
    ok &= check(r_obj[0].get() == 5, "r_obj[0].get() == 5");                 // r_obj[0].get_() == 5
    ok &= check(r_obj->another[0].get() == 6, "r_obj->another[0].get() == 6");  // r_obj.another[0]
    r_obj[0] = 6;                                                            // r_obj[0] = 6
    r_obj->something = 10;                                                   // r_obj.something = 10
    ok &= check(r_obj[0].get() == 6 && r_obj->something.get() == 10, "r_obj[0] = 6; r_obj.something = 10");
    ok &= check(remoteobj::len(r_obj) == 1, "remoteobj::len(r_obj) == 1");
    try {
        r_obj[3].get();
        ok = false;
    } catch (const std::out_of_range& e) {
        ok &= check(true, "r_obj[3] raises std::out_of_range");
    }
    ok &= check(obj.empty() && obj.something == 5, "the parent's own obj is untouched");
    return ok ? 0 : 1;
}

// what() of the remoteobj::InterfaceMismatch a call throws, for tests that check
// what an interface mismatch names; anything else it throws fails the test.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include <remoteobj/error.hpp>

template <class Call>
std::string mismatch_of(Call call) {
    try {
        call();
    } catch (const remoteobj::InterfaceMismatch& e) {
        return e.what();
    }
    FAIL("no InterfaceMismatch");
    return "";
}

// When a shared-memory end spins and when it stops: detail::SpinPolicy alone.
#include <doctest/doctest.h>

#include <chrono>

#include <remoteobj/detail/spin_policy.hpp>

namespace {

using remoteobj::detail::SpinPolicy;
using clock_type = std::chrono::steady_clock;

// Holds the CPU for `span`, as a spinner that was preempted finds its clock moved on.
void hold_for(std::chrono::microseconds span) {
    const auto until = clock_type::now() + span;
    while (clock_type::now() < until) {
    }
}

// A spin whose thread is "preempted" once (a long gap between its clock reads),
// then finds work.
bool preempted_spin(SpinPolicy& policy) {
    int looks = 0;
    return policy.spin([&] {
        if (++looks == 2) hold_for(SpinPolicy::preempted_gap * 2);
        return looks > 70;  // past the first clock read after the gap
    });
}

}  // namespace

TEST_CASE("a spin that finds work keeps spinning on") {
    SpinPolicy policy(1'000'000);
    for (int i = 0; i < 1000; ++i) {
        int looks = 0;
        REQUIRE(policy.spin([&] { return ++looks > 3; }));
    }
    CHECK_FALSE(policy.resting());
}

TEST_CASE("a spin that simply runs out is no strike: the peer had nothing to send") {
    SpinPolicy policy(20'000);
    for (int i = 0; i < 10; ++i) CHECK_FALSE(policy.spin([] { return false; }));
    CHECK_FALSE(policy.resting());
}

TEST_CASE("for an end that waits for an answer it is due, three spins that run out in a row are three strikes") {
    SpinPolicy policy(20'000, SpinPolicy::RunOut::strike);
    for (int i = 0; i < SpinPolicy::strikes_to_stop - 1; ++i) CHECK_FALSE(policy.spin([] { return false; }));
    CHECK_FALSE(policy.resting());
    CHECK_FALSE(policy.spin([] { return false; }));
    CHECK(policy.resting());
}

TEST_CASE("three preempted spins in a row: the end sleeps at once for its next waits, then probes once") {
    SpinPolicy policy(10'000'000);
    for (int i = 0; i < SpinPolicy::strikes_to_stop; ++i) REQUIRE(preempted_spin(policy));
    REQUIRE(policy.resting());
    // Resting: ready() is not even asked.
    int asked = 0;
    for (int i = 0; i < SpinPolicy::waits_off - 1; ++i) CHECK_FALSE(policy.spin([&] { return ++asked > 0; }));
    CHECK(asked == 0);
    // The probe spins, and one that pays ends the rest.
    int looks = 0;
    CHECK(policy.spin([&] { return ++looks > 3; }));
    CHECK_FALSE(policy.resting());
}

TEST_CASE("a probe that is preempted again rests again at once") {
    SpinPolicy policy(10'000'000);
    for (int i = 0; i < SpinPolicy::strikes_to_stop; ++i) REQUIRE(preempted_spin(policy));
    for (int i = 0; i < SpinPolicy::waits_off - 1; ++i) (void)policy.spin([] { return true; });
    REQUIRE(preempted_spin(policy));  // the probe
    CHECK(policy.resting());
}

TEST_CASE("a budget of 0 never spins") {
    SpinPolicy policy(0);
    int asked = 0;
    CHECK_FALSE(policy.spin([&] { return ++asked > 0; }));
    CHECK(asked == 0);
    CHECK_FALSE(policy.enabled());
}

// At the descriptor limit: listen(), a Remote's construction and a call fail with
// remoteobj::SystemError (an Error, with the errno), undo what they started, and
// leave the link usable once descriptors are free again. Not under sanitizers,
// whose runtimes need descriptors themselves (test_support.hpp).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <vector>

#include <remoteobj/process.hpp>

#include "test_support.hpp"

namespace {

// Leaves exactly `free` descriptors open-able below the limit, for its scope.
class FewDescriptors {
public:
    explicit FewDescriptors(int free) {
        for (;;) {
            const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (fd < 0) break;
            held_.push_back(fd);
            if (held_.size() > 4096) break;  // no limit to speak of: the test below fails
        }
        for (int i = 0; i < free && !held_.empty(); ++i) {
            ::close(held_.back());
            held_.pop_back();
        }
    }
    ~FewDescriptors() {
        for (int fd : held_) ::close(fd);
    }
    FewDescriptors(const FewDescriptors&) = delete;
    FewDescriptors& operator=(const FewDescriptors&) = delete;

private:
    std::vector<int> held_;
};

void limit_descriptors(rlim_t count) {
    rlimit limit{count, count};
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);
}

std::size_t mappings() {
    std::ifstream maps("/proc/self/maps");
    std::size_t lines = 0;
    for (std::string line; std::getline(maps, line);) ++lines;
    return lines;
}

}  // namespace

TEST_CASE("listen() at the descriptor limit throws SystemError and leaves the link as it was" * doctest::skip(REMOTEOBJ_TEST_SANITIZED)) {
    Widget widget;
    Signal done;
    auto child = remoteobj::process([&] {
        limit_descriptors(256);
        int failures = 0;
        for (int free = 0; free <= 2; ++free) {
            FewDescriptors few(free);
            try {
                auto listening = widget.remote.listen();
                ++failures;  // it started with too few descriptors
            } catch (const remoteobj::SystemError& e) {
                if (e.code().value() != EMFILE) ++failures;
            }
            if (widget.remote.listening()) ++failures;  // a failed start left the flag set
        }
        // With descriptors again, it starts, and the parent's call is served.
        auto listening = widget.remote.listen();
        done.wait();
        return failures;
    });
    widget.remote.wait_until_listening(child);
    CHECK(widget.remote->add(1, 2) == 3);
    done.raise();
    CHECK(child.join() == 0);
}

TEST_CASE("a Remote that cannot be made releases what it made: 70,000 failures leak no mapping" * doctest::skip(REMOTEOBJ_TEST_SANITIZED)) {
    auto child = remoteobj::process([] {
        limit_descriptors(256);
        FewDescriptors few(2);  // the eventfd and the flags' memfd open, the pipes cannot
        const std::size_t before = mappings();
        int thrown = 0;
        for (int i = 0; i < 70000; ++i) {
            try {
                Widget widget;
            } catch (const remoteobj::SystemError&) {
                ++thrown;
            }
        }
        return thrown == 70000 && mappings() <= before + 8 ? 0 : 1;
    });
    CHECK(child.join() == 0);
}

TEST_CASE("a call at the descriptor limit throws SystemError, which is a remoteobj::Error" * doctest::skip(REMOTEOBJ_TEST_SANITIZED)) {
    ServedWidget w;
    auto caller = remoteobj::process([&] {
        limit_descriptors(256);
        FewDescriptors few(0);  // the first call opens the listener's pidfd: it cannot
        try {
            (void)w.obj.remote->add(1, 2);
        } catch (const remoteobj::Error& e) {
            const auto* system = dynamic_cast<const remoteobj::SystemError*>(&e);
            return system && system->code().value() == EMFILE ? 0 : 2;
        }
        return 1;
    });
    CHECK(caller.join() == 0);
    CHECK(w.obj.remote->add(1, 2) == 3);  // the parent's calls are untouched
}

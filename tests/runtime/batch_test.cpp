// remoteobj::Batch: requests kept and written together, replies written together,
// and every reply still reaching its own future.
#include <doctest/doctest.h>

#include <sys/ioctl.h>

#include <chrono>
#include <vector>

#include <remoteobj/batch.hpp>
#include <remoteobj/process.hpp>

#include "test_support.hpp"

namespace {

int queued_bytes(int fd) {
    int queued = -1;
    REQUIRE(::ioctl(fd, FIONREAD, &queued) == 0);
    return queued;
}

/// A Widget whose child listens in the foreground and, once it served the call that
/// made this process's connection, serves only once told to, so the test can look
/// at the connection's request pipe before anything is read.
struct HeldWidget {
    Widget obj;
    Signal connected, serve, stop;
    remoteobj::Process<void> child = remoteobj::process(remoteobj::process_options{.name = "held"}, [this] {
        auto listening = obj.remote.listen(remoteobj::foreground);
        while (remoteobj::detail::wait_fd(listening.ready_fd(), POLLIN, connected.fds[0], -1) ==
               remoteobj::detail::Ready::Fd)
            obj.remote.process_requests();
        serve.wait();
        while (remoteobj::detail::wait_fd(stop.fds[0], POLLIN, -1, 0) == remoteobj::detail::Ready::Timeout)
            obj.remote.process_requests();
    });
    HeldWidget() {
        obj.remote.wait_until_listening(child);
        CHECK(obj.remote->add(0, 0) == 0);  // connects
        connected.raise();
    }
    ~HeldWidget() {
        connected.raise();
        serve.raise();  // in case the test did not get that far
        stop.raise();
        child.join();
    }
    int request_pipe() { return remoteobj::detail_link_of(obj.remote).request_fd(); }
};

}  // namespace

TEST_CASE("a Batch keeps its requests until it ends, then writes them all: each future gets its own reply") {
    HeldWidget w;
    std::vector<remoteobj::future<int>> sums;
    {
        remoteobj::Batch batch(w.obj.remote);
        for (int i = 0; i < 100; ++i) sums.push_back(w.obj.remote->add.async(i, 1000));
        w.obj.remote->note(5);  // one-way: kept too
        CHECK(queued_bytes(w.request_pipe()) == 0);
    }
    const int written = queued_bytes(w.request_pipe());
    CHECK(written > 100 * 40);  // all of them, before the listener read anything
    w.serve.raise();
    for (int i = 99; i >= 0; --i) CHECK(sums[static_cast<std::size_t>(i)].get() == i + 1000);
    CHECK(w.obj.remote->notes.get() == 5);
}

TEST_CASE("inside a Batch, flush(), a synchronous call, get() and ready() each write what is kept") {
    HeldWidget w;
    remoteobj::Batch batch(w.obj.remote);
    auto first = w.obj.remote->add.async(1, 1);
    CHECK(queued_bytes(w.request_pipe()) == 0);
    batch.flush();
    const int after_flush = queued_bytes(w.request_pipe());
    CHECK(after_flush > 0);

    auto second = w.obj.remote->add.async(2, 2);
    CHECK(queued_bytes(w.request_pipe()) == after_flush);
    w.serve.raise();
    CHECK(w.obj.remote->add(3, 3) == 6);  // goes out right after `second`, in the same write
    CHECK(second.get() == 4);
    CHECK(first.get() == 2);

    auto third = w.obj.remote->add.async(4, 4);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!third.ready()) REQUIRE(std::chrono::steady_clock::now() < give_up);  // ready() wrote it
    CHECK(third.get() == 8);

    auto fourth = w.obj.remote->add.async(5, 5);
    CHECK(fourth.get() == 10);  // get() inside the open batch writes it: no deadlock
}

TEST_CASE("a Batch larger than a pipeful goes out a pipeful at a time, in order") {
    ServedWidget w;
    std::vector<remoteobj::future<int>> sums;
    {
        remoteobj::Batch batch(w.obj.remote);
        for (int i = 0; i < 5000; ++i) sums.push_back(w.obj.remote->bump.async());
    }
    for (int i = 0; i < 5000; ++i) CHECK(sums[static_cast<std::size_t>(i)].get() == i + 1);
}

TEST_CASE("nested batches write when the outer one ends: threads outside a batch are not held") {
    HeldWidget w;
    remoteobj::future<int> inner_sum;
    {
        remoteobj::Batch outer(w.obj.remote);
        {
            remoteobj::Batch inner(w.obj.remote);
            inner_sum = w.obj.remote->add.async(7, 7);
        }
        CHECK(queued_bytes(w.request_pipe()) == 0);
    }
    CHECK(queued_bytes(w.request_pipe()) > 0);
    w.serve.raise();
    CHECK(inner_sum.get() == 14);
}

TEST_CASE("a Batch whose listener died: the futures throw PeerLost, the Batch's end does not throw") {
    Widget obj;
    Signal stop;
    auto child = remoteobj::process(remoteobj::process_options{.name = "doomed"}, [&] {
        auto listening = obj.remote.listen();
        stop.wait();
    });
    obj.remote.wait_until_listening(child);
    std::vector<remoteobj::future<int>> sums;
    {
        remoteobj::Batch batch(obj.remote);
        for (int i = 0; i < 10; ++i) sums.push_back(obj.remote->add.async(i, i));
        child.kill();
        CHECK_THROWS_AS(child.join(), remoteobj::ProcessDied);
    }
    for (auto& sum : sums) CHECK_THROWS_AS(sum.get(), remoteobj::PeerLost);
}

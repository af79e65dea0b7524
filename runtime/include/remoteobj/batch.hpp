// remoteobj::Batch: many small calls for the price of a few system calls.
//
//     std::vector<remoteobj::future<int>> sums;
//     {
//         remoteobj::Batch batch(obj.remote);
//         for (int i = 0; i < 64; ++i) sums.push_back(obj.remote->add.async(i, 1));
//     }  // the 64 requests go out in one write()
//     for (auto& s : sums) total += s.get();
//
// While a batch is open on a link, `.async()` and one-way requests are kept and
// written together: when the last batch on that link ends, when a pipeful is
// kept (1 KiB over a shared-memory link whose ends spin: the listener then serves
// the first while the rest are encoded), when anything waits for a reply (get(),
// ready()), or with the next synchronous call, which goes out with them. The listener answers a batch the
// same way: the replies to the batched requests that have arrived are written
// together once those requests have run.
//
// The price, which plain `.async()` does not pay: a batched reply waits for the
// batched requests behind it that had arrived with it; and a request that kills
// the listening process takes the unsent replies of its batch with it (their
// futures throw PeerLost, although those requests ran).
#pragma once

#include "remoteobj/proxy.hpp"

namespace remoteobj {

template <class T>
class Remote;

class Batch {
public:
    /// Opens a batch on the link under `proxy` (a Proxy<T>: a root, nested or standalone one).
    template <detail::proxy_type P>
    explicit Batch(const P& proxy) : Batch(detail::ProxyAccess::state(proxy).caller()) {}
    /// Opens a batch on `remote`'s link.
    template <class T>
    explicit Batch(Remote<T>& remote) : Batch(remote.proxy()) {}
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    /// Ends the batch: what it kept is written (unless another batch on the link is
    /// still open). A failed write is not thrown from here: the futures of the
    /// requests it carried throw it (PeerLost) when awaited.
    ~Batch() {
        try {
            caller_->uncork();
        } catch (const std::exception&) {
            // The listener is gone: every pending future reports it.
        }
    }

    /// Writes what is kept so far, now; the batch stays open.
    void flush() { caller_->flush(); }

private:
    explicit Batch(detail::Caller& caller) : caller_(&caller) { caller_->cork(); }

    detail::Caller* caller_;
};

}  // namespace remoteobj

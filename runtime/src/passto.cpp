// The registry of passto functions; see passto.hpp.
#include "remoteobj/passto.hpp"

#include <map>
#include <mutex>

#include <fmt/format.h>

namespace remoteobj::detail {
namespace {

struct Entry {
    std::uint64_t interface;
    PasstoFn fn;
};

// Filled during static initialisation, so before any fork(): a child inherits it
// complete and never waits on this lock held by a thread that is not there.
std::mutex registry_mutex;
std::map<std::uint64_t, Entry>& registry() {
    static std::map<std::uint64_t, Entry> entries;
    return entries;
}

}  // namespace

std::uint64_t fnv1a(std::string_view text) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

void register_passto(std::uint64_t id, std::uint64_t interface, PasstoFn fn) {
    std::lock_guard lock(registry_mutex);
    registry()[id] = {interface, fn};
}

void serve_passto(void* object, std::uint64_t interface, const wire::Request& request,
                  flatbuffers::FlatBufferBuilder& out) {
    const std::uint64_t id = ValueCodec<std::uint64_t>::decode(bytes_of(request.key()));
    Entry entry{};
    {
        std::lock_guard lock(registry_mutex);
        auto it = registry().find(id);
        if (it == registry().end())
            throw BadRequest(fmt::format("passto: no function with id {:016x} is registered here", id));
        entry = it->second;
    }
    if (entry.interface != interface)
        throw BadRequest(fmt::format("passto: function {:016x} takes another class of object", id));
    const values::Arguments* args = request.args() ? verified_root<values::Arguments>(bytes_of(request.args()), "passto arguments") : nullptr;
    entry.fn(object, args, out);
}

}  // namespace remoteobj::detail

// The sockaddr_un of an address as the runtime spells it ("unix:@name" in the
// abstract namespace, "unix:/path" a file), built here apart from the runtime's own
// parser: for tests and tools that bind or connect raw sockets, bytes no proxy sends.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace remoteobj::testing {

struct UnixAddress {
    sockaddr_un addr{};
    socklen_t length = 0;

    const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&addr); }
};

/// "unix:@name" or "unix:/path"; throws std::invalid_argument for anything else.
inline UnixAddress unix_address(std::string_view address) {
    constexpr std::string_view scheme = "unix:";
    if (!address.starts_with(scheme)) throw std::invalid_argument("not a unix: address: " + std::string(address));
    std::string_view name = address.substr(scheme.size());
    UnixAddress out;
    out.addr.sun_family = AF_UNIX;
    const bool abstract = name.starts_with('@');
    if (abstract) name.remove_prefix(1);  // a leading NUL in sun_path instead
    const std::size_t offset = abstract ? 1 : 0;
    if (name.empty() || offset + name.size() >= sizeof out.addr.sun_path)
        throw std::invalid_argument("no room for this address in sun_path: " + std::string(address));
    std::memcpy(out.addr.sun_path + offset, name.data(), name.size());
    out.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + name.size() + (abstract ? 0 : 1));
    return out;
}

}  // namespace remoteobj::testing

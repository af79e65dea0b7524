// tests/consumer: one of two headers of the target named client.hpp; their generated
// files keep the folder (net/client.remote.hpp), so neither hides the other.
#pragma once

#include <string>

#include <remoteobj/remoteobj.hpp>

namespace net {
class REMOTEOBJ Client {
public:
    remoteobj::Remote<Client> remote{*this};
    std::string host = "localhost";
    int port = 80;
};
}  // namespace net

#include "net/client.remote.hpp"

// tests/consumer: the other client.hpp of the target (see net/client.hpp).
#pragma once

#include <map>
#include <string>

#include <remoteobj/remoteobj.hpp>

namespace db {
class REMOTEOBJ Client {
public:
    remoteobj::Remote<Client> remote{*this};
    std::string database = "main";
    std::map<std::string, int> stock;  // the same type again, in a third header
};
}  // namespace db

#include "db/client.remote.hpp"

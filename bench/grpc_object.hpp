// The object remoteobj_grpc_bench serves over gRPC: a class with no Remote member,
// served under the Server's own mutex.
#pragma once

#include <cstdint>
#include <vector>

#include <remoteobj/remoteobj.hpp>

class REMOTEOBJ GrpcBench {
public:
    int field = 0;
    int add(int a, int b) { return a + b; }
    std::uint64_t take_bytes(const std::vector<std::uint8_t>& bytes) { return bytes.size(); }
};

#include "grpc_object.remote.hpp"

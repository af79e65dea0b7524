// Where the command's requests go: a connection to a `unix:` address, or a gRPC
// stream to a `grpc://host:port` one, each made as "any class" (remoteobj::describe's
// way). Knows nothing of members or values.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <remoteobj/transport.hpp>

namespace remoteobj::cli {

/// How to reach a gRPC address (ignored for `unix:`).
struct ReachOptions {
    std::string token;    // --token: the server's token, when it asks for one
    std::string tls_ca;   // --tls-ca: a PEM file of the authorities to trust; TLS when set
};

class Endpoint {
public:
    virtual ~Endpoint() = default;
    /// What a Caller sends requests through and reads replies from.
    virtual detail::CallerTransport& transport() noexcept = 0;
    /// The qualified name of the served class, as the listener's greeting names it.
    virtual const std::string& served_class() const noexcept = 0;
};

/// Connects to `address` ("unix:/path", "unix:@name", "grpc://host:port") and reads
/// the listener's greeting. Throws what connect<T>() and remoteobj::grpc::connect<T>()
/// throw (NotListening when nobody listens), and UsageError for an address or an
/// option this build cannot use.
std::unique_ptr<Endpoint> open_endpoint(std::string_view address, const ReachOptions& options);

/// Whether this build reaches gRPC addresses (REMOTEOBJ_WITH_GRPC).
bool reaches_grpc() noexcept;

}  // namespace remoteobj::cli

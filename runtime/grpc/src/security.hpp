// Which gRPC credentials a server or a client uses: TLS when given, gRPC's local
// credentials on a loopback address, unencrypted only when asked for.
#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>
#include <string_view>

#include "remoteobj/grpc.hpp"

namespace remoteobj::grpc::detail {

/// The metadata key a connection's token travels in.
inline constexpr const char* token_key = "remoteobj-token";
/// The one method of the service: a connection is one call of it.
inline constexpr const char* connect_method = "/remoteobj.Remote/Connect";

/// Whether `address` ("host:port", "[::1]:port", "ipv4:127.0.0.1:port") names this
/// machine's loopback interface.
bool is_loopback(std::string_view address);

/// Throws Error naming `what` and `address` when the options are not safe for it.
std::shared_ptr<::grpc::ServerCredentials> server_credentials(std::string_view address, const serve_options& options,
                                                              const char* what);
/// Sets in `args` what TLS needs (the name to check), besides the credentials.
std::shared_ptr<::grpc::ChannelCredentials> channel_credentials(std::string_view address,
                                                                const connect_options& options, const char* what,
                                                                ::grpc::ChannelArguments& args);

/// Compares a token in time that does not depend on where they differ.
bool same_token(std::string_view presented, std::string_view expected) noexcept;

}  // namespace remoteobj::grpc::detail

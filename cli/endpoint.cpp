// Connecting to a unix: or grpc:// address; see endpoint.hpp.
#include "endpoint.hpp"

#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <remoteobj/connection.hpp>
#ifdef REMOTEOBJ_CLI_GRPC
#include <remoteobj/grpc.hpp>
#endif

#include "usage_error.hpp"

namespace remoteobj::cli {

namespace {

constexpr std::string_view grpc_scheme = "grpc://";

class UnixEndpoint final : public Endpoint {
public:
    explicit UnixEndpoint(std::string_view address)
        : connection_(address, detail::any_class(), connect_options{}.max_message) {}
    detail::CallerTransport& transport() noexcept override { return connection_; }
    const std::string& served_class() const noexcept override { return connection_.served_class(); }

private:
    detail::SocketConnection connection_;
};

#ifdef REMOTEOBJ_CLI_GRPC
std::string read_file(const std::string& path, const char* option) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw UsageError(fmt::format("{} {}: cannot read that file", option, path));
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

grpc::connect_options grpc_options(const ReachOptions& options) {
    grpc::connect_options out;
    out.token = options.token;
    if (!options.tls_ca.empty()) out.tls = grpc::client_tls{read_file(options.tls_ca, "--tls-ca")};
    return out;
}

class GrpcEndpoint final : public Endpoint {
public:
    GrpcEndpoint(std::string_view host_port, const ReachOptions& options)
        : link_(host_port, detail::any_class(), grpc_options(options)),
          // The link speaks the envelope through a SocketConnection, which read the greeting.
          served_class_(dynamic_cast<const detail::SocketConnection&>(link_.transport()).served_class()) {}
    detail::CallerTransport& transport() noexcept override { return link_.transport(); }
    const std::string& served_class() const noexcept override { return served_class_; }

private:
    grpc::detail::ClientLink link_;
    std::string served_class_;
};
#endif

}  // namespace

bool reaches_grpc() noexcept {
#ifdef REMOTEOBJ_CLI_GRPC
    return true;
#else
    return false;
#endif
}

std::unique_ptr<Endpoint> open_endpoint(std::string_view address, const ReachOptions& options) {
    if (!address.starts_with(grpc_scheme)) {
        if (!options.token.empty() || !options.tls_ca.empty())
            throw UsageError(fmt::format("{}: --token and --tls-ca are for grpc:// addresses", address));
        return std::make_unique<UnixEndpoint>(address);
    }
#ifdef REMOTEOBJ_CLI_GRPC
    return std::make_unique<GrpcEndpoint>(address.substr(grpc_scheme.size()), options);
#else
    throw UsageError(fmt::format("{}: this remoteobj was built without gRPC (REMOTEOBJ_WITH_GRPC=OFF)", address));
#endif
}

}  // namespace remoteobj::cli

// Choosing credentials; see security.hpp.
#include "security.hpp"

#include <grpc/grpc_security_constants.h>

#include <fmt/format.h>

#include "remoteobj/error.hpp"

namespace remoteobj::grpc::detail {

namespace {

// The host of "host:port", "[v6]:port" or "scheme:host:port".
std::string_view host_of(std::string_view address) {
    for (std::string_view scheme : {"ipv4:", "ipv6:", "dns:///", "dns:"})
        if (address.starts_with(scheme)) address.remove_prefix(scheme.size());
    if (address.starts_with('[')) {
        const auto end = address.find(']');
        return end == std::string_view::npos ? address : address.substr(1, end - 1);
    }
    const auto colon = address.rfind(':');
    return colon == std::string_view::npos ? address : address.substr(0, colon);
}

}  // namespace

bool is_loopback(std::string_view address) {
    const std::string_view host = host_of(address);
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

bool same_token(std::string_view presented, std::string_view expected) noexcept {
    // Only the length shows in the time taken, never where the bytes differ.
    if (expected.empty() || presented.size() != expected.size()) return false;
    unsigned char differ = 0;
    for (std::size_t i = 0; i < presented.size(); ++i)
        differ |= static_cast<unsigned char>(presented[i] ^ expected[i]);
    return differ == 0;
}

std::shared_ptr<::grpc::ServerCredentials> server_credentials(std::string_view address, const serve_options& options,
                                                              const char* what) {
    if (options.tls) {
        ::grpc::SslServerCredentialsOptions ssl;
        ssl.pem_key_cert_pairs.push_back({options.tls->private_key, options.tls->certificate_chain});
        return ::grpc::SslServerCredentials(ssl);
    }
    if (options.plaintext) return ::grpc::InsecureServerCredentials();
    if (is_loopback(address)) return ::grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    throw Error(fmt::format("{}: serving at {} without TLS would send every byte across the network "
                            "unencrypted; give serve_options{{.tls = ...}}, or .plaintext = true to mean it",
                            what, address));
}

std::shared_ptr<::grpc::ChannelCredentials> channel_credentials(std::string_view address,
                                                                const connect_options& options, const char* what,
                                                                ::grpc::ChannelArguments& args) {
    if (options.tls) {
        ::grpc::SslCredentialsOptions ssl;
        ssl.pem_root_certs = options.tls->root_certificates;
        if (!options.tls->server_name.empty()) args.SetSslTargetNameOverride(options.tls->server_name);
        return ::grpc::SslCredentials(ssl);
    }
    if (options.plaintext) return ::grpc::InsecureChannelCredentials();
    if (is_loopback(address)) return ::grpc::experimental::LocalCredentials(LOCAL_TCP);
    throw Error(fmt::format("{}: connecting to {} without TLS would send every byte across the network "
                            "unencrypted; give connect_options{{.tls = ...}}, or .plaintext = true to mean it",
                            what, address));
}

}  // namespace remoteobj::grpc::detail

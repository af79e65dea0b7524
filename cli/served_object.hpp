// One connection to a served object (endpoint.hpp: a unix: or grpc:// address),
// with its description: what the commands send requests through. It sends what it
// is given; it never encodes or decodes a member's values.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <remoteobj/connection.hpp>

#include "endpoint.hpp"

namespace remoteobj::cli {

class ServedObject {
public:
    /// Connects to `address` and reads its description. Throws what
    /// open_endpoint() throws (NotListening when nobody listens), and UsageError
    /// for a description this tool cannot read.
    ServedObject(std::string_view address, const ReachOptions& options);

    /// The qualified name of the served class, as the listener's greeting names it.
    const std::string& served_class() const noexcept { return served_class_; }
    /// The description's text, exactly as the listener sent it.
    const std::string& description_text() const noexcept { return text_; }
    /// The description (docs/description.md), parsed.
    const nlohmann::json& description() const noexcept { return description_; }
    /// The served class's entry in `classes`.
    const nlohmann::json& served() const noexcept { return *served_; }

    /// Sends `op` on the served class's member `member` (its description entry)
    /// with `argc` arguments, `encode` building (and finishing) the argument table
    /// or leaving the builder empty, and returns the reply's value bytes. Throws
    /// what the member threw, as the runtime rethrows it.
    std::vector<std::uint8_t> request(wire::Operation op, const nlohmann::json& member, std::uint8_t argc,
                                      const std::function<void(flatbuffers::FlatBufferBuilder&)>& encode);

private:
    std::unique_ptr<Endpoint> endpoint_;
    detail::Target target_{nullptr, &detail::any_class, nullptr};  // nothing is served here
    detail::Caller caller_;
    std::string served_class_;
    std::string text_;
    nlohmann::json description_;
    const nlohmann::json* served_ = nullptr;
    std::uint64_t class_id_ = 0;
};

}  // namespace remoteobj::cli

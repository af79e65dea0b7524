// One connection to a served object; see served_object.hpp.
#include "served_object.hpp"

#include <fmt/format.h>
#include <remoteobj/connection.hpp>

#include "usage_error.hpp"

namespace remoteobj::cli {

namespace {

constexpr int known_version = 2;  // of the description format (docs/description.md)

}  // namespace

ServedObject::ServedObject(std::string_view address, const ReachOptions& options)
    : endpoint_(open_endpoint(address, options)),
      caller_(endpoint_->transport(), target_),
      served_class_(endpoint_->served_class()),
      text_(detail::request_description(caller_)) {
    description_ = nlohmann::json::parse(text_, nullptr, /*allow_exceptions=*/false);
    if (description_.is_discarded() || !description_.is_object())
        throw UsageError(fmt::format("{}: the listener's description is not JSON", address));
    if (description_.value("format", "") != "remoteobj-description")
        throw UsageError(fmt::format("{}: the listener sent no description (format '{}')", address,
                                     description_.value("format", "")));
    if (description_.value("version", 0) > known_version)
        throw UsageError(fmt::format("{}: the description is of version {}, this tool reads up to {}: use a newer "
                                     "remoteobj",
                                     address, description_.value("version", 0), known_version));
    if (!description_.contains("classes") || !description_["classes"].is_array())
        throw UsageError(fmt::format("{}: the description lists no classes", address));
    for (const nlohmann::json& cls : description_["classes"])  // served_ points into description_
        if (cls.value("qualified_name", "") == served_class_) served_ = &cls;
    if (!served_)
        throw UsageError(fmt::format("{}: the description does not describe the served class {}", address,
                                     served_class_));
    class_id_ = std::stoull(served_->value("class_id", "0"), nullptr, 16);
}

std::vector<std::uint8_t> ServedObject::request(wire::Operation op, const nlohmann::json& member, std::uint8_t argc,
                                                const std::function<void(flatbuffers::FlatBufferBuilder&)>& encode) {
    // `what` names the member in the runtime's messages; it outlives the call.
    const std::string what = fmt::format("{}::{}", served_class_, member.value("name", ""));
    const detail::CallSpec spec{op, member.at("id").get<std::uint32_t>(), argc, what.c_str(), class_id_};
    return caller_.call(detail::Path{}, spec, encode, [](detail::Bytes value) {
        return std::vector<std::uint8_t>(value.begin(), value.end());
    });
}

}  // namespace remoteobj::cli

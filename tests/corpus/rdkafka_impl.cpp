// The test double's bodies (see rdkafka_impl.hpp), and Conf::create().
#include "rdkafka_impl.hpp"

#include <set>

namespace corpus {
namespace {

using RdKafka::Conf;

// The properties this double knows, per kind, with their defaults.
const std::map<std::string, std::string>& known(Conf::ConfType type) {
    static const std::map<std::string, std::string> global = {
        {"bootstrap.servers", ""}, {"client.id", "rdkafka"}, {"enable.sasl.oauthbearer.unsecure.jwt", "false"},
        {"linger.ms", "5"},        {"sasl.mechanisms", "GSSAPI"}};
    static const std::map<std::string, std::string> topic = {{"acks", "-1"}, {"message.timeout.ms", "300000"}};
    return type == Conf::CONF_GLOBAL ? global : topic;
}

bool is_number(const std::string& s) {
    return !s.empty() && s.find_first_not_of("-0123456789") == std::string::npos;
}

Conf::ConfResult callback_not_kept(const std::string& name, std::string& errstr) {
    errstr = "Property \"" + name + "\": callbacks are not kept by this test double";
    return Conf::CONF_INVALID;
}

}  // namespace

Conf::ConfResult MapConf::set(const std::string& name, const std::string& value, std::string& errstr) {
    const auto& props = known(type_);
    if (!props.count(name)) {
        errstr = "No such configuration property: \"" + name + "\"";
        return CONF_UNKNOWN;
    }
    if (name.ends_with(".ms") && !is_number(value)) {
        errstr = "Invalid value \"" + value + "\" for configuration property \"" + name + "\"";
        return CONF_INVALID;
    }
    props_[name] = value;
    errstr.clear();
    return CONF_OK;
}

Conf::ConfResult MapConf::set(const std::string& name, RdKafka::DeliveryReportCb* dr_cb, std::string& errstr) {
    if (name != "dr_cb") return callback_not_kept(name, errstr);
    dr_cb_ = dr_cb;
    return CONF_OK;
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::OAuthBearerTokenRefreshCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::EventCb* event_cb, std::string& errstr) {
    if (name != "event_cb") return callback_not_kept(name, errstr);
    event_cb_ = event_cb;
    return CONF_OK;
}
Conf::ConfResult MapConf::set(const std::string& name, const Conf*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::PartitionerCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::PartitionerKeyPointerCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::SocketCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::OpenCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::RebalanceCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::OffsetCommitCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::SslCertificateVerifyCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}
Conf::ConfResult MapConf::set(const std::string& name, RdKafka::ConsumeCb*, std::string& errstr) {
    return callback_not_kept(name, errstr);
}

Conf::ConfResult MapConf::set_ssl_cert(RdKafka::CertificateType, RdKafka::CertificateEncoding, const void*, size_t,
                                       std::string& errstr) {
    errstr = "ssl.cert: not supported by this test double";
    return CONF_INVALID;
}

Conf::ConfResult MapConf::get(const std::string& name, std::string& value) const {
    if (auto set = props_.find(name); set != props_.end()) {
        value = set->second;
        return CONF_OK;
    }
    const auto& props = known(type_);
    auto found = props.find(name);
    if (found == props.end()) return CONF_UNKNOWN;
    value = found->second;
    return CONF_OK;
}

Conf::ConfResult MapConf::get(RdKafka::DeliveryReportCb*& dr_cb) const {
    dr_cb = dr_cb_;
    return dr_cb_ ? CONF_OK : CONF_UNKNOWN;
}
Conf::ConfResult MapConf::get(RdKafka::OAuthBearerTokenRefreshCb*&) const { return CONF_UNKNOWN; }
Conf::ConfResult MapConf::get(RdKafka::EventCb*& event_cb) const {
    event_cb = event_cb_;
    return event_cb_ ? CONF_OK : CONF_UNKNOWN;
}
Conf::ConfResult MapConf::get(RdKafka::PartitionerCb*&) const { return CONF_UNKNOWN; }
Conf::ConfResult MapConf::get(RdKafka::PartitionerKeyPointerCb*&) const { return CONF_UNKNOWN; }
Conf::ConfResult MapConf::get(RdKafka::SocketCb*&) const { return CONF_UNKNOWN; }
Conf::ConfResult MapConf::get(RdKafka::OpenCb*&) const { return CONF_UNKNOWN; }
Conf::ConfResult MapConf::get(RdKafka::RebalanceCb*&) const { return CONF_UNKNOWN; }
Conf::ConfResult MapConf::get(RdKafka::OffsetCommitCb*&) const { return CONF_UNKNOWN; }
Conf::ConfResult MapConf::get(RdKafka::SslCertificateVerifyCb*&) const { return CONF_UNKNOWN; }

std::list<std::string>* MapConf::dump() {
    auto* out = new std::list<std::string>;
    std::map<std::string, std::string> all = known(type_);
    for (const auto& [name, value] : props_) all[name] = value;
    for (const auto& [name, value] : all) {
        out->push_back(name);
        out->push_back(value);
    }
    return out;
}

Conf::ConfResult MapConf::set_engine_callback_data(void* value, std::string& errstr) {
    engine_data_ = value;
    errstr.clear();
    return CONF_OK;
}

Conf::ConfResult MapConf::enable_sasl_queue(bool enable, std::string& errstr) {
    if (type_ != CONF_GLOBAL) {
        errstr = "sasl queue can only be enabled on a global configuration";
        return CONF_INVALID;
    }
    props_["enable.sasl.queue"] = enable ? "true" : "false";
    errstr.clear();
    return CONF_OK;
}

}  // namespace corpus

RdKafka::Conf* RdKafka::Conf::create(ConfType type) {
    return new corpus::MapConf(type);
}

// A concrete RdKafka::Conf for the corpus test, standing in for librdkafka's
// ConfImpl: properties in a std::map, a few names known, values checked as
// librdkafka checks them (an unknown name is CONF_UNKNOWN, a bad value
// CONF_INVALID, each with a message in `errstr`). Callbacks are kept as given.
#pragma once

#include <map>
#include <string>

#include "rdkafka.hpp"

namespace corpus {

class MapConf : public RdKafka::Conf {
public:
    explicit MapConf(ConfType type) : type_(type) {}

    ConfResult set(const std::string& name, const std::string& value, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::DeliveryReportCb* dr_cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::OAuthBearerTokenRefreshCb* cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::EventCb* event_cb, std::string& errstr) override;
    ConfResult set(const std::string& name, const Conf* topic_conf, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::PartitionerCb* partitioner_cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::PartitionerKeyPointerCb* cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::SocketCb* socket_cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::OpenCb* open_cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::RebalanceCb* rebalance_cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::OffsetCommitCb* offset_commit_cb, std::string& errstr) override;
    ConfResult set(const std::string& name, RdKafka::SslCertificateVerifyCb* cb, std::string& errstr) override;
    ConfResult set_ssl_cert(RdKafka::CertificateType cert_type, RdKafka::CertificateEncoding cert_enc,
                            const void* buffer, size_t size, std::string& errstr) override;
    ConfResult get(const std::string& name, std::string& value) const override;
    ConfResult get(RdKafka::DeliveryReportCb*& dr_cb) const override;
    ConfResult get(RdKafka::OAuthBearerTokenRefreshCb*& cb) const override;
    ConfResult get(RdKafka::EventCb*& event_cb) const override;
    ConfResult get(RdKafka::PartitionerCb*& partitioner_cb) const override;
    ConfResult get(RdKafka::PartitionerKeyPointerCb*& cb) const override;
    ConfResult get(RdKafka::SocketCb*& socket_cb) const override;
    ConfResult get(RdKafka::OpenCb*& open_cb) const override;
    ConfResult get(RdKafka::RebalanceCb*& rebalance_cb) const override;
    ConfResult get(RdKafka::OffsetCommitCb*& offset_commit_cb) const override;
    ConfResult get(RdKafka::SslCertificateVerifyCb*& cb) const override;
    std::list<std::string>* dump() override;
    ConfResult set(const std::string& name, RdKafka::ConsumeCb* consume_cb, std::string& errstr) override;
    struct rd_kafka_conf_s* c_ptr_global() override { return nullptr; }
    struct rd_kafka_topic_conf_s* c_ptr_topic() override { return nullptr; }
    ConfResult set_engine_callback_data(void* value, std::string& errstr) override;
    ConfResult enable_sasl_queue(bool enable, std::string& errstr) override;

private:
    ConfType type_;
    std::map<std::string, std::string> props_;
    RdKafka::DeliveryReportCb* dr_cb_ = nullptr;
    RdKafka::EventCb* event_cb_ = nullptr;
    void* engine_data_ = nullptr;
};

}  // namespace corpus

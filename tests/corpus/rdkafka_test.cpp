// librdkafka's abstract Conf, served through the concrete object a child makes
// (the test's MapConf, as librdkafka's ConfImpl), called from the parent through
// Conf's generated proxy: set() and get() with their in-out std::string&.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include <remoteobj/batch.hpp>

#include "corpus_support.hpp"
#include "rdkafka.hpp"
#include "rdkafka.remote.hpp"
#include "rdkafka_impl.hpp"

using RdKafka::Conf;

namespace {

corpus::Served<Conf> served_conf(Conf::ConfType type) {
    return corpus::Served<Conf>(
        "rdkafka-conf", [type] { return std::unique_ptr<Conf>(Conf::create(type)); },
        [](Conf& conf) {
            std::string linger;
            conf.get("linger.ms", linger);
            return linger.empty() ? -1 : std::stoi(linger);
        });
}

}  // namespace

TEST_CASE("librdkafka Conf: set() reports through its in-out errstr, get() through its in-out value") {
    auto served = served_conf(Conf::CONF_GLOBAL);
    auto conf = served.proxy();
    std::string errstr = "left from before";
    CHECK(conf.set("bootstrap.servers", "localhost:9092", errstr) == Conf::CONF_OK);
    CHECK(errstr.empty());                                       // the member cleared it, in the caller
    CHECK(conf.set("no.such.property", "1", errstr) == Conf::CONF_UNKNOWN);
    CHECK(errstr == "No such configuration property: \"no.such.property\"");
    CHECK(conf.set("linger.ms", "soon", errstr) == Conf::CONF_INVALID);
    CHECK(errstr == "Invalid value \"soon\" for configuration property \"linger.ms\"");
    CHECK(conf.set("linger.ms", "20", errstr) == Conf::CONF_OK);

    std::string value = "unchanged";
    CHECK(conf.get("bootstrap.servers", value) == Conf::CONF_OK);
    CHECK(value == "localhost:9092");
    CHECK(conf.get("client.id", value) == Conf::CONF_OK);     // a default the child knows
    CHECK(value == "rdkafka");
    value = "unchanged";
    CHECK(conf.get("nope", value) == Conf::CONF_UNKNOWN);
    CHECK(value == "unchanged");                                 // left as it was, and written back so

    CHECK(conf.enable_sasl_queue(true, errstr) == Conf::CONF_OK);
    CHECK(conf.get("enable.sasl.queue", value) == Conf::CONF_OK);
    CHECK(value == "true");
    CHECK(served.join() == 20);                                  // the child's Conf has what was set
}

TEST_CASE("librdkafka Conf: a topic configuration refuses what only a global one takes") {
    auto served = served_conf(Conf::CONF_TOPIC);
    auto conf = served.proxy();
    std::string errstr;
    CHECK(conf.set("acks", "all", errstr) == Conf::CONF_OK);
    CHECK(conf.set("linger.ms", "5", errstr) == Conf::CONF_UNKNOWN);
    CHECK(conf.enable_sasl_queue(true, errstr) == Conf::CONF_INVALID);
    CHECK(errstr == "sasl queue can only be enabled on a global configuration");
    std::string acks;
    CHECK(conf.get("acks", acks) == Conf::CONF_OK);
    CHECK(acks == "all");
    CHECK(served.join() == -1);
}

TEST_CASE("librdkafka Conf: async() and a Batch of set() and get() write their in-out strings back at get()") {
    auto served = served_conf(Conf::CONF_GLOBAL);
    auto conf = served.proxy();
    std::string errstr = "before";
    auto setting = conf.set.async("linger.ms", "later", errstr);
    std::string client;
    auto getting = conf.get.async("client.id", client);
    CHECK(setting.get() == Conf::CONF_INVALID);
    CHECK(errstr == "Invalid value \"later\" for configuration property \"linger.ms\"");
    CHECK(getting.get() == Conf::CONF_OK);
    CHECK(client == "rdkafka");

    std::vector<std::string> errors(3, "x");
    std::vector<remoteobj::future<Conf::ConfResult>> results;
    {
        remoteobj::Batch batch(conf);  // the three calls leave in one write when it ends
        results.push_back(conf.set.async("bootstrap.servers", "b1:9092", errors[0]));
        results.push_back(conf.set.async("nope", "1", errors[1]));
        results.push_back(conf.set.async("linger.ms", "7", errors[2]));
    }
    CHECK(errors == std::vector<std::string>(3, "x"));        // nothing taken yet
    auto& a = results[0];
    auto& b = results[1];
    auto& c = results[2];
    CHECK(a.get() == Conf::CONF_OK);
    CHECK(b.get() == Conf::CONF_UNKNOWN);
    CHECK(c.get() == Conf::CONF_OK);
    CHECK(errors == std::vector<std::string>{"", "No such configuration property: \"nope\"", ""});
    CHECK(served.join() == 7);
}

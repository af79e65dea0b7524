// Test doubles for what redis-plus-plus does over the network: a "server" of
// strings held in memory by the stand-in ConnectionPool, answering each command
// as Redis would for strings (https://redis.io/commands). Enough for the corpus
// test to check what crosses; not Redis.
#include "redis.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

// The test double's server, standing in for redis-plus-plus's connection pool.
class sw::redis::ConnectionPool {
public:
    ConnectionPool(const ConnectionPoolOptions& pool_opts, const ConnectionOptions& opts)
        : pool_size(pool_opts.size), user(opts.user), password(opts.password), db(opts.db) {}

    std::map<std::string, std::string>& keys() { return dbs[db]; }

    std::size_t pool_size;
    std::string user;
    std::string password;
    long long db;
    std::map<long long, std::map<std::string, std::string>> dbs;
    std::map<std::string, long long> ttl_ms;  // of the current db's keys that expire
    long long saves = 0;
};

namespace sw {
namespace redis {

void ReplyDeleter::operator()(redisReply*) const {}

ConnectionOptions::ConnectionOptions(const std::string& uri) {
    // tcp://[[username:]password@]host[:port][/db]: the parts this test uses.
    std::string rest = uri.substr(uri.find("://") + 3);
    if (auto at = rest.find('@'); at != std::string::npos) {
        password = rest.substr(0, at);
        if (auto colon = password.find(':'); colon != std::string::npos) {
            user = password.substr(0, colon);
            password = password.substr(colon + 1);
        }
        rest = rest.substr(at + 1);
    }
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        db = std::stoll(rest.substr(slash + 1));
        rest = rest.substr(0, slash);
    }
    if (auto colon = rest.find(':'); colon != std::string::npos) {
        port = std::stoi(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
    }
    host = rest;
}

Redis::Redis(const ConnectionOptions& connection_opts, const ConnectionPoolOptions& pool_opts)
    : _pool(std::make_shared<ConnectionPool>(pool_opts, connection_opts)) {}

Redis::Redis(const std::string& uri) : Redis(ConnectionOptions(uri)) {}

namespace {

std::string str(const StringView& s) { return std::string(s.data(), s.size()); }

long long to_integer(const std::string& value) {
    if (value.empty()) return 0;
    char* end = nullptr;
    const long long n = std::strtoll(value.c_str(), &end, 10);
    if (*end != '\0') throw std::runtime_error("ERR value is not an integer or out of range");
    return n;
}

// Redis's inclusive [start, end] with negative offsets from the end, clamped.
std::pair<long long, long long> range(long long size, long long start, long long end) {
    if (start < 0) start = std::max(0LL, size + start);
    if (end < 0) end = size + end;
    end = std::min(end, size - 1);
    return {start, end};
}

}  // namespace

void Redis::auth(const StringView& password) { auth("default", password); }

void Redis::auth(const StringView& user, const StringView& password) {
    if (str(user) != _pool->user || str(password) != _pool->password)
        throw std::runtime_error("WRONGPASS invalid username-password pair or user is disabled.");
}

std::string Redis::echo(const StringView& msg) { return str(msg); }
std::string Redis::ping() { return "PONG"; }
std::string Redis::ping(const StringView& msg) { return str(msg); }

void Redis::swapdb(long long idx1, long long idx2) { std::swap(_pool->dbs[idx1], _pool->dbs[idx2]); }

void Redis::bgrewriteaof() {}
std::string Redis::bgsave() {
    ++_pool->saves;
    return "Background saving started";
}
long long Redis::dbsize() { return static_cast<long long>(_pool->keys().size()); }
void Redis::flushall(bool) { _pool->dbs.clear(); }
void Redis::flushdb(bool) { _pool->keys().clear(); }
std::string Redis::info() { return "# Server\r\nredis_version:7.0.0\r\n"; }
std::string Redis::info(const StringView& section) { return "# " + str(section) + "\r\n"; }
long long Redis::lastsave() { return 1700000000 + _pool->saves; }
void Redis::save() { ++_pool->saves; }

long long Redis::append(const StringView& key, const StringView& value) {
    std::string& v = _pool->keys()[str(key)];
    v += str(value);
    return static_cast<long long>(v.size());
}

long long Redis::bitcount(const StringView& key, long long start, long long end) {
    const std::string& v = _pool->keys()[str(key)];
    auto [from, to] = range(static_cast<long long>(v.size()), start, end);
    long long bits = 0;
    for (long long i = from; i <= to; ++i) bits += __builtin_popcount(static_cast<unsigned char>(v[i]));
    return bits;
}

long long Redis::bitop(BitOp op, const StringView& destination, const StringView& key) {
    std::string v = _pool->keys()[str(key)];
    if (op == BitOp::NOT)
        for (char& c : v) c = static_cast<char>(~c);
    _pool->keys()[str(destination)] = v;
    return static_cast<long long>(v.size());
}

long long Redis::bitpos(const StringView& key, long long bit, long long start, long long end) {
    const std::string& v = _pool->keys()[str(key)];
    auto [from, to] = range(static_cast<long long>(v.size()), start, end);
    for (long long i = from; i <= to; ++i)
        for (int b = 7; b >= 0; --b)
            if (((static_cast<unsigned char>(v[i]) >> b) & 1) == bit) return i * 8 + (7 - b);
    return -1;
}

long long Redis::decr(const StringView& key) { return incrby(key, -1); }
long long Redis::decrby(const StringView& key, long long decrement) { return incrby(key, -decrement); }

OptionalString Redis::get(const StringView& key) {
    auto& keys = _pool->keys();
    auto found = keys.find(str(key));
    return found == keys.end() ? OptionalString() : OptionalString(found->second);
}

long long Redis::getbit(const StringView& key, long long offset) {
    const std::string& v = _pool->keys()[str(key)];
    if (offset / 8 >= static_cast<long long>(v.size())) return 0;
    return (static_cast<unsigned char>(v[offset / 8]) >> (7 - offset % 8)) & 1;
}

std::string Redis::getrange(const StringView& key, long long start, long long end) {
    const std::string& v = _pool->keys()[str(key)];
    auto [from, to] = range(static_cast<long long>(v.size()), start, end);
    if (from > to) return "";
    return v.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from + 1));
}

OptionalString Redis::getset(const StringView& key, const StringView& val) {
    OptionalString old = get(key);
    _pool->keys()[str(key)] = str(val);
    return old;
}

long long Redis::incr(const StringView& key) { return incrby(key, 1); }

long long Redis::incrby(const StringView& key, long long increment) {
    std::string& v = _pool->keys()[str(key)];
    const long long n = to_integer(v) + increment;
    v = std::to_string(n);
    return n;
}

double Redis::incrbyfloat(const StringView& key, double increment) {
    std::string& v = _pool->keys()[str(key)];
    const double d = (v.empty() ? 0.0 : std::stod(v)) + increment;
    v = std::to_string(d);
    return d;
}

void Redis::psetex(const StringView& key, long long ttl, const StringView& val) {
    psetex(key, std::chrono::milliseconds(ttl), val);
}

void Redis::psetex(const StringView& key, const std::chrono::milliseconds& ttl, const StringView& val) {
    if (ttl.count() <= 0) throw std::runtime_error("ERR invalid expire time in 'psetex' command");
    set(key, val, ttl);
}

bool Redis::set(const StringView& key, const StringView& val, const std::chrono::milliseconds& ttl, UpdateType type) {
    auto& keys = _pool->keys();
    const bool exists = keys.count(str(key)) != 0;
    if ((type == UpdateType::EXIST && !exists) || (type == UpdateType::NOT_EXIST && exists)) return false;
    keys[str(key)] = str(val);
    if (ttl.count() > 0)
        _pool->ttl_ms[str(key)] = ttl.count();
    else
        _pool->ttl_ms.erase(str(key));
    return true;
}

bool Redis::set(const StringView& key, const StringView& val, bool keepttl, UpdateType type) {
    const auto kept = _pool->ttl_ms.find(str(key));
    const std::chrono::milliseconds ttl(keepttl && kept != _pool->ttl_ms.end() ? kept->second : 0);
    return set(key, val, ttl, type);
}

OptionalString Redis::set_with_get_option(const StringView& key, const StringView& val,
                                          const std::chrono::milliseconds& ttl, UpdateType type) {
    OptionalString old = get(key);
    set(key, val, ttl, type);
    return old;
}

OptionalString Redis::set_with_get_option(const StringView& key, const StringView& val, bool keepttl,
                                          UpdateType type) {
    OptionalString old = get(key);
    set(key, val, keepttl, type);
    return old;
}

void Redis::setex(const StringView& key, long long ttl, const StringView& val) {
    setex(key, std::chrono::seconds(ttl), val);
}

void Redis::setex(const StringView& key, const std::chrono::seconds& ttl, const StringView& val) {
    if (ttl.count() <= 0) throw std::runtime_error("ERR invalid expire time in 'setex' command");
    set(key, val, std::chrono::duration_cast<std::chrono::milliseconds>(ttl));
}

bool Redis::setnx(const StringView& key, const StringView& val) {
    return set(key, val, std::chrono::milliseconds(0), UpdateType::NOT_EXIST);
}

long long Redis::setrange(const StringView& key, long long offset, const StringView& val) {
    std::string& v = _pool->keys()[str(key)];
    const std::string piece = str(val);
    const auto at = static_cast<std::size_t>(offset);
    if (v.size() < at + piece.size()) v.resize(at + piece.size(), '\0');
    v.replace(at, piece.size(), piece);
    return static_cast<long long>(v.size());
}

long long Redis::strlen(const StringView& key) { return static_cast<long long>(_pool->keys()[str(key)].size()); }

}  // namespace redis
}  // namespace sw


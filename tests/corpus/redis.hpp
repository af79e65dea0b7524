// The corpus test (#27): redis-plus-plus's sw::redis::Redis, as its authors wrote it.
// Project: redis-plus-plus, https://github.com/sewenew/redis-plus-plus
// File:    src/sw/redis++/redis.h, commit 2c47000b9d90350be3a9984a94be42bc750dc6a7 (1.3.15-8-g2c47000)
// Trimmed: the class's head (constructors, pipeline(), transaction(), subscriber(),
// the command() templates), its CONNECTION, SERVER and STRING commands, and one
// private member; its KEY, LIST, HASH, SET, SORTED SET, HYPERLOGLOG, GEO,
// SCRIPTING, PUBSUB, STREAM commands and its private helpers are left out. The two
// public constructors' bodies build a ConnectionPool of redis-plus-plus's internals:
// here they are declarations, defined by the test (redis_impl.cpp); the constructor
// from a Sentinel is left out. The includes of redis-plus-plus's own headers are
// replaced by stand-ins of what Redis uses, copied from them (StringView and
// Optional from cxx11/sw/redis++/cxx_utils.h: the library's own types when built
// as C++11). Unedited for remoteobj but for `REMOTEOBJ` on the class,
// `REMOTEOBJ_HIDE` on the members the generator refuses (docs/corpus.md says why),
// and the include of the user's adapters at the end. Redis has no Remote member:
// it is served through a remoteobj::Channel<sw::redis::Redis>. Its commands' bodies
// are the test's: a "server" of strings in memory (redis_impl.cpp).
#ifndef SEWENEW_REDISPLUSPLUS_REDIS_H
#define SEWENEW_REDISPLUSPLUS_REDIS_H

#include <remoteobj/remoteobj.hpp>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <tuple>
#include <string>
#include <type_traits>
#include <utility>

struct redisReply;

namespace sw {

namespace redis {

// --- Stand-ins for redis-plus-plus's own headers: what Redis uses ---

// cxx11/sw/redis++/cxx_utils.h
class StringView {
public:
    constexpr StringView() noexcept = default;

    constexpr StringView(const char *data, std::size_t size) : _data(data), _size(size) {}

    StringView(const char *data) : _data(data), _size(std::strlen(data)) {}

    StringView(const std::string &str) : _data(str.data()), _size(str.size()) {}

    constexpr StringView(const StringView &) noexcept = default;

    StringView& operator=(const StringView &) noexcept = default;

    constexpr const char* data() const noexcept {
        return _data;
    }

    constexpr std::size_t size() const noexcept {
        return _size;
    }

private:
    const char *_data = nullptr;
    std::size_t _size = 0;
};

template <typename T>
class Optional {
public:
    Optional() = default;

    Optional(const Optional &) = default;
    Optional& operator=(const Optional &) = default;

    Optional(Optional &&) = default;
    Optional& operator=(Optional &&) = default;

    ~Optional() = default;

    template <typename ...Args>
    explicit Optional(Args &&...args) : _value(true, T(std::forward<Args>(args)...)) {}

    explicit operator bool() const {
        return _value.first;
    }

    T& value() {
        return _value.second;
    }

    const T& value() const {
        return _value.second;
    }

private:
    std::pair<bool, T> _value;
};

// utils.h
using OptionalString = Optional<std::string>;

template <typename Iter, typename = void>
struct IsIter : std::false_type {};

template <typename Iter>
struct IsIter<Iter,
    typename std::enable_if<!std::is_void<
        typename std::iterator_traits<Iter>::value_type>::value>::type>
            : std::integral_constant<bool, !std::is_convertible<Iter, StringView>::value> {};

template <typename ...Args>
struct LastType {
    using type = typename std::tuple_element<sizeof...(Args) - 1, std::tuple<Args...>>::type;
};

struct InvalidLastType {};

template <>
struct LastType<> {
    using type = InvalidLastType;
};

// reply.h
struct ReplyDeleter {
    void operator()(redisReply *reply) const;
};

using ReplyUPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// command_options.h
enum class UpdateType {
    EXIST,
    NOT_EXIST,
    ALWAYS
};

enum class BitOp {
    AND,
    OR,
    XOR,
    NOT
};

// connection.h (the options this test uses)
struct ConnectionOptions {
public:
    ConnectionOptions() = default;

    explicit ConnectionOptions(const std::string &uri);

    std::string host;

    int port = 6379;

    std::string user = "default";

    std::string password;

    long long db = 0;
};

// connection_pool.h
struct ConnectionPoolOptions {
    std::size_t size = 1;

    std::chrono::milliseconds wait_timeout{0};

    std::chrono::milliseconds connection_lifetime{0};

    std::chrono::milliseconds connection_idle_time{0};
};

class ConnectionPool;

using ConnectionPoolSPtr = std::shared_ptr<ConnectionPool>;

// queued_redis.h, subscriber.h
template <typename Impl>
class QueuedRedis;

class TransactionImpl;

class PipelineImpl;

class Subscriber;

// --- end of the stand-ins ---

template <typename Impl>
class QueuedRedis;

using Transaction = QueuedRedis<TransactionImpl>;

using Pipeline = QueuedRedis<PipelineImpl>;

class REMOTEOBJ Redis {
public:
    /// @brief Construct `Redis` instance with connection options and connection pool options.
    /// @param connection_opts Connection options.
    /// @param pool_opts Connection pool options.
    /// @see `ConnectionOptions`
    /// @see `ConnectionPoolOptions`
    /// @see https://github.com/sewenew/redis-plus-plus#connection
    explicit Redis(const ConnectionOptions &connection_opts,
            const ConnectionPoolOptions &pool_opts = {});

    /// @brief Construct `Redis` instance with URI.
    /// @param uri URI, e.g. 'tcp://127.0.0.1', 'tcp://127.0.0.1:6379', or 'unix://path/to/socket'.
    ///            Full URI scheme: 'tcp://[[username:]password@]host[:port][/db]' or
    ///            unix://[[username:]password@]path-to-unix-domain-socket[/db]
    /// @see https://github.com/sewenew/redis-plus-plus/issues/37
    /// @see https://github.com/sewenew/redis-plus-plus#connection
    explicit Redis(const std::string &uri);

    // (The constructor from a Sentinel is left out: Sentinel is not among the stand-ins.)

    /// @brief `Redis` is not copyable.
    Redis(const Redis &) = delete;

    /// @brief `Redis` is not copyable.
    Redis& operator=(const Redis &) = delete;

    /// @brief `Redis` is movable.
    Redis(Redis &&) = default;

    /// @brief `Redis` is movable.
    Redis& operator=(Redis &&) = default;

    /// @brief Create a pipeline.
    /// @param new_connection Whether creating a `Pipeline` object in a new connection.
    /// @return The created pipeline.
    /// @note Instead of picking a connection from the underlying connection pool,
    ///       this method will create a new connection to Redis. So it's not a cheap operation,
    ///       and you'd better reuse the returned object as much as possible.
    /// @see https://github.com/sewenew/redis-plus-plus#pipeline
    REMOTEOBJ_HIDE Pipeline pipeline(bool new_connection = true);

    /// @brief Create a transaction.
    /// @param piped Whether commands in a transaction should be sent in a pipeline to reduce RTT.
    /// @param new_connection Whether creating a `Pipeline` object in a new connection.
    /// @return The created transaction.
    /// @note Instead of picking a connection from the underlying connection pool,
    ///       this method will create a new connection to Redis. So it's not a cheap operation,
    ///       and you'd better reuse the returned object as much as possible.
    /// @see https://github.com/sewenew/redis-plus-plus#transaction
    REMOTEOBJ_HIDE Transaction transaction(bool piped = false, bool new_connection = true);

    /// @brief Create a subscriber.
    /// @return The created subscriber.
    /// @note Instead of picking a connection from the underlying connection pool,
    ///       this method will create a new connection to Redis. So it's not a cheap operation,
    ///       and you'd better reuse the returned object as much as possible.
    /// @see https://github.com/sewenew/redis-plus-plus#publishsubscribe
    REMOTEOBJ_HIDE Subscriber subscriber();

    template <typename Cmd, typename ...Args>
    REMOTEOBJ_HIDE auto command(Cmd cmd, Args &&...args)
        -> typename std::enable_if<!std::is_convertible<Cmd, StringView>::value, ReplyUPtr>::type;

    template <typename ...Args>
    REMOTEOBJ_HIDE auto command(const StringView &cmd_name, Args &&...args)
        -> typename std::enable_if<!IsIter<typename LastType<Args...>::type>::value,
                                    ReplyUPtr>::type;

    template <typename ...Args>
    REMOTEOBJ_HIDE auto command(const StringView &cmd_name, Args &&...args)
        -> typename std::enable_if<IsIter<typename LastType<Args...>::type>::value, void>::type;

    template <typename Result, typename ...Args>
    REMOTEOBJ_HIDE Result command(const StringView &cmd_name, Args &&...args);

    template <typename Input>
    REMOTEOBJ_HIDE auto command(Input first, Input last)
        -> typename std::enable_if<IsIter<Input>::value, ReplyUPtr>::type;

    template <typename Result, typename Input>
    REMOTEOBJ_HIDE auto command(Input first, Input last)
        -> typename std::enable_if<IsIter<Input>::value, Result>::type;

    template <typename Input, typename Output>
    REMOTEOBJ_HIDE auto command(Input first, Input last, Output output)
        -> typename std::enable_if<IsIter<Input>::value, void>::type;

    // CONNECTION commands.

    /// @brief Send password to Redis.
    /// @param password Password.
    /// @note Normally, you should not call this method.
    ///       Instead, you should set password with `ConnectionOptions` or URI.
    /// @see https://redis.io/commands/auth
    void auth(const StringView &password);

    /// @brief Send user and password to Redis.
    /// @param user User name.
    /// @param password Password.
    /// @note Normally, you should not call this method.
    ///       Instead, you should set password with `ConnectionOptions` or URI.
    ///       Also this overload only works with Redis 6.0 or later.
    /// @see https://redis.io/commands/auth
    void auth(const StringView &user, const StringView &password);

    /// @brief Ask Redis to return the given message.
    /// @param msg Message to be sent.
    /// @return Return the given message.
    /// @see https://redis.io/commands/echo
    std::string echo(const StringView &msg);

    /// @brief Test if the connection is alive.
    /// @return Always return *PONG*.
    /// @see https://redis.io/commands/ping
    std::string ping();

    /// @brief Test if the connection is alive.
    /// @param msg Message sent to Redis.
    /// @return Return the given message.
    /// @see https://redis.io/commands/ping
    std::string ping(const StringView &msg);

    // After sending QUIT, only the current connection will be close, while
    // other connections in the pool is still open. This is a strange behavior.
    // So we DO NOT support the QUIT command. If you want to quit connection to
    // server, just destroy the Redis object.
    //
    // void quit();

    // We get a connection from the pool, and send the SELECT command to switch
    // to a specified DB. However, when we try to send other commands to the
    // given DB, we might get a different connection from the pool, and these
    // commands, in fact, work on other DB. e.g.
    //
    // redis.select(1); // get a connection from the pool and switch to the 1th DB
    // redis.get("key"); // might get another connection from the pool,
    //                   // and try to get 'key' on the default DB
    //
    // Obviously, this is NOT what we expect. So we DO NOT support SELECT command.
    // In order to select a DB, we can specify the DB index with the ConnectionOptions.
    //
    // However, since Pipeline and Transaction always send multiple commands on a
    // single connection, these two classes have a *select* method.
    //
    // void select(long long idx);

    /// @brief Swap two Redis databases.
    /// @param idx1 The index of the first database.
    /// @param idx2 The index of the second database.
    /// @see https://redis.io/commands/swapdb
    void swapdb(long long idx1, long long idx2);

    // SERVER commands.

    /// @brief Rewrite AOF in the background.
    /// @see https://redis.io/commands/bgrewriteaof
    void bgrewriteaof();

    /// @brief Save database in the background.
    /// @return *Background saving started* if BGSAVE started correctly.
    /// @see https://redis.io/commands/bgsave
    std::string bgsave();

    /// @brief Get the size of the currently selected database.
    /// @return Number of keys in currently selected database.
    /// @see https://redis.io/commands/dbsize
    long long dbsize();

    /// @brief Remove keys of all databases.
    /// @param async Whether flushing databases asynchronously, i.e. without blocking the server.
    /// @see https://redis.io/commands/flushall
    void flushall(bool async = false);

    /// @brief Remove keys of current databases.
    /// @param async Whether flushing databases asynchronously, i.e. without blocking the server.
    /// @see https://redis.io/commands/flushdb
    void flushdb(bool async = false);

    /// @brief Get the info about the server.
    /// @return Server info.
    /// @see https://redis.io/commands/info
    std::string info();

    /// @brief Get the info about the server on the given section.
    /// @param section Section.
    /// @return Server info.
    /// @see https://redis.io/commands/info
    std::string info(const StringView &section);

    /// @brief Get the UNIX timestamp in seconds, at which the database was saved successfully.
    /// @return The last saving time.
    /// @see https://redis.io/commands/lastsave
    long long lastsave();

    /// @brief Save databases into RDB file **synchronously**, i.e. block the server during saving.
    /// @see https://redis.io/commands/save
    void save();

    // STRING commands.

    /// @brief Append the given string to the string stored at key.
    /// @param key Key.
    /// @param str String to be appended.
    /// @return The length of the string after the append operation.
    /// @see https://redis.io/commands/append
    long long append(const StringView &key, const StringView &str);

    /// @brief Get the number of bits that have been set for the given range of the string.
    /// @param key Key.
    /// @param start Start index (inclusive) of the range. 0 means the beginning of the string.
    /// @param end End index (inclusive) of the range. -1 means the end of the string.
    /// @return Number of bits that have been set.
    /// @note The index can be negative to index from the end of the string.
    /// @see https://redis.io/commands/bitcount
    long long bitcount(const StringView &key, long long start = 0, long long end = -1);

    /// @brief Do bit operation on the string stored at `key`, and save the result to `destination`.
    /// @param op Bit operations.
    /// @param destination The destination key where the result is saved.
    /// @param key The key where the string to be operated is stored.
    /// @return The length of the string saved at `destination`.
    /// @see https://redis.io/commands/bitop
    /// @see `BitOp`
    long long bitop(BitOp op, const StringView &destination, const StringView &key);

    /// @brief Do bit operations on the strings stored at the given keys,
    ///        and save the result to `destination`.
    /// @param op Bit operations.
    /// @param destination The destination key where the result is saved.
    /// @param first Iterator to the first key where the string to be operated is stored.
    /// @param last Off-the-end iterator to the given range of keys.
    /// @return The length of the string saved at `destination`.
    /// @see https://redis.io/commands/bitop
    /// @see `BitOp`
    template <typename Input>
    REMOTEOBJ_HIDE long long bitop(BitOp op, const StringView &destination, Input first, Input last);

    /// @brief Do bit operations on the strings stored at the given keys,
    ///        and save the result to `destination`.
    /// @param op Bit operations.
    /// @param destination The destination key where the result is saved.
    /// @param il Initializer list of keys where the strings are operated.
    /// @return The length of the string saved at `destination`.
    /// @see https://redis.io/commands/bitop
    /// @see `BitOp`
    template <typename T>
    REMOTEOBJ_HIDE long long bitop(BitOp op, const StringView &destination, std::initializer_list<T> il) {
        return bitop(op, destination, il.begin(), il.end());
    }

    /// @brief Get the position of the first bit set to 0 or 1 in the given range of the string.
    /// @param key Key.
    /// @param bit 0 or 1.
    /// @param start Start index (inclusive) of the range. 0 means the beginning of the string.
    /// @param end End index (inclusive) of the range. -1 means the end of the string.
    /// @return The position of the first bit set to 0 or 1.
    /// @see https://redis.io/commands/bitpos
    long long bitpos(const StringView &key,
                        long long bit,
                        long long start = 0,
                        long long end = -1);

    /// @brief Decrement the integer stored at key by 1.
    /// @param key Key.
    /// @return The value after the decrement.
    /// @see https://redis.io/commands/decr
    long long decr(const StringView &key);

    /// @brief Decrement the integer stored at key by `decrement`.
    /// @param key Key.
    /// @param decrement Decrement.
    /// @return The value after the decrement.
    /// @see https://redis.io/commands/decrby
    long long decrby(const StringView &key, long long decrement);

    /// @brief Get the string value stored at key.
    ///
    /// Example:
    /// @code{.cpp}
    /// auto val = redis.get("key");
    /// if (val)
    ///     std::cout << *val << std::endl;
    /// else
    ///     std::cout << "key not exist" << std::endl;
    /// @endcode
    /// @param key Key.
    /// @return The value stored at key.
    /// @note If key does not exist, `get` returns `OptionalString{}` (`std::nullopt`).
    /// @see https://redis.io/commands/get
    OptionalString get(const StringView &key);

    /// @brief Get the bit value at offset in the string.
    /// @param key Key.
    /// @param offset Offset.
    /// @return The bit value.
    /// @see https://redis.io/commands/getbit
    long long getbit(const StringView &key, long long offset);

    /// @brief Get the substring of the string stored at key.
    /// @param key Key.
    /// @param start Start index (inclusive) of the range. 0 means the beginning of the string.
    /// @param end End index (inclusive) of the range. -1 means the end of the string.
    /// @return The substring in range [start, end]. If key does not exist, return an empty string.
    /// @see https://redis.io/commands/getrange
    std::string getrange(const StringView &key, long long start, long long end);

    /// @brief Atomically set the string stored at `key` to `val`, and return the old value.
    /// @param key Key.
    /// @param val Value to be set.
    /// @return The old value stored at key.
    /// @note If key does not exist, `getset` returns `OptionalString{}` (`std::nullopt`).
    /// @see https://redis.io/commands/getset
    /// @see `OptionalString`
    OptionalString getset(const StringView &key, const StringView &val);

    /// @brief Increment the integer stored at key by 1.
    /// @param key Key.
    /// @return The value after the increment.
    /// @see https://redis.io/commands/incr
    long long incr(const StringView &key);

    /// @brief Increment the integer stored at key by `increment`.
    /// @param key Key.
    /// @param increment Increment.
    /// @return The value after the increment.
    /// @see https://redis.io/commands/incrby
    long long incrby(const StringView &key, long long increment);

    /// @brief Increment the floating point number stored at key by `increment`.
    /// @param key Key.
    /// @param increment Increment.
    /// @return The value after the increment.
    /// @see https://redis.io/commands/incrbyfloat
    double incrbyfloat(const StringView &key, double increment);

    /// @brief Get the values of multiple keys atomically.
    ///
    /// Example:
    /// @code{.cpp}
    /// std::vector<std::string> keys = {"k1", "k2", "k3"};
    /// std::vector<OptionalString> vals;
    /// redis.mget(keys.begin(), keys.end(), std::back_inserter(vals));
    /// for (const auto &val : vals) {
    ///     if (val)
    ///         std::cout << *val << std::endl;
    ///     else
    ///         std::cout << "key does not exist" << std::endl;
    /// }
    /// @endcode
    /// @param first Iterator to the first key of the given range.
    /// @param last Off-the-end iterator to the given range.
    /// @param output Output iterator to the destination where the values are stored.
    /// @note The destination should be a container of `OptionalString` type,
    ///       since the given key might not exist (in this case, the value of the corresponding
    ///       key is `OptionalString{}` (`std::nullopt`)).
    /// @see https://redis.io/commands/mget
    template <typename Input, typename Output>
    REMOTEOBJ_HIDE void mget(Input first, Input last, Output output);

    /// @brief Get the values of multiple keys atomically.
    ///
    /// Example:
    /// @code{.cpp}
    /// std::vector<OptionalString> vals;
    /// redis.mget({"k1", "k2", "k3"}, std::back_inserter(vals));
    /// for (const auto &val : vals) {
    ///     if (val)
    ///         std::cout << *val << std::endl;
    ///     else
    ///         std::cout << "key does not exist" << std::endl;
    /// }
    /// @endcode
    /// @param il Initializer list of keys.
    /// @param output Output iterator to the destination where the values are stored.
    /// @note The destination should be a container of `OptionalString` type,
    ///       since the given key might not exist (in this case, the value of the corresponding
    ///       key is `OptionalString{}` (`std::nullopt`)).
    /// @see https://redis.io/commands/mget
    template <typename T, typename Output>
    REMOTEOBJ_HIDE void mget(std::initializer_list<T> il, Output output) {
        mget(il.begin(), il.end(), output);
    }

    /// @brief Set multiple key-value pairs.
    ///
    /// Example:
    /// @code{.cpp}
    /// std::vector<std::pair<std::string, std::string>> kvs1 = {{"k1", "v1"}, {"k2", "v2"}};
    /// redis.mset(kvs1.begin(), kvs1.end());
    /// std::unordered_map<std::string, std::string> kvs2 = {{"k3", "v3"}, {"k4", "v4"}};
    /// redis.mset(kvs2.begin(), kvs2.end());
    /// @endcode
    /// @param first Iterator to the first key-value pair.
    /// @param last Off-the-end iterator to the given range.
    /// @see https://redis.io/commands/mset
    template <typename Input>
    REMOTEOBJ_HIDE void mset(Input first, Input last);

    /// @brief Set multiple key-value pairs.
    ///
    /// Example:
    /// @code{.cpp}
    /// redis.mset({std::make_pair("k1", "v1"), std::make_pair("k2", "v2")});
    /// @endcode
    /// @param il Initializer list of key-value pairs.
    /// @see https://redis.io/commands/mset
    template <typename T>
    REMOTEOBJ_HIDE void mset(std::initializer_list<T> il) {
        mset(il.begin(), il.end());
    }

    /// @brief Set the given key-value pairs if all specified keys do not exist.
    ///
    /// Example:
    /// @code{.cpp}
    /// std::vector<std::pair<std::string, std::string>> kvs1;
    /// redis.msetnx(kvs1.begin(), kvs1.end());
    /// std::unordered_map<std::string, std::string> kvs2;
    /// redis.msetnx(kvs2.begin(), kvs2.end());
    /// @endcode
    /// @param first Iterator to the first key-value pair.
    /// @param last Off-the-end iterator of the given range.
    /// @return Whether all keys have been set.
    /// @retval true If all keys have been set.
    /// @retval false If no key was set, i.e. at least one key already exist.
    /// @see https://redis.io/commands/msetnx
    template <typename Input>
    REMOTEOBJ_HIDE bool msetnx(Input first, Input last);

    /// @brief Set the given key-value pairs if all specified keys do not exist.
    ///
    /// Example:
    /// @code{.cpp}
    /// redis.msetnx({make_pair("k1", "v1"), make_pair("k2", "v2")});
    /// @endcode
    /// @param il Initializer list of key-value pairs.
    /// @return Whether all keys have been set.
    /// @retval true If all keys have been set.
    /// @retval false If no key was set, i.e. at least one key already exist.
    /// @see https://redis.io/commands/msetnx
    template <typename T>
    REMOTEOBJ_HIDE bool msetnx(std::initializer_list<T> il) {
        return msetnx(il.begin(), il.end());
    }

    /// @brief Set key-value pair with the given timeout in milliseconds.
    /// @param key Key.
    /// @param ttl Time-To-Live in milliseconds.
    /// @param val Value.
    /// @see https://redis.io/commands/psetex
    void psetex(const StringView &key,
                long long ttl,
                const StringView &val);

    /// @brief Set key-value pair with the given timeout in milliseconds.
    /// @param key Key.
    /// @param ttl Time-To-Live in milliseconds.
    /// @param val Value.
    /// @see https://redis.io/commands/psetex
    void psetex(const StringView &key,
                const std::chrono::milliseconds &ttl,
                const StringView &val);

    /// @brief Set a key-value pair.
    ///
    /// Example:
    /// @code{.cpp}
    /// // Set a key-value pair.
    /// redis.set("key", "value");
    /// // Set a key-value pair, and expire it after 10 seconds.
    /// redis.set("key", "value", std::chrono::seconds(10));
    /// // Set a key-value pair with a timeout, only if the key already exists.
    /// if (redis.set("key", "value", std::chrono::seconds(10), UpdateType::EXIST))
    ///     std::cout << "OK" << std::endl;
    /// else
    ///     std::cout << "key does not exist" << std::endl;
    /// @endcode
    /// @param key Key.
    /// @param val Value.
    /// @param ttl Timeout on the key. If `ttl` is 0ms, do not set timeout.
    /// @param type Options for set command:
    ///             - UpdateType::EXIST: Set the key only if it already exists.
    ///             - UpdateType::NOT_EXIST: Set the key only if it does not exist.
    ///             - UpdateType::ALWAYS: Always set the key no matter whether it exists.
    /// @return Whether the key has been set.
    /// @retval true If the key has been set.
    /// @retval false If the key was not set, because of the given option.
    /// @see https://redis.io/commands/set
    bool set(const StringView &key,
                const StringView &val,
                const std::chrono::milliseconds &ttl = std::chrono::milliseconds(0),
                UpdateType type = UpdateType::ALWAYS);

    bool set(const StringView &key,
                const StringView &val,
                bool keepttl,
                UpdateType type = UpdateType::ALWAYS);

    /// @brief Atomically set the string stored at `key` to `val`, and return the old value.
    ///
    /// Example:
    /// @code{.cpp}
    /// // Set a key-value pair, and expire it after 10 seconds and get the previous value.
    /// auto val = redis.set_with_get_option("key", "value", std::chrono::seconds(10));
    /// if (val)
    ///     std::cout << *val << std::endl;
    /// else
    ///     std::cout << "key not exist" << std::endl;
    /// @endcode
    /// @param key Key.
    /// @param val Value.
    /// @param ttl Timeout on the key. If `ttl` is 0ms, do not set timeout.
    /// @param type Options for set command:
    ///             - UpdateType::EXIST: Set the key only if it already exists.
    ///             - UpdateType::NOT_EXIST: Set the key only if it does not exist.
    ///             - UpdateType::ALWAYS: Always set the key no matter whether it exists.
    /// @return The old value stored at key.
    /// @note If key does not exist, `getset` returns `OptionalString{}` (`std::nullopt`).
    /// @see https://redis.io/commands/set
    OptionalString set_with_get_option(const StringView &key,
                const StringView &val,
                const std::chrono::milliseconds &ttl = std::chrono::milliseconds(0),
                UpdateType type = UpdateType::ALWAYS);

    OptionalString set_with_get_option(const StringView &key,
                const StringView &val,
                bool keepttl,
                UpdateType type = UpdateType::ALWAYS);


    /// @brief Set key-value pair with the given timeout in seconds.
    /// @param key Key.
    /// @param ttl Time-To-Live in seconds.
    /// @param val Value.
    /// @see https://redis.io/commands/setex
    void setex(const StringView &key,
                long long ttl,
                const StringView &val);

    /// @brief Set key-value pair with the given timeout in seconds.
    /// @param key Key.
    /// @param ttl Time-To-Live in seconds.
    /// @param val Value.
    /// @see https://redis.io/commands/setex
    void setex(const StringView &key,
                const std::chrono::seconds &ttl,
                const StringView &val);

    /// @brief Set the key if it does not exist.
    /// @param key Key.
    /// @param val Value.
    /// @return Whether the key has been set.
    /// @retval true If the key has been set.
    /// @retval false If the key was not set, i.e. the key already exists.
    /// @see https://redis.io/commands/setnx
    bool setnx(const StringView &key, const StringView &val);

    /// @brief Set the substring starting from `offset` to the given value.
    /// @param key Key.
    /// @param offset Offset.
    /// @param val Value.
    /// @return The length of the string after this operation.
    /// @see https://redis.io/commands/setrange
    long long setrange(const StringView &key, long long offset, const StringView &val);

    /// @brief Get the length of the string stored at key.
    /// @param key Key.
    /// @return The length of the string.
    /// @note If key does not exist, `strlen` returns 0.
    /// @see https://redis.io/commands/strlen
    long long strlen(const StringView &key);

private:
    // Pool Mode.
    // Public constructors create a *Redis* instance with a pool.
    // In this case, *_connection* is a null pointer, and is never used.
    ConnectionPoolSPtr _pool;
};

}

}

// remoteobj: how redis-plus-plus's StringView and OptionalString cross (the user's code).
#include "redis_adapters.hpp"

#endif // end SEWENEW_REDISPLUSPLUS_REDIS_H

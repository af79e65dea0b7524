// remoteobj::describe(); see describe.hpp.
#include "remoteobj/describe.hpp"

namespace remoteobj {

namespace detail {

std::string request_description(Caller& caller) {
    const CallSpec spec{wire::Operation::Describe, 0, 0, "describe", 0};
    return caller.call(Path{}, spec, no_arguments{}, [](Bytes value) {
        return std::string(reinterpret_cast<const char*>(value.data()), value.size());
    });
}

}  // namespace detail

Description describe(std::string_view address, connect_options options) {
    detail::SocketConnection connection(address, detail::any_class(), options.max_message);
    const detail::Target target{nullptr, &detail::any_class, nullptr};  // nothing served here
    detail::Caller caller(connection, target);
    return {connection.served_class(), detail::request_description(caller)};
}

}  // namespace remoteobj

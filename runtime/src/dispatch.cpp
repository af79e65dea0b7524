// Errors of generated dispatch code; see dispatch.hpp (and codec.hpp, for values).
#include "remoteobj/dispatch.hpp"

#include "remoteobj/codec.hpp"

#include <fmt/format.h>

namespace remoteobj::detail {

void throw_bad_request(const char* class_name, const wire::Request& request) {
    throw BadRequest(fmt::format("{} has no exported member {} accepting {} with {} argument(s)", class_name,
                                 request.member(), operation_name(request.op()), request.argc()));
}

void throw_bad_step(const char* class_name, const wire::Request& request, std::uint32_t step) {
    const wire::Step* s = request.path()->Get(step);
    throw BadRequest(fmt::format("{} has no exported {} step {} (path step {})", class_name,
                                 wire::EnumNameStepKind(s->kind()), s->member(), step));
}

void throw_interface_mismatch(const char* class_name, std::uint64_t hash, const wire::Request& request) {
    throw InterfaceMismatch(fmt::format("{}: the caller was built from a different version of the class "
                                        "(caller's interface hash {:016x}, listener's {:016x}); rebuild both",
                                        class_name, request.interface(), hash));
}

void throw_bad_value(const char* type_name, std::int64_t value) {
    throw BadRequest(fmt::format("{} is not a value of {} (not one of its enumerators)", value, type_name));
}

void throw_malformed(const std::string& what) { throw BadRequest(what); }

}  // namespace remoteobj::detail

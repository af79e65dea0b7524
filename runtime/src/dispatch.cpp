// Errors of generated dispatch code; see dispatch.hpp (and codec.hpp, for values).
#include "remoteobj/dispatch.hpp"

#include "remoteobj/codec.hpp"

#include <fmt/format.h>

namespace remoteobj::detail {

void throw_bad_request(const char* class_name, const wire::Request& request) {
    throw BadRequest(fmt::format("{} has no exported member {} accepting {} with {} argument(s)", class_name,
                                 request.member(), operation_name(request.op()), request.argc()));
}

void throw_unknown_member(const char* class_name, const wire::Request& request) {
    // The caller prefixes the member as it knows it (name and signature): only it has them.
    throw InterfaceMismatch(fmt::format("the listener's {} has no member with this name and signature (wire id "
                                        "{:#010x}): it was built from another version of the class; every other "
                                        "member still works",
                                        class_name, request.member()));
}

void throw_too_many_arguments(const char* class_name, const wire::Request& request, std::uint8_t most) {
    throw InterfaceMismatch(fmt::format("the listener's {} takes at most {} argument(s) there, not {}: it was built "
                                        "from an older version of the class (leave the newer arguments out)",
                                        class_name, most, request.argc()));
}

void throw_bad_step(const char* class_name, const wire::Request& request, std::uint32_t step) {
    const wire::Step* s = request.path()->Get(step);
    if (s->kind() != wire::StepKind::Base)  // a member id this build does not have
        throw InterfaceMismatch(fmt::format("the listener's {} has no member with this name and signature to "
                                            "step through (wire id {:#010x}, path step {}): it was built from "
                                            "another version of the class",
                                            class_name, s->member(), step));
    throw BadRequest(fmt::format("{} has no exported {} step {} (path step {})", class_name,
                                 wire::EnumNameStepKind(s->kind()), s->member(), step));
}

void throw_interface_mismatch(const char* class_name, std::uint64_t hash, const wire::Request& request) {
    throw InterfaceMismatch(fmt::format("the listener serves a {} (class id {:016x}), and the request is for "
                                        "another class (class id {:016x})",
                                        class_name, hash, request.interface()));
}

void throw_bad_value(const char* type_name, std::int64_t value) {
    throw BadRequest(fmt::format("{} is not a value of {} (not one of its enumerators)", value, type_name));
}

void throw_malformed(const std::string& what) { throw BadRequest(what); }

}  // namespace remoteobj::detail

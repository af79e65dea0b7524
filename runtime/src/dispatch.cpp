// Errors of generated dispatch code; see dispatch.hpp.
#include "remoteobj/dispatch.hpp"

#include <fmt/format.h>

namespace remoteobj::detail {

void throw_bad_request(const char* class_name, const wire::Request& request) {
    throw BadRequest(fmt::format("{} has no exported member {} accepting {} with {} argument(s)", class_name,
                                    request.member(), wire::EnumNameOperation(request.op()), request.argc()));
}

}  // namespace remoteobj::detail

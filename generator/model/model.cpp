// Derived facts about the model; see model.hpp.
#include "model/model.hpp"

#include <fmt/format.h>

namespace remoteobj::gen {

std::size_t MethodModel::required_params() const {
    std::size_t required = 0;
    while (required < params.size() && !params[required].default_value) ++required;
    return required;
}

bool MethodModel::has_in_out() const {
    for (const ParamModel& param : params)
        if (is_in_out(param)) return true;
    return false;
}

}  // namespace remoteobj::gen

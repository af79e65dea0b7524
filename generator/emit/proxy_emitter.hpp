// Model -> `<name>.remote.hpp` and `<name>.remote.cpp`: the typed Proxy<T> each
// class gets, its field traits and method stubs, and the dispatch function the
// listener runs. The code is short on purpose: it calls runtime templates.
#pragma once

#include <string>

#include "emit/emit_names.hpp"
#include "model/model.hpp"

namespace remoteobj::gen {


/// The header users include: Proxy<T> specialisations with the members' doc comments.
std::string emit_proxy_header(const HeaderModel& model, const EmitNames& names);

/// The source compiled into the user's target: stubs, traits and dispatch.
std::string emit_proxy_source(const HeaderModel& model, const EmitNames& names);

}  // namespace remoteobj::gen

// Model -> `<name>.remote.fbs`: one FlatBuffers table per field value, per method's
// arguments and per method's result. flatc compiles it at build time.
#pragma once

#include <string>

#include "emit/emit_names.hpp"
#include "model/model.hpp"

namespace remoteobj::gen {

std::string emit_schema(const HeaderModel& model, const EmitNames& names = {});

}  // namespace remoteobj::gen

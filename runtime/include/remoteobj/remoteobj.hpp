// The whole public API of remoteobj-cpp in one include.
#pragma once

#include "remoteobj/adapter.hpp"
#include "remoteobj/annotate.hpp"
#include "remoteobj/batch.hpp"
#include "remoteobj/connection.hpp"
#include "remoteobj/deadline.hpp"
#include "remoteobj/describe.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/except.hpp"
#include "remoteobj/object_channel.hpp"
#include "remoteobj/process.hpp"
#include "remoteobj/proxy.hpp"
#include "remoteobj/remote.hpp"
#include "remoteobj/remote_exception.hpp"
#include "remoteobj/serve.hpp"
#include "remoteobj/signal.hpp"
#include "remoteobj/stream.hpp"

// The annotations remoteobj-gen looks for in a user's header.
//
// Under Clang they become `annotate` attributes that the generator reads from
// the AST; under other compilers they expand to nothing, so g++ builds of the
// same header see plain classes and give no attribute warnings.
#pragma once

#if defined(__clang__)
#define REMOTEOBJ_ANNOTATE_(what) __attribute__((annotate(what)))
#else
#define REMOTEOBJ_ANNOTATE_(what)
#endif

/// Marks a class whose public fields and methods are exported to other processes:
/// `class REMOTEOBJ Counter { ... };`
#define REMOTEOBJ REMOTEOBJ_ANNOTATE_("remoteobj")

/// Keeps a public member out of the generated proxy (and out of the generator's checks).
#define REMOTEOBJ_HIDE REMOTEOBJ_ANNOTATE_("remoteobj_hide")

/// Marks a void method as fire-and-forget: the caller does not wait for it to run.
#define REMOTEOBJ_ONEWAY REMOTEOBJ_ANNOTATE_("remoteobj_oneway")

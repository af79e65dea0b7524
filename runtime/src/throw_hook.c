/* Wraps __cxa_throw, the C++ runtime's entry for every `throw`, to record where
 * exceptions are thrown (see stack_trace.cpp), then throws as usual.
 *
 * In C because g++ knows __cxa_throw as a builtin and refuses to define it; the
 * signature is the Itanium C++ ABI's. It must never throw or allocate itself. */
#define _GNU_SOURCE
#include <dlfcn.h>

void remoteobj_record_throw(const void* type, const void* thrower);

/* Read by stack_trace.cpp, so that linking the runtime always pulls this file
 * in: otherwise a shared library that also defines __cxa_throw (the sanitizers'
 * runtimes do) would satisfy the symbol first and this wrapper would be left out. */
const int remoteobj_throw_hook_linked = 1;

typedef void (*cxa_throw_fn)(void*, void*, void (*)(void*));

__attribute__((noreturn)) void __cxa_throw(void* object, void* type, void (*destructor)(void*)) {
    /* Looked up once, by whichever thread throws first; threads that throw at the
     * same moment may each look it up, and store the same value: the atomics make
     * that benign rather than a data race. */
    static cxa_throw_fn cached;
    cxa_throw_fn real = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
    if (!real) {
        /* POSIX's way to turn dlsym's object pointer into a function pointer. */
        void* symbol = dlsym(RTLD_NEXT, "__cxa_throw");
        __builtin_memcpy(&real, &symbol, sizeof real);
        __atomic_store_n(&cached, real, __ATOMIC_RELEASE);
    }
    remoteobj_record_throw(type, __builtin_return_address(0));
    real(object, type, destructor);
    __builtin_unreachable();
}

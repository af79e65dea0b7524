// Describing and rethrowing exceptions across processes; see remote_exception.hpp.
#include "remoteobj/remote_exception.hpp"

#include <unistd.h>

#include <cxxabi.h>

#include <any>
#include <cstdlib>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <system_error>
#include <typeinfo>
#include <variant>

#include "remoteobj/detail/stack_trace.hpp"

namespace remoteobj::detail {
namespace {

template <class E>
void add(std::map<std::string, ExceptionFactory, std::less<>>& factories) {
    factories[demangled_name(typeid(E))] = &make_rethrown<E>;
}

std::exception_ptr make_system_error(const RemoteInfo& info) {
    // The two standard categories can be recreated; another category's code is
    // kept as a value of the generic one, its name in the message.
    const std::error_category& category = info.category == "system" ? std::system_category() : std::generic_category();
    return std::make_exception_ptr(Rethrown<std::system_error>(info, std::error_code(info.code, category), info.message));
}

struct Registry {
    std::shared_mutex mutex;
    std::map<std::string, ExceptionFactory, std::less<>> factories;

    Registry() {
        add<std::exception>(factories);
        add<std::logic_error>(factories);
        add<std::invalid_argument>(factories);
        add<std::domain_error>(factories);
        add<std::length_error>(factories);
        add<std::out_of_range>(factories);
        add<std::runtime_error>(factories);
        add<std::range_error>(factories);
        add<std::overflow_error>(factories);
        add<std::underflow_error>(factories);
        add<std::bad_alloc>(factories);
        add<std::bad_array_new_length>(factories);
        add<std::bad_cast>(factories);
        add<std::bad_typeid>(factories);
        add<std::bad_function_call>(factories);
        add<std::bad_optional_access>(factories);
        add<std::bad_variant_access>(factories);
        add<std::bad_any_cast>(factories);
        add<std::bad_weak_ptr>(factories);
        add<std::bad_exception>(factories);
        add<Error>(factories);
        add<NotListening>(factories);
        add<PeerLost>(factories);
        add<ProcessDied>(factories);
        add<ProtocolError>(factories);
        add<InterfaceMismatch>(factories);
        add<Timeout>(factories);
        factories[demangled_name(typeid(std::system_error))] = &make_system_error;
    }
};

Registry& registry() {
    static Registry instance;
    return instance;
}

std::string& process_name_storage() {
    static std::string name = "main";
    return name;
}

}  // namespace

std::string demangle_symbol(const char* symbol) {
    if (!symbol) return "";
    int status = 0;
    char* name = abi::__cxa_demangle(symbol, nullptr, nullptr, &status);
    std::string result = status == 0 && name ? name : symbol;
    std::free(name);
    return result;
}

std::string demangled_name(const std::type_info& type) { return demangle_symbol(type.name()); }

std::shared_mutex& exception_registry_mutex() { return registry().mutex; }

void register_exception_factory(const std::string& type_name, ExceptionFactory factory) {
    Registry& r = registry();
    std::unique_lock lock(r.mutex);
    r.factories[type_name] = factory;
}

std::exception_ptr make_exception(const RemoteInfo& info) {
    Registry& r = registry();
    ExceptionFactory factory = nullptr;
    {
        std::shared_lock lock(r.mutex);
        if (auto it = r.factories.find(info.type); it != r.factories.end()) factory = it->second;
    }
    if (factory) return factory(info);
    return std::make_exception_ptr(RemoteError(info));
}

RemoteInfo describe_current_exception() {
    RemoteInfo info;
    const std::type_info* type = abi::__cxa_current_exception_type();
    info.type = type ? demangled_name(*type) : "unknown";
    info.pid = static_cast<int>(::getpid());
    info.process_name = this_process_name();
    info.trace = current_exception_trace();
    try {
        throw;
    } catch (const RemoteInfoHolder& remote) {
        // Already from elsewhere: passed on as it was, with its original origin.
        RemoteInfo original = remote.remote_info();
        original.group.clear();
        return original;
    } catch (const std::system_error& e) {
        info.message = e.what();
        info.code = e.code().value();
        info.category = e.code().category().name();
    } catch (const std::exception& e) {
        info.message = e.what();
    } catch (...) {
        info.message = "non-standard exception of type " + info.type;
    }
    return info;
}

const std::string& this_process_name() { return process_name_storage(); }

void set_this_process_name(std::string name) { process_name_storage() = std::move(name); }

}  // namespace remoteobj::detail

// Members whose types can never cross processes: each is refused at its own
// line, saying that it cannot cross and what to do instead (never "yet").
#include <any>
#include <functional>
#include <mutex>
#include <string>

#include <remoteobj/annotate.hpp>

namespace vendor {
struct Slice {
    Slice(const char* data);
};
}  // namespace vendor

class REMOTEOBJ Callbacks {
public:
    std::function<void(int)> on_change;
    std::any anything;
    void (*handler)(int) = nullptr;
    void* context = nullptr;
    void subscribe(std::function<void()> callback);
    void store(const std::any& value);
    void call(int (*fn)(int));
    void attach(void* data);
    int* find(int key);
    const std::string* name_of(int key);
    std::function<int()> maker();
    std::mutex lock;
    vendor::Slice key{""};
    int (Callbacks::*member)() = nullptr;
    int fine = 0;
};

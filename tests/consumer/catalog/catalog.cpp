// Catalog's members, compiled in the library target with its own generated code.
#include "catalog.hpp"

int Catalog::price(const std::string& item) const {
    auto found = prices.find(item);
    return found == prices.end() ? -1 : found->second;
}

void Catalog::serve_until_closed() {
    auto listening = remote.listen();
    closed_.wait(false);
}

void Catalog::close() {
    closed_ = true;
    closed_.notify_all();
}

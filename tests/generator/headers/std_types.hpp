// Standard types the generator maps, each with its exact spelling, and the places
// some of them may not be (a view as a field, std::monostate alone).
#include <bitset>
#include <chrono>
#include <complex>
#include <deque>
#include <filesystem>
#include <forward_list>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include <remoteobj/annotate.hpp>

struct Backwards {
    bool operator()(int a, int b) const { return a > b; }
};

class REMOTEOBJ Kinds {
public:
    std::filesystem::path root;
    std::chrono::system_clock::time_point updated;
    std::chrono::time_point<std::chrono::steady_clock, std::chrono::milliseconds> started;
    std::deque<int> queue;
    std::list<std::string> names;
    std::forward_list<int> chain;
    std::multimap<std::string, int> scores;
    std::multiset<int> counts;
    std::unordered_set<std::string> tags;
    std::unordered_multimap<std::string, int> index;
    std::unordered_multiset<int> bag;
    std::bitset<12> flags;
    std::complex<float> z;
    std::u8string title;
    std::variant<std::monostate, int> choice;
    char code[8];
    int grid[2][3];
    std::unique_ptr<int> count;
    std::shared_ptr<const std::string> note;
    std::vector<std::unique_ptr<std::deque<int>>> boxes;

    int sum(std::span<const int> xs, std::span<int, 4> four);
    const char* lookup(const char* key);
};

class REMOTEOBJ Misplaced {
public:
    std::span<const int> view;
    const char* text = nullptr;
    std::monostate nothing;
    std::chrono::time_point<std::chrono::file_clock> modified;
    std::set<int, Backwards> backwards;
    std::complex<int> gaussian;
    std::optional<std::unique_ptr<int>> twice_absent;
    std::unique_ptr<int[]> many;
    std::vector<std::monostate> nothings;
    std::span<const int> window();
    void bits(std::span<const bool> flags);
    void hide(std::monostate nothing);
    char* name();
    int fine = 0;
};

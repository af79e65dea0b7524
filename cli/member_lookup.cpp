// Finding a member by name; see member_lookup.hpp.
#include "member_lookup.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "usage_error.hpp"

namespace remoteobj::cli {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "; did you mean 'add' or 'added'?" for the members within a few edits of `name`.
std::string suggestions(const nlohmann::json& members, std::string_view name) {
    std::vector<std::pair<std::size_t, std::string>> close;
    const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
    for (const nlohmann::json& member : members) {
        const std::string candidate = member.value("name", "");
        const std::size_t distance = edit_distance(name, candidate);
        const bool contains = name.size() >= 3 && candidate.find(name) != std::string::npos;
        if ((distance <= limit || contains) &&
            std::none_of(close.begin(), close.end(), [&](const auto& c) { return c.second == candidate; }))
            close.emplace_back(contains ? 0 : distance, candidate);
    }
    if (close.empty()) return "";
    std::sort(close.begin(), close.end());
    if (close.size() > 3) close.resize(3);
    std::string out = "; did you mean ";
    for (std::size_t i = 0; i < close.size(); ++i)
        out += fmt::format("{}'{}'", i == 0 ? "" : i + 1 == close.size() ? " or " : ", ", close[i].second);
    return out + "?";
}

}  // namespace

const nlohmann::json& find_member(const nlohmann::json& served, std::string_view name, std::string_view kind,
                                  std::size_t argc) {
    const nlohmann::json& members = served.at("members");
    const std::string class_name = served.value("qualified_name", "");
    std::vector<const nlohmann::json*> named;
    for (const nlohmann::json& member : members)
        if (member.value("name", "") == name) named.push_back(&member);
    if (named.empty())
        throw UsageError(fmt::format("{} has no member named '{}'{}", class_name, name, suggestions(members, name)));
    std::vector<const nlohmann::json*> of_kind;
    for (const nlohmann::json* member : named)
        if (member->value("kind", "") == kind) of_kind.push_back(member);
    if (of_kind.empty())
        throw UsageError(fmt::format("{}::{} is a {}, not a {} (see remoteobj describe)", class_name, name,
                                     named.front()->value("kind", "?"), kind));
    if (of_kind.size() == 1) return *of_kind.front();
    // Overloads: the one that takes `argc` arguments.
    std::vector<const nlohmann::json*> fits;
    for (const nlohmann::json* member : of_kind)
        if (member->value("required", 0u) <= argc && member->value("params", nlohmann::json::array()).size() >= argc)
            fits.push_back(member);
    if (fits.size() == 1) return *fits.front();
    std::string signatures;
    for (const nlohmann::json* member : of_kind) signatures += "\n  " + member->value("signature", "");
    throw UsageError(fmt::format("{}::{} has {} overloads, and {} of them take {} argument{}: this tool cannot "
                                 "choose between overloads by type yet{}",
                                 class_name, name, of_kind.size(), fits.size(), argc, argc == 1 ? "" : "s",
                                 signatures));
}

}  // namespace remoteobj::cli

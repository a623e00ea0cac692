#pragma once

#include <string_view>

namespace rawfeed::server {

// The dashboard's files, compiled into the binary (CMake embeds src/server/dashboard/ into a
// generated source) so that `rawfeed serve` needs no files beside it and no network.
struct DashboardAsset {
  std::string_view name;  // "index.html", "dashboard.js", ...
  std::string_view content_type;
  std::string_view body;
};

// By file name; nullptr when there is no such asset.
const DashboardAsset* findDashboardAsset(std::string_view name);

}  // namespace rawfeed::server

#include "http/governor/fleet_merge.h"

#include <algorithm>
#include <iterator>

namespace rawfeed::http::governor {

void mergeReport(HostRecord& rec, const MemberReport& report) {
  const auto& me = report.member_id;
  const auto now = report.now;
  for (auto it = rec.members.begin(); it != rec.members.end();) {
    const bool stale = it->second.seen_at + report.member_ttl < now;
    it = stale || (report.leaving && it->first == me) ? rec.members.erase(it) : std::next(it);
  }
  double others = 0;
  for (const auto& [id, member] : rec.members) {
    if (id != me)
      others += member.rate;
  }
  // A newcomer joins at once (with the pace it will start from), so the others make room for
  // it at their next sync rather than all ramping as if alone.
  if (!report.leaving) {
    const double joining = rec.rate > 0 ? rec.rate / (rec.members.size() + 1) : report.rate;
    rec.members[me] = FleetMember{now, report.seeded ? report.rate : joining, report.sent_rate};
  }
  if (report.seeded && report.cut_here) {
    // Throttled here: the fleet sent what this process measured plus what the others last
    // reported, or this process's measurement times the members, whichever is lower: both
    // overstate a fleet in slow start (the others' governed rates run ahead of what they
    // sent; this process may be the fastest), and a fleet that overstates its ceiling is
    // banned again (measured: four bans with the higher, two with the lower). Several
    // members refused in one episode (one ban) each report; the first report stands: it is
    // the nearest to where throttling began, the later ones measure the aftermath.
    const int members = std::max<int>(1, static_cast<int>(rec.members.size()));
    const double estimate = std::min(report.ceiling + others, report.ceiling * members);
    const bool same_episode =
        rec.ceiling > 0 && rec.ceiling_at <= now && now - rec.ceiling_at < kThrottleEpisode;
    if (!same_episode) {
      rec.ceiling = estimate;
      rec.ceiling_at = now;
    }
  }
  if (report.paused_until && *report.paused_until > rec.paused_until) {
    rec.paused_until = *report.paused_until;
    rec.pause_length = report.pause_length;
  }
  rec.throttled += report.new_throttled;
  if (report.seeded && !rec.members.empty()) {
    double fleet = 0;
    for (const auto& [id, member] : rec.members)
      fleet += member.rate;
    rec.rate = fleet;
    rec.in_flight_limit = report.in_flight_limit;
  }
  rec.updated_at = now;
}

}  // namespace rawfeed::http::governor

#include "http/governor/fleet_merge.h"

#include <algorithm>
#include <iterator>

namespace rawfeed::http::governor {

core::SystemTime historySlotStart(core::SystemTime time) {
  const auto since_epoch = time.time_since_epoch();
  return core::SystemTime(
      since_epoch -
      (since_epoch % std::chrono::duration_cast<core::SystemTime::duration>(kHistorySlot)));
}

double fleetSustainedRate(const std::map<std::string, FleetMember>& members,
                          core::SystemTime refused_at) {
  const core::SystemTime before = historySlotStart(refused_at);
  // Sends per slot, summed over the members, the slot just before `before` first.
  std::vector<int> fleet(kHistorySlots, 0);
  for (const auto& [id, member] : members) {
    if (member.history.empty() || member.history_end < before)
      continue;
    // Slots of this member's history from its end backwards; skip those at or after `before`.
    const auto skip = (member.history_end - before) / kHistorySlot;
    for (std::size_t back = 0; back < fleet.size(); ++back) {
      const auto index = static_cast<std::int64_t>(member.history.size()) - 1 - skip -
                         static_cast<std::int64_t>(back);
      if (index < 0)
        break;
      fleet[back] += member.history[static_cast<std::size_t>(index)];
    }
  }
  const double slot_seconds = std::chrono::duration<double>(kHistorySlot).count();
  double best = 0;
  double sent = 0;
  for (std::size_t back = 0; back < fleet.size(); ++back) {
    sent += fleet[back];
    best = std::max(best, sent / (static_cast<double>(back + 1) * slot_seconds + 1.0));
  }
  return best;
}

void mergeReport(HostRecord& rec, const MemberReport& report) {
  const auto& me = report.member_id;
  const auto now = report.now;
  for (auto it = rec.members.begin(); it != rec.members.end();) {
    const bool stale = it->second.seen_at + report.member_ttl < now;
    it = stale || (report.leaving && it->first == me) ? rec.members.erase(it) : std::next(it);
  }
  double others = 0;
  double others_sent = 0;
  for (const auto& [id, member] : rec.members) {
    if (id != me) {
      others += member.rate;
      others_sent += member.sent;
    }
  }
  // A newcomer joins at once (with the pace it will start from), so the others make room for
  // it at their next sync rather than all ramping as if alone.
  if (!report.leaving) {
    const double joining = rec.rate > 0 ? rec.rate / (rec.members.size() + 1) : report.rate;
    FleetMember member{now, report.seeded ? report.rate : joining, report.sent_rate, {}, {}};
    member.history = report.history;
    member.history_end = report.history_end;
    rec.members[me] = std::move(member);
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
    double estimate = std::min(report.ceiling + others, report.ceiling * members);
    // Members of a fleet in slow start do not send alike (one measured 3.5 times another's
    // sends in the same seconds), so "times the members" overstates when the fastest reports
    // first. Scaled by this process's share of what the fleet last said it sent instead: that
    // share is exact in a steady fleet, and the others' sends lag by a sync in slow start,
    // which errs low, never high.
    if (report.sent_rate >= 1 && others_sent > 0) {
      const double share =
          std::max(report.sent_rate / (report.sent_rate + others_sent), 1.0 / members);
      estimate = std::min(estimate, report.ceiling / share);
    }
    const bool same_episode =
        rec.ceiling > 0 && rec.ceiling_at <= now && now - rec.ceiling_at < kThrottleEpisode;
    const auto refused_at = report.refused_at.value_or(now);
    if (!same_episode) {
      rec.ceiling = estimate;
      rec.ceiling_at = now;
      rec.episode_refused_at = refused_at;
      rec.ceiling_measured = false;
    } else if (!rec.ceiling_measured && refused_at < rec.episode_refused_at) {
      rec.episode_refused_at = refused_at;
    }
  }
  // A refusal earlier in the same episode than the one that opened it (its report was lost, or
  // came later) is where the fleet's sends stop proving anything: windows ending later would
  // count the ban's silence.
  if (report.refused_at && !rec.ceiling_measured && rec.episode_refused_at != core::SystemTime{} &&
      *report.refused_at < rec.episode_refused_at &&
      rec.episode_refused_at - *report.refused_at < kThrottleEpisode) {
    rec.episode_refused_at = *report.refused_at;
  }
  // The estimate above is one member's view. Once every live member has told the record what it
  // sent up to the episode's first refusal, what the fleet's sends prove replaces it, higher or
  // lower: a member that reported first may have been the fastest or the slowest.
  if (!rec.ceiling_measured && rec.episode_refused_at != core::SystemTime{}) {
    // A member that tells nothing of its sends (an older rawfeed) would make the sum understate
    // the fleet: then the estimate stands.
    const auto before = historySlotStart(rec.episode_refused_at);
    const auto silent = [](const auto& m) { return m.second.history_end == core::SystemTime{}; };
    const bool any_silent = std::any_of(rec.members.begin(), rec.members.end(), silent);
    const bool complete = std::all_of(rec.members.begin(), rec.members.end(), [&](const auto& m) {
      return !silent(m) && m.second.history_end >= before;
    });
    const bool settled = now - rec.ceiling_at >= report.sync_interval;
    if (any_silent) {
      rec.ceiling_measured = true;
    } else if (complete && settled) {
      if (const double proved = fleetSustainedRate(rec.members, rec.episode_refused_at);
          proved > 0) {
        rec.ceiling = proved;
        rec.ceiling_at = now;
      }
      rec.ceiling_measured = true;
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

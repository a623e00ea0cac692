#include "server/connection_table.h"

#include <gtest/gtest.h>

namespace rawfeed::server {
namespace {

using std::chrono::seconds;

const core::SteadyTime kT0{seconds(1000)};

TEST(ConnectionTableTest, AdmitsUnderBothLimits) {
  ConnectionTable table({/*max_connections=*/3, /*max_per_client=*/2});
  EXPECT_EQ(table.admit("a").kind, AdmissionKind::kAdmit);
  table.add(1, "a", kT0);
  table.add(2, "b", kT0);
  EXPECT_EQ(table.admit("a").kind, AdmissionKind::kAdmit);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.countFor("a"), 1u);
}

TEST(ConnectionTableTest, AnAddressAtItsLimitLosesItsLongestWaitingConnection) {
  ConnectionTable table({100, 3});
  table.add(1, "a", kT0 + seconds(1));
  table.add(2, "a", kT0);  // waiting longest
  table.add(3, "a", kT0 + seconds(2));
  table.add(4, "b", kT0 - seconds(9));  // longer still, but another address
  const Admission admission = table.admit("a");
  EXPECT_EQ(admission.kind, AdmissionKind::kAdmitAfterClosing);
  EXPECT_EQ(admission.close_first, 2u);
  EXPECT_EQ(table.admit("b").kind, AdmissionKind::kAdmit);
}

TEST(ConnectionTableTest, ConnectionsBeingServedAreNeverReplaced) {
  ConnectionTable table({100, 2});
  table.add(1, "a", kT0);
  table.add(2, "a", kT0 + seconds(1));
  table.setWaitingOnClient(1, false, kT0 + seconds(2));
  EXPECT_EQ(table.admit("a").close_first, 2u);
  table.setWaitingOnClient(2, false, kT0 + seconds(2));
  EXPECT_EQ(table.admit("a").kind, AdmissionKind::kRefuseClientAtLimit);
  // Waiting again restarts its wait: it is now the newest.
  table.setWaitingOnClient(1, true, kT0 + seconds(5));
  EXPECT_EQ(table.admit("a").close_first, 1u);
}

TEST(ConnectionTableTest, AFullServerLosesItsLongestWaitingConnectionOfAnyAddress) {
  ConnectionTable table({3, 3});
  table.add(1, "a", kT0 + seconds(1));
  table.add(2, "b", kT0);
  table.add(3, "c", kT0 + seconds(2));
  const Admission admission = table.admit("d");
  EXPECT_EQ(admission.kind, AdmissionKind::kAdmitAfterClosing);
  EXPECT_EQ(admission.close_first, 2u);
  for (std::uint64_t id : {1, 2, 3}) {
    table.setWaitingOnClient(id, false, kT0);
  }
  EXPECT_EQ(table.admit("d").kind, AdmissionKind::kRefuseServerFull);
}

TEST(ConnectionTableTest, RemoveFreesTheSlots) {
  ConnectionTable table({2, 1});
  table.add(1, "a", kT0);
  table.add(2, "b", kT0);
  table.setWaitingOnClient(1, false, kT0);
  table.setWaitingOnClient(2, false, kT0);
  EXPECT_EQ(table.admit("a").kind, AdmissionKind::kRefuseClientAtLimit);
  table.remove(1);
  table.remove(1);  // twice is harmless
  EXPECT_EQ(table.countFor("a"), 0u);
  EXPECT_EQ(table.admit("a").kind, AdmissionKind::kAdmit);
  EXPECT_EQ(table.size(), 1u);
}

}  // namespace
}  // namespace rawfeed::server

// Every rejected expression says which field broke which rule, prefixed by the expression.
#include <gtest/gtest.h>

#include <string>

#include "schedule/schedule.h"

namespace rawfeed::schedule {
namespace {

struct ErrorCase {
  std::string name;
  std::string expression;
  std::string zone;
  std::string message;
};

class ExpressionErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ExpressionErrorTest, IsRejectedWithItsRule) {
  const ErrorCase& c = GetParam();
  auto schedule = Schedule::parse(c.expression, c.zone);
  ASSERT_FALSE(schedule.ok()) << c.expression;
  EXPECT_EQ(schedule.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(schedule.error().message, c.message);
}

std::string caseName(const testing::TestParamInfo<ErrorCase>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    Aws, ExpressionErrorTest,
    testing::Values(
        ErrorCase{"BothDaysSpecified", "cron(0 22 * * MON-FRI *)", "Asia/Seoul",
                  "cron(0 22 * * MON-FRI *): day-of-month and day-of-week cannot both be "
                  "specified; use ? in one of them"},
        ErrorCase{"BothDaysQuestion", "cron(0 22 ? * ? *)", "UTC",
                  "cron(0 22 ? * ? *): day-of-month and day-of-week cannot both be ?; use ? in "
                  "exactly one of them"},
        ErrorCase{"TooFewFields", "cron(0 22 * *)", "UTC",
                  "cron(0 22 * *): expected 6 fields (minutes hours day-of-month month "
                  "day-of-week year), got 4"},
        ErrorCase{"FiveFieldsInCron", "cron(0 22 * * ?)", "UTC",
                  "cron(0 22 * * ?): expected 6 fields (minutes hours day-of-month month "
                  "day-of-week year), got 5"},
        ErrorCase{"MinuteTooBig", "cron(60 * * * ? *)", "UTC",
                  "cron(60 * * * ? *): minutes: 60 is outside 0-59"},
        ErrorCase{"HourTooBig", "cron(0 24 * * ? *)", "UTC",
                  "cron(0 24 * * ? *): hours: 24 is outside 0-23"},
        ErrorCase{"DayZero", "cron(0 0 0 * ? *)", "UTC",
                  "cron(0 0 0 * ? *): day-of-month: 0 is outside 1-31"},
        ErrorCase{"DayTooBig", "cron(0 0 32 * ? *)", "UTC",
                  "cron(0 0 32 * ? *): day-of-month: 32 is outside 1-31"},
        ErrorCase{"MonthTooBig", "cron(0 0 * 13 ? *)", "UTC",
                  "cron(0 0 * 13 ? *): month: 13 is outside 1-12"},
        ErrorCase{"UnknownMonthName", "cron(0 0 * FOO ? *)", "UTC",
                  "cron(0 0 * FOO ? *): month: 'FOO' is not a number or a name (JAN-DEC)"},
        ErrorCase{"WeekdayZeroIsNotAws", "cron(0 0 ? * 0 *)", "UTC",
                  "cron(0 0 ? * 0 *): day-of-week: 0 is outside 1-7"},
        ErrorCase{"WeekdayTooBig", "cron(0 0 ? * 8 *)", "UTC",
                  "cron(0 0 ? * 8 *): day-of-week: 8 is outside 1-7"},
        ErrorCase{"UnknownWeekdayName", "cron(0 0 ? * MOON *)", "UTC",
                  "cron(0 0 ? * MOON *): day-of-week: 'MOON' is not a number or a name "
                  "(SUN-SAT)"},
        ErrorCase{"YearTooSmall", "cron(0 0 * * ? 1969)", "UTC",
                  "cron(0 0 * * ? 1969): year: 1969 is outside 1970-2199"},
        ErrorCase{"YearTooBig", "cron(0 0 * * ? 2200)", "UTC",
                  "cron(0 0 * * ? 2200): year: 2200 is outside 1970-2199"},
        ErrorCase{"StepZero", "cron(*/0 * * * ? *)", "UTC",
                  "cron(*/0 * * * ? *): minutes: step '0' must be a whole number of at least 1"},
        ErrorCase{"StepNotANumber", "cron(0/x * * * ? *)", "UTC",
                  "cron(0/x * * * ? *): minutes: step 'x' must be a whole number of at least 1"},
        ErrorCase{"BackwardsRange", "cron(30-10 * * * ? *)", "UTC",
                  "cron(30-10 * * * ? *): minutes: range 30-10 runs backwards"},
        ErrorCase{"BackwardsWeekdays", "cron(0 0 ? * FRI-MON *)", "UTC",
                  "cron(0 0 ? * FRI-MON *): day-of-week: range FRI-MON runs backwards"},
        ErrorCase{"EmptyListElement", "cron(1,,2 * * * ? *)", "UTC",
                  "cron(1,,2 * * * ? *): minutes: empty value in a list"},
        ErrorCase{"NotANumber", "cron(a * * * ? *)", "UTC",
                  "cron(a * * * ? *): minutes: 'a' is not a number"},
        ErrorCase{"QuestionInMinutes", "cron(? 0 * * ? *)", "UTC",
                  "cron(? 0 * * ? *): minutes: ? belongs only in day-of-month or day-of-week "
                  "of an AWS cron(...)"},
        ErrorCase{"LastInAList", "cron(0 0 L,15 * ? *)", "UTC",
                  "cron(0 0 L,15 * ? *): day-of-month: 'L,15' is not one of L, L-n, LW, nW; "
                  "these forms stand alone in the field, without lists, ranges or steps"},
        ErrorCase{"LastOffsetTooBig", "cron(0 0 L-31 * ? *)", "UTC",
                  "cron(0 0 L-31 * ? *): day-of-month: 31 is outside 0-30"},
        ErrorCase{"NearestWeekdayTooBig", "cron(0 0 32W * ? *)", "UTC",
                  "cron(0 0 32W * ? *): day-of-month: 32 is outside 1-31"},
        ErrorCase{"BareW", "cron(0 0 W * ? *)", "UTC",
                  "cron(0 0 W * ? *): day-of-month: 'W' is not one of L, L-n, LW, nW; these "
                  "forms stand alone in the field, without lists, ranges or steps"},
        ErrorCase{"BareLastWeekday", "cron(0 0 ? * L *)", "UTC",
                  "cron(0 0 ? * L *): day-of-week: L needs a weekday before it, e.g. 6L for the "
                  "last Friday"},
        ErrorCase{"LastOfBadWeekday", "cron(0 0 ? * 9L *)", "UTC",
                  "cron(0 0 ? * 9L *): day-of-week: 9 is outside 1-7"},
        ErrorCase{"SixthWeek", "cron(0 0 ? * 6#6 *)", "UTC",
                  "cron(0 0 ? * 6#6 *): day-of-week: in '6#6' the week after # must be 1-5"},
        ErrorCase{"ZerothWeek", "cron(0 0 ? * 6#0 *)", "UTC",
                  "cron(0 0 ? * 6#0 *): day-of-week: in '6#0' the week after # must be 1-5"},
        ErrorCase{"HashInAList", "cron(0 0 ? * 2,6#3 *)", "UTC",
                  "cron(0 0 ? * 2,6#3 *): day-of-week: '2,6#3' is not one of nL (6L = last "
                  "Friday), n#k (6#3 = third Friday); these forms stand alone in the field, "
                  "without lists, ranges or steps"},
        ErrorCase{"UnknownZone", "cron(0 22 ? * MON-FRI *)", "Asia/Seol",
                  "unknown time zone 'Asia/Seol'"},
        ErrorCase{"EmptyZone", "cron(0 22 ? * MON-FRI *)", "",
                  "time zone is empty; name an IANA zone such as UTC or Asia/Seoul"}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    Rate, ExpressionErrorTest,
    testing::Values(
        ErrorCase{"Zero", "rate(0 minutes)", "UTC",
                  "rate(0 minutes): value '0' must be a whole number from 1 to 1000000"},
        ErrorCase{"Negative", "rate(-5 minutes)", "UTC",
                  "rate(-5 minutes): value '-5' must be a whole number from 1 to 1000000"},
        ErrorCase{"Fraction", "rate(1.5 hours)", "UTC",
                  "rate(1.5 hours): value '1.5' must be a whole number from 1 to 1000000"},
        ErrorCase{"PluralWithOne", "rate(1 minutes)", "UTC",
                  "rate(1 minutes): use the singular unit with 1: rate(1 minute)"},
        ErrorCase{"SingularWithMore", "rate(5 hour)", "UTC",
                  "rate(5 hour): use the plural unit with 5: rate(5 hours)"},
        ErrorCase{"UnknownUnit", "rate(5 weeks)", "UTC",
                  "rate(5 weeks): unknown unit 'weeks'; use minute(s), hour(s) or day(s)"},
        ErrorCase{"NoUnit", "rate(5)", "UTC",
                  "rate(5): expected a value and a unit, e.g. rate(5 minutes)"},
        ErrorCase{"ExtraWord", "rate(5 minutes please)", "UTC",
                  "rate(5 minutes please): expected a value and a unit, e.g. rate(5 minutes)"}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    Unix, ExpressionErrorTest,
    testing::Values(
        ErrorCase{"FourFields", "0 0 * *", "UTC",
                  "0 0 * *: expected 5 fields (minute hour day-of-month month day-of-week), "
                  "got 4"},
        ErrorCase{"SixFieldsWithoutCron", "0 0 * * ? *", "UTC",
                  "0 0 * * ? *: expected 5 fields (minute hour day-of-month month "
                  "day-of-week), got 6"},
        ErrorCase{"WeekdayEight", "0 0 * * 8", "UTC", "0 0 * * 8: day-of-week: 8 is outside 0-7"},
        ErrorCase{"QuestionMark", "0 0 ? * 1", "UTC",
                  "0 0 ? * 1: day-of-month: ? belongs only in day-of-month or day-of-week of "
                  "an AWS cron(...)"},
        ErrorCase{"LastNeedsAws", "0 0 L * *", "UTC",
                  "0 0 L * *: day-of-month: 'L' is not a number"},
        ErrorCase{"Empty", "", "UTC",
                  "'': expected cron(...), rate(...) or a five-field cron line (minute hour "
                  "day-of-month month day-of-week)"},
        ErrorCase{"OneTimeSchedule", "at(2024-01-01T00:00:00)", "UTC",
                  "'at(2024-01-01T00:00:00)': expected cron(...), rate(...) or a five-field "
                  "cron line (minute hour day-of-month month day-of-week)"},
        ErrorCase{"UnclosedCron", "cron(0 0 * * ? *", "UTC",
                  "'cron(0 0 * * ? *': expected cron(...), rate(...) or a five-field cron line "
                  "(minute hour day-of-month month day-of-week)"}),
    caseName);

}  // namespace
}  // namespace rawfeed::schedule

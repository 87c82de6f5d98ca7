// Numbers that parse but make no sense: every unit's range (units.hpp), checked money arithmetic, and the
// loaders and rules that used to take nan, inf or 1e300 silently (issue 9's reproducers, each a test that
// failed before the fix).
#include "keipath/units.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keipath/catalog.hpp"
#include "keipath/money.hpp"
#include "keipath/params.hpp"
#include "keipath/scenario.hpp"
#include "keipath/vehicle.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(UnitsTest, EveryUnitHasAFiniteOrderedRange) {
  ASSERT_FALSE(known_units().empty());
  for (const UnitSpec& u : known_units()) {
    EXPECT_TRUE(std::isfinite(u.min) && std::isfinite(u.max)) << u.name;
    EXPECT_LE(u.min, u.max) << u.name;
    EXPECT_FALSE(u.what.empty()) << u.name;
  }
  EXPECT_EQ(find_unit("furlongs"), nullptr);
}

TEST(UnitsTest, NonFiniteAndOutOfRangeValuesAreRefused) {
  EXPECT_TRUE(check_quantity(3400, "mm"));
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), 1e300, -1.0}) {
    auto r = check_quantity(bad, "mm");
    ASSERT_FALSE(r) << bad;
  }
  EXPECT_TRUE(has(check_quantity(1e300, "years").error().message, "1e+300 is out of range"));
  EXPECT_FALSE(check_quantity(0, "JPY_per_USD"));  // a zero exchange rate divides by zero
  EXPECT_FALSE(check_quantity(1, "furlongs"));
}

TEST(UnitsTest, ParseQuantityReadsOnlyPlainDecimals) {
  EXPECT_DOUBLE_EQ(*parse_quantity("3395", "mm"), 3395);
  EXPECT_DOUBLE_EQ(*parse_quantity("-9.032", "log_odds"), -9.032);
  for (const char* bad : {"nan", "inf", "-inf", "infinity", "0x10", "12abc", "", " 5", "+5", "1e400"})
    EXPECT_FALSE(parse_quantity(bad, "mm")) << bad;
  EXPECT_TRUE(has(parse_quantity("20x5", "years").error().message, "'20x5' is not a number"));
}

TEST(UnitsTest, QuotedTextKeepsAMessageOnOneLine) {
  EXPECT_EQ(quote_for_message("a\nb\tc\x01"), "a\\nb\\tc\\x01");
}

TEST(MoneyTest, ArithmeticThatDoesNotFitThrowsInsteadOfWrapping) {
  const Money max = Money::from_cents(std::numeric_limits<int64_t>::max());
  EXPECT_THROW(max + Money::from_cents(1), MoneyOverflow);
  EXPECT_THROW(Money::from_cents(std::numeric_limits<int64_t>::min()) - Money::from_cents(1), MoneyOverflow);
  Money m = max;
  EXPECT_THROW(m += Money::from_cents(1), MoneyOverflow);
  EXPECT_THROW(max.times(2), MoneyOverflow);
  EXPECT_THROW(Money::from_yen(410'000, 0), MoneyOverflow);  // a zero rate: infinity cents
  EXPECT_THROW(Money::round_cents(std::nan("")), MoneyOverflow);
  EXPECT_THROW(Money::from_dollars(1e300), MoneyOverflow);
  EXPECT_EQ(Money::from_cents(250).times(3).cents, 750);
  EXPECT_EQ(Money::from_cents(std::numeric_limits<int64_t>::min()).str(), "-$92,233,720,368,547,758.08");
}

// A parameter file with one value; `value` is the TOML text of the value.
std::string param_file(const std::string& unit, const std::string& value, const std::string& extra = "") {
  return "[t.x]\nunit = \"" + unit + "\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n" +
         "  { from = 2001-01-01, value = " + value + extra + ", ref = \"r\" },\n]\n";
}

TEST(ParamUnitsTest, NonFiniteOrOutOfRangeValuesFailToLoadNamingFileAndLine) {
  for (const auto& [unit, value] : std::vector<std::pair<std::string, std::string>>{{"mm", "nan"},
                                                                                    {"mm", "inf"},
                                                                                    {"mm", "-inf"},
                                                                                    {"mm", "1e300"},
                                                                                    {"years", "1e300"},
                                                                                    {"years", "-25"},
                                                                                    {"percent", "nan"},
                                                                                    {"JPY_per_USD", "0"}}) {
    ParamStore store;
    auto r = store.add_toml(param_file(unit, value), "law/t.toml");
    ASSERT_FALSE(r) << unit << " " << value;
    EXPECT_TRUE(has(r.error().message, "law/t.toml:6: t.x: value from 2001-01-01: 'value'"))
        << r.error().message;
  }
  ParamStore store;
  auto r = store.add_toml(param_file("ratio", "0.5", ", low = 0.1, high = inf"), "law/t.toml");
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error().message, "'high'")) << r.error().message;
}

TEST(ParamUnitsTest, ScenarioOverridesAreCheckedAgainstTheParametersUnit) {
  const std::string head = "[scenario]\nname = \"s\"\ndescription = \"d\"\n\n";
  auto nan = Scenario::parse(
      head + "[[override]]\nparameter = \"t.x\"\nfrom = 2027-01-01\nvalue = nan\nref = \"r\"\n", "s.toml");
  ASSERT_FALSE(nan);
  EXPECT_TRUE(has(nan.error().message, "s.toml:8: [[override]]: 'value' nan is not a finite number"))
      << nan.error().message;

  ParamStore store;
  ASSERT_TRUE(store.add_toml(param_file("years", "25"), "law/t.toml"));
  auto huge = Scenario::parse(
      head + "[[override]]\nparameter = \"t.x\"\nfrom = 2027-01-01\nvalue = 1e300\nref = \"r\"\n", "s.toml");
  ASSERT_TRUE(huge) << huge.error().message;
  auto applied = store.apply(*huge);
  ASSERT_FALSE(applied);
  EXPECT_TRUE(has(applied.error().message, "s.toml:5: override of t.x: value 1e+300 is out of range"))
      << applied.error().message;
}

TEST(ParamUnitsTest, AQuotedNewlineDoesNotLoseTheFileLinePrefix) {
  ParamStore store;
  auto r = store.add_toml(std::string("[t.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\n") +
                              "\"bad\\nkey\" = 1\nvalues = [{ from = 2001-01-01, value = 1, ref = \"r\" }]\n",
                          "law/t.toml");
  ASSERT_FALSE(r);
  // One problem, one line, one prefix.
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  EXPECT_TRUE(has(r.error().message, "law/t.toml:5: t.x: unknown key 'bad\\nkey'")) << r.error().message;
}

TEST(VehicleRangesTest, HugeMassesAreOutOfRangeWithoutIntOverflow) {
  Vehicle v;
  v.body = Body::truck;
  v.curb_mass_kg = 2'000'000'000;
  v.payload_kg = 2'000'000'000;
  v.gross_mass_kg = 2'100'000'000;
  auto r = validate_vehicle(v, testing::date("2026-11-22"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error().message, "vehicle.curb_mass_kg: 2000000000 is not a curb mass in kg"));
  EXPECT_TRUE(has(r.error().message, "vehicle.payload_kg: 2000000000 is not a payload in kg"));
  // Out of range, they are not also added up against the gross mass (where they would overflow an int).
  EXPECT_FALSE(has(r.error().message, "plus curb_mass_kg")) << r.error().message;
  ASSERT_TRUE(vehicle_field_range("length_mm"));
  EXPECT_EQ(vehicle_field_range("length_mm")->min, 1000);
  EXPECT_FALSE(vehicle_field_range("body"));
}

TEST(CatalogYearTest, AYearWithALetterIsAnErrorNotYearTwenty) {
  std::string header;
  for (std::string_view f : vehicle_field_names())
    if (f != "built") header += std::string(f) + ",";
  header += "produced_from,produced_to,price_jpy,fuel_economy,source,confidence,checked,notes\n";
  std::string row;
  for (std::string_view f : vehicle_field_names()) {
    if (f == "built") continue;
    row += f == "make" ? "Honda," : f == "model" ? "Acty," : f == "body" ? "truck," : ",";
  }
  auto r = Catalog::parse(header + row + "20x5,,,,src,low,2026-11-22,\n", "vehicles/kei_catalog.csv",
                          testing::date("2026-11-22"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error().message, "vehicles/kei_catalog.csv:2: produced_from: '20x5' is not a year"))
      << r.error().message;
}

}  // namespace
}  // namespace keipath

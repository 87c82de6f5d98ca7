// The CSV tables beside the rule base (tariff headings, pathway forms, ports, inland trucking bands): a
// malformed file is refused with the file, the line and what is wrong, and a missing one stops the load.
#include <gtest/gtest.h>

#include "keipath/landed_cost.hpp"
#include "keipath/us_duties.hpp"
#include "keipath/us_import.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

void expect_error(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
}

TEST(DataTablesTest, TariffHeadingsNameEveryBadCell) {
  const std::string header =
      "heading,description,bodies,powertrains,max_displacement_cc,rate_parameter,ref,confidence,note\n";
  auto bad = TariffHeadings::parse(header +
                                       "9999.00,x,truck,ice,,us.hts.mfn_8704_percent,r,high,\n"
                                       "8704.31,x,boat,steam,-5,us.nope,,sure,\n",
                                   "h.csv", testing::bundled().params());
  ASSERT_FALSE(bad);
  const std::string& m = bad.error().message;
  expect_error(m, "h.csv:2: heading '9999.00' is not an 8703 or 8704 HTS number");
  expect_error(m, "h.csv:3: bodies: 'boat' is not a vehicle body");
  expect_error(m, "h.csv:3: powertrains: 'steam' is not a powertrain");
  expect_error(m, "h.csv:3: max_displacement_cc: -5 is out of range for an engine displacement in cc");
  expect_error(m, "h.csv:3: rate_parameter:");
  expect_error(m, "h.csv:3: ref is empty");
  expect_error(m, "h.csv:3: confidence 'sure'");
  auto missing = TariffHeadings::parse("heading,description\n", "h.csv", testing::bundled().params());
  ASSERT_FALSE(missing);
  expect_error(missing.error().message, "h.csv:1: missing column 'bodies'");
}

TEST(DataTablesTest, PathwayFormsNeedAKnownPathwayAFormAndARef) {
  auto bad =
      ImportRule::parse_forms("pathway,form,what,ref\nteleport,HS-7,x,r\nfmvss_25_year,,x,\n", "f.csv");
  ASSERT_FALSE(bad);
  expect_error(bad.error().message, "f.csv:2: pathway 'teleport' is not one of fmvss_25_year");
  expect_error(bad.error().message, "f.csv:3: form and ref may not be empty");
}

TEST(DataTablesTest, PortsAndInlandBandsAreChecked) {
  const std::string ports_header = "code,name,coast,roro_usd,container_usd,source,confidence,note\n";
  const std::string inland_ok = "up_to_miles,usd_cents_per_mile,source,confidence,note\n500,197,s,low,\n";
  auto bad_port =
      CostTables::parse(ports_header + "LAX,LA,west,abc,3000,s,low,\n", "p.csv", inland_ok, "i.csv");
  ASSERT_FALSE(bad_port);
  expect_error(bad_port.error().message,
               "p.csv:2: roro_usd / container_usd: 'abc' is not an amount of money");
  expect_error(bad_port.error().message, "p.csv:2: code 'LAX' is not a 5-letter UN/LOCODE");
  auto bad_bands =
      CostTables::parse(ports_header + "USLAX,LA,west,1500,3000,s,low,\n", "p.csv",
                        "up_to_miles,usd_cents_per_mile,source,confidence,note\n1000,100,s,low,\n"
                        "500,-3,s,low,\n",
                        "i.csv");
  ASSERT_FALSE(bad_bands);
  expect_error(bad_bands.error().message, "i.csv:3: usd_cents_per_mile: -3 is out of range");
  expect_error(bad_bands.error().message, "i.csv:3: bands must be in increasing up_to_miles");
}

TEST(DataTablesTest, AMissingTableStopsTheLoadAndNamesIt) {
  testing::ScratchDir dir;
  testing::copy_bundled_data(dir);
  std::filesystem::remove(dir.path() / "data/law/us/federal/hts_headings.csv");
  auto base = RuleBase::load(RuleBaseOptions{dir.path() / "data", std::nullopt, Date::today()});
  ASSERT_FALSE(base);
  expect_error(base.error().message, "data/law/us/federal/hts_headings.csv: cannot be read");
}

}  // namespace
}  // namespace keipath

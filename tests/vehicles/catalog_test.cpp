// The bundled catalog, look-ups, and catalog errors with file:line.
#include "keipath/catalog.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "test_support.hpp"

namespace keipath {
namespace {

using testing::bundled;
using testing::date;

TEST(CatalogTest, BundledCatalogHoldsTheModelsUsersAskFor) {
  const Catalog& c = bundled().catalog();
  EXPECT_GE(c.entries().size(), 30u);
  for (const auto& [model, chassis] :
       std::vector<std::pair<const char*, const char*>>{{"Suzuki Carry", "DA16T"},
                                                        {"Suzuki Carry", "DA52T"},
                                                        {"Daihatsu Hijet Truck", "S500P"},
                                                        {"Daihatsu Hijet", "S200P"},
                                                        {"Honda Acty", "HA6"},
                                                        {"Honda Acty", "HA9"},
                                                        {"Subaru Sambar", "KS4"},
                                                        {"Mitsubishi Minicab", "U61T"},
                                                        {"Honda N-BOX", "JF3"},
                                                        {"Suzuki Jimny", "JB64"},
                                                        {"Nissan Sakura", "B6AW"}}) {
    auto e = c.lookup(model, chassis);
    EXPECT_TRUE(e) << model << " " << chassis << ": " << (e ? "" : e.error().message);
  }
  for (const CatalogEntry& e : c.entries()) {
    EXPECT_FALSE(e.source.empty()) << e.vehicle.display_name();
    EXPECT_NE(e.confidence, Confidence::unstated) << e.vehicle.display_name();
  }
}

TEST(CatalogTest, UnknownFieldsStayUnknown) {
  auto e = bundled().catalog().lookup("Suzuki Carry", "DA63T");
  ASSERT_TRUE(e);
  EXPECT_TRUE((*e)->vehicle.length_mm.has_value());
  // No maker publishes a kei truck's top speed: the DA63T's is the generic assumed figure, said so.
  EXPECT_EQ((*e)->vehicle.top_speed_kmh, 100);
  EXPECT_TRUE(is_assumed((*e)->vehicle, "top_speed_kmh"));
  EXPECT_FALSE(is_assumed((*e)->vehicle, "length_mm"));
  EXPECT_FALSE((*e)->vehicle.power_kw.has_value()) << "no source gave the DA63T's power";
  auto sakura = bundled().catalog().lookup("Nissan Sakura", "");
  ASSERT_TRUE(sakura);
  EXPECT_EQ((*sakura)->vehicle.engine, EngineKind::electric);
  EXPECT_FALSE((*sakura)->vehicle.displacement_cc.has_value());
}

TEST(CatalogTest, LookupExplainsAmbiguityAndAbsence) {
  const Catalog& c = bundled().catalog();
  auto many = c.lookup("Suzuki Carry", "");
  ASSERT_FALSE(many);
  const auto carries = std::count_if(c.entries().begin(), c.entries().end(), [](const CatalogEntry& e) {
    return e.vehicle.make == "Suzuki" && e.vehicle.model == "Carry";
  });
  EXPECT_EQ(carries, 11);
  EXPECT_NE(many.error().message.find(fmt::format(
                "vehicle.chassis: 'Suzuki Carry' matches {} catalog vehicles; give the chassis", carries)),
            std::string::npos)
      << many.error().message;
  auto none = c.lookup("Toyota Hilux", "");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no catalog vehicle matches 'Toyota Hilux'"), std::string::npos);
  auto wrong_chassis = c.lookup("Suzuki Carry", "XX1");
  ASSERT_FALSE(wrong_chassis);
  EXPECT_NE(wrong_chassis.error().message.find("chassis 'XX1'"), std::string::npos);
  EXPECT_EQ(c.search("jimny").size(), 7u);  // LJ10, JA71, JA11, JA12, JA22, JB23, JB64
  EXPECT_EQ(c.search("").size(), c.entries().size());
}

TEST(CatalogTest, LookupTakesOneChassisCodeOrTheRowsWholeChassisText) {
  // The catalog lists "HA6/HA7"; a client that sends back what /api/catalog gave it finds the same row.
  const Catalog& c = bundled().catalog();
  for (const char* chassis : {"HA6", "ha7", "HA6/HA7"}) {
    auto e = c.lookup("Honda Acty", chassis);
    ASSERT_TRUE(e) << chassis << ": " << e.error().message;
    EXPECT_EQ((*e)->vehicle.chassis, "HA6/HA7");
  }
  EXPECT_FALSE(c.lookup("Honda Acty", "HA6/HA9"));
}

TEST(CatalogTest, ProductionSpans) {
  auto e = bundled().catalog().lookup("Suzuki Carry", "DA63T");
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)->production_span(), "2002-05 to 2013-08");
  EXPECT_TRUE((*e)->produced_in(YearMonth(2013, 8)));
  EXPECT_FALSE((*e)->produced_in(YearMonth(2013, 9)));
}

std::string catalog_header() {
  return "make,model,chassis,body,length_mm,width_mm,height_mm,wheelbase_mm,track_front_mm,track_rear_mm,"
         "engine,"
         "displacement_cc,power_kw,curb_mass_kg,gross_mass_kg,seats,payload_kg,powertrain,drive,steering,top_"
         "speed_kmh,"
         "produced_from,produced_to,price_jpy,fuel_economy,source,confidence,checked,notes\n";
}

TEST(CatalogTest, RowErrorsNameFileLineAndField) {
  const std::string good =
      "Suzuki,Carry,DA16T,truck,3395,1475,1765,,,,four_stroke,658,37,770,,2,350,ice,4WD,right,,"
      "2013-08,,1117600,,https://example.org,medium,2026-11-22,\n";
  ASSERT_TRUE(Catalog::parse(catalog_header() + good, "cat.csv", date("2026-11-22")));
  const std::string bad =
      "Suzuki,Carry,DA16T,truck,-3395,1475,1765,,,,four_stroke,658,37,770,,2,350,ice,4WD,right,,"
      "2013-08,,-5,,,certain,yesterday,\n";
  auto c = Catalog::parse(catalog_header() + good + bad, "cat.csv", date("2026-11-22"));
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find("cat.csv:3: price_jpy: '-5' is not a price in whole yen"), std::string::npos) << m;
  EXPECT_NE(m.find("cat.csv:3: source: missing"), std::string::npos) << m;
  EXPECT_NE(m.find("cat.csv:3: confidence: confidence 'certain' is not one of high, medium, low"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("cat.csv:3: checked: 'yesterday' is not a date"), std::string::npos) << m;
  EXPECT_NE(m.find("cat.csv:3: vehicle.length_mm: -3395 is not a length in mm"), std::string::npos) << m;
  auto header = Catalog::parse("make,model\nSuzuki,Carry\n", "cat.csv", date("2026-11-22"));
  ASSERT_FALSE(header);
  EXPECT_NE(header.error().message.find("cat.csv:1: header must be exactly:"), std::string::npos);
}

}  // namespace
}  // namespace keipath

// Vehicle fields: parsing from text and validation, each error naming its field.
#include "keipath/vehicle.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace keipath {
namespace {

using testing::date;

Vehicle kei_truck() {
  Vehicle v;
  for (auto [f, t] : std::initializer_list<std::pair<const char*, const char*>>{{"make", "Suzuki"},
                                                                                {"model", "Carry"},
                                                                                {"body", "truck"},
                                                                                {"built", "2015-06"},
                                                                                {"length_mm", "3395"},
                                                                                {"width_mm", "1475"},
                                                                                {"height_mm", "1765"},
                                                                                {"engine", "four_stroke"},
                                                                                {"displacement_cc", "658"},
                                                                                {"power_kw", "37"},
                                                                                {"curb_mass_kg", "770"},
                                                                                {"seats", "2"},
                                                                                {"payload_kg", "350"}}) {
    EXPECT_TRUE(set_vehicle_field(v, f, t)) << f;
  }
  return v;
}

TEST(VehicleTest, FieldsRoundTripThroughText) {
  const Vehicle v = kei_truck();
  EXPECT_EQ(v.length_mm, 3395);
  EXPECT_EQ(v.body, Body::truck);
  EXPECT_EQ(v.built, YearMonth(2015, 6));
  EXPECT_EQ(vehicle_field_text(v, "engine"), "four_stroke");
  EXPECT_EQ(vehicle_field_text(v, "power_kw"), "37");
  EXPECT_EQ(vehicle_field_text(v, "wheelbase_mm"), "") << "unknown stays unknown, not zero";
  EXPECT_FALSE(v.wheelbase_mm.has_value());
  EXPECT_TRUE(vehicle_field_is_numeric("length_mm"));
  EXPECT_FALSE(vehicle_field_is_numeric("body"));
  EXPECT_EQ(v.display_name(), "Suzuki Carry");
  EXPECT_TRUE(validate_vehicle(v, date("2026-11-22")));
}

TEST(VehicleTest, EmptyTextLeavesAFieldUnknown) {
  Vehicle v;
  ASSERT_TRUE(set_vehicle_field(v, "length_mm", "  "));
  EXPECT_FALSE(v.length_mm.has_value());
}

struct BadField {
  const char* field;
  const char* text;
  const char* expected;
};

void PrintTo(const BadField& c, std::ostream* os) {
  *os << c.field;
}

class VehicleFieldErrorTest : public ::testing::TestWithParam<BadField> {};

TEST_P(VehicleFieldErrorTest, NamesTheField) {
  Vehicle v;
  auto set = set_vehicle_field(v, GetParam().field, GetParam().text);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().message, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Parse, VehicleFieldErrorTest,
    ::testing::Values(
        BadField{"length_mm", "abc", "vehicle.length_mm: 'abc' is not a whole number"},
        BadField{"length_mm", "3395.5", "vehicle.length_mm: '3395.5' is not a whole number"},
        BadField{"power_kw", "fast", "vehicle.power_kw: 'fast' is not a number"},
        BadField{"body", "bus", "vehicle.body: 'bus' is not one of truck, van, car, suv, sports"},
        BadField{"engine", "diesel",
                 "vehicle.engine: 'diesel' is not one of four_stroke, two_stroke, electric"},
        BadField{"built", "2015-13", "vehicle.built: '2015-13' has no month 13"},
        BadField{"built", "June 2015", "vehicle.built: 'June 2015' is not a year-month (expected YYYY-MM)"}));

TEST(VehicleTest, UnknownFieldListsTheFields) {
  Vehicle v;
  auto set = set_vehicle_field(v, "lenght_mm", "1");
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("vehicle.lenght_mm: no such field (fields: make, model, chassis, body"),
            std::string::npos);
}

struct Invalid {
  const char* name;
  const char* field;
  const char* text;
  const char* expected;
};

void PrintTo(const Invalid& c, std::ostream* os) {
  *os << c.name;
}

class VehicleValidationTest : public ::testing::TestWithParam<Invalid> {};

TEST_P(VehicleValidationTest, NamesTheFieldAndTheProblem) {
  Vehicle v = kei_truck();
  ASSERT_TRUE(set_vehicle_field(v, GetParam().field, GetParam().text));
  auto valid = validate_vehicle(v, date("2026-11-22"));
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().message, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Ranges, VehicleValidationTest,
    ::testing::Values(
        Invalid{"negative_length", "length_mm", "-5",
                "vehicle.length_mm: -5 is not a length in mm (expected 1000 to 13000)"},
        Invalid{"zero_width", "width_mm", "0",
                "vehicle.width_mm: 0 is not a width in mm (expected 500 to 2600)"},
        Invalid{"huge_height", "height_mm", "9000",
                "vehicle.height_mm: 9000 is not a height in mm (expected 500 to 4200)"},
        Invalid{"tiny_displacement", "displacement_cc", "5",
                "vehicle.displacement_cc: 5 is not an engine displacement in cc (expected 20 to 10000)"},
        Invalid{"negative_power", "power_kw", "-1",
                "vehicle.power_kw: -1 is not an engine or motor power in kW (expected 0.1 to 1200)"},
        Invalid{"no_seats", "seats", "0", "vehicle.seats: 0 is not a number of seats (expected 1 to 15)"},
        Invalid{"negative_payload", "payload_kg", "-350",
                "vehicle.payload_kg: -350 is not a payload in kg (expected 0 to 10000)"},
        Invalid{"short_wheelbase", "wheelbase_mm", "100",
                "vehicle.wheelbase_mm: 100 is not a wheelbase in mm (expected 500 to 8000)"},
        Invalid{"narrow_rear_track", "track_rear_mm", "50",
                "vehicle.track_rear_mm: 50 is not a track width in mm (expected 300 to 2600)"},
        Invalid{"light_curb_mass", "curb_mass_kg", "20",
                "vehicle.curb_mass_kg: 20 is not a curb mass in kg (expected 100 to 8000)"},
        Invalid{"heavy_gross_mass", "gross_mass_kg", "20000",
                "vehicle.gross_mass_kg: 20000 is not a gross vehicle mass in kg (expected 100 to 15000)"},
        Invalid{"slow_top_speed", "top_speed_kmh", "2",
                "vehicle.top_speed_kmh: 2 is not a top speed in km/h (expected 5 to 400)"},
        Invalid{"wheelbase_longer_than_car", "wheelbase_mm", "3400",
                "vehicle.wheelbase_mm: 3400 is not shorter than length_mm 3395"},
        Invalid{"track_wider_than_car", "track_front_mm", "1500",
                "vehicle.track_front_mm: 1500 is wider than width_mm 1475"},
        Invalid{"gross_below_curb", "gross_mass_kg", "700",
                "vehicle.gross_mass_kg: 700 is less than curb_mass_kg 770"},
        Invalid{"payload_over_gross", "gross_mass_kg", "1000",
                "vehicle.payload_kg: 350 plus curb_mass_kg 770 exceeds gross_mass_kg 1000"},
        Invalid{"ev_with_displacement", "engine", "electric",
                "vehicle.displacement_cc: 658 given, but an electric vehicle has no displacement"},
        Invalid{"engine_contradicts_powertrain", "powertrain", "battery_electric",
                "vehicle.engine: 'four_stroke' contradicts powertrain 'battery_electric'"},
        Invalid{"built_in_future", "built", "2027-01",
                "vehicle.built: 2027-01 is in the future (today is 2026-11-22)"},
        Invalid{"built_before_cars", "built", "1850-01",
                "vehicle.built: 1850-01 is before the first motor car (1886)"}),
    [](const ::testing::TestParamInfo<Invalid>& info) { return std::string(info.param.name); });

TEST(VehicleTest, MissingBodyAndSeveralProblemsAreAllReported) {
  Vehicle v;
  v.length_mm = -5;
  v.seats = 40;
  auto valid = validate_vehicle(v, date("2026-11-22"));
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().message,
            "vehicle.body: missing (one of truck, van, car, suv, sports)\n"
            "vehicle.length_mm: -5 is not a length in mm (expected 1000 to 13000)\n"
            "vehicle.seats: 40 is not a number of seats (expected 1 to 15)");
}

// A value out of its range is one problem: it is not also compared with the fields it bounds (a length of
// -5 is not reported again as shorter than the wheelbase).
TEST(VehicleTest, AValueOutOfRangeIsNotComparedWithTheOthers) {
  Vehicle v;
  v.body = Body::truck;
  v.length_mm = -5;
  v.wheelbase_mm = 1905;
  v.width_mm = 99999;
  v.track_front_mm = 1305;
  v.curb_mass_kg = 20;
  v.gross_mass_kg = 10;
  auto valid = validate_vehicle(v, date("2026-11-22"));
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().message,
            "vehicle.length_mm: -5 is not a length in mm (expected 1000 to 13000)\n"
            "vehicle.width_mm: 99999 is not a width in mm (expected 500 to 2600)\n"
            "vehicle.curb_mass_kg: 20 is not a curb mass in kg (expected 100 to 8000)\n"
            "vehicle.gross_mass_kg: 10 is not a gross vehicle mass in kg (expected 100 to 15000)");
  v.length_mm = 1500;  // in range: now compared
  v.width_mm = 1475;
  v.curb_mass_kg = 700;
  v.gross_mass_kg = 650;
  valid = validate_vehicle(v, date("2026-11-22"));
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().message,
            "vehicle.wheelbase_mm: 1905 is not shorter than length_mm 1500\n"
            "vehicle.gross_mass_kg: 650 is less than curb_mass_kg 700");
}

}  // namespace
}  // namespace keipath

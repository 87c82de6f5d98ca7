// `keipath batch` as a user runs it: a file or a pipe in, the answers out, rejects beside them, a count line
// and an exit code that says whether any row was rejected; the same answers as the single-vehicle commands;
// the same bytes under mpirun.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "keipath/csv.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

using testing::CliRun;
using testing::contains;
using testing::keipath;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const char* kTrucks =
    "Make,Model,Chassis,Built,Price JPY,Notes\n"
    "Suzuki,Carry,DA16T,2014-03,\"400,000\",first\n"
    "Honda,Acty,HA6,1999-06,350000,\n"
    "Subaru,Sambar Truck,TT1,2001-11,410000,\"quoted, note\"\n"
    "Subaru,Sambar Truck,TT1,2001-12,410000,the 25-year boundary\n"
    "Daihatsu,Hijet,S200P,1999-01,300000,\n";

TEST(CliBatchTest, AFileOfTrucksGetsTheSingleVehicleAnswers) {
  testing::ScratchDir dir;
  const auto in = dir.write("trucks.csv", kTrucks);
  const auto out = dir.path() / "answers.csv";
  const CliRun r =
      keipath(fmt::format("batch {} --out {} --state OH --date 2026-12-02", in.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "keipath batch: 5 rows read, 5 written, 0 rejected")) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "answers.rejects.csv"));  // none: no file left behind
  auto table = parse_csv(read_file(out), "answers.csv");
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->rows.size(), 5u);
  EXPECT_EQ(table->header.front(), "Make");
  auto at = [&](const CsvRow& row, std::string_view column) {
    return row.fields[static_cast<size_t>(table->column(column))];
  };
  for (const CsvRow& row : table->rows) {
    const std::string vehicle = fmt::format("--model \"{}\" --chassis {} --built {}", at(row, "Model"),
                                            at(row, "Chassis"), at(row, "Built"));
    const CliRun kei = keipath(fmt::format("kei {} --date 2026-12-02 --json", vehicle));
    ASSERT_EQ(kei.exit_code, 0) << kei.out;
    EXPECT_EQ(at(row, "kei"), nlohmann::json::parse(kei.out)["verdict"]) << vehicle;
    const CliRun imp = keipath(fmt::format("import {} --date 2026-12-02 --json", vehicle));
    ASSERT_EQ(imp.exit_code, 0) << imp.out;
    const auto ij = nlohmann::json::parse(imp.out);
    EXPECT_EQ(at(row, "entry_earliest"),
              ij["earliest_road_entry"].is_null() ? "" : ij["earliest_road_entry"]["date"].get<std::string>())
        << vehicle;
    const CliRun st = keipath(fmt::format("states {} --state OH --date 2026-12-02 --json", vehicle));
    ASSERT_EQ(st.exit_code, 0) << st.out;
    EXPECT_EQ(at(row, "state_status"), nlohmann::json::parse(st.out)["answers"][0]["status"]) << vehicle;
    const CliRun cost = keipath(
        fmt::format("cost {} --date 2026-12-02 --price-jpy {} --json", vehicle,
                    at(row, "Price JPY").find(',') != std::string::npos ? "400000" : at(row, "Price JPY")));
    if (at(row, "landed_usd").empty()) {  // the single command cannot answer it either, for the same reason
      EXPECT_EQ(cost.exit_code, 2) << cost.out;
      EXPECT_TRUE(contains(at(row, "warnings"), "landed: vehicle.powertrain")) << at(row, "warnings");
      EXPECT_TRUE(contains(cost.out, "vehicle.powertrain")) << cost.out;
      continue;
    }
    ASSERT_EQ(cost.exit_code, 0) << cost.out;
    const int64_t cents = nlohmann::json::parse(cost.out)["total_usd_cents"];
    EXPECT_EQ(at(row, "landed_usd"), fmt::format("{}.{:02}", cents / 100, cents % 100)) << vehicle;
  }
  // The 25-year boundary: built 2001-11 may enter from 2026-11-01, built 2001-12 from 2026-12-01.
  EXPECT_EQ(at(table->rows[2], "entry_earliest"), "2026-11-01");
  EXPECT_EQ(at(table->rows[3], "entry_earliest"), "2026-12-01");
  EXPECT_EQ(at(table->rows[3], "entry_eligible"), "yes");
}

TEST(CliBatchTest, RejectedRowsGoBesideTheOutputAndTheExitCodeSaysSo) {
  testing::ScratchDir dir;
  const auto in = dir.write(
      "trucks.csv", std::string(kTrucks) + "Suzuki,Nonesuch,,2014-03,1,\nSuzuki,Carry,DA16T,2014-03,x,\n");
  const auto out = dir.path() / "answers.csv";
  const CliRun r =
      keipath(fmt::format("batch {} -o {} --ask kei,landed --date 2026-12-02", in.string(), out.string()));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  const auto rejects = dir.path() / "answers.rejects.csv";
  EXPECT_TRUE(contains(r.out, fmt::format("7 rows read, 5 written, 2 rejected (see {})", rejects.string())))
      << r.out;
  const std::string text = read_file(rejects);
  EXPECT_TRUE(contains(text, "line,column,reason,row\n7,Model,")) << text;
  EXPECT_TRUE(contains(text, "8,Price JPY,price_jpy: 'x' is not a number,")) << text;
}

TEST(CliBatchTest, PipesWorkAndBadInputExitsTwoNamingIt) {
  testing::ScratchDir dir;
  const auto in = dir.write("t.csv", "model,chassis\nCarry,DA16T\n");
  CliRun r = keipath(fmt::format("batch --ask kei --date 2026-12-02 < {}", in.string()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "model,chassis,kei,kei_failed,kei_missing,warnings\nCarry,DA16T,kei,,,\n"))
      << r.out;
  r = keipath(fmt::format("batch {} --ask kei,price", in.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.out, "--ask: 'price' is not a question")) << r.out;
  r = keipath(fmt::format("batch {} --state ZZ", in.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.out, "--state: 'ZZ' is not a state code")) << r.out;
  r = keipath(fmt::format("batch {}", (dir.path() / "missing.csv").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.out, "missing.csv: cannot open")) << r.out;
  const auto bad = dir.write("bad.csv", "owner,notes\nme,x\n");
  r = keipath(fmt::format("batch {}", bad.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.out, "bad.csv:1: no column names a vehicle")) << r.out;
  r = keipath(fmt::format("batch {} --out {}", in.string(), in.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.out, "is the input file")) << r.out;
}

// Under mpirun the output and rejects are byte for byte what one process writes. (Open MPI's modules keep
// memory to the end of the process, so the sanitizer build does not look for leaks in them.)
TEST(CliBatchTest, MpirunWritesTheSameFileAsOneProcess) {
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "no mpirun (libopenmpi-dev, openmpi-bin)";
  testing::ScratchDir dir;
  std::string csv = "model,chassis,built,price_jpy,state,note\n";
  const char* rows[] = {"Carry,DA16T,2014-03,400000,OH,\"a, b\"", "Acty,HA6,1999-06,350000,TX,\"two\nlines\"",
                        "Sambar Truck,TT1,2001-12,410000,CA,", "Nonesuch,,2001-12,1,CA,reject"};
  for (int i = 0; i < 400; ++i) csv += std::string(rows[i % 4]) + "\n";
  const auto in = dir.write("in.csv", csv);
  const auto one = dir.path() / "one.csv", many = dir.path() / "many.csv";
  CliRun r = keipath(fmt::format("batch {} -o {} --date 2026-12-02 --chunk-mb 1", in.string(), one.string()));
  ASSERT_EQ(r.exit_code, 1) << r.out;
  const std::string mpirun = fmt::format(
      "ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe --allow-run-as-root -np 3 {} batch {} -o {} --date "
      "2026-12-02 --threads 1 2>&1",
      KEIPATH_BINARY, in.string(), many.string());
  const CliRun run = testing::shell(mpirun);
  const std::string& said = run.out;
  if (contains(said, "built without MPI")) GTEST_SKIP() << said;
  EXPECT_EQ(run.exit_code, 1) << said;
  EXPECT_TRUE(contains(said, "400 rows read, 300 written, 100 rejected")) << said;
  EXPECT_TRUE(contains(said, "3 MPI ranks")) << said;
  EXPECT_EQ(read_file(many), read_file(one));
  EXPECT_EQ(read_file(dir.path() / "many.rejects.csv"), read_file(dir.path() / "one.rejects.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "many.csv.part0"));
}

}  // namespace
}  // namespace keipath

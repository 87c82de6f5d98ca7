// Batch: every row gets the answer the single-vehicle questions give (answers::answer_kei, answer_import,
// answer_cost and answer_states, which the CLI's kei, import, cost and states commands print), every
// malformed row is rejected with its line, column and reason, and chunking and threads change nothing.
#include "keipath/batch.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <random>

#include "batch/internal.hpp"
#include "keipath/answers.hpp"
#include "keipath/csv.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

using testing::bundled;
using testing::date;

struct Output {
  CsvTable table;  // the output rows
  CsvTable rejects;
  batch::Counts counts;
};

Output answer(const std::string& csv, batch::Options options) {
  const size_t header_end = batch::first_row_end(csv);
  EXPECT_NE(header_end, std::string::npos);
  auto engine =
      batch::Engine::make(bundled(), options, std::string_view(csv).substr(0, header_end - 1), "in.csv");
  EXPECT_TRUE(engine) << engine.error().message;
  batch::Worker worker(*engine);
  std::string out = engine->output_header(), rejects(batch::rejects_header());
  Output o;
  o.counts = worker.process(std::string_view(csv).substr(header_end), 2, out, rejects);
  auto table = parse_csv(out, "out");
  EXPECT_TRUE(table) << table.error().message;
  auto rej = parse_csv(rejects, "rejects");
  EXPECT_TRUE(rej) << rej.error().message;
  o.table = std::move(*table);
  o.rejects = std::move(*rej);
  return o;
}

std::string cell(const CsvTable& t, const CsvRow& row, std::string_view column) {
  const int i = t.column(column);
  EXPECT_GE(i, 0) << column;
  return i < 0 ? "" : row.fields[static_cast<size_t>(i)];
}

std::string cents_cell(Money m) {
  return fmt::format("{}.{:02}", m.cents / 100, m.cents % 100);
}

// Rows from every catalog vehicle: build months at the ends of production and between, dates on the days the
// law changes for them (25 years after the build month and the day before), prices, states.
std::string catalog_rows(size_t& count) {
  std::mt19937 rng(7);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const auto& states = us_jurisdictions();
  std::string csv = "Make,Model,Chassis,Built,Date,State,Price (JPY)\n";
  count = 0;
  for (const CatalogEntry& e : bundled().catalog().entries()) {
    const YearMonth last = e.produced_to ? *e.produced_to : YearMonth(2026, 10);
    std::vector<YearMonth> months = {e.produced_from, last};
    const int span = (last.year() - e.produced_from.year()) * 12 + static_cast<int>(last.month()) -
                     static_cast<int>(e.produced_from.month());
    for (int k = 0; k < 12; ++k) months.push_back(e.produced_from.plus_months(pick(0, span)));
    for (const YearMonth built : months) {
      const Date eligible = YearMonth(built.year() + 25, built.month()).first_day();
      for (const Date d : {eligible.plus_days(-1), eligible, date("2026-12-02"), date("2027-07-01")}) {
        if (d < date("2025-09-01") || d > date("2040-12-31")) continue;  // the market defaults' span
        const std::string state(
            states[static_cast<size_t>(pick(0, static_cast<int>(states.size()) - 1))].code);
        const std::string price = pick(0, 4) == 0 ? "" : fmt::format("\"{},000\"", pick(10, 150) * 10);
        csv += fmt::format("{},\"{}\",{},{},{},{},{}\n", e.vehicle.make, e.vehicle.model, e.vehicle.chassis,
                           built.str(), d.str(), state, price);
        ++count;
      }
    }
  }
  return csv;
}

TEST(BatchTest, EveryCatalogRowGetsTheSingleVehicleAnswers) {
  size_t count = 0;
  const std::string csv = catalog_rows(count);
  ASSERT_GT(count, 1000u);
  batch::Options options;
  options.today = date("2026-12-02");
  options.date = date("2026-12-02");
  const Output o = answer(csv, options);
  ASSERT_EQ(o.counts.read, static_cast<int64_t>(count));
  ASSERT_EQ(o.counts.written + o.counts.rejected, o.counts.read);
  ASSERT_EQ(o.table.rows.size(), static_cast<size_t>(o.counts.written));
  std::map<std::string, int> seen;  // the answers met, so the cases cannot all be alike
  size_t compared = 0;
  for (const CsvRow& row : o.table.rows) {
    answers::VehicleRequest v;
    v.model = cell(o.table, row, "Model");
    v.chassis = cell(o.table, row, "Chassis");
    v.fields["make"] = cell(o.table, row, "Make");
    v.fields["built"] = cell(o.table, row, "Built");
    const Date d = date(cell(o.table, row, "Date").c_str());
    const std::string where =
        fmt::format("line {}: {} {} {} on {}", row.line, v.model, v.chassis, v.fields["built"], d.str());
    auto kei = answers::answer_kei(bundled(), v, d);
    ASSERT_TRUE(kei) << where << ": " << kei.error().message;
    EXPECT_EQ(cell(o.table, row, "kei"), to_string(kei->determination.verdict)) << where;
    std::vector<std::string> failed;
    for (const KeiFinding& f : kei->determination.findings)
      if (f.outcome == Outcome::fail && f.binding) failed.emplace_back(to_string(f.check));
    EXPECT_EQ(cell(o.table, row, "kei_failed"), fmt::format("{}", fmt::join(failed, ";"))) << where;
    if (kei->determination.verdict == KeiVerdict::unknown) {
      EXPECT_EQ(cell(o.table, row, "kei_missing"),
                fmt::format("{}", fmt::join(kei->determination.missing_fields, ";")))
          << where;
    }
    ++seen["kei " + std::string(to_string(kei->determination.verdict))];

    auto entry = answers::answer_import(bundled(), v, d);
    ASSERT_TRUE(entry) << where;
    const ImportDetermination& imp = entry->determination;
    EXPECT_EQ(cell(o.table, row, "entry_earliest"),
              imp.earliest_road_entry ? imp.earliest_road_entry->str() : "")
        << where;
    EXPECT_EQ(cell(o.table, row, "entry_pathway"), imp.earliest_road_pathway) << where;
    const bool eligible = imp.earliest_road_entry && *imp.earliest_road_entry <= d;
    EXPECT_EQ(cell(o.table, row, "entry_eligible") == "yes", eligible) << where;
    ++seen[eligible ? "eligible" : "not eligible"];

    answers::StatesRequest s;
    s.vehicle = v;
    s.date = d;
    s.state = cell(o.table, row, "State");
    auto st = answers::answer_states(bundled(), s);
    ASSERT_TRUE(st) << where;
    EXPECT_EQ(cell(o.table, row, "state_status"), to_string(st->answers.front().status)) << where;
    EXPECT_EQ(cell(o.table, row, "state_limits"), answers::limits_phrase(st->answers.front().limits))
        << where;
    ++seen["state " + std::string(to_string(st->answers.front().status))];

    answers::CostRequest c;
    c.vehicle = v;
    c.entry = d;
    const std::string given = cell(o.table, row, "Price (JPY)");
    const CatalogEntry* catalog_row = kei->chosen.entry;
    if (!given.empty()) {
      c.price_jpy = static_cast<int64_t>(*answers::check_number(given, answers::kPriceJpy));
    } else if (catalog_row->price_jpy) {
      c.price_jpy = *catalog_row->price_jpy;
    }
    if (c.price_jpy) {
      auto cost = answers::answer_cost(bundled(), c);
      if (!cost) {  // the single question cannot answer it: the batch says why, in the warnings
        EXPECT_EQ(cell(o.table, row, "landed_usd"), "") << where;
        EXPECT_NE(cell(o.table, row, "warnings").find("landed: " + cost.error().message), std::string::npos)
            << where << ": " << cell(o.table, row, "warnings");
        ++seen["landed unanswered"];
        continue;
      }
      EXPECT_EQ(cell(o.table, row, "landed_usd"), cents_cell(cost->landed.total)) << where;
      EXPECT_EQ(cell(o.table, row, "landed_high_usd"), cents_cell(cost->landed.total_high)) << where;
      EXPECT_EQ(cell(o.table, row, "landed_price_source"), given.empty() ? "catalog" : "given") << where;
      EXPECT_EQ(cell(o.table, row, "duty_heading"), cost->landed.duties.heading->heading) << where;
      ++seen["landed"];
    } else {
      EXPECT_EQ(cell(o.table, row, "landed_usd"), "") << where;
      EXPECT_TRUE(cell(o.table, row, "warnings").find("landed: no price") != std::string::npos) << where;
      ++seen["no price"];
    }
    ++compared;
  }
  EXPECT_GT(compared, 1000u);
  for (const char* kind : {"kei kei", "kei unknown", "eligible", "not eligible", "landed", "no price"})
    EXPECT_GT(seen[kind], 0) << kind;
  EXPECT_GE(seen.size(), 9u);
}

TEST(BatchTest, MeasuredVehiclesGetTheBatchLanesVerdictAndExplainModesReasons) {
  // Rows described by their measurements around the limits, judged on days around each change of the class.
  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* days[] = {"1990-01-01", "1989-12-31", "1998-09-30", "1998-10-01", "2026-12-02"};
  std::string csv = "body,length_mm,width_mm,height_mm,engine,displacement_cc,seats,payload_kg,date\n";
  const char* bodies[] = {"truck", "van", "car"};
  for (int i = 0; i < 2000; ++i) {
    csv += fmt::format("{},{},{},{},four_stroke,{},{},{},{}\n", bodies[pick(0, 2)], pick(3250, 3450),
                       pick(1380, 1500), pick(0, 9) == 0 ? std::string() : std::to_string(pick(1500, 2050)),
                       pick(540, 670), pick(2, 5),
                       pick(0, 4) == 0 ? std::string() : std::to_string(pick(250, 400)), days[pick(0, 4)]);
  }
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  options.asks = {batch::Ask::kei};
  const Output o = answer(csv, options);
  ASSERT_EQ(o.counts.written, 2000);
  std::map<std::string, int> verdicts;
  for (const CsvRow& row : o.table.rows) {
    Vehicle v;
    for (const char* f :
         {"body", "length_mm", "width_mm", "height_mm", "engine", "displacement_cc", "seats", "payload_kg"})
      ASSERT_TRUE(set_vehicle_field(v, f, cell(o.table, row, f)));
    const KeiDetermination d = bundled().kei_class().explain(v, date(cell(o.table, row, "date").c_str()));
    EXPECT_EQ(cell(o.table, row, "kei"), to_string(d.verdict)) << "line " << row.line;
    EXPECT_EQ(cell(o.table, row, "kei_missing"),
              d.verdict == KeiVerdict::unknown ? fmt::format("{}", fmt::join(d.missing_fields, ";")) : "")
        << "line " << row.line;
    ++verdicts[cell(o.table, row, "kei")];
  }
  EXPECT_GT(verdicts["kei"], 50);
  EXPECT_GT(verdicts["not_kei"], 50);
  EXPECT_GT(verdicts["unknown"], 20);
}

struct RejectCase {
  const char* row;
  const char* column;  // the column named in the rejects file
  const char* reason;  // part of the reason
};

TEST(BatchTest, MalformedRowsAreRejectedWithLineColumnAndReason) {
  const std::vector<RejectCase> cases = {
      {"Carry,DA16T,2014-03,abc,,", "price_jpy", "price_jpy: 'abc' is not a number"},
      {"Carry,DA16T,2014-3x,400000,,", "built", "vehicle.built"},
      {"Nonesuch,,2014-03,400000,,", "model", "no catalog vehicle matches 'Nonesuch'"},
      {"Carry,DA16T,2014-03,400000,ZZ,", "state", "state: 'ZZ' is not a state code"},
      {"Carry,DA16T,2014-03,400000,OH,99999", "length_mm", "vehicle.length_mm: 99999"},
      {"Carry,DA16T,2014-03,400000", "", "has 4 cells; the header has 6"},
      {"Carry,DA16T,2040-03,400000,,", "built", "in the future"},
      {"Carry,DA16T,2010-03,400000,,", "built", "outside the production"},
      {",,,400000,OH,", "", "say which vehicle"},
  };
  std::string csv = "model,chassis,built,price_jpy,state,length_mm\n";
  for (const RejectCase& c : cases) csv += std::string(c.row) + "\r\n";
  csv += "Carry,DA16T,2014-03,\"350,000\",OH,\n";  // the good row, after the bad ones
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  const Output o = answer(csv, options);
  EXPECT_EQ(o.counts.read, static_cast<int64_t>(cases.size()) + 1);
  EXPECT_EQ(o.counts.written, 1);
  EXPECT_EQ(o.counts.rejected, static_cast<int64_t>(cases.size()));
  ASSERT_EQ(o.rejects.rows.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const CsvRow& r = o.rejects.rows[i];
    EXPECT_EQ(cell(o.rejects, r, "line"), std::to_string(i + 2)) << cases[i].row;
    EXPECT_EQ(cell(o.rejects, r, "column"), cases[i].column) << cases[i].row;
    EXPECT_NE(cell(o.rejects, r, "reason").find(cases[i].reason), std::string::npos)
        << cases[i].row << ": " << cell(o.rejects, r, "reason");
    EXPECT_EQ(cell(o.rejects, r, "row"), cases[i].row);
  }
  ASSERT_EQ(o.table.rows.size(), 1u);
  EXPECT_EQ(cell(o.table, o.table.rows[0], "landed_price_jpy"), "350000");
}

TEST(BatchTest, MalformedPerRowInputsAreRejectedNamingTheirColumn) {
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  const std::vector<RejectCase> cases = {
      {"Carry,DA16T,2014-03,2026-13-01,OH,,,", "As of", "date:"},
      {"Carry,DA16T,2014-03,,OH,1999-02-30,,", "registered_on", "registered_on:"},
      {"Carry,DA16T,2014-03,,OH,,fast,", "governor_mph", "governor_mph: 'fast' is not a number"},
      {"Carry,DA16T,2014-03,,OH,,,boat", "entered_as", "entered_as:"},
      {"Carry,DA16T,2014-03,,OH,2027-01-01,,", "registered_on", "is after the date asked about"},
  };
  std::string csv = "model,chassis,built,As of,state,registered_on,governor_mph,entered_as\n";
  for (const RejectCase& c : cases) csv += std::string(c.row) + "\n";
  const Output o = answer(csv, options);
  EXPECT_EQ(o.counts.written, 0);
  ASSERT_EQ(o.rejects.rows.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const CsvRow& r = o.rejects.rows[i];
    EXPECT_EQ(cell(o.rejects, r, "column"), cases[i].column) << cases[i].row;
    EXPECT_NE(cell(o.rejects, r, "reason").find(cases[i].reason), std::string::npos)
        << cases[i].row << ": " << cell(o.rejects, r, "reason");
  }
}

// A quote opens a quoted stretch wherever it stands, so a stray one runs on to the next quote (as every CSV
// reader that allows line breaks in cells must): the rows it spans are one reject, never a wrong answer.
TEST(BatchTest, StrayAndUnclosedQuotesAreRejected) {
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  options.asks = {batch::Ask::kei};
  for (const auto& [row, reason] : std::vector<std::pair<std::string, std::string>>{
           {"Carry,DA16T,\"2014-03", "a quoted cell is not closed"},
           {"Carry,DA16T,2014\"03\"", "a quote inside a cell"},
           {"Carry,\"DA16T\"x,2014-03", "text after its closing quote"}}) {
    const Output o = answer("model,chassis,built\nCarry,DA16T,2014-03\n" + row + "\n", options);
    EXPECT_EQ(o.counts.read, 2) << row;
    EXPECT_EQ(o.counts.written, 1) << row;
    ASSERT_EQ(o.rejects.rows.size(), 1u) << row;
    EXPECT_EQ(cell(o.rejects, o.rejects.rows[0], "line"), "3");
    EXPECT_NE(cell(o.rejects, o.rejects.rows[0], "reason").find(reason), std::string::npos)
        << cell(o.rejects, o.rejects.rows[0], "reason");
  }
}

TEST(BatchTest, HeaderProblemsNameTheColumn) {
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"notes,owner", "in.csv:1: no column names a vehicle"},
      {"model,Model", "in.csv:1: column 2 'Model' repeats column 1 'model'"},
      {"model,model_name", "in.csv:1: columns 'model' and 'model_name' both give model"},
      {"model,,notes", "in.csv:1: column 2 has no name"},
      {"", "in.csv:1: no header row"},
  };
  for (const auto& [header, message] : cases) {
    auto e = batch::Engine::make(bundled(), options, header, "in.csv");
    ASSERT_FALSE(e) << header;
    EXPECT_NE(e.error().message.find(message), std::string::npos) << e.error().message;
  }
  options.state = "ZZ";
  auto e = batch::Engine::make(bundled(), options, "model", "in.csv");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message.rfind("state: 'ZZ'", 0), 0u) << e.error().message;
  EXPECT_FALSE(batch::parse_asks("kei,price"));
  EXPECT_FALSE(batch::parse_asks("kei,kei"));
  EXPECT_EQ(batch::parse_asks("all")->size(), batch::kAllAsks.size());
}

TEST(BatchTest, AliasesBomAndQuotedCellsAreRead) {
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  options.asks = {batch::Ask::kei, batch::Ask::entry};
  const std::string csv =
      "\xEF\xBB\xBF\"Body Type\",Length (mm),Width-mm,HEIGHT_MM,Engine Type,CC,\"note, free text\"\r\n"
      "car,3395,1475,1600,four_stroke,658,\"has, commas and \"\"quotes\"\"\nand a line break\"\r\n"
      "car,3450,1475,1600,four_stroke,658,plain\r\n";
  const Output o = answer(csv, options);
  ASSERT_EQ(o.counts.written, 2) << (o.rejects.rows.empty() ? "" : o.rejects.rows[0].fields[2]);
  EXPECT_EQ(cell(o.table, o.table.rows[0], "kei"), "kei");
  EXPECT_EQ(cell(o.table, o.table.rows[0], "note, free text"),
            "has, commas and \"quotes\"\nand a line break");
  EXPECT_EQ(cell(o.table, o.table.rows[1], "kei"), "not_kei");
  EXPECT_EQ(cell(o.table, o.table.rows[1], "kei_failed"), "length");
  EXPECT_EQ(o.table.rows[1].line, 4);  // the quoted line break counts as a line
}

// A catalog row's assumed figures are named in the warnings cell, those the questions asked read: the kei
// verdict reads the dimensions; the states also read the generic top speed and curb mass.
TEST(BatchTest, AssumedFiguresAreNamedInTheWarnings) {
  batch::Options kei_only;
  kei_only.today = kei_only.date = date("2026-12-02");
  kei_only.asks = {batch::Ask::kei};
  const std::string csv = "model,chassis,built\nActy Truck,HA6,1999-06\nCarry,DA16T,2015-01\n";
  const Output k = answer(csv, kei_only);
  ASSERT_EQ(k.counts.written, 2);
  EXPECT_EQ(cell(k.table, k.table.rows[0], "kei"), "kei");
  EXPECT_EQ(cell(k.table, k.table.rows[0], "warnings"), "assumed: length_mm, width_mm, height_mm");
  EXPECT_EQ(cell(k.table, k.table.rows[1], "warnings"), "");  // the DA16T's figures are all published
  batch::Options states = kei_only;
  states.asks = {batch::Ask::kei, batch::Ask::states};
  states.state = "TN";
  const Output s = answer(csv, states);
  EXPECT_EQ(cell(s.table, s.table.rows[0], "warnings"),
            "assumed: length_mm, width_mm, height_mm, top_speed_kmh, curb_mass_kg");
  EXPECT_EQ(cell(s.table, s.table.rows[0], "state_status"),
            "restricted");  // the whole 100-120 km/h is > 30 mph
}

TEST(BatchTest, ChassisAloneAndFrameNumbersPickTheCatalogRow) {
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  options.asks = {batch::Ask::kei};
  const Output o =
      answer("chassis,frame,built\nDA16T,,2015-01\n,DA16T-123456,2015-01\nHA7,HA6-100,1999-06\n", options);
  ASSERT_EQ(o.counts.written, 2);
  EXPECT_EQ(cell(o.table, o.table.rows[0], "kei"), "kei");
  EXPECT_EQ(cell(o.table, o.table.rows[1], "kei"), "kei");
  ASSERT_EQ(o.rejects.rows.size(), 1u);
  EXPECT_EQ(cell(o.rejects, o.rejects.rows[0], "column"), "frame");
  EXPECT_NE(cell(o.rejects, o.rejects.rows[0], "reason").find("chassis HA6, but chassis HA7 was given"),
            std::string::npos);
}

// The kei question alone (whose answers the worker copies beside their keys once complete) on the catalog
// rows three times over: every pass writes the kei cells that the full question set writes.
TEST(BatchTest, KeiAloneWritesTheFullSetsKeiCellsEveryTime) {
  size_t count = 0;
  const std::string csv = catalog_rows(count);
  const std::string body = csv.substr(batch::first_row_end(csv));
  batch::Options all;
  all.today = all.date = date("2026-12-02");
  batch::Options kei_only = all;
  kei_only.asks = {batch::Ask::kei};
  const Output full = answer(csv, all);
  const Output kei = answer(csv + body + body, kei_only);
  ASSERT_EQ(full.counts.rejected, 0);
  ASSERT_EQ(kei.counts.rejected, 0);
  ASSERT_EQ(kei.table.rows.size(), 3 * full.table.rows.size());
  std::map<std::string, int> verdicts;
  for (size_t i = 0; i < kei.table.rows.size(); ++i) {
    const CsvRow& k = kei.table.rows[i];
    const CsvRow& f = full.table.rows[i % full.table.rows.size()];
    for (const char* column : {"Model", "Chassis", "Built", "Date", "kei", "kei_failed", "kei_missing"})
      ASSERT_EQ(cell(kei.table, k, column), cell(full.table, f, column)) << "row " << i << " " << column;
    ++verdicts[cell(kei.table, k, "kei")];
  }
  EXPECT_GT(verdicts["kei"], 0);
  EXPECT_GT(verdicts["unknown"], 0);
}

// One vehicle written the ways files write it: quoted or not, CRLF, padded, the vehicle's cells last (its
// text is the cache's key when they are side by side) or split by a price column (they are not): the same
// answer cells every time, and the cache never hands one vehicle's answer to another.
TEST(BatchTest, TheSameVehicleWrittenDifferentlyGetsTheSameAnswer) {
  batch::Options options;
  options.date = date("2026-12-02");
  options.today = date("2026-12-02");
  options.state = "TX";
  const std::vector<std::string> files = {
      "Price (JPY),Make,Model,Chassis,Built\r\n"
      "410000,Subaru,Sambar Truck,TT1,1999-06\r\n"
      "410000,\"Subaru\",\"Sambar Truck\",\"TT1\",\"1999-06\"\r\n"
      "410000, Subaru ,Sambar Truck, TT1,1999-06 \r\n"
      "410000,Suzuki,Carry,DA16T,2019-05\r\n"
      "410000,Subaru,Sambar Truck,TT1,1999-06",
      "Make,Model,Price (JPY),Chassis,Built\n"
      "Subaru,Sambar Truck,410000,TT1,1999-06\n"
      "\"Subaru\",\"Sambar Truck\",\"410,000\",TT1,\"1999-06\"\n"
      "Suzuki,Carry,410000,DA16T,2019-05\n"
      "Subaru,\"Sambar Truck\",410000,TT1,1999-06\n",
  };
  std::string sambar, carry;
  for (const std::string& csv : files) {
    const Output o = answer(csv, options);
    EXPECT_EQ(o.counts.rejected, 0);
    ASSERT_EQ(o.table.rows.size(), csv.starts_with("Price") ? 5u : 4u);
    for (const CsvRow& row : o.table.rows) {
      std::string answer_cells;
      for (size_t c = 5; c < row.fields.size(); ++c) answer_cells += row.fields[c] + "|";
      std::string& want = cell(o.table, row, "Chassis") == "DA16T" ? carry : sambar;
      if (want.empty()) want = answer_cells;
      EXPECT_EQ(answer_cells, want) << "line " << row.line << " of " << csv;
    }
  }
  EXPECT_NE(sambar, carry);
  EXPECT_TRUE(sambar.starts_with("kei|||2024-06-01|fmvss_25_year|yes|")) << sambar;
  EXPECT_NE(sambar.find("unrestricted|"), std::string::npos) << sambar;
  EXPECT_NE(carry.find("off_road_only|"), std::string::npos) << carry;
}

TEST(BatchTest, RowEndsHonourQuotes) {
  EXPECT_EQ(batch::whole_rows("a,b\nc,d").end, 4u);
  EXPECT_EQ(batch::whole_rows("a,\"b\nc\",d\ne").end, 10u);
  EXPECT_EQ(batch::whole_rows("a,\"b\nc").end, 0u);
  EXPECT_EQ(batch::first_row_end("\"x\ny\",z\nrest"), 8u);
  EXPECT_EQ(batch::first_row_end("no end"), std::string::npos);
}

// The chunk index (64 bytes at a time) against a byte-by-byte reading of the same text: the same row ends,
// the same cell delimiters outside quotes, the same quote and quoted-line-break counts, for rows that cross
// the 64-byte blocks, quoted commas and line breaks, "" escapes, CRLF, a last row without a line ending
// and an unclosed quote.
TEST(BatchTest, ChunkIndexMatchesAByteByByteReading) {
  struct RowIndex {  // every row of a text, its delimiters one row after another
    std::vector<size_t> delims;
    std::vector<batch::RowSpan> rows;
  };
  auto index_rows = [](std::string_view text) {
    RowIndex index;
    std::vector<size_t> delims;
    batch::for_each_row(text, delims, [&](batch::RowSpan r, const std::vector<size_t>& row_delims) {
      r.first_delim = index.delims.size();
      index.delims.insert(index.delims.end(), row_delims.begin(), row_delims.end());
      r.end_delim = index.delims.size();
      index.rows.push_back(r);
    });
    return index;
  };
  auto reference = [](std::string_view text) {
    RowIndex r;
    bool in_quotes = false;
    size_t begin = 0, first = 0, quotes = 0, breaks = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '"') {
        in_quotes = !in_quotes;
        ++quotes;
      } else if (c == ',' && !in_quotes) {
        r.delims.push_back(i);
      } else if (c == '\n' && in_quotes) {
        ++breaks;
      } else if (c == '\n') {
        r.delims.push_back(i);
        r.rows.push_back({begin, i, first, r.delims.size(), quotes, breaks});
        begin = i + 1;
        first = r.delims.size();
        quotes = breaks = 0;
      }
    }
    if (begin < text.size()) {
      r.delims.push_back(text.size());
      r.rows.push_back({begin, text.size(), first, r.delims.size(), quotes, breaks});
    }
    return r;
  };
  auto same = [&](const std::string& text) {
    const RowIndex got = index_rows(text);
    const RowIndex want = reference(text);
    EXPECT_EQ(got.delims, want.delims) << text;
    ASSERT_EQ(got.rows.size(), want.rows.size()) << text;
    for (size_t i = 0; i < want.rows.size(); ++i) {
      const batch::RowSpan &g = got.rows[i], &w = want.rows[i];
      EXPECT_EQ(std::tie(g.begin, g.end, g.first_delim, g.end_delim, g.quotes, g.breaks),
                std::tie(w.begin, w.end, w.first_delim, w.end_delim, w.quotes, w.breaks))
          << "row " << i << " of " << text;
    }
  };
  same("");
  same("a,b\nc,d\n");
  same("a,b\r\nc,d");  // no line ending at the end
  same("Suzuki,\"Carry, truck\",DA16T\n\"x\ny\",\"a\"\"b\"\n");
  same("a,\"never closed\nb,c\n");
  same(std::string(63, 'x') + ",\"" + std::string(70, 'y') + "\n,z\"\n" + std::string(64, ',') + "\n");
  // Random text over the bytes that matter, in lengths around the block size.
  std::mt19937 rng(12);
  const char alphabet[] = {'a', ',', '"', '\n', '\r', ' ', 'b', ','};
  for (int round = 0; round < 400; ++round) {
    std::string text(static_cast<size_t>(rng() % 300), ' ');
    for (char& c : text) c = alphabet[rng() % sizeof alphabet];
    same(text);
  }
  const batch::ByteCounts counts =
      batch::count_quotes_and_lines(std::string(100, '"') + "x\n\"" + std::string(40, '\n'));
  EXPECT_EQ(counts.quotes, 101u);
  EXPECT_EQ(counts.lines, 41u);
  const batch::RowsEnd end = batch::whole_rows("a\n\"b\nc\"\nd\ne,\"f\ng");
  EXPECT_EQ(end.end, 10u);  // after "d\n"; the last line break is inside an open quote
  EXPECT_EQ(end.lines, 4u);
}

// The same file through run() in tiny chunks on several threads writes the same bytes as one worker.
TEST(BatchTest, ChunksAndThreadsChangeNothing) {
  size_t count = 0;
  std::string csv = catalog_rows(count);
  csv +=
      "Suzuki,\"Carry\nwith a break\",DA16T,2014-03,2026-12-02,OH,\n";  // a quoted line break: no such model
  csv += "Suzuki,Carry,DA16T,2014-03,2026-12-02,OH,bad\n";              // a reject
  testing::ScratchDir dir;
  const auto in_path = dir.write("in.csv", csv);
  batch::Options options;
  options.today = options.date = date("2026-12-02");
  auto run = [&](int threads, size_t chunk) {
    const int fd = ::open(in_path.c_str(), O_RDONLY);
    batch::Source in(fd, "in.csv");
    std::string carry;
    auto header = batch::read_header(in, carry);
    EXPECT_TRUE(header);
    auto engine = batch::Engine::make(bundled(), options, *header, "in.csv");
    EXPECT_TRUE(engine);
    const auto out_path = dir.path() / fmt::format("out{}_{}.csv", threads, chunk);
    const auto rej_path = dir.path() / fmt::format("rej{}_{}.csv", threads, chunk);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rej = ::open(rej_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    batch::RunOptions ro;
    ro.threads = threads;
    ro.chunk_bytes = chunk;
    auto counts = batch::run(*engine, in, carry, 2, out, "out", rej, "rej", ro);
    ::close(fd);
    ::close(out);
    ::close(rej);
    EXPECT_TRUE(counts);
    EXPECT_EQ(counts->read, static_cast<int64_t>(count) + 2);
    EXPECT_EQ(counts->rejected, 2);
    std::ifstream o(out_path), r(rej_path);
    return std::string(std::istreambuf_iterator<char>(o), {}) + "|" +
           std::string(std::istreambuf_iterator<char>(r), {});
  };
  const std::string one = run(1, 1u << 24);
  EXPECT_EQ(run(3, 4096), one);
  EXPECT_EQ(run(2, 5000), one);
  // The reject's line: the header, `count` rows, the row over two lines, then it.
  EXPECT_NE(one.find(fmt::format("\n{},Price (JPY),", count + 4)), std::string::npos)
      << one.substr(one.find('|'));
}

}  // namespace
}  // namespace keipath

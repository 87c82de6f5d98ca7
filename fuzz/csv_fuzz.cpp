// Fuzzes the CSV reader and the kei catalog: parse_csv and Catalog::parse (today fixed) on the input, then,
// for a catalog that parses, the look-ups the CLI makes with each row's own model and chassis.
#include "fuzz_support.hpp"
#include "keipath/catalog.hpp"
#include "keipath/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace keipath;
  const std::string_view text = fuzz::as_text(data, size);
  if (auto table = parse_csv(text, "fuzz.csv")) {
    (void)table->column("model");
    (void)require_columns(*table, "fuzz.csv", {"make", "model"});
    for (const CsvRow& row : table->rows) {
      for (const std::string& field : row.fields) (void)csv_escape(field);
    }
  }
  auto catalog = Catalog::parse(text, "fuzz.csv", fuzz::fixed_today());
  if (!catalog) return 0;
  (void)catalog->search("");
  for (const CatalogEntry& e : catalog->entries()) {
    (void)e.production_span();
    (void)e.produced_in(e.produced_from);
    (void)e.vehicle.display_name();
    (void)catalog->search(e.vehicle.model);
    (void)catalog->lookup(e.vehicle.model, e.vehicle.chassis, e.produced_from);
    for (const std::string_view field : vehicle_field_names()) (void)vehicle_field_text(e.vehicle, field);
  }
  return 0;
}

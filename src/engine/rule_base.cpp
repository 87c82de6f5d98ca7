#include "keipath/rule_base.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "keipath/content_hash.hpp"
#include "keipath/text.hpp"

namespace keipath {
namespace {

// Reads every data/law/us/states/*.toml; reports every file's problems together.
Result<StateLaw> load_state_law(const std::filesystem::path& dir, const std::filesystem::path& label_root,
                                std::vector<std::filesystem::path>& files_read) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return fail(fmt::format("{}: not a directory (state rules are one .toml file per jurisdiction)",
                            dir.lexically_relative(label_root).string()));
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Jurisdiction> parsed;
  std::vector<std::string> errors;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string label = file.lexically_relative(label_root).string();
    if (!in && !in.eof()) {
      errors.push_back(fmt::format("{}: cannot be read", label));
      continue;
    }
    auto j = StateLaw::parse(text.str(), label);
    if (!j) {
      errors.push_back(j.error().message);
    } else {
      parsed.push_back(std::move(*j));
    }
    files_read.push_back(file);
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return StateLaw::assemble(std::move(parsed));
}

// Reads a whole data file; a missing one is an error naming it.
Result<std::string> read_text(const std::filesystem::path& file, const std::filesystem::path& label_root,
                              std::vector<std::filesystem::path>& files_read) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(fmt::format("{}: cannot be read", file.lexically_relative(label_root).string()));
  std::stringstream text;
  text << in.rdbuf();
  files_read.push_back(file);
  return text.str();
}

// Every catalog row is a generation sold in Japan as a kei vehicle, so each dimension (and a combustion
// engine's displacement) is at most the kei limit in force when it went on sale. Where no source gave the
// figure, that limit is filled in as an assumed value (an upper bound, shown as assumed in every answer);
// a maker's figure, once found, replaces it in the catalog.
Result<void> assume_kei_limits(CatalogEntry& e, const ParamStore& params) {
  Vehicle& v = e.vehicle;
  const Date on = e.produced_from.first_day();
  // Fills an empty field with the parameter's value on the launch day, marked assumed with `why` and its
  // range.
  auto fill = [&](std::optional<int>& field, std::string_view name, const Parameter& param,
                  const ParamValue& value, std::string why, std::optional<double> low,
                  std::optional<double> high) {
    field = static_cast<int>(value.value);
    v.assumed.push_back(
        {std::string(name),
         fmt::format("{} ({} since {}: {}); confidence low", why, param.name, value.from.str(), value.ref),
         low, high});
  };
  std::vector<std::string> problems;
  auto in_force = [&](std::string_view name,
                      std::string_view unit) -> std::pair<const Parameter*, const ParamValue*> {
    auto param = params.require(name, unit);
    if (!param) {
      problems.push_back(param.error().message);
      return {nullptr, nullptr};
    }
    return {*param, (*param)->in_force(on)};
  };
  auto limit = [&](std::optional<int>& field, std::string_view name, std::string_view param_name,
                   std::string_view unit, std::string_view what) {
    if (field) return;
    const auto [param, value] = in_force(param_name, unit);
    if (value == nullptr) return;
    fill(field, name, *param, *value,
         fmt::format(
             "no maker's figure recorded: at most the kei {} limit of {} {} in force when the generation "
             "went on sale ({}), since it was sold as a kei vehicle",
             what, format_quantity(value->value), param->unit, e.produced_from.str()),
         std::nullopt, value->value);
  };
  limit(v.length_mm, "length_mm", "jp.kei.max_length_mm", "mm", "length");
  limit(v.width_mm, "width_mm", "jp.kei.max_width_mm", "mm", "width");
  limit(v.height_mm, "height_mm", "jp.kei.max_height_mm", "mm", "height");
  if (v.engine == EngineKind::four_stroke)
    limit(v.displacement_cc, "displacement_cc", "jp.kei.max_displacement_four_stroke_cc", "cc",
          "displacement");
  else if (v.engine == EngineKind::two_stroke)
    limit(v.displacement_cc, "displacement_cc", "jp.kei.max_displacement_two_stroke_cc", "cc",
          "displacement");
  // Generic figures from data/models/assumed_figures.toml, with their ranges, for combustion-engined
  // vehicles.
  const bool engine = v.engine != EngineKind::electric && v.powertrain != Powertrain::battery_electric;
  auto generic = [&](std::optional<int>& field, std::string_view name, std::string_view param_name,
                     std::string_view unit, std::string_view what) {
    const auto [param, value] = in_force(param_name, unit);
    if (field || value == nullptr || !engine) return;
    fill(field, name, *param, *value,
         fmt::format("no maker's figure recorded: a generic {} {} ({} to {}) for {} of its era",
                     format_quantity(value->value), param->unit,
                     format_quantity(value->low.value_or(value->value)),
                     format_quantity(value->high.value_or(value->value)), what),
         value->low, value->high);
  };
  if (v.body && is_goods_body(*v.body))
    generic(v.top_speed_kmh, "top_speed_kmh", "vehicle.assumed.kei_goods_top_speed_kmh", "km/h",
            "a kei goods vehicle");
  if (v.body == Body::truck)
    generic(v.curb_mass_kg, "curb_mass_kg", "vehicle.assumed.kei_truck_curb_mass_kg", "kg", "a kei truck");
  if (!problems.empty()) return fail(fmt::format("{}", fmt::join(problems, "\n")));
  return {};
}

}  // namespace

Result<std::unique_ptr<const RuleBase>> RuleBase::load(const RuleBaseOptions& options) {
  const auto& dir = options.data_dir;
  // Messages name files relative to the data folder's parent, e.g. "data/law/jp/kei_class.toml:12".
  const auto label_root = dir.parent_path();
  std::unique_ptr<RuleBase> base(new RuleBase());
  base->data_dir_ = dir;

  const auto states_dir = dir / "law" / "us" / "states";
  // Parameters: the law (data/law/**, except the state rule files), market defaults (data/market/**) and
  // model parameters (data/models/**).
  auto params = ParamStore::load_directory(dir / "law", label_root, {states_dir});
  if (!params) return std::unexpected(params.error());
  base->params_ = std::move(*params);
  std::vector<std::filesystem::path> market_files = files_under(dir / "market", ".toml");
  for (const auto& f : files_under(dir / "models", ".toml")) market_files.push_back(f);
  std::sort(market_files.begin(), market_files.end());
  for (const auto& file : market_files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (auto added = base->params_.add_toml(text.str(), file.lexically_relative(label_root).string()); !added)
      return std::unexpected(added.error());
  }

  std::vector<std::filesystem::path> files = files_under(dir / "law", ".toml");
  std::erase_if(files, [&](const auto& f) { return f.parent_path() == states_dir; });
  files.insert(files.end(), market_files.begin(), market_files.end());
  std::vector<LabelledFile> scenario_files;
  if (options.scenario_file) {
    // A relative path is tried as given (from the working folder), then inside the data folder, so
    // `--data DIR --scenario scenarios/x.toml` works from anywhere.
    std::filesystem::path file = *options.scenario_file;
    std::error_code ec;
    if (file.is_relative() && !std::filesystem::exists(file, ec)) {
      if (!std::filesystem::exists(dir / file, ec))
        return fail(fmt::format("{}: cannot open scenario file (looked in the working folder and in {})",
                                file.string(), dir.string()));
      file = dir / file;
    }
    auto scenario = Scenario::load(file);
    if (!scenario) return std::unexpected(scenario.error());
    if (auto applied = base->params_.apply(*scenario); !applied) return std::unexpected(applied.error());
    // Hashed by content under a fixed label: the same scenario at two paths is the same rule base.
    scenario_files.push_back({"scenario", file});
  }

  const auto catalog_file = dir / "vehicles" / "kei_catalog.csv";
  auto catalog =
      Catalog::load(catalog_file, catalog_file.lexically_relative(label_root).string(), options.today);
  if (!catalog) return std::unexpected(catalog.error());
  base->catalog_ = std::move(*catalog);
  files.push_back(catalog_file);

  auto kei = KeiClassRule::bind(base->params_);
  if (!kei) return std::unexpected(kei.error());
  base->kei_class_.emplace(std::move(*kei));
  // The assumed figures' parameters are required: a missing one is a load error, not a silent gap.
  std::optional<Error> assumed_error;
  base->catalog_.fill_assumed([&](CatalogEntry& e) {
    if (auto filled = assume_kei_limits(e, base->params_); !filled && !assumed_error)
      assumed_error = filled.error();
  });
  if (assumed_error) return std::unexpected(*assumed_error);

  auto states = load_state_law(states_dir, label_root, files);
  if (!states) return std::unexpected(states.error());
  base->state_law_ = std::move(*states);
  auto roads = StateRoadRule::bind(base->params_, base->state_law_);
  if (!roads) return std::unexpected(roads.error());
  base->state_roads_.emplace(*roads);

  // US federal entry, duties and landed cost.
  auto label = [&](const std::filesystem::path& f) { return f.lexically_relative(label_root).string(); };
  const auto federal = dir / "law" / "us" / "federal";
  auto forms_text = read_text(federal / "pathway_forms.csv", label_root, files);
  if (!forms_text) return std::unexpected(forms_text.error());
  auto forms = ImportRule::parse_forms(*forms_text, label(federal / "pathway_forms.csv"));
  if (!forms) return std::unexpected(forms.error());
  auto import_rule = ImportRule::bind(base->params_, std::move(*forms));
  if (!import_rule) return std::unexpected(import_rule.error());
  base->import_.emplace(std::move(*import_rule));

  auto headings_text = read_text(federal / "hts_headings.csv", label_root, files);
  if (!headings_text) return std::unexpected(headings_text.error());
  auto headings = TariffHeadings::parse(*headings_text, label(federal / "hts_headings.csv"), base->params_);
  if (!headings) return std::unexpected(headings.error());
  auto duties = DutyRule::bind(base->params_, std::move(*headings));
  if (!duties) return std::unexpected(duties.error());
  base->duties_.emplace(std::move(*duties));

  auto ports_text = read_text(dir / "market" / "ports.csv", label_root, files);
  if (!ports_text) return std::unexpected(ports_text.error());
  auto inland_text = read_text(dir / "market" / "inland_transport.csv", label_root, files);
  if (!inland_text) return std::unexpected(inland_text.error());
  auto tables = CostTables::parse(*ports_text, label(dir / "market" / "ports.csv"), *inland_text,
                                  label(dir / "market" / "inland_transport.csv"));
  if (!tables) return std::unexpected(tables.error());
  auto landed = LandedCostModel::bind(base->params_, std::move(*tables), *base->duties_);
  if (!landed) return std::unexpected(landed.error());
  base->landed_cost_.emplace(std::move(*landed));

  const auto references_file = dir / "vehicles" / "us_reference.csv";
  auto references_text = read_text(references_file, label_root, files);
  if (!references_text) return std::unexpected(references_text.error());
  auto references = OwnershipModel::parse_references(*references_text, label(references_file));
  if (!references) return std::unexpected(references.error());
  auto ownership = OwnershipModel::bind(base->params_, std::move(*references));
  if (!ownership) return std::unexpected(ownership.error());
  base->ownership_.emplace(std::move(*ownership));

  const auto partners_file = dir / "vehicles" / "crash_partners.csv";
  auto partners_text = read_text(partners_file, label_root, files);
  if (!partners_text) return std::unexpected(partners_text.error());
  auto partners = CrashPartners::parse(*partners_text, label(partners_file));
  if (!partners) return std::unexpected(partners.error());
  auto crash = CrashRule::bind(base->params_, std::move(*partners));
  if (!crash) return std::unexpected(crash.error());
  base->crash_.emplace(std::move(*crash));

  auto hash = keipath::content_hash(label_root, files, scenario_files);
  if (!hash) return std::unexpected(hash.error());
  base->content_hash_ = *hash;
  return std::unique_ptr<const RuleBase>(std::move(base));
}

std::string RuleBase::scenario_name() const {
  return params_.scenarios().empty() ? "baseline" : fmt::format("{}", fmt::join(params_.scenarios(), "+"));
}

}  // namespace keipath

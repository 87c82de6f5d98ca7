#include "keipath/rule_base.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "keipath/content_hash.hpp"

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

}  // namespace

Result<std::unique_ptr<const RuleBase>> RuleBase::load(const RuleBaseOptions& options) {
  const auto& dir = options.data_dir;
  // Messages name files relative to the data folder's parent, e.g. "data/law/jp/kei_class.toml:12".
  const auto label_root = dir.parent_path();
  std::unique_ptr<RuleBase> base(new RuleBase());

  const auto states_dir = dir / "law" / "us" / "states";
  auto params = ParamStore::load_directory(dir / "law", label_root, {states_dir});
  if (!params) return std::unexpected(params.error());
  base->params_ = std::move(*params);

  std::vector<std::filesystem::path> files = files_under(dir / "law", ".toml");
  std::erase_if(files, [&](const auto& f) { return f.parent_path() == states_dir; });
  if (options.scenario_file) {
    auto scenario = Scenario::load(*options.scenario_file);
    if (!scenario) return std::unexpected(scenario.error());
    if (auto applied = base->params_.apply(*scenario); !applied) return std::unexpected(applied.error());
    files.push_back(*options.scenario_file);
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

  auto states = load_state_law(states_dir, label_root, files);
  if (!states) return std::unexpected(states.error());
  base->state_law_ = std::move(*states);
  auto roads = StateRoadRule::bind(base->params_, base->state_law_);
  if (!roads) return std::unexpected(roads.error());
  base->state_roads_.emplace(*roads);

  auto hash = keipath::content_hash(label_root, files);
  if (!hash) return std::unexpected(hash.error());
  base->content_hash_ = *hash;
  return std::unique_ptr<const RuleBase>(std::move(base));
}

std::string RuleBase::scenario_name() const {
  return params_.scenarios().empty() ? "baseline" : fmt::format("{}", fmt::join(params_.scenarios(), "+"));
}

}  // namespace keipath

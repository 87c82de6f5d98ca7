#include "keipath/rule_base.hpp"

#include <fmt/format.h>

#include "keipath/content_hash.hpp"

namespace keipath {

Result<std::unique_ptr<const RuleBase>> RuleBase::load(const RuleBaseOptions& options) {
  const auto& dir = options.data_dir;
  // Messages name files relative to the data folder's parent, e.g. "data/law/jp/kei_class.toml:12".
  const auto label_root = dir.parent_path();
  std::unique_ptr<RuleBase> base(new RuleBase());

  auto params = ParamStore::load_directory(dir / "law", label_root);
  if (!params) return std::unexpected(params.error());
  base->params_ = std::move(*params);

  std::vector<std::filesystem::path> files = files_under(dir / "law", ".toml");
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

  auto hash = keipath::content_hash(label_root, files);
  if (!hash) return std::unexpected(hash.error());
  base->content_hash_ = *hash;
  return std::unique_ptr<const RuleBase>(std::move(base));
}

std::string RuleBase::scenario_name() const {
  return params_.scenarios().empty() ? "baseline" : fmt::format("{}", fmt::join(params_.scenarios(), "+"));
}

}  // namespace keipath

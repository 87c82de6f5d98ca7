// The kei-class rule over numpy columns (kei_columns.hpp): each column read in place where its dtype is the
// rule's, converted once (and checked) where not, then one call of KeiClassRule::classify without the GIL.
#include "kei_columns.hpp"

#include <fmt/format.h>
#include <pybind11/numpy.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>

#include "keipath/kei_class.hpp"
#include "python_values.hpp"

namespace keipath::python {
namespace {

template <class T>
using Column = py::array_t<T, py::array::c_style | py::array::forcecast>;

std::string type_name(py::handle value) {
  return py::str(py::type::of(value).attr("__name__")).cast<std::string>();
}

std::string dtype_text(const py::dtype& d) {
  return d.attr("name").cast<std::string>();
}

// After a conversion, every value must have survived it: converted back to the source dtype, it must equal
// the source (NaN equals nothing, so it is caught too). Otherwise numpy's cast would have wrapped 40000 to
// -25536 or cut 3395.5 to 3395 without a word.
template <class T>
void check_exact(const py::array& source, const Column<T>& converted, std::string_view name) {
  py::module_ np = py::module_::import("numpy");
  py::array back = converted.attr("astype")(source.dtype());
  py::array rows = np.attr("flatnonzero")(np.attr("not_equal")(back, source));
  if (rows.size() == 0) return;
  const auto row = rows.attr("__getitem__")(0).cast<int64_t>();
  throw Error(fmt::format(
      "{}: row {} holds {}, not a whole number from {} to {} ({}); -1 marks an unknown value", name, row,
      py::str(source.attr("__getitem__")(row)).cast<std::string>(), std::numeric_limits<T>::min() + 0,
      std::numeric_limits<T>::max() + 0, dtype_text(py::dtype::of<T>())));
}

// One column as the span type T: the caller's memory where it already is a one-dimensional, C-contiguous
// array of T (a numpy array, or any object with the buffer protocol, which np.asarray wraps without a copy);
// else one conversion by numpy.
template <class T>
Column<T> column(py::handle value, std::string_view name, bool convert) {
  if (value.is_none()) throw Error(fmt::format("{}: a column is needed (-1 where a value is unknown)", name));
  py::array source = py::array::ensure(value);
  if (!source) throw Error(fmt::format("{}: {} is not an array of numbers", name, type_name(value)));
  if (source.ndim() != 1)
    throw Error(fmt::format("{}: a column has one dimension, not the shape {}", name,
                            py::str(source.attr("shape")).cast<std::string>()));
  // A boolean column (goods) has the bytes of a uint8 one: a view, not a copy.
  if (std::is_same_v<T, uint8_t> && source.dtype().kind() == 'b') source = source.attr("view")("uint8");
  // A buffer at an odd address (a memoryview slice) is copied too: the rule reads whole values.
  const bool aligned = source.attr("flags").attr("aligned").cast<bool>();
  if (aligned && py::isinstance<py::array_t<T, py::array::c_style>>(source))
    return py::reinterpret_borrow<Column<T>>(source);
  const std::string why =
      !source.dtype().equal(py::dtype::of<T>())
          ? fmt::format("is {}, not {}", dtype_text(source.dtype()), dtype_text(py::dtype::of<T>()))
          : std::string(aligned ? "is not contiguous" : "is not aligned");
  if (!convert) throw Error(fmt::format("{}: the column {}; convert=False forbids the copy", name, why));
  Column<T> converted;
  {
    // numpy warns when it casts NaN or an out-of-range value; check_exact raises a better message.
    py::object quiet = py::module_::import("numpy").attr("errstate")(py::arg("all") = "ignore");
    quiet.attr("__enter__")();
    converted = Column<T>::ensure(source);
    quiet.attr("__exit__")(py::none(), py::none(), py::none());
  }
  if (!converted) {
    PyErr_Clear();
    throw Error(fmt::format("{}: the column {} and cannot be converted", name, why));
  }
  if constexpr (std::is_integral_v<T>) check_exact(source, converted, name);
  return converted;
}

// judged_on: int32 days since 1970-01-01, or numpy datetime64 of any unit (converted to days once).
Column<int32_t> day_column(py::handle value, bool convert) {
  py::array source = py::array::ensure(value);
  if (source && source.dtype().kind() == 'M') {
    py::module_ np = py::module_::import("numpy");
    py::array nat = np.attr("flatnonzero")(np.attr("isnat")(source));
    if (nat.size() > 0)
      throw Error(fmt::format("judged_on: row {} is NaT; every row needs a date",
                              nat.attr("__getitem__")(0).cast<int64_t>()));
    return column<int32_t>(source.attr("astype")("datetime64[D]").attr("view")("int64"), "judged_on",
                           convert);
  }
  return column<int32_t>(value, "judged_on", convert);
}

template <class T>
std::span<const T> span_of(const Column<T>& c) {
  return {c.data(), static_cast<size_t>(c.size())};
}

// Codes the rule would otherwise misread: an engine byte that names no EngineKind counts as a four-stroke
// engine, and a NaN power compares as within every limit.
Result<void> check_codes(std::span<const uint8_t> engine, std::span<const float> power) {
  for (size_t i = 0; i < engine.size(); ++i) {
    const uint8_t e = engine[i];
    if (e > static_cast<uint8_t>(EngineKind::electric) && e != kEngineUnknown)
      return fail(fmt::format("engine: row {} holds {}, not an engine code (keipath.ENGINES, or {} unknown)",
                              i, e, kEngineUnknown));
  }
  for (size_t i = 0; i < power.size(); ++i) {
    if (std::isnan(power[i]))
      return fail(fmt::format("power_kw: row {} is NaN; an unknown power is -1 (any negative value)", i));
  }
  return {};
}

}  // namespace

py::dict kei_columns(const RuleBase& base, py::handle date, const py::dict& columns, py::handle judged_on,
                     bool convert) {
  auto get = [&](const char* name) -> py::object {
    return columns.contains(name) ? py::object(columns[name]) : py::object(py::none());
  };
  if (!judged_on.is_none() && !date.is_none())
    throw Error("date: give date (every row) or judged_on (one date per row), not both");
  // Held until the end: the spans below point into these arrays.
  const Column<int16_t> length = column<int16_t>(get("length_mm"), "length_mm", convert);
  const Column<int16_t> width = column<int16_t>(get("width_mm"), "width_mm", convert);
  const Column<int16_t> height = column<int16_t>(get("height_mm"), "height_mm", convert);
  const Column<int16_t> displacement = column<int16_t>(get("displacement_cc"), "displacement_cc", convert);
  const Column<int16_t> payload = column<int16_t>(get("payload_kg"), "payload_kg", convert);
  const Column<int8_t> seats = column<int8_t>(get("seats"), "seats", convert);
  const Column<uint8_t> engine = column<uint8_t>(get("engine"), "engine", convert);
  const Column<float> power = column<float>(get("power_kw"), "power_kw", convert);
  const Column<uint8_t> goods = column<uint8_t>(get("goods"), "goods", convert);
  const auto rows = static_cast<size_t>(length.size());
  Column<int32_t> days =
      judged_on.is_none() ? Column<int32_t>(static_cast<py::ssize_t>(rows)) : day_column(judged_on, convert);
  if (judged_on.is_none()) {
    // One int32 per row: KeiColumns judges every row on its own day.
    std::fill_n(days.mutable_data(), rows, date_or_today(date, "date").days_since_epoch());
  }

  const std::pair<const char*, py::ssize_t> sizes[] = {
      {"judged_on", days.size()},     {"width_mm", width.size()},
      {"height_mm", height.size()},   {"displacement_cc", displacement.size()},
      {"payload_kg", payload.size()}, {"seats", seats.size()},
      {"engine", engine.size()},      {"power_kw", power.size()},
      {"goods", goods.size()}};
  for (const auto& [name, size] : sizes) {
    if (static_cast<size_t>(size) != rows)
      throw Error(fmt::format("{}: {} rows, length_mm has {}", name, size, rows));
  }

  py::array_t<uint8_t> verdict(static_cast<py::ssize_t>(rows));
  py::array_t<uint8_t> failed(static_cast<py::ssize_t>(rows));
  const KeiColumns in{span_of(days),         span_of(length),  span_of(width), span_of(height),
                      span_of(displacement), span_of(payload), span_of(seats), span_of(engine),
                      span_of(power),        span_of(goods)};
  // numpy's fresh buffers hold the verdicts as KeiVerdict objects (its underlying type is uint8_t).
  const KeiBatchOutput out{{reinterpret_cast<KeiVerdict*>(verdict.mutable_data()), rows},
                           {failed.mutable_data(), rows}};
  Result<void> judged;
  {
    py::gil_scoped_release unlocked;
    judged = check_codes(in.engine, in.power_kw);
    if (judged) judged = base.kei_class().classify(in, out);
  }
  value_or_raise(std::move(judged));
  py::dict result;
  result["verdict"] = std::move(verdict);
  result["failed"] = std::move(failed);
  return result;
}

namespace {

// to_string of each value of an enum numbered from 0, as a tuple indexed by the value.
template <class Enum>
py::tuple names_of(Enum last) {
  const int count = static_cast<int>(last) + 1;
  py::tuple out(count);
  for (int i = 0; i < count; ++i)
    out[static_cast<size_t>(i)] = py::str(std::string(to_string(static_cast<Enum>(i))));
  return out;
}

}  // namespace

py::tuple kei_verdict_names() {
  return names_of(KeiVerdict::unknown);
}

py::tuple kei_check_names() {
  static_assert(static_cast<int>(KeiCheck::payload) + 1 == kKeiCheckCount);
  return names_of(KeiCheck::payload);
}

py::tuple engine_names() {
  return names_of(EngineKind::electric);
}

}  // namespace keipath::python

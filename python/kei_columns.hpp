// RuleBase.kei_columns: the kei-class rule in batch mode (KeiClassRule::classify) over numpy columns.
//
// A column whose dtype is already the KeiColumns span type (and that is one-dimensional and C-contiguous)
// is read in place, without a copy; any other array, buffer or sequence is converted once by numpy, and a
// conversion that would change a value (40000 into int16, 3395.5 into a whole number, NaN) raises
// keipath.Error naming the column and the row. With convert=False a column that would need a conversion is
// an error instead. The GIL is released while the rows are judged.
#pragma once

#include <pybind11/pybind11.h>

#include "keipath/rule_base.hpp"

namespace keipath::python {

namespace py = pybind11;

// Every column by its KeiColumns name ("length_mm", ..., "goods"), judged_on (None: every row on `date`,
// default today; else int32 days since 1970-01-01 or numpy datetime64). Returns {"verdict": uint8 KeiVerdict
// codes, "failed": uint8 bit masks (1 << KeiCheck)}.
py::dict kei_columns(const RuleBase& base, py::handle date, const py::dict& columns, py::handle judged_on,
                     bool convert);

// The names of the verdict codes, of the bits of "failed" and of the engine codes, indexed by value.
py::tuple kei_verdict_names();
py::tuple kei_check_names();
py::tuple engine_names();

}  // namespace keipath::python

"""The Python module `keipath` against the CLI (same JSON documents, same messages) and against itself (batch
mode row for row against explain mode).

Run by ctest as `python` (python/CMakeLists.txt), which sets PYTHONPATH to the built module, KEIPATH_DATA_DIR
to the bundled data and KEIPATH_BINARY to the built CLI. By hand, from the repository root:
    PYTHONPATH=build/py/python KEIPATH_DATA_DIR=data KEIPATH_BINARY=build/py/keipath python3 -m pytest tests/python
"""

import array
import datetime
import json
import os
import shutil
import subprocess
import tomllib

import numpy as np
import pytest

import keipath

DATA_DIR = os.environ.get("KEIPATH_DATA_DIR", "")
DAY = "2026-01-01"
CARRY = {"model": "Suzuki Carry", "chassis": "DA16T"}
CARRY_ARGS = ["--model", "Suzuki Carry", "--chassis", "DA16T"]


@pytest.fixture(scope="module")
def base():
    assert DATA_DIR, "set KEIPATH_DATA_DIR to the rule base folder (ctest does)"
    return keipath.RuleBase(DATA_DIR)


def run_cli(args):
    binary = os.environ.get("KEIPATH_BINARY", "")
    assert binary and os.access(binary, os.X_OK), "set KEIPATH_BINARY to the built keipath CLI (ctest does)"
    return subprocess.run([binary, *args, "--data", DATA_DIR, "--json"], capture_output=True, text=True,
                          check=False, timeout=120)


def cli_json(args):
    out = run_cli(args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


# ---------------------------------------------------------------------------------------------------------
# The same question asked of the CLI and of the module gives the same document.

DESCRIBED = {"body": "car", "length_mm": 3395.0, "width_mm": np.int16(1475), "height_mm": "1500",
             "engine": "four_stroke", "displacement_cc": 658, "power_kw": 47.5}
DESCRIBED_ARGS = ["--body", "car", "--length-mm", "3395", "--width-mm", "1475", "--height-mm", "1500",
                  "--engine", "four_stroke", "--displacement-cc", "658", "--power-kw", "47.5"]

SAME_AS_CLI = {
    "kei": (["kei", *CARRY_ARGS, "--date", DAY], lambda b: b.kei(CARRY, DAY)),
    # Numbers as a user would type them (3395.0 is "3395"), a numpy scalar, a datetime.date.
    "kei described": (["kei", *DESCRIBED_ARGS, "--date", DAY],
                      lambda b: b.kei(DESCRIBED, datetime.date(2026, 1, 1))),
    "kei by model name": (["kei", "--model", "Sakura", "--date", "2023-05-01"],
                          lambda b: b.kei("Sakura", "2023-05-01")),
    "import": (["import", "--model", "Suzuki Carry", "--chassis", "DA52T/DB52T", "--built", "2000-03",
                "--date", DAY],
               lambda b: b.import_pathways({"model": "Suzuki Carry", "chassis": "DA52T/DB52T",
                                            "built": "2000-03"}, DAY)),
    "states one": (["states", *CARRY_ARGS, "--state", "OH", "--date", DAY],
                   lambda b: b.states(CARRY, DAY, state="OH")),
    "states all, one road": (["states", *CARRY_ARGS, "--date", DAY, "--road-speed", "45", "--road-class",
                              "highway", "--entered-as", "off_road"],
                             lambda b: b.states(CARRY, DAY, road_speed=45, road_class="highway",
                                                entered_as="off_road")),
    "changes": (["states", "--changes", "--state", "CA"], lambda b: b.changes("CA")),
    "cost": (["cost", *CARRY_ARGS, "--built", "2015-06", "--date", DAY, "--price-jpy", "500,000", "--years",
              "5", "--mpg", "40", "--set", "jp_inland=30000"],
             lambda b: b.cost({**CARRY, "built": "2015-06"}, entry=DAY, price_jpy="500,000", years=5,
                              mpg=40.0, set={"jp_inland": 30000})),
    "check": (["check", *CARRY_ARGS, "--state", "OH", "--date", DAY],
              lambda b: b.check(CARRY, "OH", date=DAY)),
    "safety": (["safety", *CARRY_ARGS, "--date", DAY, "--draws", "3", "--samples", "2000", "--threads", "1"],
               lambda b: b.safety(CARRY, DAY, draws=3, samples=2000, threads=1)),
    "catalog": (["catalog", "--search", "carry"], lambda b: b.catalog("carry")),
}


@pytest.mark.parametrize("question", SAME_AS_CLI)
def test_answer_is_the_clis_json(base, question):
    args, ask = SAME_AS_CLI[question]
    ours = ask(base)
    assert ours == cli_json(args)
    # Every answer names the rule base it came from (safety adds its seed).
    assert base.provenance.items() <= ours["provenance"].items()


def test_answers_carry_provenance(base):
    a = base.kei(CARRY, DAY)
    assert a["schema_version"] == keipath.SCHEMA_VERSION
    assert a["answer"] == "kei"
    assert a["provenance"] == {"rule_base_hash": base.content_hash, "scenario": "baseline",
                               "program_version": keipath.__version__}
    assert base.scenario == "baseline"
    # Whole numbers are ints, as in the JSON document.
    length = next(f for f in a["findings"] if f["check"] == "length")
    assert length["value"] == 3395 and type(length["value"]) is int


def test_default_rule_base_is_the_bundled_one(base, monkeypatch):
    monkeypatch.delenv("KEIPATH_DATA", raising=False)
    assert keipath.RuleBase().content_hash == base.content_hash
    # KEIPATH_DATA overrides the bundled folder, as for the CLI.
    monkeypatch.setenv("KEIPATH_DATA", "/nonexistent/keipath-data")
    with pytest.raises(keipath.Error, match="nonexistent"):
        keipath.RuleBase()


def test_scenario_changes_the_answer(base):
    scenario = os.path.join(DATA_DIR, "scenarios", "us_small_vehicle_class.toml")
    reform = keipath.RuleBase(DATA_DIR, scenario=scenario)
    assert reform.scenario != "baseline"
    assert reform.content_hash != base.content_hash
    ours = reform.import_pathways(CARRY, "2031-01-01")
    assert ours["provenance"]["scenario"] == reform.scenario
    theirs = cli_json(["import", *CARRY_ARGS, "--date", "2031-01-01", "--scenario", scenario])
    assert ours == theirs


def test_simulate_is_the_clis_difference_document(base, tmp_path):
    scenario = os.path.join(DATA_DIR, "scenarios", "kei_class_2027.toml")
    reform = keipath.RuleBase(DATA_DIR, scenario=scenario)
    ours = reform.simulate(base, draws=4, seed=3, threads=1)
    assert ours["answer"] == "simulation"
    sim = ours["simulation"]
    assert sim["scenario"] == "us-kei-class-2027" and sim["baseline"] == "baseline"
    assert sim["national"]["kei_sales"]["p50"][2035 - sim["first_year"]] > 0
    assert len(sim["adoption"]) == 51
    theirs = cli_json(["simulate", scenario, "--baseline", "--draws", "4", "--seed", "3", "--threads", "1",
                       "--by", "state", "--quiet", "--out", str(tmp_path)])
    assert sim == theirs
    with pytest.raises(keipath.Error, match="draws"):
        reform.simulate(base, draws=0)


# ---------------------------------------------------------------------------------------------------------
# Errors: keipath.Error (a ValueError) with the library's message, naming the input.

def test_error_is_a_value_error():
    assert issubclass(keipath.Error, ValueError)


def test_bad_field_names_the_field_with_the_clis_message(base):
    with pytest.raises(keipath.Error) as caught:
        base.kei({"body": "car", "length_mm": -5})
    message = str(caught.value)
    assert message.startswith("vehicle.length_mm: ")
    # The CLI says the same after the name of its option.
    cli = run_cli(["kei", "--body", "car", "--length-mm", "-5"])
    assert cli.returncode == 2
    assert json.loads(cli.stderr)["error"] == message.replace("vehicle.length_mm", "--length-mm", 1)


@pytest.mark.parametrize("call, name", [
    (lambda b: b.kei({"body": "car", "colour": "red"}), "vehicle.colour"),
    (lambda b: b.kei({"body": "car", "length_mm": 3395.5}), "vehicle.length_mm"),
    (lambda b: b.kei({"body": "car", "length_mm": [3395]}), "vehicle.length_mm"),
    (lambda b: b.kei({"body": "car", "seats": True}), "vehicle.seats"),
    (lambda b: b.kei({"body": "car", "width_mm": ""}), "vehicle.width_mm"),
    (lambda b: b.kei({"model": "No Such Model"}), "vehicle.model"),
    (lambda b: b.kei(3395), "vehicle"),
    (lambda b: b.kei(CARRY, "2026-13-01"), "date"),
    (lambda b: b.kei(CARRY, 20260101), "date"),
    (lambda b: b.states(CARRY, DAY, state="ZZ"), "state"),
    (lambda b: b.states(CARRY, DAY, road_class="highway"), "road_class"),
    (lambda b: b.states(CARRY, DAY, governor_mph=float("nan")), "governor_mph"),
    (lambda b: b.cost({**CARRY, "built": "2015-06"}, entry=DAY), "price_jpy"),
    (lambda b: b.cost(CARRY, entry=DAY, price_jpy=-1), "price_jpy"),
    (lambda b: b.cost(CARRY, entry=DAY, price_jpy=500_000), "vehicle.built"),
    (lambda b: b.cost(CARRY, entry=DAY, price_jpy=500_000, freight="air"), "freight"),
    (lambda b: b.cost(CARRY, entry=DAY, price_jpy=500_000, price_includes_tax="yes"), "price_includes_tax"),
    (lambda b: b.check(CARRY, "", date=DAY), "state"),
    (lambda b: b.safety(CARRY, DAY, seed=-1), "seed"),
])
def test_bad_input_names_it(base, call, name):
    with pytest.raises(keipath.Error) as caught:
        call(base)
    assert str(caught.value).startswith(name + ":"), str(caught.value)


def test_unknown_keyword_is_a_type_error(base):
    with pytest.raises(TypeError, match="colour"):
        base.cost(CARRY, entry=DAY, price_jpy=500_000, colour="red")


def test_bad_rule_base_names_file_and_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    kei_file = data / "law" / "jp" / "kei_class.toml"
    lines = kei_file.read_text(encoding="utf-8").splitlines(keepends=True)
    # The 1998 length limit without its citation.
    row = next(i for i, line in enumerate(lines) if "from = 1998-10-01, value = 3400" in line)
    lines[row] = "  { from = 1998-10-01, value = 3400 },\n"
    kei_file.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(keipath.Error) as caught:
        keipath.RuleBase(data)
    assert f"kei_class.toml:{row + 1}:" in str(caught.value), str(caught.value)


# ---------------------------------------------------------------------------------------------------------
# The 1998 kei standard: a 3,395 x 1,475 mm car was too long and too wide on 1998-09-30 and is a kei car from
# 1998-10-01 (data/law/jp/kei_class.toml: jp.kei.max_length_mm 3300 -> 3400, jp.kei.max_width_mm 1400 -> 1480).

NEW_STANDARD = {"body": "car", "length_mm": 3395, "width_mm": 1475, "height_mm": 1500, "engine": "four_stroke",
                "displacement_cc": 658}


def limit_in_force(parameter, day):
    with open(os.path.join(DATA_DIR, "law", "jp", "kei_class.toml"), "rb") as f:
        values = tomllib.load(f)["jp"]["kei"][parameter]["values"]
    return [v["value"] for v in values if v["from"] <= day][-1]


def test_the_rule_base_holds_the_1998_change():
    before, on = datetime.date(1998, 9, 30), datetime.date(1998, 10, 1)
    assert (limit_in_force("max_length_mm", before), limit_in_force("max_length_mm", on)) == (3300, 3400)
    assert (limit_in_force("max_width_mm", before), limit_in_force("max_width_mm", on)) == (1400, 1480)


def test_1998_kei_standard_boundary_day(base):
    before = base.kei(NEW_STANDARD, "1998-09-30")
    assert before["verdict"] == "not_kei"
    failed = {f["check"]: (f["limit"], f["excess"]) for f in before["findings"] if f["outcome"] == "fail"}
    assert failed == {"length": (3300, 95), "width": (1400, 75)}
    on = base.kei(NEW_STANDARD, "1998-10-01")
    assert on["verdict"] == "kei"
    assert not [f for f in on["findings"] if f["outcome"] == "fail"]
    # Batch mode, the same two days.
    one = lambda v: np.array([v])
    columns = dict(length_mm=one(3395).astype(np.int16), width_mm=one(1475).astype(np.int16),
                   height_mm=one(1500).astype(np.int16), displacement_cc=one(658).astype(np.int16),
                   payload_kg=one(-1).astype(np.int16), seats=one(-1).astype(np.int8),
                   engine=one(0).astype(np.uint8), power_kw=one(-1).astype(np.float32),
                   goods=one(0).astype(np.uint8))
    for day, verdict, failed_bits in [("1998-09-30", "not_kei", {"length", "width"}), ("1998-10-01", "kei", set())]:
        out = base.kei_columns(day, **columns)
        assert keipath.KEI_VERDICTS[out["verdict"][0]] == verdict
        assert {c for i, c in enumerate(keipath.KEI_CHECKS) if out["failed"][0] >> i & 1} == failed_bits


# ---------------------------------------------------------------------------------------------------------
# Batch mode: ~100k generated rows, read in place, row for row the same as kei().

ROWS = 100_003  # not a multiple of the lane width: the padded last group is judged too
BOUNDARIES = ["1949-07-08", "1950-07-26", "1951-08-16", "1955-04-01", "1960-07-01", "1976-01-01",
              "1990-01-01", "1998-10-01"]
BODIES = ["truck", "van", "car", "suv", "sports"]
EPOCH = datetime.date(1970, 1, 1)


def days_of(text):
    return (datetime.date.fromisoformat(text) - EPOCH).days


@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(20261201)
    n = ROWS

    def maybe(lo, hi, dtype):  # one in twenty unknown (-1)
        v = rng.integers(lo, hi + 1, n)
        v[rng.random(n) < 0.05] = -1
        return v.astype(dtype)

    boundary = np.array([days_of(d) for d in BOUNDARIES])
    days = rng.integers(days_of("1945-01-01"), days_of("2030-12-31") + 1, n)
    near = rng.random(n) < 0.25
    days[near] = boundary[rng.integers(0, len(boundary), near.sum())] - rng.integers(0, 2, near.sum())
    body = rng.integers(0, len(BODIES), n)
    engine = rng.integers(0, 4, n)  # 3: unknown
    displacement = maybe(90, 700, np.int16)
    displacement[engine == 2] = -1  # an electric vehicle has no displacement
    power_tenths = rng.integers(1, 601, n)
    power_tenths[rng.random(n) < 0.25] = -10
    return {
        "judged_on": days.astype(np.int32),
        "length_mm": maybe(2700, 3500, np.int16),
        "width_mm": maybe(950, 1550, np.int16),
        "height_mm": maybe(1100, 2100, np.int16),
        "displacement_cc": displacement,
        "payload_kg": maybe(100, 500, np.int16),
        "seats": maybe(1, 6, np.int8),
        "engine": np.where(engine == 3, keipath.ENGINE_UNKNOWN, engine).astype(np.uint8),
        "power_kw": (power_tenths / 10).astype(np.float32),
        "goods": (body <= 1).astype(np.uint8),
        # Not columns: what the explain-mode vehicle needs besides them.
        "_body": body,
        "_power_tenths": power_tenths,
    }


def columns_of(rows):
    return {k: v for k, v in rows.items() if not k.startswith("_")}


def vehicle_of(rows, i):
    v = {"body": BODIES[rows["_body"][i]]}
    for field in ["length_mm", "width_mm", "height_mm", "displacement_cc", "payload_kg", "seats"]:
        if rows[field][i] >= 0:
            v[field] = int(rows[field][i])
    if rows["engine"][i] != keipath.ENGINE_UNKNOWN:
        v["engine"] = keipath.ENGINES[rows["engine"][i]]
    if rows["_power_tenths"][i] > 0:
        v["power_kw"] = rows["_power_tenths"][i] / 10  # a Python float, read as "4.7"
    return v


@pytest.fixture(scope="module")
def judged(base, rows):
    # convert=False: every column has the rule's dtype, so none may be copied (else keipath.Error).
    return base.kei_columns(**columns_of(rows), convert=False)


def test_batch_output(judged):
    for name in ["verdict", "failed"]:
        assert judged[name].dtype == np.uint8 and judged[name].shape == (ROWS,)
    counts = np.bincount(judged["verdict"], minlength=len(keipath.KEI_VERDICTS))
    assert len(counts) == 3 and (counts > 5_000).all(), counts  # every verdict is exercised
    assert judged["failed"][judged["verdict"] == keipath.KEI_VERDICTS.index("kei")].max() == 0


def test_batch_agrees_with_kei_row_by_row(base, rows, judged):
    sample = np.random.default_rng(5).choice(ROWS, 400, replace=False)
    sample = np.concatenate([sample, [ROWS - 1, ROWS - 2]])  # rows of the padded last group
    seen = set()
    for i in sample:
        day = EPOCH + datetime.timedelta(days=int(rows["judged_on"][i]))
        a = base.kei(vehicle_of(rows, i), day)
        verdict = keipath.KEI_VERDICTS[judged["verdict"][i]]
        assert verdict == a["verdict"], (i, day, vehicle_of(rows, i))
        failed = {f["check"] for f in a["findings"] if f["outcome"] == "fail"}
        bits = {c for b, c in enumerate(keipath.KEI_CHECKS) if judged["failed"][i] >> b & 1}
        assert bits == failed, (i, day, vehicle_of(rows, i))
        seen.add(verdict)
    assert seen == set(keipath.KEI_VERDICTS)


def test_columns_of_other_dtypes_are_converted_once(base, rows, judged):
    wide = {k: (v.astype(np.int64) if v.dtype.kind in "iu" else v.astype(np.float64))
            for k, v in columns_of(rows).items()}
    wide["goods"] = wide["goods"].astype(bool)  # a bool column is a uint8 view
    out = base.kei_columns(**wide)
    assert np.array_equal(out["verdict"], judged["verdict"])
    assert np.array_equal(out["failed"], judged["failed"])
    with pytest.raises(keipath.Error, match=r"^length_mm: the column is int64, not int16; convert=False"):
        base.kei_columns(**wide, convert=False)


def test_buffers_are_read_in_place(base, rows, judged):
    cols = columns_of(rows)
    cols["length_mm"] = array.array("h", cols["length_mm"].tobytes())  # the buffer protocol, not numpy
    cols["width_mm"] = memoryview(cols["width_mm"])
    out = base.kei_columns(**cols, convert=False)
    assert np.array_equal(out["verdict"], judged["verdict"])
    # At an odd address the values are copied to aligned memory first, never read unaligned.
    raw = bytearray(1) + rows["length_mm"].tobytes()
    cols["length_mm"] = memoryview(raw)[1:].cast("h")
    with pytest.raises(keipath.Error, match=r"^length_mm: the column is not aligned"):
        base.kei_columns(**cols, convert=False)
    assert np.array_equal(base.kei_columns(**cols)["verdict"], judged["verdict"])


def test_strided_view_is_copied_not_misread(base, rows):
    cols = {k: v[::2] for k, v in columns_of(rows).items()}
    with pytest.raises(keipath.Error, match=r"^length_mm: the column is not contiguous"):
        base.kei_columns(**cols, convert=False)
    out = base.kei_columns(**cols)
    ref = base.kei_columns(**{k: np.ascontiguousarray(v) for k, v in cols.items()}, convert=False)
    assert np.array_equal(out["verdict"], ref["verdict"])


def test_wrong_length_names_the_column(base, rows):
    cols = columns_of(rows)
    cols["width_mm"] = cols["width_mm"][:-1]
    with pytest.raises(keipath.Error, match=rf"^width_mm: {ROWS - 1} rows, length_mm has {ROWS}"):
        base.kei_columns(**cols)
    cols = columns_of(rows)
    cols["judged_on"] = cols["judged_on"][:10]
    with pytest.raises(keipath.Error, match=r"^judged_on: 10 rows"):
        base.kei_columns(**cols)


def test_a_value_the_conversion_would_change_is_an_error(base, rows):
    cols = columns_of(rows)
    cols["length_mm"] = cols["length_mm"].astype(np.int64)
    cols["length_mm"][7] = 40_000  # int16 would wrap it to -25,536 ("unknown")
    with pytest.raises(keipath.Error, match=r"^length_mm: row 7 holds 40000"):
        base.kei_columns(**cols)
    cols = columns_of(rows)
    cols["seats"] = cols["seats"].astype(np.float64)
    cols["seats"][3] = np.nan
    with pytest.raises(keipath.Error, match=r"^seats: row 3 holds nan"):
        base.kei_columns(**cols)


@pytest.mark.parametrize("column, value, message", [
    ("engine", 7, r"^engine: row 11 holds 7"),
    ("power_kw", np.nan, r"^power_kw: row 11 is NaN"),
])
def test_codes_the_rule_would_misread_are_errors(base, rows, column, value, message):
    cols = columns_of(rows)
    cols[column] = cols[column].copy()
    cols[column][11] = value
    with pytest.raises(keipath.Error, match=message):
        base.kei_columns(**cols)


def test_one_date_for_every_row(base, rows):
    cols = columns_of(rows)
    del cols["judged_on"]
    on_day = base.kei_columns("1998-10-01", **cols)
    every_row = base.kei_columns(**cols, judged_on=np.full(ROWS, days_of("1998-10-01"), np.int32))
    assert np.array_equal(on_day["verdict"], every_row["verdict"])
    day_before = base.kei_columns(datetime.date(1998, 9, 30), **cols)
    assert not np.array_equal(on_day["verdict"], day_before["verdict"])
    with pytest.raises(keipath.Error, match=r"^date: give date"):
        base.kei_columns("1998-10-01", **cols, judged_on=every_row["verdict"])


def test_judged_on_as_datetime64(base, rows, judged):
    cols = columns_of(rows)
    cols["judged_on"] = cols["judged_on"].astype("datetime64[D]")
    out = base.kei_columns(**cols)
    assert np.array_equal(out["verdict"], judged["verdict"])
    cols["judged_on"] = cols["judged_on"].astype("datetime64[s]")  # another unit: converted to days
    assert np.array_equal(base.kei_columns(**cols)["verdict"], judged["verdict"])
    cols["judged_on"][5] = np.datetime64("NaT")
    with pytest.raises(keipath.Error, match=r"^judged_on: row 5 is NaT"):
        base.kei_columns(**cols)


def test_a_missing_column_is_a_type_error(base, rows):
    cols = columns_of(rows)
    del cols["goods"]
    with pytest.raises(TypeError):
        base.kei_columns(**cols)

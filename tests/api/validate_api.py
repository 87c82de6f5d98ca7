#!/usr/bin/env python3
"""Validates the HTTP API's answers against its own OpenAPI document.

Usage: validate_api.py KEIPATH_BINARY

Starts `KEIPATH_BINARY serve --port 0 --quiet --no-web` (from the repository root, so the bundled data and the
scenario files are found), fetches /api/openapi.json and checks it (openapi 3.1.x, info, paths, every schema
a valid JSON Schema 2020-12), then makes a list of real requests: for each endpoint several good ones (with
unknown fields that give nulls) and bad ones that get a 400. Each body is validated against the schema the
document names for that path, method and status, with $ref resolved against the whole document. A second
server, started with a scenario, answers a few requests whose documents carry scenario citations. Every path
and operation of the document must be exercised at least once.

Prints one line per request and a summary; exits 1 on any failure, naming the request, the JSON path of the
failing value and the schema's complaint. Needs python3-jsonschema (4.10 or later: Draft202012Validator).
"""

import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover
    sys.exit("validate_api.py: needs python3-jsonschema (apt-get install -y python3-jsonschema)")

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(REPO, "data", "scenarios", "us_small_vehicle_class.toml")
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 120

CARRY = {"model": "Carry", "chassis": "DA16T"}
CARRY_2014 = {**CARRY, "built": "2014-03"}
SAMBAR_1995 = {"model": "Sambar Truck", "chassis": "KS4", "built": "1995-04"}
SAKURA_2024 = {"model": "Sakura", "built": "2024-04"}
SMALL_SIM = {"draws": "3", "samples": "2000"}


class Request:
    """One request: method, path, inputs (query string for GET, JSON body for POST) and the status expected.

    For a 400, `field` is the parameter the error must name (its "field"), when given."""

    def __init__(self, method, path, params=None, status=200, field=None, body=None, note=""):
        self.method = method
        self.path = path
        self.params = params or {}
        self.status = status
        self.field = field
        self.body = body  # raw POST body (bytes), instead of json.dumps(params)
        self.note = note

    def target(self):
        if self.method == "GET" and self.params:
            return self.path + "?" + urllib.parse.urlencode(self.params)
        return self.path

    def label(self):
        if self.method == "POST":
            shown = self.body.decode("utf-8", "replace") if self.body is not None else json.dumps(self.params)
            text = f"POST {self.path} {shown}"
        else:
            text = f"GET {urllib.parse.unquote(self.target())}"
        return text + (f"  ({self.note})" if self.note else "")


def get(path, params=None, **kw):
    return Request("GET", path, params, **kw)


def post(path, params=None, **kw):
    return Request("POST", path, params, **kw)


def bad(path, params, field, method="GET", **kw):
    return Request(method, path, params, status=400, field=field, **kw)


# Requests to the server on the bundled rule base.
REQUESTS = [
    get("/api/openapi.json"),
    # health
    get("/api/health"),
    bad("/api/health", {"verbose": "1"}, "verbose", note="health takes no parameters"),
    # catalog
    get("/api/catalog"),
    get("/api/catalog", {"search": "carry"}),
    get("/api/catalog", {"search": "no such vehicle"}, note="empty list"),
    post("/api/catalog", {"search": "sambar"}),
    bad("/api/catalog", {"colour": "red"}, "colour"),
    # kei
    get("/api/kei", {"model": "Sakura"}),
    get("/api/kei", {"body": "car", "length_mm": "3500"}, note="not kei; other limits unknown"),
    get("/api/kei", {"body": "truck"}, note="every measurement unknown: nulls"),
    get("/api/kei", {"body": "truck", "built": "1955-01", "date": "1955-06-01"}, note="old law"),
    get("/api/kei", {**CARRY, "date": "1985-01-01", "length_mm": "3500"}, note="excess"),
    post("/api/kei", {**CARRY, "length_mm": 3300, "power_kw": 36.5}),
    bad("/api/kei", {"model": "Hilux"}, "model"),
    bad("/api/kei", {"model": "Carry"}, "chassis", note="several generations"),
    bad("/api/kei", {"body": "car", "length_mm": "99999"}, "length_mm"),
    bad("/api/kei", {"body": "boat"}, "body"),
    bad("/api/kei", {"model": "Sakura", "date": "2024-13-45"}, "date"),
    bad("/api/kei", None, "body", method="POST", body=b"not json"),
    bad("/api/kei", None, "body", method="POST", body=b"[1, 2]"),
    bad("/api/kei", None, "model", method="POST", body=b'{"model": {"name": "Sakura"}}'),
    # import
    get("/api/import", SAKURA_2024),
    get("/api/import", CARRY, note="no build month: unknowns, no earliest entry"),
    get("/api/import", SAMBAR_1995, note="admissible"),
    get("/api/import", {"body": "truck"}, note="nothing but the body"),
    post("/api/import", {**CARRY_2014, "date": "2040-01-01"}),
    bad("/api/import", {"model": "Sakura", "built": "2024"}, "built"),
    # states
    get("/api/states", CARRY_2014, note="all 50 and DC"),
    get("/api/states", {**CARRY_2014, "state": "OH"}),
    get("/api/states", {**CARRY_2014, "road_speed": "45", "road_class": "highway"}),
    get("/api/states", {**SAMBAR_1995, "road_speed": "55", "road_class": "interstate", "governor_mph": "40",
                        "registered_on": "2020-01-01"}, note="road entry, a road and a governor"),
    get("/api/states", {"body": "truck"}, note="unknowns"),
    get("/api/states", {"model": "Beat", "built": "1994-01", "entered_as": "lsv", "road_speed": "25"}),
    get("/api/states", {**CARRY_2014, "entered_as": "small_class", "state": "CA"}, note="class not in effect"),
    get("/api/states", {**CARRY_2014, "date": "2040-01-01", "state": "RI"}),
    post("/api/states", {**SAMBAR_1995, "state": "CO", "road_speed": 35}),
    bad("/api/states", {**CARRY_2014, "state": "ZZ"}, "state"),
    bad("/api/states", {**CARRY_2014, "road_speed": "100"}, "road_speed"),
    bad("/api/states", {**CARRY_2014, "road_class": "alley"}, "road_class"),
    bad("/api/states", {**CARRY_2014, "entered_as": "boat"}, "entered_as"),
    # state changes
    get("/api/states/changes"),
    get("/api/states/changes", {"state": "OH"}),
    get("/api/states/changes", {"state": "CA"}, note="no changes: empty list"),
    post("/api/states/changes", {"state": "CO"}),
    bad("/api/states/changes", {"state": "ZZ"}, "state"),
    # landed cost
    get("/api/cost", {**CARRY_2014, "price_jpy": "500000"}),
    get("/api/cost", {**CARRY_2014, "price_jpy": "500000", "years": "5", "km_per_l": "18", "cycle": "wltc"},
        note="ownership"),
    get("/api/cost", {**CARRY_2014, "price_jpy": "500000", "date": "2025-06-01", "jpy_per_usd": "145"},
        note="an unsettled duty"),
    get("/api/cost", {**SAMBAR_1995, "price_jpy": "300000", "freight": "container", "port": "USNYC",
                      "inland_miles": "100", "set": "broker=500,auction_fee=30000"}, note="admissible"),
    get("/api/cost", {**SAKURA_2024, "price_jpy": "2000000", "years": "3"}, note="EV ownership"),
    get("/api/cost", {"model": "Every", "built": "2016-01", "price_jpy": "700000"}, note="other headings"),
    get("/api/cost", {"model": "Hijet Cargo", "built": "2022-04", "price_jpy": "900000", "years": "5",
                      "mpg": "35", "compare": "cheapest_new"}),
    post("/api/cost", {**CARRY_2014, "price_jpy": 500000, "price_includes_tax": True,
                       "agent_commission_dutiable": True, "set": ["broker=500", "auction_fee=30000"]}),
    bad("/api/cost", CARRY_2014, "price_jpy", note="no price"),
    bad("/api/cost", {**CARRY_2014, "price_jpy": "-5"}, "price_jpy"),
    bad("/api/cost", {**CARRY_2014, "price_jpy": "500000", "years": "5", "km_per_l": "18"}, "km_per_l"),
    bad("/api/cost", {**CARRY_2014, "price_jpy": "500000", "freight": "air"}, "freight"),
    bad("/api/cost", {**CARRY, "price_jpy": "500000"}, "built", note="the duties need the build month"),
    # safety
    get("/api/safety", {**CARRY, "draws": "20", "samples": "5000"}),
    get("/api/safety", {"model": "Sakura", "partner": "compact_car", "seed": "7", **SMALL_SIM}),
    get("/api/safety", {"body": "truck", "curb_mass_kg": "700", "draws": "1", "samples": "1000"},
        note="described by its fields: not kei"),
    get("/api/safety", {**CARRY, "draws": "1", "samples": "1000", "seed": "18446744073709551615"},
        note="largest seed"),
    post("/api/safety", {**CARRY, "draws": 2, "samples": 1000, "seed": 3, "partner": "pickup"}),
    bad("/api/safety", {**CARRY, "partner": "tank", **SMALL_SIM}, "partner"),
    bad("/api/safety", {**CARRY, "draws": "0"}, "draws"),
    bad("/api/safety", {"body": "truck", "draws": "1", "samples": "1000"}, "curb_mass_kg"),
    # check
    get("/api/check", {**CARRY_2014, "state": "OH", "price_jpy": "400000"}),
    get("/api/check", {"model": "Sakura", "built": "2024-01", "state": "CA"}, note="catalog price"),
    get("/api/check", {**CARRY, "state": "OH"}, note="no build month: cost null"),
    get("/api/check", {"body": "truck", "state": "OH"}, note="no catalog row: catalog null"),
    get("/api/check", {**SAMBAR_1995, "state": "CO", "price_jpy": "300000"}, note="admissible now"),
    get("/api/check", {**CARRY_2014, "state": "OH", "entered_as": "off_road"}),
    post("/api/check", {"model": "Hijet Cargo", "built": "2022-04", "state": "TX", "price_jpy": 800000,
                        "mpg": 30, "years": 3}),
    bad("/api/check", CARRY_2014, "state", note="state required"),
    bad("/api/check", {**CARRY_2014, "state": "ZZ"}, "state"),
    # simulate: a scenario against the server's rule base (paired fleet draws by state)
    get("/api/simulate", {"scenario": "kei_class_2027", "draws": "4"}),
    post("/api/simulate", {"scenario": "kei_part555", "draws": 3, "seed": 9}),
    bad("/api/simulate", {"draws": "4"}, "scenario", note="a scenario is required"),
    bad("/api/simulate", {"scenario": "kei_class_2027", "draws": "0"}, "draws"),
    bad("/api/simulate", {"scenario": "kei_class_2027", "draws": "501"}, "draws"),
    bad("/api/simulate", {"scenario": "no_such_scenario", "draws": "4"}, "scenario"),
]

# Requests to a server started with the small-vehicle-class scenario (scenario citations, a pathway that
# opens, the small_class entry).
SCENARIO_REQUESTS = [
    get("/api/health"),
    get("/api/states", {**CARRY_2014, "date": "2028-01-01", "entered_as": "small_class"}),
    get("/api/import", {**CARRY_2014, "date": "2028-01-01"}),
    get("/api/check", {**CARRY_2014, "date": "2028-01-01", "state": "OH", "price_jpy": "500000"}),
]


def json_path(path):
    out = "$"
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p)
                                                     else f"[{json.dumps(p)}]")
    return out


def _leaves(errors):
    for e in errors:
        if e.context:
            yield from _leaves(e.context)
        else:
            yield e


def complaints(error, limit=400):
    """The schema's complaint. For an anyOf / oneOf (a nullable reference) that failed, the deepest failure
    inside it, which is where the value went wrong, rather than the whole value."""
    if error.context:
        deepest = max(_leaves(error.context), key=lambda e: len(e.absolute_path), default=None)
        text = f"not valid under any of the {error.validator} schemas"
        if deepest is not None:
            text += f"; deepest failure: {json_path(deepest.absolute_path)}: {deepest.message}"
    else:
        text = error.message
    return text if len(text) <= limit else text[:limit] + "..."


class Server:
    def __init__(self, binary, extra_args=()):
        self.log = tempfile.TemporaryFile()
        cmd = [binary, "serve", "--port", "0", "--quiet", "--no-web", *extra_args]
        self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        # One thread reads stdout to its end (so that the server never blocks writing to it); the first line
        # that says where it serves gives the port.
        lines = queue.Queue()

        def read_stdout():
            for line in self.proc.stdout:
                lines.put(line.decode("utf-8", "replace"))
            lines.put(None)

        threading.Thread(target=read_stdout, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_S
        seen = []
        m = None
        while m is None:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            m = re.search(r"serving on http://([^/\s]+):(\d+)/", line)
        if m is None:
            self.stop()
            self.log.seek(0)
            raise RuntimeError(f"{' '.join(cmd)}: no 'serving on http://HOST:PORT/' line on stdout "
                               f"(stdout {''.join(seen)!r}; stderr {self.log.read().decode('utf-8', 'replace')!r})")
        self.base = f"http://127.0.0.1:{m.group(2)}"

    def fetch(self, req):
        data = None
        headers = {"Accept": "application/json"}
        if req.method == "POST":
            data = req.body if req.body is not None else json.dumps(req.params).encode()
            headers["Content-Type"] = "application/json"
        r = urllib.request.Request(self.base + req.target(), data=data, headers=headers, method=req.method)
        try:
            with urllib.request.urlopen(r, timeout=REQUEST_TIMEOUT_S) as resp:
                return resp.status, resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _die_with_parent():
    # Linux: the server gets SIGTERM if this script dies without its finally (e.g. killed by a timeout).
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def check_document(doc):
    """Problems with the OpenAPI document itself."""
    out = []
    if not isinstance(doc, dict):
        return ["the document is not a JSON object"]
    if not re.fullmatch(r"3\.1\.\d+", str(doc.get("openapi", ""))):
        out.append(f"openapi is {doc.get('openapi')!r}, not 3.1.x")
    info = doc.get("info")
    if not isinstance(info, dict) or not info.get("title") or not info.get("version"):
        out.append("info must have a title and a version")
    if not isinstance(doc.get("paths"), dict) or not doc["paths"]:
        out.append("paths is missing or empty")
    schemas = doc.get("components", {}).get("schemas")
    if not isinstance(schemas, dict) or not schemas:
        out.append("components.schemas is missing or empty")
        schemas = {}
    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            out.append(f"components.schemas.{name}{json_path(e.absolute_path)[1:]}: not a valid JSON Schema "
                       f"2020-12: {e.message}")
    for path, item in (doc.get("paths") or {}).items():
        ops = [m for m in ("get", "post") if m in item]
        if "get" not in ops:
            out.append(f"paths[{path!r}] has no get")
        for m in ops:
            responses = item[m].get("responses", {})
            if "200" not in responses:
                out.append(f"paths[{path!r}].{m} has no 200 response")
            for status, response in responses.items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema is None:
                    out.append(f"paths[{path!r}].{m}.responses[{status}] has no application/json schema")
                    continue
                try:
                    validator(doc, schema)
                except Exception as e:  # a dangling $ref shows up here or when validating
                    out.append(f"paths[{path!r}].{m}.responses[{status}]: {e}")
                ref = schema.get("$ref", "")
                if ref.startswith("#/components/schemas/") and ref.split("/")[-1] not in schemas:
                    out.append(f"paths[{path!r}].{m}.responses[{status}]: {ref} is not in components.schemas")
    return out


def validator(doc, schema):
    # The response's schema with the whole document's components beside it, so that every
    # "#/components/schemas/X" resolves against the document (jsonschema 4.10 and later).
    return Draft202012Validator({**schema, "components": doc.get("components", {})})


def run(server, requests, doc, exercised, label):
    failures = []
    for req in requests:
        name = f"[{label}] {req.label()}"
        problems = []
        try:
            status, content_type, raw = server.fetch(req)
        except Exception as e:  # connection refused, timeout
            failures.append(name)
            print(f"FAIL {name}: no answer: {e}")
            continue
        schema_name = "?"
        try:
            body = json.loads(raw)
        except ValueError as e:
            body = None
            problems.append(f"$: the body is not JSON ({e}): {raw[:200]!r}")
        if status != req.status:
            problems.append(f"status {status}, expected {req.status}" +
                            (f": {body.get('error')}" if isinstance(body, dict) and "error" in body else ""))
        if "application/json" not in content_type:
            problems.append(f"Content-Type {content_type!r}, not application/json")
        item = doc.get("paths", {}).get(req.path)
        op = item.get(req.method.lower()) if item else None
        if op is None:
            problems.append(f"the OpenAPI document has no {req.method.lower()} for {req.path}")
        elif body is not None:
            exercised.add((req.path, req.method.lower()))
            response = op.get("responses", {}).get(str(status))
            schema = (response or {}).get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                problems.append(f"the OpenAPI document names no schema for {req.method.lower()} {req.path} "
                                f"status {status}")
            else:
                schema_name = schema.get("$ref", "").split("/")[-1] or "inline schema"
                errors = sorted(validator(doc, schema).iter_errors(body), key=lambda e: list(e.absolute_path))
                for e in errors[:10]:
                    problems.append(f"{json_path(e.absolute_path)}: {complaints(e)}")
                if len(errors) > 10:
                    problems.append(f"... and {len(errors) - 10} more")
            if status == 400 and req.field is not None and isinstance(body, dict) \
                    and body.get("field") != req.field:
                problems.append(f"$.field: {body.get('field')!r}, expected {req.field!r}")
        if problems:
            failures.append(name)
            print(f"FAIL {name} -> {status} {schema_name}")
            for p in problems:
                print(f"       {p}")
        else:
            print(f"ok   {name} -> {status} {schema_name} ({len(raw)} bytes)")
    return failures


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    failures = []
    total = 0
    servers = []
    try:
        main_server = Server(binary)
        servers.append(main_server)
        status, _, raw = main_server.fetch(get("/api/openapi.json"))
        if status != 200:
            print(f"FAIL GET /api/openapi.json: status {status}: {raw[:300]!r}")
            return 1
        doc = json.loads(raw)
        doc_problems = check_document(doc)
        for p in doc_problems:
            print(f"FAIL openapi.json: {p}")
        if doc_problems:
            failures.append("openapi.json")
        else:
            print(f"ok   openapi.json: openapi {doc['openapi']}, {len(doc['paths'])} paths, "
                  f"{len(doc['components']['schemas'])} schemas")

        exercised = set()
        failures += run(main_server, REQUESTS, doc, exercised, "baseline")
        total += len(REQUESTS)

        scenario_server = Server(binary, ["--scenario", SCENARIO])
        servers.append(scenario_server)
        _, _, raw = scenario_server.fetch(get("/api/openapi.json"))
        failures += run(scenario_server, SCENARIO_REQUESTS, json.loads(raw), set(), "scenario")
        total += len(SCENARIO_REQUESTS)

        operations = {(p, m) for p, item in doc.get("paths", {}).items() for m in ("get", "post") if m in item}
        missed = sorted(operations - exercised)
        for p, m in missed:
            print(f"FAIL {m.upper()} {p}: in the OpenAPI document but not exercised by any request")
        if missed:
            failures.append("coverage")
        paths_done = len({p for p, _ in exercised if p in doc.get("paths", {})})
        print(f"\n{total} requests, {total - len([f for f in failures if f.startswith('[')])} passed; "
              f"{paths_done}/{len(doc.get('paths', {}))} paths and {len(operations & exercised)}/{len(operations)} "
              f"operations exercised; jsonschema {_jsonschema_version()}")
    except Exception as e:
        print(f"FAIL {type(e).__name__}: {e}")
        return 1
    finally:
        for s in servers:
            s.stop()
    if failures:
        print(f"FAILED: {len(failures)}: " + "; ".join(failures[:20]))
        return 1
    print("PASSED")
    return 0


def _jsonschema_version():
    try:
        from importlib.metadata import version
        return version("jsonschema")
    except Exception:
        return "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv))

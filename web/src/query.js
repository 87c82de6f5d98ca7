// The question a visitor asks, as a plain object of strings, and its two encodings: the page's URL (a share
// link) and the query string of each API endpoint. Parameter names are the API's (the CLI's option names with
// `_` for `-`), so a share link reads like the API call it makes. The API refuses parameters it does not
// know, so each endpoint is sent only the keys it accepts.

// The vehicle fields of `keipath kei --help`, in the order the form shows them. `kind` picks the input.
export const VEHICLE_FIELDS = [
  { name: 'make', label: 'Make', kind: 'text' },
  { name: 'body', label: 'Body', kind: 'select', options: ['truck', 'van', 'car', 'suv', 'sports'] },
  { name: 'length_mm', label: 'Length (mm)', kind: 'int' },
  { name: 'width_mm', label: 'Width (mm)', kind: 'int' },
  { name: 'height_mm', label: 'Height (mm)', kind: 'int' },
  { name: 'engine', label: 'Engine', kind: 'select', options: ['four_stroke', 'two_stroke', 'electric'] },
  { name: 'displacement_cc', label: 'Displacement (cc)', kind: 'int' },
  { name: 'power_kw', label: 'Power (kW)', kind: 'number' },
  { name: 'powertrain', label: 'Powertrain', kind: 'select', options: ['ice', 'hybrid', 'battery_electric'] },
  { name: 'seats', label: 'Seats', kind: 'int' },
  { name: 'curb_mass_kg', label: 'Curb mass (kg)', kind: 'int' },
  { name: 'gross_mass_kg', label: 'Gross mass (kg)', kind: 'int' },
  { name: 'payload_kg', label: 'Payload (kg)', kind: 'int' },
  { name: 'top_speed_kmh', label: 'Top speed (km/h)', kind: 'int' },
  { name: 'wheelbase_mm', label: 'Wheelbase (mm)', kind: 'int' },
  { name: 'track_front_mm', label: 'Front track (mm)', kind: 'int' },
  { name: 'track_rear_mm', label: 'Rear track (mm)', kind: 'int' },
  { name: 'drive', label: 'Drive', kind: 'text' },
  { name: 'steering', label: 'Steering', kind: 'select', options: ['right', 'left'] },
];

// The landed-cost assumptions /api/check and /api/cost accept besides price_jpy.
export const COST_FIELDS = [
  { name: 'jpy_per_usd', label: 'Yen per US dollar', kind: 'number' },
  { name: 'freight', label: 'Freight', kind: 'select', options: ['roro', 'container'] },
  { name: 'port', label: 'US port (UN/LOCODE)', kind: 'text' },
  { name: 'inland_miles', label: 'Truck miles from the port', kind: 'int' },
  { name: 'years', label: 'Years of ownership', kind: 'int' },
  { name: 'miles_per_year', label: 'Miles a year', kind: 'int' },
  { name: 'km_per_l', label: 'Rated fuel economy (km/L)', kind: 'number' },
  { name: 'cycle', label: 'Test cycle of the km/L', kind: 'select', options: ['wltc', 'jc08', '10-15'] },
  { name: 'mpg', label: 'On-road US mpg', kind: 'number' },
];

const VEHICLE_KEYS = ['model', 'chassis', 'built', ...VEHICLE_FIELDS.map((f) => f.name)];
const COST_KEYS = ['price_jpy', ...COST_FIELDS.map((f) => f.name)];

// Every key a share link may carry, in the order it is written. `scenario` names a bundled policy scenario
// (a hypothetical change of the law; none: the law as it stands) and goes to every endpoint. `map_date` is
// the page's own: the date the map's slider shows, when it differs from the question's date.
export const QUESTION_KEYS = [...VEHICLE_KEYS, 'state', 'date', 'scenario', ...COST_KEYS, 'map_date'];

const ENDPOINT_KEYS = {
  check: [...VEHICLE_KEYS, 'state', 'date', 'scenario', ...COST_KEYS],
  states: [...VEHICLE_KEYS, 'date', 'scenario'],
  safety: [...VEHICLE_KEYS, 'date', 'scenario'],
  catalog: ['search', 'scenario'],
};

// The question in a URL's query string ('?model=Carry&...' or ''); unknown keys and empty values are dropped.
export function questionFromSearch(search) {
  const params = new URLSearchParams(search);
  const question = {};
  for (const key of QUESTION_KEYS) {
    const value = (params.get(key) ?? '').trim();
    if (value !== '') question[key] = value;
  }
  return question;
}

// The keys of a URL's query string that are not part of a question (a typo in a hand-edited link).
export function unknownKeys(search) {
  return [...new Set(new URLSearchParams(search).keys())].filter((key) => !QUESTION_KEYS.includes(key));
}

// The share link's query string for a question: '?model=Carry&chassis=DA16T&state=OH', or '' when empty.
export function searchFromQuestion(question) {
  const params = new URLSearchParams();
  for (const key of QUESTION_KEYS) {
    const value = String(question[key] ?? '').trim();
    if (value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

// The query string of one endpoint ('check', 'states', 'safety' or 'catalog') for a question. `overrides` replaces
// values (the map asks /api/states with the slider's date). Cost assumptions go only with a price.
export function apiQuery(endpoint, question, overrides = {}) {
  const keys = ENDPOINT_KEYS[endpoint];
  if (!keys) throw new Error(`no such endpoint: ${endpoint}`);
  const merged = { ...question, ...overrides };
  const params = new URLSearchParams();
  for (const key of keys) {
    if (COST_KEYS.includes(key) && key !== 'price_jpy' && !merged.price_jpy) continue;
    const value = String(merged[key] ?? '').trim();
    if (value !== '') params.set(key, value);
  }
  return params.toString();
}

// Whether a question names a vehicle at all (a catalog model, or a body for one entered by hand).
export function hasVehicle(question) {
  return Boolean(question.model || question.body);
}

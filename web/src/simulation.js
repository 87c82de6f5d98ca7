// The policy-scenario page's arithmetic on an /api/simulate answer (its `simulation` document): the year
// index of a year, a band in words, the headline table, the tornado's rows and the map's colour classes.
// No DOM here, so it is unit-tested in node.

// The headline rows: metric id and its label, in the order the page shows them.
export const HEADLINES = [
  ['kei_sales', 'New kei vehicles sold a year'],
  ['kei_stock', 'Kei vehicles in operation'],
  ['sales', 'All new light vehicles sold a year'],
  ['gasoline', 'Fuel used (gallons a year)'],
  ['electricity', 'Electricity used (kWh a year)'],
  ['co2', 'CO2 (tonnes a year)'],
  ['deaths', 'Road deaths a year'],
  ['deaths_kei_occupants', '… of people in kei vehicles'],
  ['deaths_kei_partners', '… in the vehicles kei vehicles meet'],
  ['deaths_not_involving_kei', '… in crashes without a kei vehicle (the vehicles they replace)'],
  ['spending_per_household', 'Spending on new vehicles and energy per household (USD a year)'],
];

// The charts: metric id and title.
export const CHARTS = [
  ['kei_sales', 'New kei vehicles sold a year'],
  ['co2', 'CO2, tonnes a year'],
  ['deaths', 'Road deaths a year'],
  ['spending_per_household', 'Spending per household, USD a year'],
];

// A state's charts: the metrics the answer has by state (spending per household is national only).
export const STATE_CHARTS = [
  ['kei_sales', 'New kei vehicles sold a year'],
  ['co2', 'CO2, tonnes a year'],
  ['deaths', 'Road deaths a year'],
  ['gasoline', 'Fuel, gallons a year'],
];

// The series the charts of an area draw from: the nation's, or a state's (by its code).
export function seriesOf(simulation, area) {
  if (!area || area === 'US') return simulation.national ?? {};
  return simulation.states?.[area] ?? {};
}

export const TABLE_YEARS = [2030, 2035, 2040, 2050];
export const MAP_YEARS = [2035, 2050];

export function yearIndex(simulation, year) {
  const i = year - simulation.first_year;
  return i >= 0 && year <= simulation.last_year ? i : null;
}

// 12345 -> "12.3 k", 2.5e9 -> "2.5 bn", with a sign when asked ("+12.3 k", "−4", "0").
export function quantity(value, { signed = false, unit = '' } = {}) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'share') return `${(100 * value).toFixed(1)} %`;
  const a = Math.abs(value);
  let text;
  if (a >= 1e12) text = `${(a / 1e12).toPrecision(3)} T`;
  else if (a >= 1e9) text = `${(a / 1e9).toPrecision(3)} bn`;
  else if (a >= 1e6) text = `${(a / 1e6).toPrecision(3)} M`;
  else if (a >= 1e4) text = `${(a / 1e3).toPrecision(3)} k`;
  else if (a >= 100) text = a.toFixed(0);
  else if (a >= 1) text = a.toPrecision(3);
  else if (a >= 0.005) text = a.toFixed(2);
  else return '0';
  text = text.replace(/\.0+( |$)/, '$1').replace(/(\.\d*?)0+( |$)/, '$1$2');
  const sign = value < 0 ? '−' : signed ? '+' : '';
  return `${sign}${text}`;
}

// A series' band in a year: {p05, p50, p95}, or null outside the run.
export function bandAt(series, index) {
  if (!series || index === null) return null;
  return { p05: series.p05[index], p50: series.p50[index], p95: series.p95[index] };
}

// "+412 k (+56 k to +2.9 M)"
export function bandText(band, unit = '') {
  if (!band) return '–';
  const q = (v) => quantity(v, { signed: true, unit });
  return `${q(band.p50)} (${q(band.p05)} to ${q(band.p95)})`;
}

// The headline table: a row per metric, a cell per year shown.
export function headlineRows(simulation, years = TABLE_YEARS) {
  const shown = years.filter((y) => yearIndex(simulation, y) !== null);
  return {
    years: shown,
    rows: HEADLINES.filter(([id]) => simulation.national?.[id]).map(([id, label]) => ({
      id,
      label,
      cells: shown.map((y) => bandText(bandAt(simulation.national[id], yearIndex(simulation, y)),
        simulation.national[id].unit)),
    })),
  };
}

// The tornado's rows for a metric and year, largest swing first, at most `count`.
export function tornadoRows(simulation, metric, year, count = 8) {
  return (simulation.tornado ?? [])
    .filter((r) => r.metric === metric && r.year === year)
    .sort((a, b) => b.swing - a.swing)
    .slice(0, count);
}

// A parameter id in words: "fleet.kei.reference_share" -> "kei reference share".
export function parameterLabel(id) {
  if (id === 'fleet.road_access_table') return 'road table (travel by posted speed)';
  return id.replace(/^fleet\.(segment\.)?/, '').replace(/^us\./, 'US ').replace(/[._]/g, ' ');
}

// Colour classes for the map: five bins from 0 to the largest value (rounded up to a round number).
export const MAP_COLOURS = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
export function mapBins(values) {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  if (max <= 0) return [0, 0, 0, 0, 0, 0];
  const p = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p;
  return Array.from({ length: 6 }, (_, i) => (top * i) / 5);
}
export function binOf(value, bins) {
  if (!Number.isFinite(value) || value <= 0 || bins[5] <= 0) return 0;
  for (let i = 1; i < bins.length; ++i) if (value <= bins[i]) return i - 1;
  return bins.length - 2;
}

// Each state's adoption in a year: [{code, name, per1000, sales}], by code.
export function adoptionIn(simulation, year) {
  const i = yearIndex(simulation, year);
  if (i === null) return [];
  return Object.entries(simulation.adoption ?? {})
    .map(([code, a]) => ({ code, name: a.name, per1000: a.kei_per_1000_vehicles[i], sales: a.kei_sales[i] }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

// The law in words for a year: "US kei class (EV only); new kei cars: 51 restricted".
export function lawSentence(simulation, year) {
  const law = (simulation.law ?? []).find((l) => l.year === year);
  if (!law) return '';
  const pathway = { none: 'no federal pathway for new kei vehicles', small_class: 'a US kei (small-vehicle) class',
    part555: 'FMVSS Part 555 exemptions (2,500 a maker a year)' }[law.pathway] ?? law.pathway;
  const counts = (c) => Object.entries(c).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.replace('_', '-')}`).join(', ');
  const parts = [`${year}: ${pathway}${law.bev_only ? ', battery-electric only' : ''}`];
  if (law.pathway !== 'none') parts.push(`states for new kei cars: ${counts(law.new_kei_car_states)}; for kei trucks: ${counts(law.new_kei_truck_states)}`);
  parts.push(`used imports at ${law.import_age} years`);
  return parts.join('; ');
}

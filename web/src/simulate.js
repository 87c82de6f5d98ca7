// The policy-scenario page: pick a bundled scenario (from /api/health), ask /api/simulate for it against
// the law as it stands, and show the differences: a headline table with bands, charts by year, a map of kei
// adoption by state in 2035 and 2050 with a table, the tornado and the law each year read. The URL
// (?scenario=ID&draws=N) is the share link; a link with a scenario runs at once.
import './style.css';
import { geoAlbersUsa, geoPath } from 'd3';
import { feature } from 'topojson-client';
import { getJson } from './api.js';
import { h, replace, showSectionError, showSectionLoading, showSectionReady } from './dom.js';
import { errorSentence } from './errors.js';
import { HYPOTHETICAL, plainDescription } from './scenario.js';
import {
  CHARTS, MAP_COLOURS, MAP_YEARS, STATE_CHARTS, adoptionIn, bandAt, binOf, headlineRows, lawSentence, mapBins,
  parameterLabel, quantity, seriesOf, tornadoRows, yearIndex,
} from './simulation.js';
import { stateForFips } from './states.js';

const $ = (selector) => document.querySelector(selector);
const form = $('#scenario-form');
const select = $('#s-scenario');
const drawsSelect = $('#s-draws');
const sections = ['headline', 'charts', 'adoption', 'tornado'].map((id) => $(`#${id}`));
let scenarios = [];
let controller = null;
let shapes = null;

function chosen() {
  return scenarios.find((s) => s.id === select.value) ?? null;
}

function describe() {
  const s = chosen();
  const node = $('#s-description');
  node.hidden = !s;
  if (s) replace(node, h('strong', {}, HYPOTHETICAL), ` ${plainDescription(s.description)}`);
}

function fieldError(id, message) {
  const node = $(`#e-s-${id}`);
  node.hidden = !message;
  node.textContent = message ?? '';
  const input = $(`#s-${id}`);
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  return message ? input : null;
}

async function run({ push = false } = {}) {
  fieldError('scenario', null);
  fieldError('draws', null);
  $('#s-form-error').hidden = true;
  if (!select.value) {
    fieldError('scenario', 'Choose a scenario to compare with the law as it stands.')?.focus();
    return;
  }
  const query = new URLSearchParams({ scenario: select.value, draws: drawsSelect.value });
  if (push) history.pushState(null, '', `${location.pathname}?${query}`);
  controller?.abort();
  controller = new AbortController();
  $('#sim-intro').hidden = true;
  for (const s of sections) showSectionLoading(s);
  try {
    const body = await getJson('simulate', query.toString(), { signal: controller.signal });
    render(body);
  } catch (error) {
    if (error.name === 'AbortError') return;
    const problem = error.problems?.find((p) => p.input === 'scenario' || p.input === 'draws')
      ?? (error.body?.field ? { input: error.body.field, message: error.body.error } : null);
    if (error.status === 400 && problem && ['scenario', 'draws'].includes(problem.input)) {
      fieldError(problem.input, problem.message);
      for (const s of sections) showSectionError(s, `Not simulated: the ${problem.input} has a problem, marked above.`);
    } else {
      for (const s of sections) showSectionError(s, errorSentence(error));
    }
  }
}

function render(body) {
  const sim = body.simulation;
  renderHeadline($('#headline'), sim);
  renderCharts($('#charts'), sim);
  renderAdoption($('#adoption'), sim);
  renderTornado($('#tornado'), sim);
  const p = body.provenance;
  $('#provenance').textContent = `keipath ${p.program_version} · rule base ${p.rule_base_hash} · scenario ${p.scenario} against ${sim.baseline} · ${sim.draws} paired draws, seed ${sim.seed}`;
}

function renderHeadline(section, sim) {
  const { years, rows } = headlineRows(sim);
  const access = sim.kei_access;
  const accessText = years.map((y) => quantity(bandAt(access, yearIndex(sim, y))?.p50, { unit: 'share' }));
  replace(section.querySelector('.content'),
    h('p', { class: 'scenario-banner', role: 'note' }, h('strong', {}, HYPOTHETICAL),
      ` scenario “${sim.scenario}” minus ${sim.baseline === 'baseline' ? 'the law as it stands' : sim.baseline}: the median, and in brackets the 5th to 95th percentile, over ${sim.draws} paired draws.`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'headline-table' },
      h('caption', { class: 'visually-hidden' }, 'Differences from the baseline by year'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Change'), years.map((y) => h('th', { scope: 'col' }, String(y))))),
      h('tbody', {},
        rows.map((r) => h('tr', { dataset: { metric: r.id } }, h('th', { scope: 'row' }, r.label), r.cells.map((c) => h('td', {}, c)))),
        h('tr', { dataset: { metric: 'kei_access' } }, h('th', { scope: 'row' }, 'Share of travel on roads new kei vehicles may use (scenario)'),
          accessText.map((c) => h('td', {}, c)))))),
    h('p', { class: 'help' }, 'Deaths: people killed in kei vehicles and in the vehicles they meet are added; the vehicles kei vehicles replace are no longer driven, which removes deaths in crashes without a kei vehicle.'),
    h('ul', { class: 'law-lines' }, [2027, 2035, 2050].map((y) => lawSentence(sim, y)).filter(Boolean).map((t) => h('li', {}, t))));
  showSectionReady(section);
}

// One metric's difference by year (`series` from the nation or a state): the 5-95 % band, the median line
// and the zero line.
function chart(sim, series, id, title) {
  const W = 460;
  const H = 240;
  const L = 64;
  const R = 24;
  const T = 28;
  const B = 30;
  const n = series.p50.length;
  const lo = Math.min(0, ...series.p05);
  const hi = Math.max(0, ...series.p95);
  const span = hi - lo || 1;
  const x = (i) => L + (i / Math.max(1, n - 1)) * (W - L - R);
  const y = (v) => T + ((hi - v) / span) * (H - T - B);
  const ns = 'http://www.w3.org/2000/svg';
  const el = (tag, attrs, ...kids) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    for (const kid of kids) node.append(kid);
    return node;
  };
  const band = [...series.p95.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`),
    ...series.p05.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse()].join(' ');
  const line = series.p50.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'sim-chart', 'data-metric': id,
    'aria-label': `${title}: change from the baseline, ${sim.first_year} to ${sim.last_year}; in ${sim.last_year} ${quantity(series.p50[n - 1], { signed: true })} (${quantity(series.p05[n - 1], { signed: true })} to ${quantity(series.p95[n - 1], { signed: true })})` },
  el('text', { x: L, y: 16, class: 'chart-title' }, title));
  for (const v of [hi, (hi + lo) / 2, lo]) {
    svg.append(el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, quantity(v, { signed: true })));
  }
  for (let year = Math.ceil(sim.first_year / 10) * 10; year <= sim.last_year; year += 10) {
    svg.append(el('text', { x: x(year - sim.first_year), y: H - 10, 'text-anchor': 'middle', class: 'tick' }, String(year)));
  }
  svg.append(el('polygon', { points: band, class: 'band' }));
  svg.append(el('line', { x1: L, x2: W - R, y1: y(0), y2: y(0), class: 'zero' }));
  svg.append(el('polyline', { points: line, class: 'median' }));
  return svg;
}

let chartArea = null;  // the area select, kept so the map can choose a state

function renderCharts(section, sim) {
  const grid = h('div', { class: 'chart-grid' });
  const names = Object.fromEntries(adoptionIn(sim, sim.first_year).map((a) => [a.code, a.name]));
  chartArea = h('select', { id: 'chart-area' }, h('option', { value: 'US' }, 'United States'),
    Object.keys(sim.states ?? {}).sort().map((code) => h('option', { value: code }, names[code] ?? code)));
  const draw = () => {
    const area = chartArea.value;
    const series = seriesOf(sim, area);
    const list = area === 'US' ? CHARTS : STATE_CHARTS;
    replace(grid, list.filter(([id]) => series[id]).map(([id, title]) => h('figure', {}, chart(sim, series[id], id, title))));
    grid.dataset.area = area;
  };
  chartArea.addEventListener('change', draw);
  replace(section.querySelector('.content'),
    h('p', { class: 'help' }, 'Change from the baseline each year: the line is the median, the band the 5th to 95th percentile.'),
    h('div', { class: 'field' }, h('label', { for: 'chart-area' }, 'Area'), chartArea), grid);
  draw();
  showSectionReady(section);
}

// A state on the map chosen: its charts.
function showStateCharts(code) {
  if (!chartArea || ![...chartArea.options].some((o) => o.value === code)) return;
  chartArea.value = code;
  chartArea.dispatchEvent(new Event('change'));
  $('#charts').scrollIntoView({ block: 'start' });
}

async function mapShapes() {
  if (!shapes) {
    const { default: topology } = await import('us-atlas/states-10m.json');
    shapes = feature(topology, topology.objects.states).features
      .map((f) => ({ ...f, state: stateForFips(f.id) }))
      .filter((f) => f.state);
  }
  return shapes;
}

async function renderAdoption(section, sim) {
  const content = section.querySelector('.content');
  if (!sim.adoption) {
    replace(content, h('p', {}, 'This answer has no states.'));
    showSectionReady(section);
    return;
  }
  const all = await mapShapes();
  const path = geoPath(geoAlbersUsa().fitSize([975, 610], { type: 'FeatureCollection', features: all }));
  const byYear = new Map(MAP_YEARS.map((y) => [y, new Map(adoptionIn(sim, y).map((a) => [a.code, a]))]));
  const bins = mapBins([...byYear.values()].flatMap((m) => [...m.values()].map((a) => a.per1000)));
  const ns = 'http://www.w3.org/2000/svg';
  const maps = MAP_YEARS.filter((y) => yearIndex(sim, y) !== null).map((year) => {
    const rows = byYear.get(year);
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 975 610');
    svg.setAttribute('class', 'adoption-map');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Kei vehicles per 1,000 vehicles in operation by state in ${year} (median); the table below lists them`);
    svg.dataset.year = String(year);
    for (const f of all) {
      const a = rows.get(f.state.code);
      const p = document.createElementNS(ns, 'path');
      p.setAttribute('d', path(f));
      p.setAttribute('fill', MAP_COLOURS[binOf(a?.per1000, bins)]);
      p.setAttribute('stroke', '#fff');
      p.dataset.state = f.state.code;
      p.addEventListener('click', () => showStateCharts(f.state.code));
      const t = document.createElementNS(ns, 'title');
      t.textContent = `${f.state.name}: ${a ? quantity(a.per1000) : '–'} kei vehicles per 1,000 in ${year}`;
      p.append(t);
      svg.append(p);
    }
    return h('figure', { class: 'adoption-figure' }, h('figcaption', {}, `${year}`), svg);
  });
  const legend = h('ul', { class: 'adoption-legend' }, MAP_COLOURS.map((c, i) => h('li', {},
    h('span', { class: 'swatch', style: `background:${c}` }), i === 0 ? `up to ${quantity(bins[1])}` : `${quantity(bins[i])}–${quantity(bins[i + 1])}`)));
  const table = h('table', { class: 'data', id: 'adoption-table' },
    h('caption', {}, 'Kei vehicles in the scenario, medians over the draws'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'State'),
      MAP_YEARS.map((y) => h('th', { scope: 'col' }, `Per 1,000 vehicles, ${y}`)),
      MAP_YEARS.map((y) => h('th', { scope: 'col' }, `Sold, ${y}`)))),
    h('tbody', {}, adoptionIn(sim, MAP_YEARS[0]).map((a) => h('tr', { dataset: { state: a.code } },
      h('th', { scope: 'row' }, a.name),
      MAP_YEARS.map((y) => h('td', {}, quantity(byYear.get(y)?.get(a.code)?.per1000))),
      MAP_YEARS.map((y) => h('td', {}, quantity(byYear.get(y)?.get(a.code)?.sales)))))));
  replace(content,
    h('p', { class: 'help' }, 'Kei vehicles per 1,000 vehicles in operation, in the scenario (median). A state whose road rules leave kei vehicles little of its travel buys few. Click a state (or pick it under “Year by year”) for its charts.'),
    h('div', { class: 'map-pair' }, maps), legend,
    h('details', { class: 'more' }, h('summary', {}, 'Every state in a table'), h('div', { class: 'table-wrap' }, table)));
  showSectionReady(section);
}

function renderTornado(section, sim) {
  const content = section.querySelector('.content');
  const metricSelect = h('select', { id: 't-metric', 'aria-label': 'Difference' },
    [['kei_sales', 'New kei sales'], ['co2', 'CO2'], ['deaths', 'Road deaths'], ['gasoline', 'Fuel'], ['kei_stock', 'Kei stock'], ['spending_per_household', 'Spending per household']]
      .map(([v, t]) => h('option', { value: v }, t)));
  const yearSelect = h('select', { id: 't-year', 'aria-label': 'Year' },
    MAP_YEARS.filter((y) => yearIndex(sim, y) !== null).map((y) => h('option', { value: String(y) }, String(y))));
  const list = h('div', { class: 'tornado-bars' });
  const draw = () => {
    const rows = tornadoRows(sim, metricSelect.value, Number(yearSelect.value));
    const extent = Math.max(1e-12, ...rows.flatMap((r) => [Math.abs(r.at_low - r.at_point), Math.abs(r.at_high - r.at_point)]));
    replace(list, rows.length === 0 ? h('p', {}, 'No parameter moves this difference.') : h('table', { class: 'data', id: 'tornado-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Parameter'), h('th', { scope: 'col' }, 'At its low end'), h('th', { scope: 'col' }, 'At its high end'), h('th', { scope: 'col' }, 'Swing'))),
      h('tbody', {}, rows.map((r) => {
        const left = Math.min(r.at_low, r.at_high) - r.at_point;
        const right = Math.max(r.at_low, r.at_high) - r.at_point;
        return h('tr', { dataset: { parameter: r.parameter } },
          h('th', { scope: 'row', title: r.parameter }, parameterLabel(r.parameter)),
          h('td', {}, quantity(r.at_low, { signed: true })), h('td', {}, quantity(r.at_high, { signed: true })),
          h('td', { class: 'bar-cell' }, h('span', { class: 'bar', style: `margin-left:${(50 + 50 * left / extent).toFixed(1)}%;width:${(50 * (right - left) / extent).toFixed(1)}%` })));
      }))));
  };
  metricSelect.addEventListener('change', draw);
  yearSelect.addEventListener('change', draw);
  replace(content,
    h('p', { class: 'help' }, 'Each uncertain parameter set to the low and the high end of its range while every other stays at its value: the difference it gives (bars centred on the value with every parameter at its value, ', quantity(tornadoRows(sim, 'kei_sales', MAP_YEARS[0], 1)[0]?.at_point, { signed: true }), ' new kei sales in 2035).'),
    h('div', { class: 'field-grid' }, h('label', {}, 'Difference ', metricSelect), h('label', {}, 'Year ', yearSelect)), list);
  draw();
  showSectionReady(section);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  run({ push: true });
});
select.addEventListener('change', describe);

function fromLocation() {
  const params = new URLSearchParams(location.search);
  const scenario = params.get('scenario');
  const draws = params.get('draws');
  if (draws && [...drawsSelect.options].some((o) => o.value === draws)) drawsSelect.value = draws;
  else if (draws) {
    drawsSelect.append(h('option', { value: draws }, draws));
    drawsSelect.value = draws;
  }
  if (scenario) {
    if (![...select.options].some((o) => o.value === scenario)) select.append(h('option', { value: scenario }, `“${scenario}”`));
    select.value = scenario;
    describe();
    run();
  }
}

window.addEventListener('popstate', fromLocation);
getJson('health').then((body) => {
  scenarios = (body.scenarios ?? []).filter((s) => s.name !== 'baseline');
  const keep = select.value;
  replace(select, h('option', { value: '' }, 'Choose a scenario…'),
    scenarios.map((s) => h('option', { value: s.id }, `${s.name}: ${plainDescription(s.description)}`)));
  if (keep && ![...select.options].some((o) => o.value === keep)) select.append(h('option', { value: keep }, `“${keep}”: not a scenario of this server`));
  select.value = keep;
  describe();
}, (error) => {
  $('#s-form-error').hidden = false;
  $('#s-form-error').textContent = `The list of scenarios did not arrive: ${errorSentence(error)}`;
});
fromLocation();

// Crash risk from /api/safety: the vehicle's fatality risk as a multiple of reference vehicles' (a dot per
// ratio, its interval as a line, on a log scale with 1× marked), then the absolute risks per crash against
// the US fleet and against one partner (a dot and interval per measure). The table under the charts gives
// every impact kind.
import { select, scaleLog, scaleLinear, max, min } from 'd3';
import { h, replace, contentOf, showSectionReady, linkify } from '../dom.js';
import { percent, ratio, withInterval } from '../format.js';

const REFERENCE_WORDS = { compact_car: 'a compact car', average_new: 'an average new vehicle', ford_f150: 'a Ford F-150' };
const MEASURES = [
  { id: 'own_fatal', label: 'Occupant killed' },
  { id: 'own_mais3', label: 'Occupant seriously injured (MAIS 3+)' },
  { id: 'partner_fatal', label: 'Other driver killed' },
  { id: 'partner_mais3', label: 'Other driver seriously injured' },
];
const IMPACTS = ['all', 'frontal', 'side', 'rear'];

export function referenceWords(id) {
  return REFERENCE_WORDS[id] ?? String(id).replaceAll('_', ' ');
}

export function renderSafety(section, safety) {
  showSectionReady(section);
  const refs = safety.relative_to ?? [];
  const first = refs[0];
  const partner = safety.against_partner?.partner;
  replace(contentOf(section),
    first ? h('p', { class: 'safety-headline' },
      `In a two-vehicle crash, the people in this vehicle are ${ratio(first.own_fatal_ratio.mean)} as likely to be killed as in ${referenceWords(first.reference)} (interval ${ratio(first.own_fatal_ratio.lo)}–${ratio(first.own_fatal_ratio.hi)}).`) : null,
    refs.length ? ratioChart(refs) : null,
    absoluteChart(safety.against_fleet?.all, safety.against_partner?.risk?.all, partner),
    impactTable(safety, partner),
    h('p', { class: 'muted' }, `Monte Carlo: ${safety.simulation?.draws} parameter draws × ${Number(safety.simulation?.samples_per_draw).toLocaleString('en-US')} crashes each, seed ${safety.simulation?.seed}; intervals cover the sampling and the uncertain parameters.`),
    h('details', { class: 'more' }, h('summary', {}, 'Sources of the crash model'),
      h('ul', { class: 'bases' }, (safety.sources ?? []).map((s) => h('li', {},
        h('strong', {}, `${s.parameter} = ${s.value}${s.unit ? ` ${s.unit}` : ''}: `), linkify(s.ref),
        h('span', { class: 'muted' }, ` (${s.confidence} confidence)`))))));
}

// Ratios of the fatality risk to each reference vehicle's, for the occupant and for the other driver.
export function ratioChart(refs) {
  const rows = refs.flatMap((r) => [
    { key: `${r.reference}-own`, label: `Occupant vs ${referenceWords(r.reference)}`, interval: r.own_fatal_ratio, kind: 'own' },
    { key: `${r.reference}-partner`, label: `Other driver vs ${referenceWords(r.reference)}`, interval: r.partner_fatal_ratio, kind: 'partner' },
  ]);
  const lo = Math.min(0.5, min(rows, (r) => r.interval.lo));
  const hi = Math.max(2, max(rows, (r) => r.interval.hi));
  const x = scaleLog().domain([lo * 0.9, hi * 1.1]).range([0, 100]);
  const figure = h('figure', { class: 'chart interval-chart ratio-chart' },
    h('figcaption', {}, 'Risk of death in a crash, as a multiple of the reference vehicle’s (log scale; the line marks 1×, the same risk)'));
  const body = select(figure).append('div').attr('class', 'bar-rows').attr('role', 'list');
  const row = body.selectAll('div').data(rows).join('div')
    .attr('role', 'listitem').attr('class', (r) => `bar-row interval-row ${r.kind}`).attr('data-row', (r) => r.key);
  row.append('span').attr('class', 'bar-label').text((r) => r.label);
  const track = row.append('span').attr('class', 'bar-track interval-track');
  track.append('span').attr('class', 'ref-line').style('left', `${x(1)}%`);
  track.append('span').attr('class', 'whisker')
    .style('left', (r) => `${x(r.interval.lo)}%`)
    .style('width', (r) => `${x(r.interval.hi) - x(r.interval.lo)}%`);
  track.append('span').attr('class', 'dot').style('left', (r) => `${x(r.interval.mean)}%`);
  row.append('span').attr('class', 'bar-value').text((r) => withInterval(r.interval, ratio));
  figure.append(axisRow([0.25, 0.5, 1, 2, 4, 8].filter((t) => t >= x.domain()[0] && t <= x.domain()[1]), x,
    (t) => ratio(t).replace('.00', '')));
  return figure;
}

// Absolute probabilities per crash, all impact kinds together, against the fleet and the partner.
export function absoluteChart(fleet, partnerRisk, partner) {
  if (!fleet) return null;
  const rows = MEASURES.flatMap((m) => [
    { key: `${m.id}-fleet`, label: `${m.label}, vs the US fleet`, interval: fleet[m.id], kind: 'fleet' },
    partnerRisk ? { key: `${m.id}-partner`, label: `${m.label}, vs ${partnerName(partner)}`, interval: partnerRisk[m.id], kind: 'partner' } : null,
  ]).filter((r) => r && r.interval);
  const x = scaleLinear().domain([0, max(rows, (r) => r.interval.hi) * 1.05 || 1]).range([0, 100]);
  const figure = h('figure', { class: 'chart interval-chart absolute-chart' },
    h('figcaption', {}, 'Probability per two-vehicle crash (dot: estimate; line: interval)'));
  const body = select(figure).append('div').attr('class', 'bar-rows').attr('role', 'list');
  const row = body.selectAll('div').data(rows).join('div')
    .attr('role', 'listitem').attr('class', (r) => `bar-row interval-row ${r.kind}`).attr('data-row', (r) => r.key);
  row.append('span').attr('class', 'bar-label').text((r) => r.label);
  const track = row.append('span').attr('class', 'bar-track interval-track');
  track.append('span').attr('class', 'whisker')
    .style('left', (r) => `${x(r.interval.lo)}%`)
    .style('width', (r) => `${x(r.interval.hi) - x(r.interval.lo)}%`);
  track.append('span').attr('class', 'dot').style('left', (r) => `${x(r.interval.mean)}%`);
  row.append('span').attr('class', 'bar-value').text((r) => withInterval(r.interval, percent));
  figure.append(axisRow(x.ticks(4), x, (t) => percent(t)));
  return figure;
}

// Tick labels under the tracks: a row of the same grid, so the ticks line up with the bars.
function axisRow(ticks, x, label) {
  return h('div', { class: 'bar-row axis-row', 'aria-hidden': 'true' }, h('span', { class: 'bar-label' }),
    h('span', { class: 'axis' }, ticks.map((t) => h('span', { style: `left:${x(t)}%` }, label(t)))), h('span'));
}

function impactTable(safety, partner) {
  const fleet = safety.against_fleet ?? {};
  const vsPartner = safety.against_partner?.risk ?? {};
  return h('details', { class: 'more' }, h('summary', {}, 'Every impact kind (table)'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'impact-table' },
      h('caption', {}, 'Probability per crash, with intervals'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Impact'), h('th', { scope: 'col' }, 'Against'),
        MEASURES.map((m) => h('th', { scope: 'col' }, m.label)))),
      h('tbody', {}, IMPACTS.flatMap((impact) => [
        fleet[impact] ? h('tr', {}, h('th', { scope: 'row' }, impact), h('td', {}, 'US fleet'),
          MEASURES.map((m) => h('td', {}, fleet[impact][m.id] ? withInterval(fleet[impact][m.id], percent) : '—'))) : null,
        vsPartner[impact] ? h('tr', {}, h('th', { scope: 'row' }, impact), h('td', {}, partnerName(partner)),
          MEASURES.map((m) => h('td', {}, vsPartner[impact][m.id] ? withInterval(vsPartner[impact][m.id], percent) : '—'))) : null,
      ])))));
}

function partnerName(id) {
  return id === 'ford_f150' ? 'a Ford F-150' : String(id ?? 'the partner').replaceAll('_', ' ');
}

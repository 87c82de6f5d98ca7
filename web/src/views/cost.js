// What it costs: the landed cost line by line (a horizontal bar per line, then the settled total as a stacked
// bar; a duty whose law is unsettled is hatched and not counted) and the cost of owning it for N years next
// to new US reference vehicles (a bar per vehicle: what is spent to the right of zero, the value left at the
// end to the left, the net total marked). Charts are HTML drawn with d3, so they reflow on a phone.
import { select, scaleLinear, max, min, sum } from 'd3';
import { h, replace, contentOf, showSectionReady, linkify } from '../dom.js';
import { usd, usdWhole, yen } from '../format.js';

export const COST_GROUPS = [
  { id: 'japan', label: 'In Japan', colour: '#4e79a7' },
  { id: 'shipping', label: 'Shipping', colour: '#76b7b2' },
  { id: 'duty', label: 'Duties', colour: '#e15759' },
  { id: 'fees', label: 'US customs fees', colour: '#f28e2b' },
  { id: 'us', label: 'US handling', colour: '#edc948' },
];
const OTHER = { id: 'other', label: 'Other', colour: '#bab0ac' };
const groupOf = (id) => COST_GROUPS.find((g) => g.id === id) ?? OTHER;

export const OWNERSHIP_PARTS = [
  { id: 'purchase', label: 'Purchase', colour: '#4e79a7' },
  { id: 'energy', label: 'Fuel or electricity', colour: '#f28e2b' },
  { id: 'insurance', label: 'Insurance', colour: '#e15759' },
  { id: 'maintenance', label: 'Maintenance', colour: '#76b7b2' },
  { id: 'registration', label: 'Registration', colour: '#edc948' },
  { id: 'residual', label: 'Value left (subtracted)', colour: '#59a14f' },
];
const partOf = (id) => OWNERSHIP_PARTS.find((p) => p.id === id) ?? { ...OTHER, id };

export function renderCost(section, check) {
  showSectionReady(section);
  const cost = check.cost;
  if (!cost) {
    replace(contentOf(section), h('p', { class: 'note cost-missing' }, `Not computed: ${check.cost_note ?? 'no price was given'}.`));
    return;
  }
  replace(contentOf(section),
    cost.admissibility ? h('p', { class: 'warning' }, cost.admissibility) : null,
    cost.fx_warning ? h('p', { class: 'warning fx-warning' }, `Exchange rate: ${cost.fx_warning}.`) : null,
    h('p', { class: 'cost-basis' }, costBasis(cost, check.cost_note)),
    landedChart(cost),
    ownershipPart(cost));
}

function costBasis(cost, note) {
  return [
    `${yen(cost.price_jpy)} at ${cost.jpy_per_usd} yen a dollar`,
    `${cost.freight} freight to ${cost.port}`,
    `entered ${cost.entry}`,
    cost.duties ? `duties ${cost.duties.settled_percent} %${cost.duties.unsettled_percent ? ` (+${cost.duties.unsettled_percent} % unsettled)` : ''} under ${cost.duties.heading}` : null,
    note ? `(${note})` : null,
  ].filter(Boolean).join(' · ');
}

// The landed cost as one bar per line, then the total as one stacked bar.
export function landedChart(cost) {
  const lines = cost.lines ?? [];
  const figure = h('figure', { class: 'chart landed-chart' },
    h('figcaption', {}, 'Landed cost, line by line'));
  const x = scaleLinear().domain([0, max(lines, (l) => Math.abs(l.usd_cents)) || 1]).range([0, 100]);
  const rows = select(figure).append('div').attr('class', 'bar-rows').attr('role', 'list');
  const row = rows.selectAll('div').data(lines).join('div')
    .attr('role', 'listitem')
    .attr('class', (l) => `bar-row${l.in_total ? '' : ' unsettled'}`)
    .attr('data-line', (l) => l.id);
  row.append('span').attr('class', 'bar-label').each(function label(l) {
    select(this).text(l.label);
    if (l.jpy != null) select(this).append('small').text(` ${yen(l.jpy)}`);
    if (!l.in_total) {
      const words = /unsettled/i.test(l.label) ? ' not in the total' : ' unsettled: not in the total';
      select(this).append('small').attr('class', 'unsettled-tag').text(words);
    }
    if (l.confidence === 'low') select(this).append('small').attr('class', 'low-tag').text(' low confidence');
  });
  row.append('span').attr('class', 'bar-track')
    .append('span').attr('class', 'bar')
    .style('width', (l) => `${Math.max(x(Math.abs(l.usd_cents)), l.usd_cents ? 0.5 : 0)}%`)
    .style('background-color', (l) => groupOf(l.group).colour);
  row.append('span').attr('class', 'bar-value').text((l) => usd(l.usd_cents));

  figure.append(totalStack(cost),
    legend(COST_GROUPS.filter((g) => lines.some((l) => l.group === g.id)), lines.some((l) => !l.in_total)),
    h('details', { class: 'more' }, h('summary', {}, 'Where each figure comes from'),
      h('ul', { class: 'bases' }, lines.map((l) => h('li', {}, h('strong', {}, `${l.label}: `),
        linkify(l.basis), h('span', { class: 'muted' }, ` (${l.confidence} confidence)`))))));
  return figure;
}

// The settled total as one stacked bar by group, the unsettled duties hatched after it.
function totalStack(cost) {
  const lines = cost.lines ?? [];
  const high = Math.max(cost.total_with_unsettled_usd_cents, cost.total_usd_cents, 1);
  const groups = [...COST_GROUPS, OTHER].map((g) => ({
    ...g,
    cents: sum(lines.filter((l) => l.in_total && groupOf(l.group) === g), (l) => l.usd_cents),
  })).filter((g) => g.cents > 0);
  const unsettled = cost.total_with_unsettled_usd_cents - cost.total_usd_cents;
  const wrap = h('div', { class: 'total' });
  const bar = select(wrap).append('div').attr('class', 'stack').attr('aria-hidden', 'true');
  bar.selectAll('span').data(groups).join('span')
    .attr('class', 'stack-part')
    .style('width', (g) => `${(100 * g.cents) / high}%`)
    .style('background-color', (g) => g.colour)
    .attr('title', (g) => `${g.label}: ${usd(g.cents)}`);
  if (unsettled > 0) {
    bar.append('span').attr('class', 'stack-part unsettled').style('width', `${(100 * unsettled) / high}%`)
      .attr('title', `unsettled duties: ${usd(unsettled)}`);
  }
  wrap.append(h('p', { class: 'total-line' },
    h('strong', {}, `Landed total: ${usd(cost.total_usd_cents)}`),
    unsettled > 0 ? ` settled; up to ${usd(cost.total_with_unsettled_usd_cents)} if the unsettled duties (hatched) apply` : null));
  return wrap;
}

function ownershipPart(cost) {
  const own = cost.ownership;
  if (!own) {
    return h('div', { class: 'ownership' },
      h('h3', {}, 'Cost of owning it'),
      h('p', { class: 'note ownership-missing' }, `Not computed: ${cost.ownership_note ?? 'give the years of ownership'}. The fuel economy goes under “Cost assumptions” above.`));
  }
  return h('div', { class: 'ownership' },
    h('h3', {}, `Cost of owning it for ${own.years} years, next to new US vehicles`),
    ownershipChart(own));
}

// One row per vehicle: spending stacked right of zero, the value left at the end left of zero, a tick at the
// net total (spending less the value left).
export function ownershipChart(own) {
  const vehicles = own.vehicles ?? [];
  const spent = (v) => sum(v.lines.filter((l) => l.usd_cents > 0), (l) => l.usd_cents);
  const left = (v) => sum(v.lines.filter((l) => l.usd_cents < 0), (l) => l.usd_cents);
  const lo = Math.min(0, min(vehicles, left) ?? 0);
  const hi = Math.max(1, max(vehicles, spent) ?? 1);
  const x = scaleLinear().domain([lo, hi]).range([0, 100]);
  const figure = h('figure', { class: 'chart ownership-chart' },
    h('figcaption', {}, `Net cost over ${own.years} years (${own.miles_per_year ? `${Number(own.miles_per_year).toLocaleString('en-US')} miles a year` : 'miles as shown'}): what is spent, less the value left at the end`));
  const rows = select(figure).append('div').attr('class', 'bar-rows').attr('role', 'list');
  const row = rows.selectAll('div').data(vehicles).join('div')
    .attr('role', 'listitem')
    .attr('class', (v) => `bar-row own-row${v.id === 'kei' ? ' is-kei' : ''}`)
    .attr('data-vehicle', (v) => v.id);
  row.append('span').attr('class', 'bar-label').text((v) => v.name);
  const track = row.append('span').attr('class', 'bar-track diverging');
  track.append('span').attr('class', 'zero').style('left', `${x(0)}%`);
  track.each(function parts(v) {
    let right = 0;
    let leftEdge = 0;
    for (const line of v.lines) {
      const part = partOf(line.id);
      const start = line.usd_cents >= 0 ? right : leftEdge + line.usd_cents;
      if (line.usd_cents >= 0) right += line.usd_cents;
      else leftEdge += line.usd_cents;
      select(this).append('span').attr('class', 'seg')
        .style('left', `${x(start)}%`)
        .style('width', `${x(start + Math.abs(line.usd_cents)) - x(start)}%`)
        .style('background-color', part.colour)
        .attr('title', `${line.label}: ${usd(line.usd_cents)}`);
    }
    select(this).append('span').attr('class', 'net').style('left', `${x(v.total_usd_cents)}%`);
  });
  row.append('span').attr('class', 'bar-value')
    .text((v) => `${usdWhole(v.total_usd_cents)} · ${usd(v.per_mile_usd_cents).replace(/\.00$/, '')}/mi`);
  const used = OWNERSHIP_PARTS.filter((p) => vehicles.some((v) => v.lines.some((l) => l.id === p.id)));
  figure.append(legend(used, false, true),
    h('details', { class: 'more' }, h('summary', {}, 'The figures behind each bar'),
      vehicles.map((v) => h('div', { class: 'own-detail' }, h('h4', {}, `${v.name}: ${usd(v.total_usd_cents)}`),
        h('ul', { class: 'bases' }, v.lines.map((l) => h('li', {}, h('strong', {}, `${l.label} ${usd(l.usd_cents)}: `),
          linkify(l.basis), h('span', { class: 'muted' }, ` (${l.confidence} confidence)`))))))));
  return figure;
}

function legend(items, withUnsettled, withNet = false) {
  return h('ul', { class: 'legend' },
    items.map((g) => h('li', {}, h('span', { class: 'swatch', style: `background-color:${g.colour}` }), g.label)),
    withUnsettled ? h('li', {}, h('span', { class: 'swatch hatched' }), 'Unsettled duty (not counted)') : null,
    withNet ? h('li', {}, h('span', { class: 'swatch net-swatch' }), 'Net total') : null);
}

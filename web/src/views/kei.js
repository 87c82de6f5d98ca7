// The kei verdict (on the date asked about, and under the law of its build month) with each limit, the
// vehicle's value and the citation of every limit.
import { h, replace, contentOf, showSectionReady } from '../dom.js';
import { outcomeBadge, reasonList } from './citations.js';

const VERDICT_WORDS = { kei: 'Kei vehicle', not_kei: 'Not a kei vehicle', unknown: 'Not known' };

export function verdictText(verdict) {
  return VERDICT_WORDS[verdict] ?? String(verdict).replaceAll('_', ' ');
}

// The fields a kei limit is checked against (KeiFinding.check) and the vehicle field that gives each.
const CHECK_FIELDS = { length: 'length_mm', width: 'width_mm', height: 'height_mm', displacement: 'displacement_cc' };

// The assumed fields in the kei checks' order (JSON objects come in name order), any others after.
function inFieldOrder(assumed) {
  const order = Object.values(CHECK_FIELDS);
  const rank = (field) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.entries(assumed).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

// `vehicle` (the answer's vehicle) names the figures that are assumed, not a maker's: each is said so.
export function renderKei(section, kei, vehicle = {}) {
  showSectionReady(section);
  const now = kei.on_date;
  const built = kei.when_built;
  const assumed = vehicle?.assumed ?? {};
  replace(contentOf(section),
    verdictLine(now, `under Japanese law on ${now.date}`),
    built ? verdictLine(built, `under the law of its build month (${built.date})`) : null,
    now.missing_fields?.length ? h('p', { class: 'note' }, `To settle it, give: ${now.missing_fields.join(', ')}.`) : null,
    Object.keys(assumed).length ? h('ul', { class: 'note assumed' }, inFieldOrder(assumed).map(([field, why]) =>
      h('li', {}, `Assumed ${field.replaceAll('_', ' ')}: ${why}.`))) : null,
    findingsTable(now.findings ?? [], assumed),
    h('details', { class: 'more' }, h('summary', {}, 'Reasons and citations'), reasonList(now.reasons)));
}

function verdictLine(answer, when) {
  return h('p', { class: 'verdict' },
    h('span', { class: `badge verdict-${answer.verdict}` }, verdictText(answer.verdict)), ' ', when);
}

function findingsTable(findings, assumed = {}) {
  const number = (x) => (x == null ? '—' : Number(x).toLocaleString('en-US'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'findings' },
    h('caption', {}, 'Each limit of the kei class'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Check'), h('th', { scope: 'col' }, 'Vehicle'),
      h('th', { scope: 'col' }, 'Limit'), h('th', { scope: 'col' }, 'Result'))),
    h('tbody', {}, findings.map((f) => h('tr', {},
      h('th', { scope: 'row' }, f.check.replaceAll('_', ' '), f.binding ? null : h('span', { class: 'muted' }, ' (not binding)')),
      h('td', {}, f.value == null ? '—' : `${number(f.value)} ${f.unit}${CHECK_FIELDS[f.check] in assumed ? ' (assumed)' : ''}`),
      h('td', {}, f.limit == null ? '—' : `≤ ${number(f.limit)} ${f.unit}`),
      h('td', {}, outcomeBadge(f.outcome)))))));
}

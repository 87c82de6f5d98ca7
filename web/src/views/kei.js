// The kei verdict (on the date asked about, and under the law of its build month) with each limit, the
// vehicle's value and the citation of every limit.
import { h, replace, contentOf, showSectionReady } from '../dom.js';
import { outcomeBadge, reasonList } from './citations.js';

const VERDICT_WORDS = { kei: 'Kei vehicle', not_kei: 'Not a kei vehicle', unknown: 'Not known' };

export function verdictText(verdict) {
  return VERDICT_WORDS[verdict] ?? String(verdict).replaceAll('_', ' ');
}

export function renderKei(section, kei) {
  showSectionReady(section);
  const now = kei.on_date;
  const built = kei.when_built;
  replace(contentOf(section),
    verdictLine(now, `under Japanese law on ${now.date}`),
    built ? verdictLine(built, `under the law of its build month (${built.date})`) : null,
    now.missing_fields?.length ? h('p', { class: 'note' }, `To settle it, give: ${now.missing_fields.join(', ')}.`) : null,
    findingsTable(now.findings ?? []),
    h('details', { class: 'more' }, h('summary', {}, 'Reasons and citations'), reasonList(now.reasons)));
}

function verdictLine(answer, when) {
  return h('p', { class: 'verdict' },
    h('span', { class: `badge verdict-${answer.verdict}` }, verdictText(answer.verdict)), ' ', when);
}

function findingsTable(findings) {
  const number = (x) => (x == null ? '—' : Number(x).toLocaleString('en-US'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'findings' },
    h('caption', {}, 'Each limit of the kei class'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Check'), h('th', { scope: 'col' }, 'Vehicle'),
      h('th', { scope: 'col' }, 'Limit'), h('th', { scope: 'col' }, 'Result'))),
    h('tbody', {}, findings.map((f) => h('tr', {},
      h('th', { scope: 'row' }, f.check.replaceAll('_', ' '), f.binding ? null : h('span', { class: 'muted' }, ' (not binding)')),
      h('td', {}, f.value == null ? '—' : `${number(f.value)} ${f.unit}`),
      h('td', {}, f.limit == null ? '—' : `≤ ${number(f.limit)} ${f.unit}`),
      h('td', {}, outcomeBadge(f.outcome)))))));
}

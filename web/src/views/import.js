// The federal pathways into the US: the first day it may enter for road use and by which pathway, then each
// pathway with its status, the day it opens, its conditions, forms and reasons.
import { h, replace, contentOf, showSectionReady, linkify } from '../dom.js';
import { monthLabel } from '../format.js';
import { reasonList } from './citations.js';

const PATHWAY_WORDS = {
  available: 'open',
  not_yet: 'opens later',
  not_available: 'not open to it',
  unknown: 'not known',
  off: 'not in force',
};

export function renderImport(section, entry, date) {
  showSectionReady(section);
  const pathways = entry.pathways ?? [];
  const byId = new Map(pathways.map((p) => [p.id, p]));
  replace(contentOf(section),
    headline(entry.earliest_road_entry, byId, date),
    h('ul', { class: 'pathways' }, pathways.map((p) => pathwayItem(p, p.id === entry.earliest_road_entry?.pathway))));
}

// "May enter for road use from June 2039 (2039-06-01): FMVSS 25-year exemption"
export function entryHeadline(earliest, byId, date) {
  if (!earliest) return 'No federal pathway lets it enter for road use.';
  const name = byId.get(earliest.pathway)?.name ?? earliest.pathway;
  if (earliest.date <= date) return `May enter for road use now (since ${earliest.date}): ${name}.`;
  return `May enter for road use from ${monthLabel(earliest.date)} (${earliest.date}): ${name}.`;
}

function headline(earliest, byId, date) {
  return h('p', { class: `entry-headline ${earliest ? (earliest.date <= date ? 'open' : 'later') : 'closed'}` },
    entryHeadline(earliest, byId, date));
}

// One pathway: its status and opening day; its conditions, forms and reasons folded (open for the pathway
// of the earliest road entry).
function pathwayItem(p, earliest) {
  const hasDetail = p.conditions?.length || p.forms?.length || p.reasons?.length;
  return h('li', { class: `pathway status-${p.status}`, 'data-pathway': p.id },
    h('p', { class: 'pathway-title' },
      h('span', { class: `badge pathway-${p.status}` }, PATHWAY_WORDS[p.status] ?? p.status), ' ',
      h('strong', {}, p.name),
      p.earliest ? ` · from ${p.earliest}` : null,
      p.road_use ? null : h('span', { class: 'muted' }, ' · not for road use')),
    p.missing_fields?.length ? h('p', { class: 'note' }, `Needs: ${p.missing_fields.join(', ')}`) : null,
    hasDetail ? h('details', { class: 'more', open: earliest },
      h('summary', {}, 'Conditions, forms and reasons'),
      p.conditions?.length ? h('ul', { class: 'conditions' }, p.conditions.map((c) => h('li', {}, linkify(c)))) : null,
      p.forms?.length ? h('ul', { class: 'forms' }, p.forms.map((f) => h('li', {},
        h('strong', {}, f.form), f.what ? `: ${f.what}` : null, f.ref ? h('span', { class: 'ref' }, ' (', linkify(f.ref), ')') : null))) : null,
      reasonList(p.reasons)) : null);
}

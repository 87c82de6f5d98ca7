// A list of reasons, each with the citation that decides it (ref, parameter, in force since, confidence,
// date checked), as the kei, import and state answers give them.
import { h, linkify } from '../dom.js';

const OUTCOME_WORDS = { pass: 'passes', fail: 'fails', unknown: 'not known', note: 'note', not_applicable: 'does not apply' };

export function outcomeBadge(outcome) {
  return h('span', { class: `badge outcome-${outcome}` }, OUTCOME_WORDS[outcome] ?? outcome);
}

export function citationBlock(citation) {
  if (!citation) return null;
  const facts = [
    citation.parameter ? `parameter ${citation.parameter}` : null,
    citation.in_force_since ? `in force since ${citation.in_force_since}` : null,
    citation.confidence ? `${citation.confidence} confidence` : null,
    citation.checked ? `checked ${citation.checked}` : null,
  ].filter(Boolean);
  return h('div', { class: 'citation' },
    h('p', { class: 'ref' }, linkify(citation.ref)),
    citation.note ? h('p', { class: 'citation-note' }, linkify(citation.note)) : null,
    h('p', { class: 'citation-facts' }, facts.join(' · ')));
}

export function reasonList(reasons) {
  return h('ol', { class: 'reasons' }, (reasons ?? []).map((r) => h('li', {},
    h('p', {}, outcomeBadge(r.outcome), ' ', r.text),
    citationBlock(r.citation))));
}

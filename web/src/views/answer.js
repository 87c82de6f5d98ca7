// The one-shot answer: the `summary` lines of /api/check, as the engine words them.
import { h, replace, contentOf, showSectionReady } from '../dom.js';

export function renderAnswer(section, check) {
  showSectionReady(section);
  const lines = check.summary ?? [];
  const [headline, ...rest] = lines;
  replace(contentOf(section),
    headline ? h('p', { class: 'answer-headline' }, headline) : null,
    h('ul', { class: 'answer-lines' }, rest.map((line) => h('li', {}, line))),
    check.cost && check.cost_note ? h('p', { class: 'note' }, `Cost basis: ${check.cost_note}.`) : null);
}

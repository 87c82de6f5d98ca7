// The US map of road use (d3.geoAlbersUsa over us-atlas states-10m): each state coloured by the status of
// its answer from /api/states, low-confidence answers hatched. A state's full answer (status, road limits,
// rule and statute, sources, confidence, reasons) shows in the panel beside the map on hover, on tap and on
// keyboard focus; the map is one tab stop whose arrow keys move between states (a roving tabindex), and a
// table lists every state as the accessible alternative.
import { geoAlbersUsa, geoPath, select } from 'd3';
import { feature } from 'topojson-client';
import { h, replace, linkify, sourceLink } from '../dom.js';
import {
  STATES, STATUSES, statusInfo, stateForFips, isLowConfidence, confidenceText, limitPhrases, stateAriaLabel,
} from '../states.js';
import { reasonList } from './citations.js';

const WIDTH = 975;
const HEIGHT = 610;

export class StateMap {
  // `onAsk(code)`: the visitor asked to make this state the question's state.
  constructor(container, { onAsk }) {
    this.container = container;
    this.onAsk = onAsk;
    this.answers = new Map();
    this.pinned = null;
    this.asked = null;
    this.date = null;
    this.ready = this.#build();
  }

  // Colour the map and fill the list for a /api/states answer; `asked` is the question's state, if any.
  async update(statesAnswer, asked) {
    await this.ready;
    this.answers = new Map((statesAnswer.answers ?? []).map((a) => [a.state, a]));
    this.date = statesAnswer.date;
    this.asked = asked || null;
    this.paths
      .attr('fill', (d) => statusInfo(this.answers.get(d.state.code)?.status).colour)
      .attr('data-status', (d) => this.answers.get(d.state.code)?.status ?? 'none')
      .attr('data-confidence', (d) => this.answers.get(d.state.code)?.confidence ?? 'none')
      .attr('aria-label', (d) => {
        const a = this.answers.get(d.state.code);
        return a ? stateAriaLabel(a) : d.state.name;
      })
      .classed('asked', (d) => d.state.code === this.asked);
    this.askedOutline.attr('d', this.asked ? this.outlineOf(this.asked) : null);
    this.hatches.attr('display', (d) => {
      const a = this.answers.get(d.state.code);
      return a && isLowConfidence(a.confidence) ? null : 'none';
    });
    this.#renderLegend(statesAnswer.counts ?? {});
    this.#renderTable();
    const keep = this.pinned ?? this.asked ?? null;
    if (keep && this.answers.has(keep)) this.#pin(keep, false);
    else this.#showDetails(null);
    this.#setTabStop(keep ?? this.order[0].state.code);
  }

  async #build() {
    const { default: topology } = await import('us-atlas/states-10m.json');
    const shapes = feature(topology, topology.objects.states).features
      .map((f) => ({ ...f, state: stateForFips(f.id) }))
      .filter((f) => f.state)
      .sort((a, b) => a.state.name.localeCompare(b.state.name));
    this.order = shapes;
    const projection = geoAlbersUsa().fitSize([WIDTH, HEIGHT], { type: 'FeatureCollection', features: shapes });
    const path = geoPath(projection);

    this.legendNode = h('div', { class: 'map-legend' });
    this.detailsNode = h('div', { class: 'state-details', id: 'state-details', 'aria-live': 'polite' });
    const mapBox = h('div', { class: 'map-box' });
    this.tableBox = h('details', { class: 'more state-list' },
      h('summary', {}, 'All states as a list'), h('div', { class: 'table-wrap' }));
    replace(this.container,
      this.legendNode,
      h('div', { class: 'map-layout' }, mapBox, this.detailsNode),
      h('p', { class: 'help' }, 'Hover or tap a state, or Tab to the map and move between states with the arrow keys.'),
      this.tableBox);

    const svg = select(mapBox).append('svg')
      .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
      .attr('class', 'us-map')
      .attr('role', 'group')
      .attr('aria-label', 'Map of the US states, coloured by whether the vehicle may be driven there');
    svg.append('defs').append('pattern')
      .attr('id', 'hatch').attr('patternUnits', 'userSpaceOnUse')
      .attr('width', 8).attr('height', 8).attr('patternTransform', 'rotate(45)')
      .append('rect').attr('width', 3).attr('height', 8).attr('fill', 'rgba(0,0,0,0.45)');
    this.paths = svg.append('g').attr('class', 'state-shapes')
      .selectAll('path').data(shapes).join('path')
      .attr('d', path)
      .attr('class', 'state-shape')
      .attr('id', (d) => `map-${d.state.code}`)
      .attr('data-state', (d) => d.state.code)
      .attr('tabindex', -1)
      .attr('role', 'button')
      .attr('fill', '#eee')
      .on('pointerenter', (event, d) => this.#showDetails(d.state.code))
      .on('pointerleave', () => this.#showDetails(this.pinned))
      .on('click', (event, d) => this.#pin(d.state.code, true))
      .on('focus', (event, d) => this.#pin(d.state.code, false))
      .on('keydown', (event, d) => this.#onKey(event, d));
    this.hatches = svg.append('g').attr('class', 'hatches').attr('aria-hidden', 'true')
      .selectAll('path').data(shapes).join('path')
      .attr('d', path)
      .attr('data-state', (d) => d.state.code)
      .attr('fill', 'url(#hatch)')
      .attr('pointer-events', 'none')
      .attr('display', 'none');
    // Outlines of the state asked about and the state shown, drawn on top (a shape's own stroke hides under
    // its neighbours'; moving the shape itself would lose its keyboard focus).
    this.askedOutline = svg.append('path').attr('class', 'outline asked-outline').attr('aria-hidden', 'true');
    this.pinOutline = svg.append('path').attr('class', 'outline pin-outline').attr('aria-hidden', 'true');
    this.outlineOf = (code) => {
      const shape = shapes.find((s) => s.state.code === code);
      return shape ? path(shape) : null;
    };
  }

  #onKey(event, d) {
    const i = this.order.findIndex((s) => s.state.code === d.state.code);
    const next = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: this.order.length - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      const target = this.order[(next + this.order.length) % this.order.length].state.code;
      this.#setTabStop(target);
      this.container.querySelector(`#map-${target}`).focus();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.#pin(d.state.code, true);
    }
  }

  #setTabStop(code) {
    this.paths.attr('tabindex', (d) => (d.state.code === code ? 0 : -1));
  }

  #pin(code, fromPointer) {
    this.pinned = code;
    this.paths.classed('pinned', (d) => d.state.code === code);
    this.pinOutline.attr('d', this.outlineOf(code));
    this.#setTabStop(code);
    this.#showDetails(code);
    if (fromPointer) this.detailsNode.classList.add('flash');
  }

  #showDetails(code) {
    const answer = code ? this.answers.get(code) : null;
    if (!answer) {
      replace(this.detailsNode, h('p', { class: 'help' }, 'Choose a state on the map or in the list to see its answer.'));
      return;
    }
    replace(this.detailsNode, stateDetails(answer, code === this.asked ? null : () => this.onAsk(code)));
  }

  #renderLegend(counts) {
    replace(this.legendNode, h('ul', { class: 'legend' },
      STATUSES.map((s) => h('li', { 'data-status': s.id },
        h('span', { class: 'swatch', style: `background-color:${s.colour}` }),
        `${s.label}: ${counts[s.id] ?? 0}`)),
      h('li', {}, h('span', { class: 'swatch hatched' }), 'Hatched: low confidence (verify with the state)')));
  }

  #renderTable() {
    const rows = STATES.map((s) => this.answers.get(s.code)).filter(Boolean)
      .sort((a, b) => a.name.localeCompare(b.name));
    replace(this.tableBox.querySelector('.table-wrap'), h('table', { class: 'state-table' },
      h('caption', {}, `Road use on ${this.date}`),
      h('thead', {}, h('tr', {}, ['State', 'Status', 'Road limits', 'Confidence'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((a) => h('tr', { 'data-state': a.state, class: a.state === this.asked ? 'asked' : null },
        h('th', { scope: 'row' }, h('button', {
          type: 'button',
          class: 'link-button',
          'aria-controls': 'state-details',
          onclick: () => { this.#pin(a.state, true); this.detailsNode.scrollIntoView({ block: 'nearest' }); },
          onfocus: () => this.#showDetails(a.state),
        }, `${a.name} (${a.state})`)),
        h('td', {}, h('span', { class: 'status-dot', style: `background-color:${statusInfo(a.status).colour}` }), statusInfo(a.status).label),
        h('td', {}, limitPhrases(a.limits).join('; ') || '—'),
        h('td', { class: isLowConfidence(a.confidence) ? 'low' : null }, confidenceText(a.confidence)))))));
  }
}

// The full answer for one state.
export function stateDetails(a, onAsk) {
  const info = statusInfo(a.status);
  const rule = a.rule;
  const limits = limitPhrases(a.limits);
  const yesNo = (x) => ({ yes: 'yes', no: 'no', unknown: 'not known' }[x] ?? x);
  return h('div', { class: 'state-answer', 'data-state': a.state },
    h('h3', {}, `${a.name} (${a.state})`),
    h('p', {}, h('span', { class: 'badge status-badge', style: `background-color:${info.colour};color:${info.ink}` }, info.label),
      ' ', h('span', { class: isLowConfidence(a.confidence) ? 'confidence low' : 'confidence' },
        isLowConfidence(a.confidence) ? 'low confidence: verify with the state' : confidenceText(a.confidence))),
    h('p', { class: 'facts' }, `On ${a.date}, entered as ${String(a.entry).replaceAll('_', ' ')}: title ${yesNo(a.title)}, registration ${yesNo(a.registration)}, road use ${yesNo(a.road_use)}${a.road_use_scope ? ` (${a.road_use_scope})` : ''}.`),
    limits.length ? h('ul', { class: 'chips', 'aria-label': 'Road limits' }, limits.map((l) => h('li', {}, l))) : null,
    rule?.conditions ? h('p', { class: 'conditions' }, linkify(rule.conditions)) : null,
    rule ? h('p', { class: 'rule-ref' }, h('strong', {}, rule.basis === 'law' ? 'Statute: ' : 'Basis (agency policy): '),
      linkify(rule.ref), rule.from ? ` · from ${rule.from}${rule.from_kind && rule.from_kind !== 'effective' ? ` (${rule.from_kind.replaceAll('_', ' ')})` : ''}` : null,
      rule.checked ? ` · checked ${rule.checked}` : null) : h('p', { class: 'note' }, 'No state rule is recorded for this vehicle here.'),
    rule?.note ? h('p', { class: 'note' }, linkify(rule.note)) : null,
    rule?.sources?.length ? h('p', { class: 'sources' }, h('strong', {}, 'Sources: '),
      rule.sources.flatMap((url, i) => (i === 0 ? [sourceLink(url)] : [', ', sourceLink(url)]))) : null,
    a.missing_fields?.length ? h('p', { class: 'note' }, `To settle it, give: ${a.missing_fields.join(', ')}.`) : null,
    h('details', { class: 'more' }, h('summary', {}, 'Reasons'), reasonList(a.reasons)),
    onAsk ? h('button', { type: 'button', class: 'secondary', onclick: onAsk }, `Ask about ${a.name}`) : null);
}

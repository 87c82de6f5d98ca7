// The question form: the catalog search (an ARIA combobox over /api/catalog?search=), the vehicle fields
// entered by hand, state, date, price, the law (as it stands, or a hypothetical scenario /api/health lists)
// and the cost assumptions. It reads into and fills from a question
// object (see query.js), and shows the API's problems next to the inputs they name.
import { getJson } from './api.js';
import { h, replace } from './dom.js';
import { inputNameForField } from './errors.js';
import { VEHICLE_FIELDS, COST_FIELDS, apiQuery } from './query.js';
import { LAW_AS_IT_STANDS, findScenario, plainDescription, scenarioOptionLabel, unlistedOptionLabel } from './scenario.js';
import { STATES } from './states.js';

// Inputs whose problems show elsewhere: the catalog vehicle is named by the search box.
const INPUT_ALIASES = { model: 'model', chassis: 'model', catalog: 'model' };
const SEARCH_DELAY_MS = 180;

export class QuestionForm {
  constructor(form, { onSubmit }) {
    this.form = form;
    this.chosen = null; // {model, chassis, make, label, entry?}
    this.search = form.querySelector('#catalog-search');
    this.results = form.querySelector('#catalog-results');
    this.options = [];
    this.active = -1;
    this.searchTimer = null;
    this.searchController = null;
    this.scenarioSelect = form.querySelector('#f-scenario');
    this.scenarioHelp = form.querySelector('#h-scenario');
    this.scenarioHelpText = this.scenarioHelp.textContent;
    this.scenarios = [];
    this.scenariosKnown = false; // whether /api/health has listed them
    this.#buildFields('#vehicle-fields', VEHICLE_FIELDS);
    this.#buildFields('#cost-fields', COST_FIELDS);
    this.#buildStates();
    this.#wireCatalog();
    this.scenarioSelect.addEventListener('change', () => this.#describeScenario());
    form.querySelector('#clear-vehicle').addEventListener('click', () => {
      this.choose(null);
      this.search.focus();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      onSubmit(this.read());
    });
  }

  // The question the form holds now (only the fields that have a value).
  read() {
    const question = {};
    if (this.chosen) {
      question.model = this.chosen.model;
      if (this.chosen.chassis) question.chassis = this.chosen.chassis;
    }
    for (const input of this.form.querySelectorAll('[data-question]')) {
      const value = input.value.trim();
      if (value !== '') question[input.name] = value;
    }
    return question;
  }

  // Fill the form from a question (a share link).
  fill(question) {
    const same = this.chosen && this.chosen.model === question.model
      && (this.chosen.chassis ?? '') === (question.chassis ?? '');
    if (question.model && same) {
      this.choose(this.chosen);
    } else if (question.model) {
      this.choose({
        model: question.model,
        chassis: question.chassis ?? '',
        label: [question.model, question.chassis].filter(Boolean).join(' '),
      });
    } else {
      this.choose(null);
    }
    this.#scenarioOptions(question.scenario ?? '');
    for (const input of this.form.querySelectorAll('[data-question]')) {
      input.value = question[input.name] ?? '';
    }
    const handFields = VEHICLE_FIELDS.some((f) => question[f.name]);
    if (handFields) this.form.querySelector('#measurements').open = true;
    if (COST_FIELDS.some((f) => question[f.name])) this.form.querySelector('#cost-assumptions').open = true;
  }

  // The scenarios a question may be asked under (/api/health's list; empty when it failed): one option each
  // after the law as it stands. The chosen one stays chosen.
  setScenarios(scenarios, { known = true } = {}) {
    this.scenarios = Array.isArray(scenarios) ? scenarios.filter((s) => s && s.id) : [];
    this.scenariosKnown = known;
    this.#scenarioOptions(this.scenarioSelect.value);
  }

  // Pick a catalog vehicle (or none); its measurements become the placeholders of the hand-entered fields.
  choose(vehicle) {
    this.chosen = vehicle;
    const chip = this.form.querySelector('#chosen-vehicle');
    chip.hidden = !vehicle;
    this.form.querySelector('#chosen-name').textContent = vehicle ? vehicle.label : '';
    for (const field of VEHICLE_FIELDS) {
      const input = this.form.querySelector(`#f-${field.name}`);
      const value = vehicle?.entry?.[field.name];
      if (input.tagName === 'SELECT') {
        input.options[0].textContent = value != null ? `catalog: ${value}` : '—';
      } else {
        input.placeholder = value != null ? String(value) : '';
      }
    }
    const built = this.form.querySelector('#f-built');
    const entry = vehicle?.entry;
    built.placeholder = entry?.produced_from
      ? `${entry.produced_from} to ${entry.produced_to ?? 'now'}`
      : 'e.g. 1999-06';
    this.#closeList();
    if (vehicle) this.search.value = '';
  }

  // When the API names the catalog entry the question used (check's `catalog`), show its full name.
  describeChosen(entry) {
    if (!entry || !this.chosen) return;
    this.chosen = { ...this.chosen, entry, label: catalogLabel(entry) };
    this.choose(this.chosen);
  }

  clearProblems() {
    for (const node of this.form.querySelectorAll('.field-error')) {
      node.hidden = true;
      node.textContent = '';
    }
    for (const node of this.form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    const general = this.form.querySelector('#form-error');
    general.hidden = true;
    replace(general);
  }

  // Show each problem next to its input (aria-invalid, message linked by aria-describedby); the rest, and a
  // note naming every field, in the form's error box. Returns the first invalid input (to focus it).
  showProblems(problems) {
    const summary = [];
    let first = null;
    const seen = new Set();
    for (const problem of problems) {
      const key = `${problem.input}|${stripField(problem)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const name = INPUT_ALIASES[problem.input] ?? problem.input;
      const slot = name ? this.form.querySelector(`#e-${CSS.escape(name)}`) : null;
      const input = name === 'model' ? this.search : name ? this.form.querySelector(`#f-${CSS.escape(name)}`) : null;
      if (!slot || !input) {
        summary.push(h('span', { class: 'error-line' }, problem.message));
        continue;
      }
      slot.hidden = false;
      slot.textContent = slot.textContent ? `${slot.textContent} ${problem.message}` : problem.message;
      if (summary.some((line) => line.dataset.input === name)) continue;
      input.setAttribute('aria-invalid', 'true');
      input.closest('details')?.setAttribute('open', '');
      first ??= input;
      const label = this.form.querySelector(`label[for="${input.id}"]`)?.textContent ?? name;
      summary.push(h('span', { class: 'error-line', dataset: { input: name } },
        h('a', { href: `#${input.id}`, onclick: (event) => { event.preventDefault(); input.focus(); } }, label),
        `: ${stripField(problem)}`));
    }
    const box = this.form.querySelector('#form-error');
    if (summary.length > 0) {
      replace(box, summary);
      box.hidden = false;
    }
    return first;
  }

  #buildFields(selector, fields) {
    const grid = this.form.querySelector(selector);
    for (const field of fields) {
      const id = `f-${field.name}`;
      const control = field.kind === 'select'
        ? h('select', { id, name: field.name, 'data-question': true, 'aria-describedby': `e-${field.name}` },
            h('option', { value: '' }, '—'),
            field.options.map((o) => h('option', { value: o }, o.replaceAll('_', ' '))))
        : h('input', {
            id,
            name: field.name,
            type: 'text',
            inputmode: field.kind === 'int' ? 'numeric' : field.kind === 'number' ? 'decimal' : null,
            autocomplete: 'off',
            'data-question': true,
            'aria-describedby': `e-${field.name}`,
          });
      grid.append(h('div', { class: 'field' },
        h('label', { for: id }, field.label),
        control,
        h('p', { class: 'field-error', id: `e-${field.name}`, hidden: true })));
    }
    for (const input of this.form.querySelectorAll('#f-built, #f-state, #f-date, #f-price_jpy, #f-scenario')) {
      input.dataset.question = '';
    }
  }

  #buildStates() {
    const select = this.form.querySelector('#f-state');
    for (const s of [...STATES].sort((a, b) => a.name.localeCompare(b.name))) {
      select.append(h('option', { value: s.code }, `${s.name} (${s.code})`));
    }
  }

  // The law select's options, with `value` chosen: a scenario the list lacks (a shared link's, before the
  // list arrives, or one this server does not have) gets an option of its own, so the form shows the
  // question as asked and a refusal has an input to sit next to.
  #scenarioOptions(value) {
    const listed = this.scenarios.map((s) => h('option', { value: s.id }, scenarioOptionLabel(s)));
    const unlisted = value && !this.scenarios.some((s) => s.id === value)
      ? h('option', { value }, unlistedOptionLabel(value, this.scenariosKnown)) : null;
    replace(this.scenarioSelect, h('option', { value: '' }, LAW_AS_IT_STANDS), listed, unlisted);
    this.scenarioSelect.value = value;
    this.#describeScenario();
  }

  // Under the select: the chosen scenario's whole description (the select may cut it short), or what the
  // law as it stands means.
  #describeScenario() {
    const value = this.scenarioSelect.value;
    const scenario = findScenario(this.scenarios, value);
    const what = plainDescription(scenario?.description) || `The scenario “${scenario?.name ?? value}”`;
    this.scenarioHelp.textContent = value ? `Hypothetical, not the law. ${what}${/[.!?]$/.test(what) ? '' : '.'}`
      : this.scenarioHelpText;
    this.scenarioSelect.classList.toggle('hypothetical', Boolean(value));
  }

  #wireCatalog() {
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      const text = this.search.value.trim();
      if (text === '') {
        this.#closeList();
        return;
      }
      this.searchTimer = setTimeout(() => this.#runSearch(text), SEARCH_DELAY_MS);
    });
    this.search.addEventListener('keydown', (event) => {
      const open = !this.results.hidden && this.options.length > 0;
      if (event.key === 'ArrowDown' && open) {
        event.preventDefault();
        this.#setActive(Math.min(this.active + 1, this.options.length - 1));
      } else if (event.key === 'ArrowUp' && open) {
        event.preventDefault();
        this.#setActive(Math.max(this.active - 1, 0));
      } else if (event.key === 'Enter' && open) {
        event.preventDefault();
        this.#pick(this.active >= 0 ? this.active : 0);
      } else if (event.key === 'Escape') {
        this.#closeList();
      }
    });
    this.search.addEventListener('blur', () => setTimeout(() => this.#closeList(), 150));
  }

  async #runSearch(text) {
    this.searchController?.abort();
    this.searchController = new AbortController();
    try {
      const query = apiQuery('catalog', { search: text, scenario: this.scenarioSelect.value });
      const body = await getJson('catalog', query, { signal: this.searchController.signal });
      this.#showOptions(body.vehicles ?? [], text);
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.#showMessage(`Catalog search failed: ${error.message}`);
    }
  }

  #showOptions(vehicles, text) {
    this.options = vehicles;
    this.active = -1;
    this.search.removeAttribute('aria-activedescendant');
    if (vehicles.length === 0) {
      this.#showMessage(`No catalog vehicle matches “${text}”. Enter the measurements by hand below.`);
      return;
    }
    replace(this.results, vehicles.map((v, i) => h('li', {
      id: `catalog-option-${i}`,
      role: 'option',
      'aria-selected': 'false',
      onmousedown: (event) => event.preventDefault(),
      onclick: () => this.#pick(i),
    }, h('span', { class: 'option-name' }, catalogLabel(v)), h('span', { class: 'option-detail' }, catalogDetail(v)))));
    this.results.hidden = false;
    this.search.setAttribute('aria-expanded', 'true');
  }

  #showMessage(message) {
    this.options = [];
    replace(this.results, h('li', { class: 'option-message', role: 'option', 'aria-disabled': 'true' }, message));
    this.results.hidden = false;
    this.search.setAttribute('aria-expanded', 'true');
  }

  #setActive(index) {
    this.active = index;
    for (const [i, node] of [...this.results.children].entries()) {
      node.setAttribute('aria-selected', i === index ? 'true' : 'false');
      if (i === index) node.scrollIntoView({ block: 'nearest' });
    }
    this.search.setAttribute('aria-activedescendant', `catalog-option-${index}`);
  }

  #pick(index) {
    const v = this.options[index];
    if (!v) return;
    this.choose({ model: v.model, chassis: chassisParam(v.chassis), label: catalogLabel(v), entry: v });
  }

  #closeList() {
    this.results.hidden = true;
    this.search.setAttribute('aria-expanded', 'false');
    this.search.removeAttribute('aria-activedescendant');
  }
}

// The chassis to ask the API with: a catalog entry listed under several codes ('HA6/HA7') is asked for by
// its first (the API matches one code, not the list).
export function chassisParam(chassis) {
  return String(chassis ?? '').split('/')[0].trim();
}

// "Suzuki Carry DA16T"
export function catalogLabel(v) {
  return [v.make, v.model, v.chassis].filter(Boolean).join(' ');
}

// "truck · 2013-08 to now · 3,395 × 1,475 × 1,765 mm · 658 cc"
export function catalogDetail(v) {
  const parts = [v.body];
  if (v.produced_from) parts.push(`${v.produced_from} to ${v.produced_to ?? 'now'}`);
  if (v.length_mm && v.width_mm && v.height_mm) {
    const mm = [v.length_mm, v.width_mm, v.height_mm].map((x) => Number(x).toLocaleString('en-US'));
    parts.push(`${mm.join(' × ')} mm`);
  }
  if (v.displacement_cc) parts.push(`${v.displacement_cc} cc`);
  return parts.filter(Boolean).join(' · ');
}

// The message without its leading "field: " (the page names the field itself): "vehicle.length_mm: -5 is
// not a length" -> "-5 is not a length" for the input length_mm.
export function stripField(problem) {
  const match = /^([\w.-]+): (.*)$/s.exec(problem.message);
  return match && inputNameForField(match[1]) === problem.input ? match[2] : problem.message;
}

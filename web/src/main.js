// The page: one question (from the form, or from the URL of a share link) asked of /api/check (the answer,
// kei verdict, US entry and cost), /api/states (the map, for the slider's date) and /api/safety, each view
// drawn as its answer arrives. A question may be asked under a hypothetical policy scenario (the law
// select, filled from /api/health); an answer that comes from one says so above the answer and the map. Every error shows: a 400 next to the input it names, anything else in the
// view it stopped.
import './style.css';
import { getJson } from './api.js';
import { h, replace, showSectionError, showSectionLoading, showSectionReady } from './dom.js';
import { errorSentence } from './errors.js';
import { QuestionForm } from './form.js';
import { monthFromIndex, monthIndex, monthLabel, sliderDate, sliderRange, todayIso } from './format.js';
import { apiQuery, hasVehicle, questionFromSearch, searchFromQuestion, unknownKeys } from './query.js';
import { HYPOTHETICAL, noticeRest, scenarioNotice } from './scenario.js';
import { renderAnswer } from './views/answer.js';
import { renderCost } from './views/cost.js';
import { renderImport } from './views/import.js';
import { renderKei } from './views/kei.js';
import { StateMap } from './views/map.js';
import { renderSafety } from './views/safety.js';

const SLIDER_DELAY_MS = 150;
const EXAMPLES = [
  { text: 'A 1999 Honda Acty truck in Ohio, bought for ¥400,000', query: { model: 'Acty Truck', chassis: 'HA6/HA7', built: '1999-06', state: 'OH', price_jpy: '400000' } },
  { text: 'A 1999 Subaru Sambar truck in Colorado', query: { model: 'Sambar Truck', chassis: 'TT1', built: '1999-06', state: 'CO' } },
  { text: 'A 2014 Suzuki Carry DA16T in Texas: when may it come?', query: { model: 'Carry', chassis: 'DA16T', built: '2014-06', state: 'TX' } },
];

const $ = (selector) => document.querySelector(selector);
const views = {
  answer: $('#answer'),
  kei: $('#kei'),
  import: $('#import'),
  cost: $('#cost'),
  states: $('#states'),
  safety: $('#safety'),
};
const slider = $('#map-date');

let question = {};
let questionController = null;
let mapController = null;
let sliderTimer = null;
let entryDate = null; // the first day of road entry, when later than the question's date
let scenarios = []; // /api/health's list of scenarios
let provenanceShown = false; // the footer shows an answer's provenance (not health's) once one arrived
const banners = { answer: $('#answer-scenario'), map: $('#map-scenario') };
const bannerProvenance = { answer: null, map: null };

const form = new QuestionForm($('#question'), {
  onSubmit: (asked) => {
    if (!hasVehicle(asked)) {
      form.clearProblems();
      form.showProblems([{ input: 'model', field: 'vehicle', message: 'Pick a catalog vehicle, or enter at least its body under “Enter or change measurements by hand”.' }])?.focus();
      return;
    }
    ask(withDate(asked), { push: true, focusErrors: true });
  },
});
const map = new StateMap(views.states.querySelector('.content'), {
  onAsk: (code) => {
    $('#f-state').value = code;
    ask(withDate({ ...form.read(), state: code }), { push: true, focusErrors: true });
  },
});

function withDate(asked) {
  return asked.date ? asked : { ...asked, date: todayIso() };
}

// Ask every view's question. `push` adds a history entry (the share link); `focusErrors` moves focus to the
// first input a 400 names (not on page load); else the answer is scrolled into view.
async function ask(asked, { push = false, focusErrors = false, scrollToAnswer = true } = {}) {
  question = asked;
  form.fill(question);
  form.clearProblems();
  const search = searchFromQuestion(question);
  if (push) history.pushState(null, '', `${location.pathname}${search}`);
  updateShare();
  $('#intro').hidden = true;

  questionController?.abort();
  questionController = new AbortController();
  const { signal } = questionController;
  for (const view of Object.values(views)) showSectionLoading(view);
  entryDate = null;
  $('#entry-jump').hidden = true;
  showBanner('answer', null);
  showBanner('map', null);
  setSlider();

  const problems = [];
  const failed = (sections) => (error) => {
    if (error.name === 'AbortError') return;
    problems.push(...(error.problems ?? []));
    // A refused question is explained once, next to the input it names; the views point there.
    const sentence = error.status === 400 && error.problems.some((p) => p.input)
      ? `Not answered: the question has a problem (${error.problems.map((p) => p.input).join(', ')}), marked in the form above.`
      : errorSentence(error);
    for (const section of sections) showSectionError(section, sentence);
  };
  await Promise.all([
    getJson('check', apiQuery('check', question), { signal })
      .then(renderCheck, failed([views.answer, views.kei, views.import, views.cost])),
    loadStates(question.map_date ?? question.date, signal).catch(failed([views.states])),
    getJson('safety', apiQuery('safety', question), { signal })
      .then((body) => renderSafety(views.safety, body), failed([views.safety])),
  ]);
  if (signal.aborted) return;
  const firstInvalid = form.showProblems(problems);
  if (focusErrors && firstInvalid) firstInvalid.focus();
  else if (!firstInvalid && scrollToAnswer) views.answer.scrollIntoView({ block: 'start' });
}

function renderCheck(check) {
  renderAnswer(views.answer, check);
  renderKei(views.kei, check.kei, check.vehicle);
  renderImport(views.import, check.import, check.date);
  renderCost(views.cost, check);
  offerEntryDate(check);
  form.describeChosen(check.catalog);
  showBanner('answer', check.provenance);
  showProvenance(check.provenance);
}

// Above the answer (`which`: 'answer') or the map ('map'): whether the answer came from a scenario, never
// to be taken for the law. Hidden for the law as it stands (or no answer).
function showBanner(which, provenance) {
  bannerProvenance[which] = provenance;
  const node = banners[which];
  const notice = scenarioNotice(provenance, scenarios);
  node.hidden = !notice;
  if (notice) replace(node, h('strong', {}, HYPOTHETICAL), ` ${noticeRest(notice)}`);
  else replace(node);
}

async function loadStates(date, signal) {
  mapController?.abort();
  mapController = new AbortController();
  const both = signal ? AbortSignal.any([signal, mapController.signal]) : mapController.signal;
  const body = await getJson('states', apiQuery('states', question, { date }), { signal: both });
  await map.update(body, question.state);
  showBanner('map', body.provenance);
  showSectionReady(views.states);
}

// The slider: months from 2025-01 to 2035-12 (widened to hold the question's date, the map's and the first
// day of road entry), at the map's date.
function setSlider() {
  const { min, max } = sliderRange([question.date, question.map_date, entryDate]);
  slider.min = String(min);
  slider.max = String(max);
  slider.value = String(monthIndex(question.map_date ?? question.date) ?? min);
  $('#map-date-min').textContent = monthLabel(monthFromIndex(min));
  $('#map-date-max').textContent = monthLabel(monthFromIndex(max));
  labelSlider(question.map_date ?? question.date);
}

function labelSlider(day) {
  $('#map-date-label').textContent = `${monthLabel(day)} (${day})`;
  slider.setAttribute('aria-valuetext', `${monthLabel(day)}, ${day}`);
}

// Show the map for another day: the slider's month, or the first day of road entry.
function showMapDate(day) {
  question = { ...question, map_date: day === question.date ? undefined : day };
  history.replaceState(null, '', `${location.pathname}${searchFromQuestion(question)}`);
  updateShare();
  slider.value = String(monthIndex(day));
  labelSlider(day);
  showSectionLoading(views.states);
  loadStates(day).catch((error) => {
    if (error.name !== 'AbortError') showSectionError(views.states, errorSentence(error));
  });
}

slider.addEventListener('input', () => {
  const day = sliderDate(Number(slider.value), question.date);
  labelSlider(day);
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(() => showMapDate(day), SLIDER_DELAY_MS);
});

// When it may enter for road use only later than the date asked about, the map offers that day.
function offerEntryDate(check) {
  const earliest = check.import?.earliest_road_entry?.date;
  entryDate = earliest && earliest > check.date ? earliest : null;
  const button = $('#entry-jump');
  button.hidden = !entryDate;
  if (!entryDate) return;
  button.textContent = `Show the law on ${entryDate}, the first day it may enter for road use`;
  const { max } = sliderRange([question.date, question.map_date, entryDate]);
  slider.max = String(max);
  $('#map-date-max').textContent = monthLabel(monthFromIndex(max));
}

$('#entry-jump').addEventListener('click', () => {
  if (entryDate) showMapDate(entryDate);
});

function updateShare() {
  const link = `${location.origin}${location.pathname}${searchFromQuestion(question)}`;
  $('#share').hidden = false;
  $('#share-link').value = link;
  $('#copy-status').textContent = '';
}

$('#copy-link').addEventListener('click', async () => {
  const input = $('#share-link');
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch {
    input.select();
    copied = document.execCommand?.('copy') ?? false;
  }
  $('#copy-status').textContent = copied ? 'Link copied.' : 'Select the link and copy it (Ctrl+C or ⌘C).';
});

function showProvenance(p, { fromAnswer = true } = {}) {
  if (!p || (!fromAnswer && provenanceShown)) return;
  provenanceShown ||= fromAnswer;
  $('#provenance').textContent = `keipath ${p.program_version} · rule base ${p.rule_base_hash} · scenario ${p.scenario}`;
}

function showExamples() {
  replace($('#examples'), EXAMPLES.map((e) => h('li', {},
    h('a', { href: `${location.pathname}${searchFromQuestion({ ...e.query, date: todayIso() })}` }, e.text))));
}

function fromLocation() {
  const linked = questionFromSearch(location.search);
  const ignored = unknownKeys(location.search);
  $('#link-note').hidden = ignored.length === 0;
  $('#link-note').textContent = `This link had parameters the page does not know, so they were left out: ${ignored.join(', ')}.`;
  if (hasVehicle(linked) || linked.state) {
    ask(withDate(linked));
  } else {
    form.fill({ date: todayIso(), scenario: linked.scenario });
    question = {};
    $('#intro').hidden = false;
  }
}

window.addEventListener('popstate', fromLocation);
showExamples();
fromLocation();
// The scenarios fill the law select (a shared link's is kept chosen); without them it offers only the law as
// it stands, and every question still works.
getJson('health').then((body) => {
  scenarios = Array.isArray(body.scenarios) ? body.scenarios : [];
  form.setScenarios(scenarios);
  for (const which of Object.keys(banners)) showBanner(which, bannerProvenance[which]);
  showProvenance(body.provenance, { fromAnswer: false });
}, () => form.setScenarios([], { known: false }));

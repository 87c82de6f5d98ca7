// Policy scenarios: the bundled files of dated overrides a question may be asked under (`scenario=ID`), as
// /api/health lists them ({id, name, description}). An answer says which produced it in
// `provenance.scenario` (the scenario's name, or "baseline"), and the page says so wherever it shows one,
// so nobody takes a scenario for the law.

export const BASELINE = 'baseline';
export const LAW_AS_IT_STANDS = 'The law as it stands';

// The scenario of a list that an id ('us_small_vehicle_class') or a name ('us-small-vehicle-class') names.
export function findScenario(scenarios, key) {
  if (!key || !Array.isArray(scenarios)) return null;
  return scenarios.find((s) => s.id === key || s.name === key) ?? null;
}

// A description without its own leading "Hypothetical:" (the page marks it), starting with a capital.
export function plainDescription(description) {
  const text = String(description ?? '').trim().replace(/^hypothetical\s*[:.,-]\s*/i, '');
  return text === '' ? '' : text[0].toUpperCase() + text.slice(1);
}

// The select's text for a scenario: "Hypothetical: from 2027-07-01 the US creates …".
export function scenarioOptionLabel(scenario) {
  const description = plainDescription(scenario.description);
  const what = description === '' ? `the scenario “${scenario.name ?? scenario.id}”`
    : description[0].toLowerCase() + description.slice(1);
  return `Hypothetical: ${what}`;
}

// The select's text for an id the server did not list: not listed yet (health still asking or failed), or
// not one of this server's (`known`: the list arrived).
export function unlistedOptionLabel(id, known) {
  return known ? `“${id}”: not a scenario of this server` : `Hypothetical: the scenario “${id}”`;
}

// What to say above an answer: null for the law as it stands, else {name, description} of the scenario
// that produced it (the description when the list has it, else '').
export function scenarioNotice(provenance, scenarios) {
  const name = provenance?.scenario;
  if (!name || name === BASELINE) return null;
  const scenario = findScenario(scenarios, name);
  return { name, description: plainDescription(scenario?.description) };
}

// The notice as one sentence: "Hypothetical: answered under the scenario “us-small-vehicle-class”, not the
// law as it stands. From 2027-07-01 the US creates …" (the page shows HYPOTHETICAL in bold, then the rest).
export const HYPOTHETICAL = 'Hypothetical:';

export function noticeRest(notice) {
  const first = `answered under the scenario “${notice.name}”, not the law as it stands.`;
  if (!notice.description) return first;
  return `${first} ${notice.description}${/[.!?]$/.test(notice.description) ? '' : '.'}`;
}

export function noticeSentence(notice) {
  return `${HYPOTHETICAL} ${noticeRest(notice)}`;
}

// The 50 states and DC (code, name, the FIPS id us-atlas gives each shape), and how the page shows a
// state's answer from /api/states: the road-use status in words and colour, whether its confidence is low,
// and its road limits as short phrases.

export const STATES = [
  ['AL', 'Alabama', '01'], ['AK', 'Alaska', '02'], ['AZ', 'Arizona', '04'], ['AR', 'Arkansas', '05'],
  ['CA', 'California', '06'], ['CO', 'Colorado', '08'], ['CT', 'Connecticut', '09'], ['DE', 'Delaware', '10'],
  ['DC', 'District of Columbia', '11'], ['FL', 'Florida', '12'], ['GA', 'Georgia', '13'], ['HI', 'Hawaii', '15'],
  ['ID', 'Idaho', '16'], ['IL', 'Illinois', '17'], ['IN', 'Indiana', '18'], ['IA', 'Iowa', '19'],
  ['KS', 'Kansas', '20'], ['KY', 'Kentucky', '21'], ['LA', 'Louisiana', '22'], ['ME', 'Maine', '23'],
  ['MD', 'Maryland', '24'], ['MA', 'Massachusetts', '25'], ['MI', 'Michigan', '26'], ['MN', 'Minnesota', '27'],
  ['MS', 'Mississippi', '28'], ['MO', 'Missouri', '29'], ['MT', 'Montana', '30'], ['NE', 'Nebraska', '31'],
  ['NV', 'Nevada', '32'], ['NH', 'New Hampshire', '33'], ['NJ', 'New Jersey', '34'], ['NM', 'New Mexico', '35'],
  ['NY', 'New York', '36'], ['NC', 'North Carolina', '37'], ['ND', 'North Dakota', '38'], ['OH', 'Ohio', '39'],
  ['OK', 'Oklahoma', '40'], ['OR', 'Oregon', '41'], ['PA', 'Pennsylvania', '42'], ['RI', 'Rhode Island', '44'],
  ['SC', 'South Carolina', '45'], ['SD', 'South Dakota', '46'], ['TN', 'Tennessee', '47'], ['TX', 'Texas', '48'],
  ['UT', 'Utah', '49'], ['VT', 'Vermont', '50'], ['VA', 'Virginia', '51'], ['WA', 'Washington', '53'],
  ['WV', 'West Virginia', '54'], ['WI', 'Wisconsin', '55'], ['WY', 'Wyoming', '56'],
].map(([code, name, fips]) => ({ code, name, fips }));

const BY_FIPS = new Map(STATES.map((s) => [s.fips, s]));

// The state a us-atlas feature id ('39', or 39) stands for; undefined for the territories.
export function stateForFips(id) {
  return BY_FIPS.get(String(id).padStart(2, '0'));
}

// The five road-use statuses of /api/states, in the legend's order, each with its words, its colour (a
// diverging scale from "may drive" to "may not", unknown in grey; distinct in lightness for greyscale) and
// the ink that reads on that colour.
export const STATUSES = [
  { id: 'unrestricted', label: 'May be driven', colour: '#1b7837', ink: '#ffffff' },
  { id: 'restricted', label: 'May be driven, with limits', colour: '#a6dba0', ink: '#111111' },
  { id: 'unknown', label: 'Not known', colour: '#d9d9d9', ink: '#111111' },
  { id: 'off_road_only', label: 'Off-road only', colour: '#f4a582', ink: '#111111' },
  { id: 'prohibited', label: 'May not be registered', colour: '#b2182b', ink: '#ffffff' },
];

const BY_STATUS = new Map(STATUSES.map((s) => [s.id, s]));

export function statusInfo(status) {
  return BY_STATUS.get(status) ?? { id: status, label: String(status), colour: '#ffffff', ink: '#111111' };
}

// Low confidence is marked on the map (hatched) and in the list. "Unstated" is not: it is the answer for a
// vehicle no state rule covers (an off-road import), whose reason is federal law, not a doubtful state rule.
export function isLowConfidence(confidence) {
  return confidence === 'low';
}

export function confidenceText(confidence) {
  return confidence === 'unstated' || !confidence ? 'confidence not stated' : `${confidence} confidence`;
}

// A state answer's road limits as short phrases: ['roads posted ≤ 35 mph', 'no interstates', ...].
export function limitPhrases(limits) {
  if (!limits) return [];
  const out = [];
  if (limits.max_posted_mph != null) {
    out.push(`roads posted ≤ ${limits.max_posted_mph} mph${limits.may_cross ? ' (may cross faster ones)' : ''}`);
  }
  if (limits.no_interstate) out.push('no interstates');
  if (limits.no_limited_access) out.push('no limited-access highways');
  if (limits.no_divided) out.push('no divided highways');
  if (limits.no_highways) out.push('no highways');
  if (limits.governor_mph != null) out.push(`governed to ${limits.governor_mph} mph`);
  if (limits.daylight_only) out.push('daylight only');
  if (limits.farm_use_only) out.push('farm use only');
  if (limits.collector_plates_only) out.push('collector plates only');
  if (limits.local_ordinance) out.push('where a local ordinance allows');
  return out;
}

// The one-line description a map shape and its list row carry for screen readers and the tooltip title.
export function stateAriaLabel(answer) {
  const info = statusInfo(answer.status);
  return `${answer.name}: ${info.label.toLowerCase()} (${confidenceText(answer.confidence)})`;
}

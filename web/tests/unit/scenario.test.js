import { describe, expect, it } from 'vitest';
import {
  findScenario, noticeSentence, plainDescription, scenarioNotice, scenarioOptionLabel, unlistedOptionLabel,
} from '../../src/scenario.js';

// As /api/health lists them.
const SCENARIOS = [
  { id: 'example_longer_kei', name: 'example-longer-kei', description: 'Hypothetical: kei vehicles may be 3,600 mm long from 2027-04-01 until 2030-03-31' },
  { id: 'us_small_vehicle_class', name: 'us-small-vehicle-class', description: 'Hypothetical: from 2027-07-01 the US creates a small-vehicle class for kei-sized vehicles governed to 55 mph' },
];

describe('scenarios', () => {
  it('finds a scenario by its id (the query parameter) or its name (the provenance)', () => {
    expect(findScenario(SCENARIOS, 'us_small_vehicle_class')).toBe(SCENARIOS[1]);
    expect(findScenario(SCENARIOS, 'us-small-vehicle-class')).toBe(SCENARIOS[1]);
    expect(findScenario(SCENARIOS, 'baseline')).toBeNull();
    expect(findScenario(null, 'us_small_vehicle_class')).toBeNull();
  });

  it('marks every option as hypothetical, once', () => {
    expect(scenarioOptionLabel(SCENARIOS[1])).toBe('Hypothetical: from 2027-07-01 the US creates a small-vehicle class for kei-sized vehicles governed to 55 mph');
    expect(scenarioOptionLabel({ id: 'x', name: 'x-name', description: 'Kei cars may be longer' })).toBe('Hypothetical: kei cars may be longer');
    expect(scenarioOptionLabel({ id: 'x', name: 'x-name', description: '' })).toBe('Hypothetical: the scenario “x-name”');
    expect(unlistedOptionLabel('us_small_vehicle_class', false)).toMatch(/^Hypothetical: the scenario “us_small_vehicle_class”$/);
    expect(unlistedOptionLabel('nope', true)).toBe('“nope”: not a scenario of this server');
    expect(plainDescription('hypothetical - longer kei')).toBe('Longer kei');
  });

  it('says nothing for the law as it stands, and names the scenario of any other answer', () => {
    expect(scenarioNotice({ scenario: 'baseline' }, SCENARIOS)).toBeNull();
    expect(scenarioNotice(undefined, SCENARIOS)).toBeNull();
    const notice = scenarioNotice({ scenario: 'us-small-vehicle-class' }, SCENARIOS);
    expect(noticeSentence(notice)).toBe('Hypothetical: answered under the scenario “us-small-vehicle-class”, not the law as it stands. '
      + 'From 2027-07-01 the US creates a small-vehicle class for kei-sized vehicles governed to 55 mph.');
    // Before (or without) /api/health's list: the name alone.
    expect(noticeSentence(scenarioNotice({ scenario: 'us-small-vehicle-class' }, []))).toBe(
      'Hypothetical: answered under the scenario “us-small-vehicle-class”, not the law as it stands.');
  });
});

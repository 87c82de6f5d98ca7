import { describe, expect, it } from 'vitest';
import { apiQuery, hasVehicle, questionFromSearch, searchFromQuestion, unknownKeys, QUESTION_KEYS } from '../../src/query.js';

describe('share links', () => {
  it('reads the known keys of a query string, trimmed, and drops empty and unknown ones', () => {
    expect(questionFromSearch('?model=Carry&chassis=DA16T&state=OH&date=2026-12-02&price_jpy=500000&colour=red&built=')).toEqual({
      model: 'Carry', chassis: 'DA16T', state: 'OH', date: '2026-12-02', price_jpy: '500000',
    });
    expect(questionFromSearch('?model=%20Acty%20Truck%20')).toEqual({ model: 'Acty Truck' });
  });

  it('names the keys it does not know', () => {
    expect(unknownKeys('?model=Carry&pricejpy=5&colour=red&colour=blue')).toEqual(['pricejpy', 'colour']);
    expect(unknownKeys('?model=Carry&map_date=2028-01-01')).toEqual([]);
  });

  it('writes the keys in a fixed order, skipping empty values', () => {
    const search = searchFromQuestion({ price_jpy: '500000', state: 'OH', model: 'Carry', chassis: 'DA16T', built: '', date: '2026-12-02' });
    expect(search).toBe('?model=Carry&chassis=DA16T&state=OH&date=2026-12-02&price_jpy=500000');
    expect(searchFromQuestion({})).toBe('');
  });

  it('carries the scenario a question is asked under, after the date', () => {
    const link = '?model=Sakura&built=2024-04&gross_mass_kg=1300&state=CO&date=2027-08-01&scenario=us_small_vehicle_class';
    const question = questionFromSearch(link);
    expect(question).toEqual({
      model: 'Sakura', built: '2024-04', gross_mass_kg: '1300', state: 'CO', date: '2027-08-01', scenario: 'us_small_vehicle_class',
    });
    expect(unknownKeys(link)).toEqual([]);
    expect(searchFromQuestion(question)).toBe(link);
    expect(searchFromQuestion({ price_jpy: '1', scenario: 'example_longer_kei', date: '2027-05-01', model: 'Carry' }))
      .toBe('?model=Carry&date=2027-05-01&scenario=example_longer_kei&price_jpy=1');
    // The law as it stands is no scenario at all, not an empty parameter.
    expect(searchFromQuestion({ model: 'Carry', scenario: ' ' })).toBe('?model=Carry');
  });

  it('round-trips every key, including values that need escaping', () => {
    const question = Object.fromEntries(QUESTION_KEYS.map((k, i) => [k, `v${i} & /?=`]));
    expect(questionFromSearch(searchFromQuestion(question))).toEqual(question);
  });
});

describe('API queries', () => {
  const question = { model: 'Carry', chassis: 'DA16T', built: '2014-06', length_mm: '-5', state: 'OH', date: '2026-12-02', price_jpy: '500000', years: '5', map_date: '2028-01-01' };

  it('sends /api/check the vehicle, state, date, price and cost assumptions', () => {
    expect(apiQuery('check', question)).toBe('model=Carry&chassis=DA16T&built=2014-06&length_mm=-5&state=OH&date=2026-12-02&price_jpy=500000&years=5');
  });

  it('sends /api/states and /api/safety only what they accept', () => {
    expect(apiQuery('states', question)).toBe('model=Carry&chassis=DA16T&built=2014-06&length_mm=-5&date=2026-12-02');
    expect(apiQuery('safety', question)).not.toMatch(/state=|price_jpy|years|map_date/);
  });

  it('lets the map ask about another date', () => {
    expect(apiQuery('states', question, { date: '2028-01-01' })).toMatch(/date=2028-01-01$/);
  });

  it('sends the scenario to every endpoint, and none for the law as it stands', () => {
    const asked = { ...question, scenario: 'us_small_vehicle_class' };
    for (const endpoint of ['check', 'states', 'safety']) {
      expect(new URLSearchParams(apiQuery(endpoint, asked)).get('scenario'), endpoint).toBe('us_small_vehicle_class');
      expect(apiQuery(endpoint, question), endpoint).not.toMatch(/scenario/);
    }
    expect(apiQuery('check', asked)).toBe('model=Carry&chassis=DA16T&built=2014-06&length_mm=-5&state=OH&date=2026-12-02&scenario=us_small_vehicle_class&price_jpy=500000&years=5');
    expect(apiQuery('states', asked, { date: '2028-01-01' })).toMatch(/date=2028-01-01&scenario=us_small_vehicle_class$/);
    expect(apiQuery('catalog', { search: 'sakura', scenario: 'us_small_vehicle_class' })).toBe('search=sakura&scenario=us_small_vehicle_class');
    expect(apiQuery('catalog', { search: 'sakura', scenario: '' })).toBe('search=sakura');
  });

  it('sends cost assumptions only with a price', () => {
    expect(apiQuery('check', { model: 'Carry', state: 'OH', years: '5', freight: 'container' })).toBe('model=Carry&state=OH');
  });

  it('refuses an endpoint it does not know', () => {
    expect(() => apiQuery('nope', question)).toThrow(/no such endpoint/);
  });

  it('knows when a question names a vehicle', () => {
    expect(hasVehicle({ model: 'Carry' })).toBe(true);
    expect(hasVehicle({ body: 'truck', length_mm: '3395' })).toBe(true);
    expect(hasVehicle({ state: 'OH' })).toBe(false);
  });
});

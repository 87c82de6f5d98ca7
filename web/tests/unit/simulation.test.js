import { describe, expect, test } from 'vitest';
import {
  adoptionIn, bandText, binOf, headlineRows, lawSentence, mapBins, parameterLabel, quantity, tornadoRows, yearIndex,
} from '../../src/simulation.js';

// A small /api/simulate document: three years, two states.
const sim = {
  first_year: 2034,
  last_year: 2036,
  draws: 10,
  seed: 1,
  national: {
    kei_sales: { unit: 'vehicles', p05: [0, 1000, 2000], p50: [0, 12345, 20000], p95: [0, 2.5e6, 3e6] },
    co2: { unit: 't', p05: [0, -5e6, -6e6], p50: [0, -123456, -2e5], p95: [0, 1e5, 2e5] },
  },
  adoption: {
    TX: { name: 'Texas', kei_per_1000_vehicles: [0, 12.5, 20], kei_sales: [0, 4000, 5000] },
    AK: { name: 'Alaska', kei_per_1000_vehicles: [0, 3, 4], kei_sales: [0, 40, 50] },
  },
  tornado: [
    { metric: 'kei_sales', year: 2035, parameter: 'fleet.kei.access_elasticity', at_point: 1, at_low: 2, at_high: 0.5, swing: 1.5 },
    { metric: 'kei_sales', year: 2035, parameter: 'fleet.kei.reference_share', at_point: 1, at_low: 0.1, at_high: 9, swing: 8.9 },
    { metric: 'co2', year: 2035, parameter: 'fleet.kei.reference_share', at_point: 1, at_low: 0, at_high: 2, swing: 2 },
  ],
  law: [{ year: 2035, pathway: 'small_class', bev_only: true, import_age: 25,
    new_kei_car_states: { restricted: 51, prohibited: 0 }, new_kei_truck_states: { restricted: 50, prohibited: 1 } }],
};

describe('the policy page arithmetic', () => {
  test('years outside the run have no index', () => {
    expect(yearIndex(sim, 2035)).toBe(1);
    expect(yearIndex(sim, 2030)).toBeNull();
    expect(yearIndex(sim, 2040)).toBeNull();
  });

  test('quantities read as people write them, signed when asked', () => {
    expect(quantity(12345)).toBe('12.3 k');
    expect(quantity(-2.5e9)).toBe('−2.5 bn');
    expect(quantity(3e6, { signed: true })).toBe('+3 M');
    expect(quantity(0, { signed: true })).toBe('0');
    expect(quantity(0.123, { unit: 'share' })).toBe('12.3 %');
    expect(quantity(null)).toBe('–');
    expect(bandText({ p05: 1000, p50: 12345, p95: 2.5e6 })).toBe('+12.3 k (+1000 to +2.5 M)');
  });

  test('the headline table has the years of the run and the metrics the answer has', () => {
    const { years, rows } = headlineRows(sim, [2030, 2035, 2036]);
    expect(years).toEqual([2035, 2036]);
    expect(rows.map((r) => r.id)).toEqual(['kei_sales', 'co2']);
    expect(rows[1].cells[0]).toBe('−123 k (−5 M to +100 k)');
  });

  test('the tornado lists the largest swing first, for the metric and year asked', () => {
    const rows = tornadoRows(sim, 'kei_sales', 2035);
    expect(rows.map((r) => r.parameter)).toEqual(['fleet.kei.reference_share', 'fleet.kei.access_elasticity']);
    expect(tornadoRows(sim, 'kei_sales', 2050)).toEqual([]);
    expect(parameterLabel('fleet.kei.reference_share')).toBe('kei reference share');
    expect(parameterLabel('fleet.segment.kei_car.price_usd')).toBe('kei car price usd');
    expect(parameterLabel('fleet.road_access_table')).toMatch(/road table/);
  });

  test('map bins run from 0 to a round top, and each value falls in one', () => {
    const bins = mapBins([12.5, 3, 20]);
    expect(bins).toEqual([0, 4, 8, 12, 16, 20]);
    expect(binOf(0, bins)).toBe(0);
    expect(binOf(20, bins)).toBe(4);
    expect(binOf(4, bins)).toBe(0);
    expect(binOf(4.5, bins)).toBe(1);
    expect(mapBins([0, 0])).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('adoption by state in a year, and the law in words', () => {
    expect(adoptionIn(sim, 2035)).toEqual([
      { code: 'AK', name: 'Alaska', per1000: 3, sales: 40 },
      { code: 'TX', name: 'Texas', per1000: 12.5, sales: 4000 },
    ]);
    expect(lawSentence(sim, 2035)).toBe('2035: a US kei (small-vehicle) class, battery-electric only; states for new kei cars: 51 restricted; for kei trucks: 50 restricted, 1 prohibited; used imports at 25 years');
    expect(lawSentence(sim, 2030)).toBe('');
  });
});

describe('the charts of an area', () => {
  test('the nation draws from national, a state from its own series', async () => {
    const { seriesOf } = await import('../../src/simulation.js');
    const doc = { national: { co2: 1 }, states: { TX: { co2: 2 } } };
    expect(seriesOf(doc, 'US')).toEqual({ co2: 1 });
    expect(seriesOf(doc, 'TX')).toEqual({ co2: 2 });
    expect(seriesOf(doc, 'ZZ')).toEqual({});
  });
});

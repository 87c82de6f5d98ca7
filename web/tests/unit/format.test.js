import { describe, expect, it } from 'vitest';
import {
  monthFromIndex, monthIndex, monthLabel, percent, ratio, sliderDate, sliderRange, todayIso, usd, usdWhole, withInterval, yen,
} from '../../src/format.js';

describe('money', () => {
  it('formats exact cents', () => {
    expect(usd(740988)).toBe('$7,409.88');
    expect(usd(-328258)).toBe('-$3,282.58');
    expect(usd(0)).toBe('$0.00');
    expect(usdWhole(740988)).toBe('$7,410');
    expect(yen(500000)).toBe('¥500,000');
  });
});

describe('risks', () => {
  it('keeps two significant digits for small probabilities', () => {
    expect(percent(0.0943)).toBe('9.4 %');
    expect(percent(0.31195)).toBe('31 %');
    expect(percent(0.00355)).toBe('0.36 %');
    expect(percent(0)).toBe('0 %');
    expect(percent(0.0943, false)).toBe('9.4');
  });

  it('writes ratios and intervals with the unit once per end', () => {
    expect(ratio(1.9542)).toBe('1.95×');
    expect(ratio(12.34)).toBe('12.3×');
    expect(withInterval({ mean: 1.9542, lo: 1.8198, hi: 2.4732 }, ratio)).toBe('1.95× (1.82–2.47×)');
    expect(withInterval({ mean: 0.0943, lo: 0.0471, hi: 0.2174 }, percent)).toBe('9.4 % (4.7–22 %)');
  });
});

describe('months', () => {
  it('counts months and back', () => {
    expect(monthIndex('2025-01')).toBe(2025 * 12);
    expect(monthIndex('2027-12-31')).toBe(2027 * 12 + 11);
    expect(monthFromIndex(2027 * 12 + 11)).toBe('2027-12');
    expect(monthIndex('2025-13')).toBeNull();
    expect(monthIndex('soon')).toBeNull();
    expect(monthLabel('2028-01-01')).toBe('Jan 2028');
  });

  it('spans 2025-01 to 2035-12, widened to hold the date', () => {
    expect(sliderRange(['2026-12-02'])).toEqual({ min: monthIndex('2025-01'), max: monthIndex('2035-12') });
    expect(sliderRange(['2026-12-02', '2040-03-01']).max).toBe(monthIndex('2040-03'));
    expect(sliderRange(['2020-03-01', undefined]).min).toBe(monthIndex('2020-03'));
    expect(sliderRange(['nonsense'])).toEqual({ min: monthIndex('2025-01'), max: monthIndex('2035-12') });
  });

  it('asks about the 1st of a month, or the question’s own day in its month', () => {
    expect(sliderDate(monthIndex('2028-01'), '2026-12-02')).toBe('2028-01-01');
    expect(sliderDate(monthIndex('2026-12'), '2026-12-02')).toBe('2026-12-02');
  });

  it('gives today as a calendar date', () => {
    expect(todayIso(new Date(2026, 1, 3))).toBe('2026-02-03');
  });
});

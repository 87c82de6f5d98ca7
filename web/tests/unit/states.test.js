import { describe, expect, it } from 'vitest';
import { STATES, STATUSES, confidenceText, isLowConfidence, limitPhrases, stateAriaLabel, stateForFips, statusInfo } from '../../src/states.js';

describe('states', () => {
  it('has the 50 states and DC, each code and FIPS id once', () => {
    expect(STATES).toHaveLength(51);
    expect(new Set(STATES.map((s) => s.code)).size).toBe(51);
    expect(new Set(STATES.map((s) => s.fips)).size).toBe(51);
    expect(stateForFips('39').code).toBe('OH');
    expect(stateForFips(8).code).toBe('CO');
    expect(stateForFips('72')).toBeUndefined(); // Puerto Rico is not asked about
  });

  it('words and colours each status, distinctly', () => {
    expect(STATUSES.map((s) => s.id)).toEqual(['unrestricted', 'restricted', 'unknown', 'off_road_only', 'prohibited']);
    expect(new Set(STATUSES.map((s) => s.colour)).size).toBe(5);
    expect(statusInfo('off_road_only').label).toBe('Off-road only');
    expect(statusInfo('unrestricted').ink).toBe('#ffffff');
    expect(statusInfo('mystery').label).toBe('mystery');
  });

  it('marks low confidence only', () => {
    expect(isLowConfidence('low')).toBe(true);
    expect(isLowConfidence('unstated')).toBe(false);
    expect(isLowConfidence('high')).toBe(false);
    expect(isLowConfidence('medium')).toBe(false);
    expect(confidenceText('unstated')).toBe('confidence not stated');
    expect(confidenceText('high')).toBe('high confidence');
  });

  it('says the road limits in words', () => {
    expect(limitPhrases({ max_posted_mph: 55, may_cross: true, no_limited_access: true, no_interstate: true })).toEqual([
      'roads posted ≤ 55 mph (may cross faster ones)', 'no interstates', 'no limited-access highways',
    ]);
    expect(limitPhrases({ max_posted_mph: null, local_ordinance: true, governor_mph: 25 })).toEqual([
      'governed to 25 mph', 'where a local ordinance allows',
    ]);
    expect(limitPhrases(null)).toEqual([]);
  });

  it('labels a state for screen readers', () => {
    expect(stateAriaLabel({ name: 'Ohio', status: 'restricted', confidence: 'medium' })).toBe('Ohio: may be driven, with limits (medium confidence)');
  });
});

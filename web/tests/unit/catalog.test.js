import { describe, expect, it } from 'vitest';
import { catalogDetail, catalogLabel, chassisParam, stripField } from '../../src/form.js';

describe('catalog entries', () => {
  const carry = { make: 'Suzuki', model: 'Carry', chassis: 'DA16T', body: 'truck', produced_from: '2013-08', produced_to: null, length_mm: 3395, width_mm: 1475, height_mm: 1765, displacement_cc: 658 };

  it('names and describes an entry', () => {
    expect(catalogLabel(carry)).toBe('Suzuki Carry DA16T');
    expect(catalogLabel({ make: 'Honda', model: 'Beat' })).toBe('Honda Beat');
    expect(catalogDetail(carry)).toBe('truck · 2013-08 to now · 3,395 × 1,475 × 1,765 mm · 658 cc');
    expect(catalogDetail({ body: 'van', produced_from: '1999-01', produced_to: '2002-04' })).toBe('van · 1999-01 to 2002-04');
  });

  it('asks for an entry listed under several chassis codes by its first', () => {
    expect(chassisParam('HA6/HA7')).toBe('HA6');
    expect(chassisParam('DA16T')).toBe('DA16T');
    expect(chassisParam(undefined)).toBe('');
  });
});

describe('problem messages', () => {
  it('drop the field name the page shows itself', () => {
    expect(stripField({ input: 'length_mm', message: 'vehicle.length_mm: -5 is not a length in mm' })).toBe('-5 is not a length in mm');
    expect(stripField({ input: 'date', message: "date: '2026-02-30' is not a calendar date" })).toBe("'2026-02-30' is not a calendar date");
    expect(stripField({ input: 'km_per_l', message: '--km-per-l: give the cycle' })).toBe('give the cycle');
    expect(stripField({ input: 'state', message: 'the fuel economy is not known: give km_per_l' })).toBe('the fuel economy is not known: give km_per_l');
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError, errorSentence, inputNameForField, problemsOf } from '../../src/errors.js';

describe('API errors', () => {
  it('names the input of a field', () => {
    expect(inputNameForField('vehicle.length_mm')).toBe('length_mm');
    expect(inputNameForField('--km-per-l')).toBe('km_per_l');
    expect(inputNameForField('date')).toBe('date');
    expect(inputNameForField(null)).toBeNull();
  });

  it('lists every problem, each with its field (the body’s when a problem names none)', () => {
    const body = {
      error: "date: '2026-02-30' is not a calendar date",
      field: 'date',
      problems: [{ message: "date: '2026-02-30' is not a calendar date" }],
    };
    expect(problemsOf(body)).toEqual([{ field: 'date', input: 'date', message: "date: '2026-02-30' is not a calendar date" }]);
    const two = {
      error: 'vehicle.length_mm: -5 is not a length', field: 'vehicle.length_mm',
      problems: [{ field: 'vehicle.length_mm', message: 'vehicle.length_mm: -5 is not a length' }, { field: 'vehicle.seats', message: 'vehicle.seats: 0' }],
    };
    expect(problemsOf(two).map((p) => p.input)).toEqual(['length_mm', 'seats']);
  });

  it('reads a body without problems, and the CLI’s option key', () => {
    expect(problemsOf({ error: 'no price', option: '--price-jpy' })).toEqual([{ field: '--price-jpy', input: 'price_jpy', message: 'no price' }]);
    expect(problemsOf(null)).toEqual([]);
  });

  it('words network failures and missing endpoints', () => {
    expect(errorSentence(new ApiError({ endpoint: '/api/check', network: true, message: 'Failed to fetch' }))).toMatch(/Could not reach/);
    expect(errorSentence(new ApiError({ status: 404, endpoint: '/api/check', body: { error: 'not found' } }))).toBe('This server has no /api/check yet (404).');
    expect(errorSentence(new ApiError({ status: 400, endpoint: '/api/check', body: { error: 'state: required', field: 'state' } }))).toBe('state: required');
  });
});

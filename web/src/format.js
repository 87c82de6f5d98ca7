// Plain formatting of the API's quantities (money in exact cents, probabilities, ratios) and the month
// arithmetic of the map's date slider. Pure functions: the unit tests pin them.

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usdWholeFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// 740988 -> "$7,409.88"; a negative amount keeps its sign ("-$3,282.58").
export function usd(cents) {
  return usdFormat.format(cents / 100);
}

// 740988 -> "$7,410" (chart labels).
export function usdWhole(cents) {
  return usdWholeFormat.format(Math.round(cents / 100));
}

// 500000 -> "¥500,000"
export function yen(amount) {
  return `¥${integerFormat.format(amount)}`;
}

// 0.0943 -> "9.4 %"; small values keep two significant digits (0.00355 -> "0.36 %"). `unit` false drops " %".
export function percent(p, unit = true) {
  const value = p * 100;
  const digits = value === 0 ? 0 : Math.abs(value) >= 10 ? 0 : Math.abs(value) >= 1 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ' %' : ''}`;
}

// 1.954 -> "1.95×"; `unit` false drops the "×".
export function ratio(r, unit = true) {
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}${unit ? '×' : ''}`;
}

// A value with its interval, the unit written twice: "9.4 % (4.7–22 %)", "1.95× (1.82–2.47×)".
export function withInterval(interval, format) {
  return `${format(interval.mean)} (${format(interval.lo, false)}–${format(interval.hi)})`;
}

// Today's calendar date in the visitor's time zone, YYYY-MM-DD.
export function todayIso(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Months since year 0: '2025-01' (or '2025-01-17') -> 24300. null for text that is not YYYY-MM[-DD].
export function monthIndex(text) {
  const match = /^(\d{4})-(\d{2})(?:-\d{2})?$/.exec(String(text ?? ''));
  if (!match) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return Number(match[1]) * 12 + (month - 1);
}

// 24300 -> '2025-01'
export function monthFromIndex(index) {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

// '2027-12' or '2027-12-31' -> 'Dec 2027'
export function monthLabel(text) {
  const index = monthIndex(text);
  if (index === null) return String(text);
  return `${MONTHS[index % 12]} ${Math.floor(index / 12)}`;
}

// The slider's range: 2025-01 .. 2035-12, widened to hold each of `dates` (the question's, the map's, the
// first day of road entry) that is a date.
export function sliderRange(dates, first = '2025-01', last = '2035-12') {
  let min = monthIndex(first);
  let max = monthIndex(last);
  for (const at of dates.map(monthIndex).filter((i) => i !== null)) {
    min = Math.min(min, at);
    max = Math.max(max, at);
  }
  return { min, max };
}

// The day the map asks about for a slider month: the question's own date in its own month, else the 1st
// (so a law that takes effect on the 1st shows in the month it takes effect).
export function sliderDate(index, questionDate) {
  if (monthIndex(questionDate) === index && /^\d{4}-\d{2}-\d{2}$/.test(questionDate)) return questionDate;
  return `${monthFromIndex(index)}-01`;
}

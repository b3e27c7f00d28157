// @ts-check
// Every date, time, number, distance and coordinate the client shows goes through here, so they read the same on
// every screen. Times are Vietnam's (Asia/Ho_Chi_Minh, UTC+7 all year) whatever the device's time zone: a commune
// leader's phone set to another zone still sees the hour the province means. Vietnamese conventions by default
// (dd/MM/yyyy HH:mm, 1.234,5); in English the en conventions (2 Dec 2026, 14:39; 1,234.5), same zone.

/** @typedef {'vi' | 'en'} Lang */

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Vietnam's offset: +07:00, no daylight saving. */
const OFFSET = '+07:00';

/** @type {Lang} */
let current = 'vi';
/** Which language the functions below use when none is given (the i18n module sets it). */
export function useLanguage(/** @type {Lang} */ lang) { current = lang; }

/** @param {Lang} lang */
export const localeOf = (lang) => (lang === 'en' ? 'en-GB' : 'vi-VN');

/** @type {Map<string, Intl.DateTimeFormat>} */
const dateFormats = new Map();
/** @param {Lang} lang @param {boolean} time */
function dateFormat(lang, time) {
  const key = `${lang}${time}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'en-US', {
      timeZone: TIME_ZONE, year: 'numeric', month: lang === 'en' ? 'short' : '2-digit', day: lang === 'en' ? 'numeric' : '2-digit',
      ...(time ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    dateFormats.set(key, f);
  }
  return f;
}

/** @param {string | number | Date | null | undefined} value */
function toDate(value) {
  if (value == null || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** @param {Date} d @param {Lang} lang @param {boolean} time */
function partsOf(d, lang, time) {
  /** @type {Record<string, string>} */
  const p = {};
  for (const { type, value } of dateFormat(lang, time).formatToParts(d)) p[type] = value;
  return p;
}

/**
 * An instant as Vietnam's wall clock: "02/12/2026 14:39" (vi), "2 Dec 2026, 14:39" (en). Not a date: its text
 * unchanged (empty for null).
 * @param {string | number | Date | null | undefined} value
 * @param {Lang} [lang]
 */
export function dateTime(value, lang = current) {
  const d = toDate(value);
  if (!d) return value == null ? '' : String(value);
  const p = partsOf(d, lang, true);
  return lang === 'en' ? `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}` : `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/**
 * A date: "02/12/2026" (vi), "2 Dec 2026" (en). A calendar day ("2026-12-02") is that day, with no time-zone
 * shift; an instant is its day in Vietnam.
 * @param {string | number | Date | null | undefined} value
 * @param {Lang} [lang]
 */
export function date(value, lang = current) {
  const day = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = day ? new Date(`${value}T12:00:00${OFFSET}`) : toDate(value);
  if (!d) return value == null ? '' : String(value);
  const p = partsOf(d, lang, false);
  return lang === 'en' ? `${p.day} ${p.month} ${p.year}` : `${p.day}/${p.month}/${p.year}`;
}

/** "2026-12-02T14:39" in Vietnam, for a datetime-local input (the current time when none is given). */
export function toLocalInput(/** @type {string | number | Date} */ value = new Date()) {
  const d = toDate(value);
  if (!d) return '';
  const p = partsOf(d, 'vi', true);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * ISO 8601 in Vietnam's offset ("2026-12-02T14:39:00+07:00") from a datetime-local value, which is read as
 * Vietnam's wall clock (as the page shows every time); null when empty or not a time.
 * @param {string | null | undefined} local
 */
export function fromLocalInput(local) {
  if (!local || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const iso = `${local.length === 16 ? `${local}:00` : local}${OFFSET}`;
  return Number.isNaN(new Date(iso).getTime()) ? null : iso;
}

/** @type {Map<string, Intl.NumberFormat>} */
const numberFormats = new Map();
/**
 * A number with the language's separators: 1.234,5 (vi), 1,234.5 (en); `digits` fixed decimals (none by default).
 * @param {number | null | undefined} value
 * @param {number} [digits]
 * @param {Lang} [lang]
 */
export function number(value, digits = 0, lang = current) {
  if (value == null || Number.isNaN(Number(value))) return '';
  const key = `${lang}${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(Number(value));
}

/**
 * A distance in kilometres: "15,5 km" (one decimal).
 * @param {number | null | undefined} km
 * @param {Lang} [lang]
 */
export const kilometres = (km, lang = current) => (km == null ? '' : `${number(km, 1, lang)} km`);

/**
 * A length given in metres: "15,7 km" from 1 km up, else whole metres ("850 m").
 * @param {number | null | undefined} m
 * @param {Lang} [lang]
 */
export const length = (m, lang = current) =>
  (m == null ? '' : m >= 1000 ? kilometres(m / 1000, lang) : `${number(Math.round(m), 0, lang)} m`);

/**
 * A position as "lat, lon" with fixed decimals (5 ≈ 1 m) and a decimal point in both languages, as maps and
 * GPS devices write coordinates (a decimal comma would run into the comma between the two).
 * @param {number} lat
 * @param {number} lon
 * @param {number} [digits]
 */
export const coordinates = (lat, lon, digits = 5) => `${Number(lat).toFixed(digits)}, ${Number(lon).toFixed(digits)}`;

/**
 * How long ago, in words ("5 phút trước" / "5 minutes ago"; under a minute: "this minute").
 * @param {string | number | Date} value
 * @param {Lang} [lang]
 * @param {number} [now]
 */
export function ago(value, lang = current, now = Date.now()) {
  const d = toDate(value);
  if (!d) return '';
  const seconds = Math.max(0, (now - d.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(localeOf(lang), { numeric: 'auto' });
  if (seconds < 60) return rtf.format(0, 'minute');
  if (seconds < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86400), 'day');
}

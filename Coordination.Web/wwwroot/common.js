// @ts-check
// The bridge for the features not yet split into modules (offices.js, floods.js, alerts.js): the names they import
// from here, now served by the shared modules (shared/*.js), and where their strings are. New code imports the
// shared modules directly.

import { table } from './shared/i18n.js';

export { $, el, nfc } from './shared/dom.js';
export { lang, t, fmt, locale, onLanguage } from './shared/i18n.js';
export { getJson, api } from './shared/api.js';
export { problemText, fieldError } from './shared/problems.js';
export { dateTime } from './shared/format.js';
export { session } from './shared/session.js';

/** The strings of the loaded features by language (the merged tables: offices.js reads STRINGS[lang].officeKinds). */
export const STRINGS = { vi: table('strings', 'vi'), en: table('strings', 'en') };

/** Offices, shelters, hazard zones and floods (offices.js, floods.js): loaded with the map. */
export const OFFICES_STRINGS = {
  vi: new URL('./offices/strings.vi.json', import.meta.url), en: new URL('./offices/strings.en.json', import.meta.url),
};
/** SMS alerts and subscribers (alerts.js): loaded with it, after sign-in. */
export const ALERTS_STRINGS = {
  vi: new URL('./alerts/strings.vi.json', import.meta.url), en: new URL('./alerts/strings.en.json', import.meta.url),
};

/**
 * ISO 8601 with the browser's offset ("2025-11-23T18:00:00+07:00") from a datetime-local value.
 * @param {string | null | undefined} local
 */
export function withOffset(local) {
  if (!local) return null;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return null;
  const off = -d.getTimezoneOffset();
  const pad = (/** @type {number} */ n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}

// @ts-check
// The words of offices, shelters and floods that need no page (pure: the unit tests call them with the strings
// files): a shelter's occupancy, why an office is exposed, the name of a new flood and the floods already declared,
// and the refusals of the offices and floods API by their code. Numbers, distances and dates go through
// shared/format.js.

import { fmt, lookup } from '../shared/i18n.js';
import { dateTime, length, number } from '../shared/format.js';
import { nfc } from '../shared/dom.js';
import { problemText } from '../shared/problems.js';

// ------------------------------------------------------------ a shelter's occupancy


/**
 * The properties of an office (GET /api/offices/{id}, a feature of GET /api/offices) that this module reads.
 * @typedef {{ id?: number, isShelter?: boolean, shelterCapacity?: number | null, shelterOccupancy?: number | null,
 *   occupancyUpdatedAt?: string | null }} ShelterProps
 */
/** @typedef {{ occupancyOf: string, occupancyOnly: string, occupancyUnknown: string, overCapacityBy: string }} OccupancyStrings */

/** Whether a shelter holds more people than it has room for. */
export const isOverCapacity = (/** @type {ShelterProps} */ p) =>
  Boolean(p.isShelter) && p.shelterCapacity != null && (p.shelterOccupancy ?? 0) > p.shelterCapacity;

/**
 * The short count of a shelter in a list: "120/200", "–/200", "35/–"; null for an office that is no shelter or a
 * shelter with neither number known.
 * @param {ShelterProps} p
 * @param {'vi' | 'en'} [lang]
 */
export function shortCount(p, lang = undefined) {
  if (!p.isShelter || (p.shelterOccupancy == null && p.shelterCapacity == null)) return null;
  const n = (/** @type {number | null | undefined} */ v) => (v == null ? '–' : number(v, 0, lang));
  return `${n(p.shelterOccupancy)}/${n(p.shelterCapacity)}`;
}

/**
 * The shelter card's count line and over-capacity line, for `now` people (null: not counted yet).
 * @param {number | null} now
 * @param {number | null | undefined} capacity
 * @param {OccupancyStrings} s
 * @param {'vi' | 'en'} [lang]
 * @returns {{ count: string, over: string | null }}
 */
export function occupancyLines(now, capacity, s, lang = undefined) {
  if (now == null) return { count: s.occupancyUnknown, over: null };
  const count = capacity != null ? fmt(s.occupancyOf, number(now, 0, lang), number(capacity, 0, lang)) : fmt(s.occupancyOnly, number(now, 0, lang));
  return { count, over: capacity != null && now > capacity ? fmt(s.overCapacityBy, number(now - capacity, 0, lang)) : null };
}

/** A count of people as typed (a whole number from 0, at most six digits), or null. */
export function parseCount(/** @type {unknown} */ text) {
  const v = String(text ?? '').trim();
  return /^\d{1,6}$/.test(v) ? Number(v) : null;
}

// ------------------------------------------------------------ exposure


/**
 * One exposure reason of an office (GET /api/offices/{id}: properties.reasons[]).
 * @typedef {{ reason: 'inside_zone' | 'near_zone' | 'inside_event' | string, hazard?: string, zoneName?: string,
 *   distanceM?: number | null, depthClass?: string | null, returnPeriodYears?: number | null, layerName?: string | null,
 *   layerIsSample?: boolean, eventName?: string, eventActive?: boolean, eventStartedAt?: string | null,
 *   eventEndedAt?: string | null }} ExposureReason
 */

/**
 * One exposure reason in words, from a strings table (offices/strings.<lang>.json).
 * @param {ExposureReason} r
 * @param {import('../shared/i18n.js').Table} strings
 * @param {'vi' | 'en'} [lang]
 */
export function reasonText(r, strings, lang = undefined) {
  const t = (/** @type {string} */ key, /** @type {unknown[]} */ ...args) => lookup(strings, key, args);
  const hazards = /** @type {Record<string, string>} */ (strings.hazards ?? {});
  const hazard = hazards[r.hazard ?? ''] ?? nfc(r.hazard);
  if (r.reason === 'inside_event') {
    const when = r.eventActive ? t('eventActive') : r.eventEndedAt ? t('eventEnded', dateTime(r.eventEndedAt, lang)) : t('eventPast');
    const started = r.eventStartedAt ? t('eventStarted', dateTime(r.eventStartedAt, lang)) : null;
    return `${t('reasonEvent', nfc(r.eventName))} (${[started, when].filter(Boolean).join(', ')})`;
  }
  const parts = [r.reason === 'near_zone' ? t('reasonNear', hazard, nfc(r.zoneName), length(r.distanceM ?? 0, lang))
    : t('reasonInside', hazard, nfc(r.zoneName))];
  const details = [];
  if (r.depthClass) details.push(t('depth', nfc(r.depthClass)));
  if (r.returnPeriodYears) details.push(t('returnPeriod', number(r.returnPeriodYears, 0, lang)));
  if (details.length) parts[0] += ` (${details.join(', ')})`;
  if (r.layerName) parts.push(t('reasonLayer', nfc(r.layerName)) + (r.layerIsSample ? ` ${t('sample')}` : ''));
  return parts.join(' — ');
}

// ------------------------------------------------------------ floods


/**
 * The name a new flood gets: data everyone reads, so Vietnamese in either language ("Lũ xã Châu Khê 22/07/2025").
 * @param {string} template  floodNameDefault of the Vietnamese strings ("Lũ {0} {1}")
 * @param {{ kind?: string, name?: string }} commune
 * @param {string} day  the date, written the Vietnamese way (format.date(…, 'vi'))
 */
export const floodName = (template, commune, day) =>
  fmt(template, `${nfc(commune.kind).toLowerCase()} ${nfc(commune.name)}`.trim(), day);

/**
 * A 409 of POST /api/flood-events whose `activeEvents` fact lists the ongoing floods of the chosen communes.
 * @param {{ communeCode: string, name: string }[]} known
 * @param {(code: string) => string} communeLabel
 * @param {import('../shared/i18n.js').Table} strings
 */
export const activeFloodText = (known, communeLabel, strings) =>
  known.map((a) => lookup(strings, 'floodAlready', [communeLabel(a.communeCode), nfc(a.name)])).join(' ');

// ------------------------------------------------------------ refusals
// The refusals of the offices and floods API in words: by the problem's code (offices/problems.<lang>.json, loaded
// with the feature), else the feature's own sentence for each field a 400 names (the field's name, never its
// message), else the shared sentence for the status (shared/problems.js). Never the server's English.


/**
 * @param {import('../shared/api.js').ApiResult | import('../shared/api.js').Problem} r
 * @param {Record<string, string>} [fieldTexts]  field → sentence (e.g. officeInvalid)
 * @param {Record<number, string>} [statuses]  a sentence of this screen for a status (e.g. 403)
 */
export function refusal(r, fieldTexts = {}, statuses = undefined) {
  return problemText(r, {
    statuses,
    fields: (field) => {
      const key = Object.keys(fieldTexts).find((k) => k.toLowerCase() === field.toLowerCase());
      return key ? fieldTexts[key] : null;
    },
  });
}

/** A failed call's result (network down, request refused before an answer): status 0. */
export const offline = () => /** @type {import('../shared/api.js').ApiResult} */ ({ ok: false, status: 0, data: null, problem: { status: 0 }, retryAfter: null });

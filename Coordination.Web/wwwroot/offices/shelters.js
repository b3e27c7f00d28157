// @ts-check
// A shelter's occupancy in words (pure: no DOM, no API; the unit tests call these). The numbers go through
// shared/format.js, the texts come from offices/strings.<lang>.json.

import { fmt } from '../shared/i18n.js';
import { number } from '../shared/format.js';

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

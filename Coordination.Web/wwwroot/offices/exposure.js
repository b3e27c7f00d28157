// @ts-check
// Why an office is exposed, in words (pure but for the loaded strings: the unit tests pass their own tables).

import { lookup } from '../shared/i18n.js';
import { dateTime, length, number } from '../shared/format.js';
import { nfc } from '../shared/dom.js';

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

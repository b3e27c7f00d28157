// @ts-check
// The words of declaring a flood (pure: the unit tests call these with their own tables).

import { fmt, lookup } from '../shared/i18n.js';
import { nfc } from '../shared/dom.js';

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

// @ts-check
// Mutual aid's words: labels, amounts with their units, a refusal of the API in words (by its problem code, see
// problems.*.json), the API's codes of hazards and urgencies. Pure helpers over the loaded strings.

import { nfc } from '../shared/dom.js';
import { fmt, table, lang } from '../shared/i18n.js';
import { problemText, fieldError, registerFacts } from '../shared/problems.js';
import { date, number as formatNumber } from '../shared/format.js';

/** The API's codes (GET /api/enums): hazards and urgencies offered on a request, in the API's order. */
export let HAZARDS = /** @type {string[]} */ ([]);
export let URGENCIES = /** @type {string[]} */ ([]);
/** Takes the codes from GET /api/enums. */
export function setEnums(/** @type {{ hazards: string[], urgencies: string[] }} */ enums) {
  HAZARDS = enums.hazards;
  URGENCIES = enums.urgencies;
}
/** Most urgent first: the API lists urgencies in that order. */
export const urgencyRank = (/** @type {string} */ u) => { const i = URGENCIES.indexOf(u); return i < 0 ? 9 : i; };

/** The loaded strings of the page language (aid's groups are nested objects). */
export const S = () => /** @type {any} */ (table('strings'));
/** The label of a code in a group of aid's strings, else the code. */
export const word = (/** @type {string} */ group, /** @type {string} */ key) => S()[group]?.[key] ?? nfc(key);
export const number = (/** @type {number} */ v) => formatNumber(v);

/**
 * A resource type of GET /api/resource-types, or a line or pledge carrying the same names.
 * @typedef {{ code?: string, pillar?: string, nameVi?: string, nameEn?: string, unitVi?: string, unitEn?: string,
 *   returnable?: boolean, persons?: boolean, maxPerLine?: number | null }} ResourceType
 */

/** A type's name in the page language. */
export const typeName = (/** @type {ResourceType | null | undefined} */ x) => nfc(x ? (lang === 'vi' ? x.nameVi : x.nameEn) : '');
/** The unit; English units are plural ("boats"), so one of them drops the s ("1 boat"). Vietnamese has no plural. */
export const unitOf = (/** @type {ResourceType | null | undefined} */ x, /** @type {number} */ n = 0) => {
  const unit = nfc(x ? (lang === 'vi' ? x.unitVi : x.unitEn) : '');
  return lang === 'en' && n === 1 ? unit.replace(/s$/, '') : unit;
};
/** "6 chiếc" / "6 boats". */
export const amount = (/** @type {number} */ n, /** @type {ResourceType | null | undefined} */ x) => `${number(n)} ${unitOf(x, n)}`.trim();
/**
 * An amount and its type: "4/6 chiếc Thuyền, xuồng"; in English "4/6 boats" when the unit already names the type
 * (never "5 boats Boat"), else "20 persons of militia (dân quân)".
 * @param {string} text
 * @param {ResourceType | null | undefined} x
 */
export function ofType(text, x) {
  const name = typeName(x);
  if (lang === 'vi') return `${text} ${name}`;
  const unit = nfc(x?.unitEn ?? '').toLowerCase().replace(/s$/, '');
  return unit && name.toLowerCase().startsWith(unit) ? text : `${text} of ${name.toLowerCase()}`;
}
export const empty = () => ({ type: 'FeatureCollection', features: [] });
export const codeOf = (/** @type {string | number} */ id) => String(id).padStart(5, '0');
/** A calendar day ("2025-11-23", an agreement's validity): "23/11/2025". */
export const day = (/** @type {string} */ iso) => date(iso);
/** A notification's text in the page language. */
export const textOf = (/** @type {{ textVi?: string, textEn?: string }} */ n) => nfc(lang === 'vi' ? n.textVi : n.textEn);

/**
 * A field the API rejected, in words: lines[2].quantity → "Dòng 3: …" (the key is the API's field path, not prose).
 * @param {string} key
 * @param {string[] | string} messages
 */
export function fieldText(key, messages) {
  const inv = S().aidInvalid ?? {};
  const m = /^lines\[(\d+)\]\.(\w+)$/.exec(key);
  if (m) return fmt(S().aidLineN, Number(m[1]) + 1, inv[m[2]] ?? fieldError(m[2], messages));
  const k = Object.keys(inv).find((x) => x.toLowerCase() === String(key).toLowerCase());
  return k ? inv[k] : fieldError(key, messages);
}

// The facts of aid's problem codes that are codes themselves, in words (problems.<lang>.json has the sentences).
registerFacts({
  'aid.pledge.state': { state: (v) => word('aidPledgeStatus', String(v)) },
  'aid.request.state': { state: (v) => word('aidSummary', String(v)) },
  'aid.request.not_open': { state: (v) => word('aidSummary', String(v)) },
  'aid.help_report.state': { state: (v) => word('helpStatus', String(v)) },
});

/** A refusal of the API in words: by its problem code (aid/problems.*.json), field errors, else the generic text. */
export const aidProblem = (/** @type {import('../shared/api.js').ApiResult} */ r) => problemText(r, { fields: fieldText });

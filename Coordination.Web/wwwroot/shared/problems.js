// @ts-check
// A refusal of the API in the page's words, by its code — never by reading the server's English prose.
//
// PROBLEM FILES. Each feature folder may hold problems.vi.json and problems.en.json, loaded with the feature
// (i18n.useProblems). Each is ONE FLAT JSON OBJECT: problem code → template. A template's {name} placeholders are
// filled from the problem's extension members of that name (its "facts"); numbers are written the language's way
// and a feature may give a fact a label (see registerFacts). Example:
//   { "aid.pledge.state": "Đề nghị #{pledgeId} hiện đã ở trạng thái «{state}»: việc này không làm được nữa." }
// Codes are the API's `code` extension (a 400's per-field codes come as `fieldCodes: { field: [code…] }` and are
// looked up in the same tables). To add or rename a code, edit both files of the feature that shows it.
//
// Without a known code: a 400 names the fields it rejects (a feature's field texts, else "«field» is not valid");
// any other status gets a generic sentence of its own (shared strings `problemStatus`), never the server's detail.

import { table, lang, fmt, nfc } from './i18n.js';
import { number } from './format.js';

/** @typedef {import('./api.js').Problem} Problem */
/** @typedef {import('./api.js').ApiResult} ApiResult */
/** @typedef {Record<string, unknown>} Table */
/** @typedef {(value: unknown, problem: Problem) => string} FactLabel */
/**
 * @typedef {{
 *   problems: Table,
 *   strings: Record<string, unknown>,
 *   facts?: Record<string, Record<string, FactLabel>>,
 *   fields?: (field: string, messages: string[]) => string | null,
 *   statuses?: Record<number, string>,
 *   lang?: 'vi' | 'en',
 * }} Context
 */

/** @type {Record<string, Record<string, FactLabel>>} code → fact → label */
const factLabels = {};

/**
 * Lets a feature word a fact of its codes, e.g. a pledge state as its label:
 * registerFacts({ 'aid.pledge.state': { state: (v) => word('aidPledgeStatus', v) } }).
 * @param {Record<string, Record<string, FactLabel>>} labels
 */
export function registerFacts(labels) {
  for (const [code, facts] of Object.entries(labels)) factLabels[code] = { ...factLabels[code], ...facts };
}

/**
 * Fills {name} placeholders of a template from a problem's members.
 * @param {string} template
 * @param {Problem} problem
 * @param {Record<string, FactLabel>} [labels]
 * @param {'vi' | 'en'} [language]
 */
export function fillTemplate(template, problem, labels = {}, language = 'vi') {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    const value = problem[name];
    if (labels[name]) return labels[name](value, problem);
    // Identifiers (…Id) and row numbers are names, not amounts: no thousands separator.
    if (typeof value === 'number' && (name.endsWith('Id') || name === 'row')) return String(value);
    if (typeof value === 'number') return number(value, Number.isInteger(value) ? 0 : 1, language);
    return value == null ? '' : nfc(value);
  });
}

/**
 * Normalises what callers pass: an api() result or a bare problem.
 * @param {ApiResult | Problem | null | undefined} r
 * @returns {{ status: number, problem: Problem }}
 */
function normalise(r) {
  if (r && 'problem' in r && 'ok' in r) {
    const res = /** @type {ApiResult} */ (r);
    return { status: res.status, problem: res.problem ?? { status: res.status } };
  }
  const problem = /** @type {Problem} */ (r ?? {});
  return { status: Number(problem.status ?? 0), problem };
}

/** Codes that only say "some fields are wrong": the fields' own words are said instead when the problem names them. */
const CONTAINER_CODES = new Set(['request.invalid', 'request.malformed']);

/** The generic sentence key of a status. */
const statusKey = (/** @type {number} */ status) =>
  (status >= 500 ? '5xx' : [0, 400, 401, 403, 404, 409, 413, 422, 423, 429].includes(status) ? String(status) : 'other');

/**
 * The words for one field: per-field codes when the API sends them, else the feature's text for the field name,
 * else a sentence naming the field.
 * @param {string} field
 * @param {string[]} messages
 * @param {Problem} problem
 * @param {Context} ctx
 */
function fieldText(field, messages, problem, ctx) {
  const codes = problem.fieldCodes?.[field] ?? problem.fieldCodes?.[Object.keys(problem.fieldCodes ?? {}).find((k) => k.toLowerCase() === field.toLowerCase()) ?? ''];
  const worded = (/** @type {string[]} */ list) => list.map((c) => ctx.problems[c]).filter((x) => typeof x === 'string')
    .map((x) => fillTemplate(/** @type {string} */ (x), problem, {}, ctx.lang));
  // A capability's own field code says it all; the kernel's generic ones (field.*) only say why, so the field's own
  // words come first and the generic sentence is prefixed with the field's name.
  const specific = worded((codes ?? []).filter((c) => !c.startsWith('field.')));
  if (specific.length) return specific.join(' ');
  const own = ctx.fields?.(field, messages);
  if (own) return own;
  const invalid = /** @type {Record<string, string> | undefined} */ (ctx.strings.invalid);
  const key = invalid && Object.keys(invalid).find((k) => k.toLowerCase() === field.toLowerCase());
  if (key && invalid) return invalid[key];
  const generic = worded((codes ?? []).filter((c) => c.startsWith('field.')));
  if (generic.length) return `«${field}»: ${generic.join(' ')}`;
  return fmt(ctx.strings.problemField ?? '«{0}»', field);
}

/**
 * A problem's text from explicit tables (pure: the unit tests call it; problemText() passes the loaded tables).
 * @param {ApiResult | Problem | null | undefined} r
 * @param {Context} ctx
 */
export function describeProblem(r, ctx) {
  const { status, problem } = normalise(r);
  const code = typeof problem.code === 'string' ? problem.code : null;
  const template = code && !(status === 400 && CONTAINER_CODES.has(code) && (problem.errors || problem.fieldCodes)) ? ctx.problems[code] : undefined;
  if (typeof template === 'string') return fillTemplate(template, problem, { ...ctx.facts?.[code ?? ''] }, ctx.lang);
  if (ctx.statuses?.[status]) return ctx.statuses[status];
  const errors = problem.errors ?? (problem.fieldCodes ? Object.fromEntries(Object.keys(problem.fieldCodes).map((k) => [k, []])) : null);
  if (status === 400 && errors && Object.keys(errors).length) {
    return Object.entries(errors).map(([field, m]) => fieldText(field, [].concat(/** @type {any} */ (m)).map(String), problem, ctx)).join(' ');
  }
  const statuses = /** @type {Record<string, string>} */ (ctx.strings.problemStatus ?? {});
  return fmt(statuses[statusKey(status)] ?? statuses.other ?? `HTTP ${status}`, status);
}

/**
 * A problem's text in the page language, from the problem files loaded so far.
 * @param {ApiResult | Problem | null | undefined} r  an api() result or a bare problem
 * @param {{ fields?: Context['fields'], statuses?: Context['statuses'] }} [options]  a feature's own field
 *   texts (field, messages) → text | null, and its own sentence for a status (e.g. 403 on its screen)
 */
export function problemText(r, options = {}) {
  if (/** @type {any} */ (r)?.queued) return /** @type {string} */ (table('strings').queuedOffline ?? '');
  return describeProblem(r, {
    problems: table('problems'), strings: table('strings'), facts: factLabels, lang, ...options,
  });
}

/**
 * One sentence per wrong row of a refused file (the problem's rowProblems: row, code, column, value), in row order;
 * a row whose code has no words here is still named (shared string problemRow), never dropped.
 * @param {ApiResult | Problem | null | undefined} r
 * @returns {string[] | null}  null when the problem names no rows
 */
export function rowProblemTexts(r) {
  return describeRows(r, { problems: table('problems'), strings: table('strings'), lang });
}

/**
 * rowProblemTexts from explicit tables (pure, for the unit tests).
 * @param {ApiResult | Problem | null | undefined} r
 * @param {Context} ctx
 */
export function describeRows(r, ctx) {
  const { problem } = normalise(r);
  const rows = /** @type {Array<Record<string, unknown>> | undefined} */ (problem.rowProblems);
  if (!Array.isArray(rows) || rows.length === 0) return null;
  return rows.map((row) => {
    const template = ctx.problems[String(row.code)];
    if (typeof template === 'string') return fillTemplate(template, /** @type {Problem} */ (row), {}, ctx.lang);
    return fmt(/** @type {string} */ (ctx.strings.problemRow ?? 'Dòng {0} chưa hợp lệ.'), row.row);
  });
}

/** The sentence for one rejected field (field texts of the shared `invalid` group, else naming the field). */
export function fieldError(/** @type {string} */ field, /** @type {string[] | string} */ messages) {
  return fieldText(field, [].concat(/** @type {any} */ (messages)).map(String), {}, { problems: table('problems'), strings: table('strings'), lang });
}

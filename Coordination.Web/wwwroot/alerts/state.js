// @ts-check
// What the modules of the alerts feature share: the signed-in user's view (app.st), the page's parts and the
// hooks each module fills (render, drawMap, the composer once loaded), the API's codes (GET /api/enums), the
// strings of the `sms` group, commune names as learnt, and the wording of refusals by their code.

import { el, nfc } from '../shared/dom.js';
import { table, fmt } from '../shared/i18n.js';
import { api, call as callApi } from '../shared/api.js';
import { problemText } from '../shared/problems.js';
import { amount, fold, phoneRefusal } from './text.js';

/** @typedef {import('./text.js').Alert} Alert */
/** @typedef {import('./text.js').Template} Template */
/** @typedef {import('./text.js').Preview} Preview */
/** @typedef {import('../shared/api.js').ApiResult} ApiResult */
/**
 * The SMS gateway (GET /api/sms/gateway).
 * @typedef {{ configured: boolean, mode: string, from?: string | null, messagingServiceSid?: string | null,
 *   maxSegmentsPerSecond: number, allowFreeText: boolean, localGateways?: { name: string, messagesPerMinute: number }[],
 *   gatewayPrefixes?: string[], messagesPerMinute?: number | null }} Gateway
 */
/**
 * A subscriber (GET /api/subscribers).
 * @typedef {{ id: number, phone: string, communes: string[], prefersFolded: boolean, testGroup: boolean,
 *   consentSource: string, consentAt: string, consentBy?: string | null, optedOut: boolean, optedOutAt?: string | null,
 *   note?: string | null, createdAt: string, updatedAt: string }} Subscriber
 */
/**
 * One SMS of the log (GET /api/alerts/{id}/messages, GET /api/subscribers/{id}/messages).
 * @typedef {{ id: number, alertId: number, round: number, phone: string, status: string, folded: boolean,
 *   segments: number, attempts: number, errorCode?: number | null, errorMessage?: string | null, updatedAt: string }} SmsLog
 */
/**
 * The codes of GET /api/enums this feature offers.
 * @typedef {{ capStatuses: string[], capCategories: string[], capUrgencies: string[], capSeverities: string[],
 *   capCertainties: string[], capMsgTypes: string[], smsStatuses: string[] }} Enums
 */
/** @typedef {{ code: string, name: string, key?: string }} CommuneItem */
/** @typedef {{ text: string, error?: boolean }} Message */
/**
 * The signed-in user's view of the feature.
 * @typedef {{ user: import('../shared/session.js').User, sender: boolean, tab: string,
 *   scope: CommuneItem[] | null, gateway: Gateway | null, templates: Template[] | null, form: any,
 *   alerts: Alert[] | null, stateFilter: string, alertId: number | null, detail: Alert | null, log: SmsLog[] | null,
 *   logStatus: string, logMore: boolean, pollTimer: any, pollCount: number, message: Message | null, subs: any,
 *   loaded: boolean, searchTimer: any }} State
 */

export const app = {
  /** @type {{ map: any, mapReady: Promise<unknown>, fitBox?: Function, bounds?: Function, onOpen?: () => void }} */
  ctx: /** @type {any} */ (null),
  /** @type {any} the MapLibre map */
  map: null,
  /** @type {Promise<unknown>} */
  mapReady: Promise.resolve(),
  /** @type {State | null} the signed-in user's view; null when signed out */
  st: null,
  /** @type {HTMLElement} the panel (#alerts) */
  panel: /** @type {any} */ (null),
  /** @type {Record<string, any>} boxes re-rendered on their own */
  refs: {},
  /** @type {Enums} */
  enums: { capStatuses: [], capCategories: [], capUrgencies: [], capSeverities: [], capCertainties: [], capMsgTypes: [], smsStatuses: [] },
  /** @type {(options?: { force?: boolean }) => void} */
  render: () => {},
  /** @type {() => void} */
  drawMap: () => {},
  /** @type {() => void} */
  renderMessage: () => {},
  /** @type {(open: boolean, options?: { remember?: boolean }) => void} */
  setOpen: () => {},
  /** @type {(s: State) => Promise<void>} */
  loadTab: async () => {},
  /** @type {import('./composer.js') | null} the composer, loaded for alert senders only */
  composer: null,
};

/** The `sms` strings of the page language. */
export const S = () => /** @type {Record<string, any>} */ (table('strings').sms ?? {});
/** A text of the `sms` strings, {0}… filled. */
export const T = (/** @type {string} */ key, /** @type {unknown[]} */ ...args) => fmt(S()[key] ?? key, ...args);
/** The label of a code in a group of the `sms` strings, else the code. */
export const word = (/** @type {string} */ group, /** @type {unknown} */ key) => S()[group]?.[String(key)] ?? nfc(key);
/** A quantity the language's way, at most `digits` decimals. */
export const number = (/** @type {number} */ v, digits = 0) => amount(v, digits);
export { fold };
export const codeOf = (/** @type {unknown} */ id) => String(id).padStart(5, '0');
export const empty = () => ({ type: 'FeatureCollection', features: /** @type {any[]} */ ([]) });
/** replaceChildren without the nulls of optional parts (the DOM would print them as "null"). */
export const put = (/** @type {Element} */ node, /** @type {any[]} */ ...children) =>
  node.replaceChildren(...children.flat().filter((c) => c != null && c !== false && c !== ''));
/** Whether the panel is open on a tab. */
export const visible = (/** @type {string} */ tab) => Boolean(app.st && !app.panel.hidden && app.st.tab === tab);

/** @type {Map<string, string>} commune code → name, as learnt */
const names = new Map();
export const learn = (/** @type {string} */ code, /** @type {unknown} */ name) => { if (code && name) names.set(code, nfc(name)); };
export const nameOf = (/** @type {string} */ code) => names.get(code) ?? code;

/** @param {State} s @param {string | null} text */
export function say(s, text, error = false) { s.message = text ? { text, error } : null; }

/**
 * A field of a 400 in words, by the field's name (never its message): the `sms.fields` sentence; the phone
 * number the user typed, read for why; a cancellation that repeats its alert's instruction.
 * @param {string} field
 * @param {{ phone?: string, form?: any, missing?: string[] }} [known]  what the user typed, the composer's form and
 *   the template's own placeholders it left empty
 */
export function fieldText(field, known = {}) {
  const key = field.toLowerCase();
  const sayApi = (/** @type {string} */ k, /** @type {unknown[]} */ ...args) => fmt(S().api?.[k] ?? k, ...args);
  if (key === 'phone' && known.phone != null) return sayApi(phoneRefusal(known.phone), nfc(known.phone).trim());
  if (key === 'values' && known.missing?.length) return sayApi('needValues', known.missing.join(', '));
  if (key === 'instruction' && known.form?.msgType === 'Cancel' && known.form.references != null) return sayApi('cancelRepeatsInstruction', known.form.references);
  const fields = /** @type {Record<string, string>} */ (S().fields ?? {});
  const own = Object.keys(fields).find((k) => k.toLowerCase() === key || key.startsWith(`${k.toLowerCase()}.`) || key.startsWith(`${k.toLowerCase()}[`));
  return own ? fields[own] : null;
}

/**
 * A refusal of the API in words, by its code (alerts/problems.<lang>.json), else the feature's sentence for each
 * field of a 400, else the status's sentence (a 403 the feature's own).
 * @param {ApiResult} r
 * @param {{ phone?: string, form?: any, missing?: string[] }} [known]
 */
export const problemOf = (r, known = {}) =>
  problemText(r, { fields: (field) => fieldText(field, known), statuses: { 403: T('forbidden') } });

/** An API call that answers a network failure with status 0 instead of throwing. */
export const call = (/** @type {string} */ url, method = 'POST', /** @type {unknown} */ body = {}) => callApi(url, { method, body });

/** GET a JSON resource; a refusal throws an Error worded by its code. */
export async function fetchJson(/** @type {string} */ url) {
  const r = await api(url);
  if (!r.ok) throw new Error(problemOf(r));
  return r.data;
}

/** A paragraph (muted) for the simplest states. */
export const muted = (/** @type {string} */ text) => el('p', { class: 'muted' }, text);

// @ts-check
// The words of SMS alerts that need no page (pure: the unit tests call them with the strings files): durations,
// what a preview costs, what became of a sent alert, how an alert ended, a template's placeholders, the request
// body of the composer, the drawn circle, and why a phone number typed by the user was refused.

import { lookup } from '../shared/i18n.js';
import { number } from '../shared/format.js';
import { nfc } from '../shared/dom.js';

/** @typedef {import('../shared/i18n.js').Table} Table  the `sms` group of alerts/strings.<lang>.json */
/** @typedef {'vi' | 'en'} Lang */
/**
 * What one message costs (PreviewDto.message / messageFolded).
 * @typedef {{ characters: number, encoding: string, segments: number, perSegment: number }} MessageCost
 */
/**
 * POST /api/alerts/preview.
 * @typedef {{ recipients: number, recipientsFolded: number, testGroupOnly: boolean,
 *   communes: { code: string, name: string, provinceCode: string }[], body: string, bodyFolded: string, fold: boolean,
 *   message: MessageCost, messageFolded: MessageCost, segmentsPerRound: number, totalSegments: number,
 *   maxSegmentsPerSecond: number, estimatedSeconds: number | null, gatewayConfigured: boolean,
 *   requiresSecondApprover: boolean, repeatEveryMinutes: number | null, rounds: number, longMessage: boolean,
 *   maxSegmentsPerMessage: number, msgType: string, ends: { id: number, headline: string, event: string, queuedWithdrawn: number } | null,
 *   routes?: Route[] }} Preview
 */
/**
 * One way the recipients leave (PreviewDto.routes): the local Android gateways together (SMS/min) or Twilio (segments/s).
 * @typedef {{ via: 'gateway' | 'twilio', recipients: number, segmentsPerRound: number, configured: boolean, gateways: number,
 *   perMinute: number | null, perSecond: number | null, estimatedSeconds: number | null }} Route
 */
/**
 * The progress of an alert's messages (AlertDto.progress, GET /api/alerts/{id}/progress).
 * @typedef {{ total: number, queued: number, sent: number, delivered: number, failed: number, optedOut: number,
 *   withdrawn: number, rounds: number, gatewayConfigured: boolean, notSentReason: string | null }} Progress
 */
/**
 * An alert (GET /api/alerts/{id}, an item of GET /api/alerts).
 * @typedef {{ id: number, identifier: string, status: string, msgType: string, references: number | null, state: string,
 *   category: string, event: string, urgency: string, severity: string, certainty: string, headline: string,
 *   description: string | null, instruction: string | null, effective: string, expires: string, body: string,
 *   bodyFolded: string, fold: boolean, templateId: number | null, templateRef: string | null,
 *   communes: { code: string, name: string }[], area: number[][][] | null,
 *   circle: { lat: number, lon: number, radiusKm: number } | null, repeatEveryMinutes: number | null,
 *   riskLevel: number | null, nextRoundAt: string | null, createdBy: string, createdAt: string,
 *   approvedBy: string | null, approvedAt: string | null, endedReason: string | null, endedAt: string | null,
 *   progress: Progress }} Alert
 */
/**
 * A registered message template (GET /api/sms-templates).
 * @typedef {{ id: number, name: string, registrationRef: string, text: string, active: boolean, kind?: string,
 *   placeholders: string[] }} Template
 */

/** Placeholders the API fills itself; any other placeholder of a template needs a value from the sender. */
export const AUTO = new Set(['communes', 'event', 'headline', 'instruction', 'time', 'expires']);
/** Above this many SMS per recipient the preview warns (the API says so with longMessage). */
export const LONG_SEGMENTS = 3;

/** A text of the `sms` table, {0}… filled. */
const say = (/** @type {Table} */ s, /** @type {string} */ key, /** @type {unknown[]} */ ...args) => lookup(s, key, args);

/**
 * A quantity with at most `digits` decimals, the language's way: 10 → "10", 2.5 → "2,5" (vi).
 * @param {number | null | undefined} v @param {number} [digits] @param {Lang} [lang]
 */
export const amount = (v, digits = 0, lang = undefined) =>
  (v == null ? '' : number(v, Number.isInteger(Number(v)) ? 0 : digits, lang));

/**
 * "khoảng 3 giây" / "about 2 min 5 s".
 * @param {number} seconds @param {Table} s @param {Lang} [lang]
 */
export function duration(seconds, s, lang = undefined) {
  const n = Math.max(1, Math.round(seconds));
  const q = (/** @type {number} */ v) => amount(v, 0, lang);
  if (n < 60) return say(s, 'aboutSeconds', q(n));
  if (n < 3600) return say(s, 'aboutMinutes', q(Math.floor(n / 60)), q(n % 60));
  return say(s, 'aboutHours', q(Math.floor(n / 3600)), q(Math.round((n % 3600) / 60)));
}

/**
 * What a preview costs, in words: recipients, segments each, rounds, the total, the time one round takes.
 * @param {Preview} p
 * @param {boolean} fold  whether everyone gets the folded (không dấu) text
 * @param {Table} s
 * @param {Lang} [lang]
 */
export function costTexts(p, fold, s, lang = undefined) {
  const q = (/** @type {number} */ v, digits = 0) => amount(v, digits, lang);
  const m = fold ? p.messageFolded : p.message;
  const several = p.rounds > 1;
  return {
    recipients: p.recipientsFolded && !fold ? say(s, 'recipientsFolded', q(p.recipients), q(p.recipientsFolded)) : say(s, 'recipientsN', q(p.recipients)),
    characters: q(m.characters),
    segments: say(s, 'segmentsEach', q(m.segments), q(m.perSegment)),
    folded: p.recipientsFolded && !fold
      ? say(s, 'foldedEach', q(p.messageFolded.characters), p.messageFolded.encoding, q(p.messageFolded.segments)) : null,
    rounds: p.repeatEveryMinutes ? say(s, 'roundsEvery', q(p.rounds), q(p.repeatEveryMinutes)) : say(s, 'roundsOne'),
    perRound: several ? say(s, 'totalN', q(p.segmentsPerRound)) : null,
    total: several ? say(s, 'totalRounds', q(p.totalSegments), q(p.rounds), q(p.segmentsPerRound)) : say(s, 'totalN', q(p.totalSegments)),
    time: p.estimatedSeconds == null ? say(s, 'timeUnlimited')
      : viaGateway(p) ? say(s, 'timeRoutes', duration(p.estimatedSeconds, s, lang))
        : say(s, 'timeAt', duration(p.estimatedSeconds, s, lang), q(p.maxSegmentsPerSecond, 1)),
    route: routeText(p, s, lang),
    long: p.longMessage ? say(s, 'longMessage', q(m.segments), q(LONG_SEGMENTS), q(p.maxSegmentsPerMessage)) : null,
  };
}

/** Whether some recipients of the preview go through the local gateways. @param {Preview} p */
const viaGateway = (p) => (p.routes ?? []).some((r) => r.via === 'gateway' && r.recipients > 0);

/**
 * Which way the recipients leave, when a local gateway is configured (null otherwise: everything goes one way):
 * "qua cổng SMS nội bộ (2 điện thoại): 120 người nhận, ~12 tin/phút; qua Twilio: 3 người nhận, tối đa 10 tin/giây".
 * @param {Preview} p @param {Table} s @param {Lang} [lang]
 */
export function routeText(p, s, lang = undefined) {
  const routes = p.routes ?? [];
  if (!routes.some((r) => r.via === 'gateway')) return null;
  const q = (/** @type {number} */ v, digits = 0) => amount(v, digits, lang);
  return routes.filter((r) => r.via === 'gateway' || r.recipients > 0).map((r) => {
    if (r.via === 'gateway') {
      return r.perMinute == null ? say(s, 'routeGatewayUnlimited', q(r.recipients), q(r.gateways))
        : say(s, 'routeGateway', q(r.recipients), q(r.gateways), q(r.perMinute, 1));
    }
    if (!r.configured) return say(s, 'routeTwilioOff', q(r.recipients));
    return say(s, 'routeTwilio', q(r.recipients), r.perSecond == null ? say(s, 'unlimited') : say(s, 'perSecond', q(r.perSecond, 1)));
  }).join('; ');
}

/**
 * What became of an accepted alert, in words: never "sent" while the gateway is not configured (outbox only).
 * @param {Alert} a @param {Table} s
 */
export function sentText(a, s) {
  if (a.state === 'awaiting_approval') return say(s, 'sentAwaiting', a.id);
  const sent = a.progress?.gatewayConfigured !== false;
  if (a.msgType === 'Cancel') return say(s, sent ? 'cancelSent' : 'cancelRecorded', a.id, a.references);
  return say(s, sent ? 'sentDone' : 'recordedNotSent', a.id);
}

/**
 * How an alert ended: its reason's label, or "rejected: <the approver's reason>" (the stored `rejected:` prefix).
 * @param {string | null | undefined} endedReason @param {Table} s
 */
export function endedText(endedReason, s) {
  const reason = nfc(endedReason);
  if (reason.startsWith('rejected')) {
    const rest = reason.slice('rejected'.length);
    return say(s, 'rejectedBecause', (rest.startsWith(':') ? rest.slice(1) : rest).trim() || '—');
  }
  const labels = /** @type {Record<string, string>} */ (s.endedReasons ?? {});
  return labels[reason] ?? reason;
}

/**
 * A template's placeholders: those the sender fills (own) and those the API fills (auto).
 * @param {Template | null | undefined} tpl
 */
export function placeholdersOf(tpl) {
  const all = tpl?.placeholders ?? [];
  return { own: all.filter((p) => !AUTO.has(p)), auto: all.filter((p) => AUTO.has(p)) };
}

/**
 * The composer's form (the fields requestBody reads).
 * @typedef {{ status: string, msgType: string, category: string, event: string, urgency: string, severity: string,
 *   certainty: string, headline: string, instruction: string, description: string, fold: boolean, references: number | null,
 *   templateId: string, values: Record<string, string>, text: string, mode: 'communes' | 'polygon' | 'circle',
 *   communes: string[], polygon: number[][], circle: { lat: number, lon: number } | null, radiusKm: string,
 *   expires: string, riskLevel: string, repeat: string }} FormFields
 */

/**
 * The request body of the composer's form (the same for the preview and the alert).
 * @param {FormFields} f
 * @param {Template | null} tpl  the chosen template
 * @param {(local: string) => string | null} toInstant  a datetime-local value → ISO 8601 (format.fromLocalInput)
 */
export function requestBody(f, tpl, toInstant) {
  const trim = (/** @type {unknown} */ v) => (String(v ?? '').trim() || null);
  /** @type {Record<string, unknown>} */
  const b = {
    status: f.status, msgType: f.msgType, category: f.category, event: trim(f.event), urgency: f.urgency, severity: f.severity,
    certainty: f.certainty, headline: trim(f.headline), instruction: trim(f.instruction), description: trim(f.description), fold: f.fold,
  };
  if (f.references != null) b.references = f.references;
  if (f.templateId === 'free') b.text = f.text;
  else if (f.templateId) {
    b.templateId = Number(f.templateId);
    b.values = Object.fromEntries(placeholdersOf(tpl).own.map((p) => [p, String(f.values[p] ?? '').trim()]));
  }
  if (f.mode === 'communes') { if (f.communes.length) b.communes = [...f.communes]; }
  else if (f.mode === 'polygon') { if (f.polygon.length) b.area = { type: 'Polygon', coordinates: [[...f.polygon, f.polygon[0]]] }; }
  else if (f.mode === 'circle' && f.circle) b.circle = { lat: f.circle.lat, lon: f.circle.lon, radiusKm: Number(String(f.radiusKm).replace(',', '.')) };
  const expires = toInstant(f.expires);
  if (expires) b.expires = expires;
  if (f.riskLevel) b.riskLevel = Number(f.riskLevel);
  if (String(f.repeat).trim()) b.repeatEveryMinutes = Number(f.repeat);
  return b;
}

/**
 * A circle as a ring of 64 points (good enough to show; the API buffers it on the ellipsoid).
 * @param {{ lat: number, lon: number }} centre @param {number} km
 */
export function circleRing({ lat, lon }, km) {
  const ring = [];
  const dLat = km / 111.32;
  const dLon = km / (111.32 * Math.cos((lat * Math.PI) / 180));
  for (let i = 0; i <= 64; i++) {
    const a = (i / 64) * 2 * Math.PI;
    ring.push([lon + dLon * Math.sin(a), lat + dLat * Math.cos(a)]);
  }
  return ring;
}

/** Lower case without diacritics, for filtering names as people type them (đ → d). */
export const fold = (/** @type {unknown} */ s) => nfc(s).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

/**
 * Why the phone number the user typed was refused (the API named the field `phone`), read from the number itself:
 * a Vietnamese landline (0 2x…, +84 2x…), a number of another country, else not a valid number. The key of the
 * sentence in the `sms.api` group, for «{0}» the number as typed.
 * @param {string} typed
 * @returns {'phoneEmpty' | 'phoneTooLong' | 'phoneLandline' | 'phoneForeign' | 'phoneInvalid'}
 */
export function phoneRefusal(typed) {
  const text = nfc(typed).trim();
  if (!text) return 'phoneEmpty';
  if (text.length > 30) return 'phoneTooLong';
  const digits = text.replace(/[^\d+]/g, '');
  const international = digits.startsWith('+') ? digits.slice(1) : digits.startsWith('00') ? digits.slice(2) : null;
  if (international != null && !international.startsWith('84')) return 'phoneForeign';
  const national = international != null ? `0${international.slice(2)}` : digits;
  if (/^02\d{9}$/.test(national)) return 'phoneLandline';
  return 'phoneInvalid';
}

// @ts-check
// Calls to the API: JSON in and out, the antiforgery header on every unsafe method, problems (RFC 9457) returned,
// never thrown, so each screen can say what went wrong in its own words (problems.js). Every write carries an
// Idempotency-Key (a double tap, or a replay, is applied once); a write the link cannot carry is queued on the phone
// (outbox.js) and replayed when it returns (offline.js).

import { enqueue } from './outbox.js';

/**
 * An RFC 9457 problem as the API sends it: status, title, detail, and extension members — `code` (a stable name
 * of the refusal), the facts its text needs (e.g. `pledgeId`, `state`), `errors` (field → messages) and, later,
 * `fieldCodes` (field → codes) for a 400.
 * @typedef {{ status?: number, title?: string, detail?: string, code?: string,
 *   errors?: Record<string, string[] | string>, fieldCodes?: Record<string, string[]>, [fact: string]: unknown }} Problem
 */
/**
 * What api() resolves to. status 0: no answer (network down, request aborted by the page).
 * @template [T=any]
 * @typedef {{ ok: boolean, status: number, data: T | null, problem: Problem | null, retryAfter: number | null, queued?: boolean }} ApiResult
 */

/** @type {((fetchedAt: string) => void)[]} */
const cachedListeners = [];
/** fn(fetchedAt) when an answer came from the service worker's copy (offline): the page says how old it is. */
export const onCachedAnswer = (/** @type {(fetchedAt: string) => void} */ fn) => { cachedListeners.push(fn); };
function noteCached(/** @type {Response} */ res) {
  const at = res.headers.get('x-offline-fetched-at');
  if (at) for (const fn of cachedListeners) fn(at);
}

/** A fresh Idempotency-Key: crypto.randomUUID exists only on HTTPS (and localhost); a site served over plain HTTP on
 * an office network still gets 128 random bits. */
const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID()
  : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));

/** @type {string | null} whose writes are queued (a replay is left for the person who made it) */
let queueUser = null;
export const setQueueUser = (/** @type {string | null} */ userName) => { queueUser = userName; };

/** GET a JSON resource; throws on HTTP errors (for reads whose failure the caller reports as "could not load"). */
export async function getJson(/** @type {string} */ url, /** @type {AbortSignal | undefined} */ signal = undefined) {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  noteCached(res);
  return res.json();
}

/** @type {{ token: string, headerName: string } | null} for the current identity */
let xsrf = null;

async function antiforgery() {
  if (!xsrf) {
    const res = await fetch('/api/auth/antiforgery', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    xsrf = { token: body.token, headerName: body.headerName || 'X-XSRF-TOKEN' };
  }
  return xsrf;
}

/** Forgets the antiforgery token (it is bound to the identity: call on sign-in and sign-out). */
export const resetAntiforgery = () => { xsrf = null; };
/** Fetches the token ahead of the first write. */
export const primeAntiforgery = () => antiforgery().then(() => undefined, () => undefined);

/** @type {((url: string) => void)[]} */
const unauthorizedListeners = [];
/** fn(url) when a call is answered 401 (the session module then signs the page out). */
export const onUnauthorized = (/** @type {(url: string) => void} */ fn) => { unauthorizedListeners.push(fn); };

/**
 * A 400 that is the antiforgery check's, not the endpoint's: the API's middleware answers a missing or stale token
 * with code auth.antiforgery (a bare 400 without `errors` or `code` is treated the same: endpoints always name one).
 * @param {Problem | null} problem
 */
const isAntiforgeryRefusal = (problem) => problem != null && (problem.code === 'auth.antiforgery' || (!problem.errors && !problem.code));

/**
 * Calls the API and never throws for HTTP errors. Unsafe methods carry the antiforgery header; a rejected token is
 * refreshed and the call retried once. The body goes as JSON, or as it is when a contentType is given (a file:
 * `text/csv` and an ArrayBuffer). A network failure throws (callers catch it and show status 0).
 * A write without a link (no answer at all) to the API, sign-in aside, is queued instead and answered
 * `{ ok: false, status: 0, queued: true }`; `queue: false` (the replay itself) never queues.
 * @param {string} url
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal, contentType?: string, idempotencyKey?: string, queue?: boolean }} [options]
 * @returns {Promise<ApiResult>}
 */
export async function api(url, { method = 'GET', body, signal, contentType, idempotencyKey, queue = true } = {}) {
  const unsafe = !['GET', 'HEAD'].includes(method);
  const key = unsafe ? idempotencyKey ?? newKey() : null;
  // the API's writes, sign-in aside (a key there would belong to nobody yet)
  const keyed = unsafe && url.startsWith('/api/') && !url.startsWith('/api/auth/');
  const queueable = keyed && queue;
  const later = async () => {
    await enqueue({ url, method, body, contentType, idempotencyKey: /** @type {string} */ (key), queuedAt: new Date().toISOString(), user: queueUser });
    return { ok: false, status: 0, data: null, problem: { status: 0 }, retryAfter: null, queued: true };
  };
  if (queueable && !navigator.onLine) return later();
  for (let attempt = 0; ; attempt++) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = contentType ?? 'application/json';
    /** @type {Response} */
    let res;
    try {
      if (unsafe) { const x = await antiforgery(); headers[x.headerName] = x.token; }
      if (keyed) headers['Idempotency-Key'] = /** @type {string} */ (key);
      res = await fetch(url, { method, headers, signal, cache: 'no-store',
        body: body === undefined ? undefined : contentType ? /** @type {BodyInit} */ (body) : JSON.stringify(body) });
    } catch (err) {
      // no answer: kept on the phone and sent when the link returns (with the same key, in case it did arrive)
      if (queueable && /** @type {Error} */ (err).name !== 'AbortError') return later();
      throw err;
    }
    noteCached(res);
    const type = res.headers.get('content-type') ?? '';
    const data = type.includes('json') ? await res.json().catch(() => null) : null;
    /** @type {Problem | null} */
    const problem = res.ok ? null : { status: res.status, ...(data ?? {}) };
    if (unsafe && attempt === 0 && res.status === 400 && isAntiforgeryRefusal(problem)) {
      xsrf = null;
      continue;
    }
    if (res.status === 401 && !url.startsWith('/api/auth/')) for (const fn of unauthorizedListeners) queueMicrotask(() => fn(url));
    return { ok: res.ok, status: res.status, data: res.ok ? data : null, problem,
      retryAfter: Number(res.headers.get('retry-after')) || null };
  }
}

/**
 * api() that also answers a network failure with a result (status 0) instead of throwing.
 * @param {string} url
 * @param {Parameters<typeof api>[1]} [options]
 * @returns {Promise<ApiResult>}
 */
export async function call(url, options) {
  try { return await api(url, options); } catch (err) {
    if (/** @type {Error} */ (err).name === 'AbortError') throw err;
    return { ok: false, status: 0, data: null, problem: { status: 0 }, retryAfter: null };
  }
}

// @ts-check
// The page without a link: the service worker (/sw.js) that keeps the app shell, tiles and last-seen data; the
// banner that says the page is offline and how old what it shows is; the replay of the writes queued meanwhile
// (outbox.js), each with its Idempotency-Key, and what the server refused on replay, said in words and kept on
// screen until read. README "Offline".

import { $, el } from './dom.js';
import { t } from './i18n.js';
import { api, onCachedAnswer } from './api.js';
import { ago, dateTime } from './format.js';
import { problemText } from './problems.js';
import { session } from './session.js';
import { queued, dequeue, onQueueChange } from './outbox.js';

/** @type {{ what: string, text: string }[]} refusals of replayed writes, shown until dismissed */
const refused = [];
/** @type {string | null} the oldest time a shown answer was fetched at, while offline */
let staleSince = null;
let replaying = false;
/** @type {(() => void)[]} */
const replayedListeners = [];
/** @type {(code: string) => string} a resource type's name (mutual aid knows the catalogue) */
let typeLabel = (code) => code;
/** How a queued stock change names its resource type. */
export const useTypeNames = (/** @type {(code: string) => string} */ fn) => { typeLabel = fn; };

/** The queued writes of the signed-in person (a shared phone may hold another's, left for them). */
const mine = (/** @type {import('./outbox.js').QueuedWrite[]} */ all) => all.filter((w) => !w.user || w.user === (session.user?.userName ?? w.user));

/** fn() after a replay sent something (screens reload what they show). */
export const onReplayed = (/** @type {() => void} */ fn) => { replayedListeners.push(fn); };

/** Registers the service worker and starts watching the link. */
export function initOffline() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch((err) => console.warn('service worker:', err.message));
    // what this first visit loaded before the worker took over: the page, its versioned files, the API reads
    navigator.serviceWorker.ready.then((registration) => {
      const loaded = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.startsWith(location.origin));
      registration.active?.postMessage({ type: 'keep-shell', urls: [location.pathname, ...loaded.filter((u) => u.includes('?v=') || u.includes('/_glyphs/'))] });
      registration.active?.postMessage({ type: 'keep-data', urls: loaded.filter((u) => new URL(u).pathname.startsWith('/api/')) });
    });
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (e.data?.type === 'tiles-prefetched') document.documentElement.dataset.tilesKept = String(e.data.kept);
    });
  }
  addEventListener('online', () => { staleSince = null; render(); replay(); });
  addEventListener('offline', render);
  onCachedAnswer((fetchedAt) => { if (!staleSince || fetchedAt < staleSince) staleSince = fetchedAt; render(); });
  onQueueChange(render);
  session.onChange((user) => {
    // another person's last-seen data is not kept on a shared phone
    if (!user) navigator.serviceWorker?.controller?.postMessage({ type: 'forget-data' });
    else {
      // who is signed in, kept by the worker: a reload without a link still knows the user (and their queue)
      if (navigator.serviceWorker?.controller) fetch('/api/auth/me', { headers: { Accept: 'application/json' } }).catch(() => {});
      replay();
    }
  });
  setInterval(() => { if (navigator.onLine) replay(); }, 30_000);
  render();
}

/** Asks the service worker to keep the tiles of a box (the user's own area and ring 1), zoom 8 to 14, and files the labels need. */
export async function keepTiles(/** @type {number[]} */ box, /** @type {string[]} */ alsoKeep = [], minZoom = 8, maxZoom = 14, max = 4000) {
  const worker = navigator.serviceWorker?.controller ?? (await navigator.serviceWorker?.ready)?.active;
  if (!worker) return 0;
  if (alsoKeep.length) worker.postMessage({ type: 'keep-shell', urls: alsoKeep });
  const urls = [];
  for (let z = minZoom; z <= maxZoom && urls.length < max; z++) {
    const [x0, y1] = tileOf(box[0], box[1], z), [x1, y0] = tileOf(box[2], box[3], z);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) urls.push(`${location.origin}/tiles/communes/${z}/${x}/${y}.mvt`);
  }
  worker.postMessage({ type: 'prefetch-tiles', urls: urls.slice(0, max) });
  return Math.min(urls.length, max);
}

/** The tile (x, y) holding a point at zoom z (Web Mercator). */
export function tileOf(/** @type {number} */ lon, /** @type {number} */ lat, /** @type {number} */ z) {
  const n = 2 ** z, rad = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)];
}

/** Sends the queued writes, oldest first; stops at the first that gets no answer (still offline) or needs a sign-in. */
export async function replay() {
  if (replaying || !navigator.onLine) return;
  replaying = true;
  let sent = 0;
  try {
    for (const w of mine(await queued())) {
      const r = await api(w.url, { method: w.method, body: w.body, contentType: w.contentType, idempotencyKey: w.idempotencyKey, queue: false })
        .catch(() => null);
      if (!r || r.status === 0 || r.status === 401 || r.status >= 500) break;
      await dequeue(/** @type {number} */ (w.id));
      sent++;
      if (!r.ok) refused.push({ what: describe(w), text: problemText(r) });
    }
  } finally { replaying = false; }
  if (sent) { render(); for (const fn of replayedListeners) fn(); }
}

/** What a queued write does, in words (the user sees this in the list of pending and refused changes). */
export function describe(/** @type {{ url: string, method: string, queuedAt?: string }} */ w) {
  const path = new URL(w.url, location.origin).pathname;
  /** @type {[RegExp, string][]} */
  const known = [
    [/^\/api\/communes\/[^/]+\/inventory\/([^/]+)$/, 'outboxInventory'],
    [/^\/api\/aid-requests$/, 'outboxRequest'],
    [/^\/api\/aid-requests\/(\d+)\/lines/, 'outboxLine'],
    [/^\/api\/pledges\/(\d+)\/accept$/, 'outboxAccept'],
    [/^\/api\/pledges\/(\d+)\/decline$/, 'outboxDecline'],
    [/^\/api\/pledges\/(\d+)\/dispatch$/, 'outboxDispatch'],
    [/^\/api\/pledges\/(\d+)\/arrive$/, 'outboxArrive'],
    [/^\/api\/pledges$/, 'outboxAsk'],
  ];
  for (const [re, key] of known) {
    const m = re.exec(path);
    if (m) return t(key, key === 'outboxInventory' ? typeLabel(decodeURIComponent(m[1])) : decodeURIComponent(m[1] ?? ''));
  }
  return t('outboxOther', w.method, path);
}

async function render() {
  const box = $('#offline');
  if (!box) return;
  const pending = mine(await queued().catch(() => []));
  const offline = !navigator.onLine;
  /** @type {any[]} */
  const parts = [];
  if (offline) parts.push(el('p', { id: 'offline-state' }, t('offlineNow'), staleSince ? ' ' + t('offlineShowing', dateTime(staleSince), ago(staleSince)) : ''));
  if (pending.length) {
    parts.push(el('p', { id: 'outbox-count' }, t('outboxPending', pending.length)),
      el('ul', { id: 'outbox-list', class: 'small' }, ...pending.map((w) => el('li', {}, describe(w)))));
  }
  if (refused.length) {
    parts.push(el('div', { id: 'outbox-refused', role: 'alert' },
      el('p', {}, t('outboxRefused')),
      el('ul', {}, ...refused.map((x) => el('li', {}, x.what, ': ', x.text))),
      el('button', { type: 'button', id: 'outbox-dismiss', onclick: () => { refused.length = 0; render(); } }, t('outboxDismiss'))));
  }
  box.replaceChildren(...parts);
  box.hidden = parts.length === 0;
  box.dataset.state = offline ? 'offline' : 'online';
}

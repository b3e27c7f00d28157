// @ts-check
// Mutual aid ("4 tại chỗ") in the web map: the commune leader's requests, suggestions and asks, the asks addressed
// to their commune, inventory and agreements; the command's screen of all requests in its area; requests and
// pledges on the map; live updates from /api/notifications/stream. Loaded by map/main.js only once someone signs
// in (anonymous visitors download neither this code nor its strings). state.js holds the view's state, layers.js
// the map, live.js the stream, actions.js what the user does, views.js the panel.

import { t, useStrings, useProblems } from '../shared/i18n.js';
import { getJson } from '../shared/api.js';
import { map, mapReady } from '../map/view.js';
import { empty, setEnums, typeName } from './words.js';
import { useTypeNames } from '../shared/offline.js';
import { A, OPEN_KEY, hooks, learnName, loadLists } from './state.js';
import { bodyBox, panel, toasts, toggle } from './shell.js';
import { drawMap } from './layers.js';
import { setOpen, openRequest, handleClick, refresh, say } from './actions.js';
import { render, renderToggle, renderFeed } from './views.js';
import { connect, receive } from './live.js';

const AID_STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
const AID_PROBLEMS = { vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url) };

/** Loads what the aid screens need before they render: their strings, problem texts and the API's codes. */
export async function loadAidStrings() {
  const [, , enums] = await Promise.all([useStrings(AID_STRINGS), useProblems(AID_PROBLEMS), getJson('/api/enums')]);
  setEnums(enums);
}

hooks.render = render;
hooks.renderToggle = renderToggle;
hooks.renderFeed = renderFeed;
hooks.setOpen = (open) => setOpen(open);

/**
 * Starts mutual aid on the map page.
 * @param {{ map: any, mapReady: Promise<unknown>, fitBox: Function, bounds: Function, fitPoints: Function,
 *   selectCommune(code: string): void, showRings(code: string): Promise<void>, restoreRings(): void, onOpen(): void }} ctx
 * @returns {{ start(user: any): Promise<void>, stop(): void, handleClick(e: any): boolean, render(): void,
 *   open(id: number): Promise<void>, close(): void, refresh(): Promise<void>, replayed(): Promise<void>, readonly live: string | null,
 *   readonly requestId: number | null, readonly drawn: any }} what the map page and the tests use
 */
export function initAid(ctx) {
  A.ctx = ctx;
  useTypeNames((code) => typeName(A.types.get(code)) || code);
  return {
    start, stop, handleClick,
    render() { render({ force: true }); drawMap(); },
    open: (id) => openRequest(id, { fly: true }),
    close: () => { if (A.st && !panel.hidden) setOpen(false); },
    refresh: () => refresh(),
    /** The queued writes were sent: the "kept on this device" notice is over (refusals are listed by offline.js). */
    replayed: () => { if (A.st) say(A.st, null); return refresh(); },
    get live() { return A.st?.live ?? null; },
    get requestId() { return A.st?.requestId ?? null; },
    get drawn() { return A.st ? structuredClone(A.st.drawn) : null; },
  };
}

/** Signed in: builds the user's view and connects the live feed. */
async function start(user) {
  if (A.st?.user.userName === user.userName) return;
  stop();
  const scope = user.scope ?? {};
  const s = A.st = {
    user,
    commune: user.role === 'commune_leader' && scope.kind === 'commune' ? scope.code : null,
    area: new Set(),
    tab: user.role === 'commune_leader' ? 'requests' : 'area',
    requestId: null, filing: null, picking: false,
    requests: new Map(), lineIndex: new Map(), ownIds: [], listIds: [], incoming: [], pledgeRequest: new Map(),
    matches: new Map(), includeAffected: false,
    inventory: null, inventoryEdits: new Map(), agreements: null, ring1: null, agreementForm: null,
    feed: [], seen: new Set(), lastId: 0, es: null, live: 'connecting', retry: 0, refreshTimer: 0,
    message: null, acceptQty: new Map(), unseen: 0, loaded: false, drawn: { requests: [], pledges: [] }, help: [], helpDuplicate: null,
  };
  if (s.commune) learnName(s.commune, scope.name);
  toggle.hidden = false;
  setOpen(localStorage.getItem(OPEN_KEY) === '1', { remember: false });
  hooks.render();
  try {
    const [catalogue, feed] = await Promise.all([
      getJson('/api/resource-types'),
      getJson('/api/notifications'),
      scope.kind === 'defense_area' ? getJson(`/api/defense-areas/${encodeURIComponent(scope.code)}`)
        .then((a) => { for (const c of a.communes ?? []) s.area.add(c); }) : null,
    ]);
    if (A.st !== s) return;
    A.types = new Map(catalogue.map((x) => [x.code, x]));
    for (const n of feed) receive(s, n, false);
    connect(s);
    await loadLists(s);
    if (A.st !== s) return;
    s.loaded = true;
  } catch (err) {
    if (A.st !== s) return;
    s.message = { text: t('loadError', err.message), error: true };
  }
  hooks.render();
  drawMap();
}

/** Signed out: forgets everything, closes the panel and the stream. */
function stop() {
  const s = A.st;
  if (!s) return;
  A.st = null;
  s.es?.close();
  clearTimeout(s.retry);
  clearTimeout(s.refreshTimer);
  toggle.hidden = true;
  panel.hidden = true;
  localStorage.removeItem(OPEN_KEY);      // the next user starts with the panel closed (a reload keeps it)
  delete document.body.dataset.aid;
  delete document.body.dataset.live;
  delete document.body.dataset.aidPicking;
  toasts.replaceChildren();
  bodyBox.replaceChildren();
  mapReady.then(() => {
    for (const id of ['aid-requests', 'aid-pledges', 'aid-draft']) map.getSource(id)?.setData(empty());
    map.getCanvas().style.cursor = '';
  });
  if (s.requestId != null) A.ctx.restoreRings();
}

// @ts-check
// Mutual aid ("4 tại chỗ") in the web map: the commune leader's requests, suggestions and asks, the asks addressed
// to their commune, inventory and agreements; the command's screen of all requests in its area; requests and
// pledges on the map; live updates from /api/notifications/stream. Loaded by app.js only once someone signs in
// (anonymous visitors never download it). All API text goes to the page through textContent only (el() makes
// text nodes); the map draws circles and lines only (no glyphs are served), arrows included.

import { $, el, nfc } from '../shared/dom.js';
import { t, fmt, table, locale, lang, useStrings, useProblems } from '../shared/i18n.js';
import { getJson, api, call as callApi } from '../shared/api.js';
import { problemText, fieldError, registerFacts } from '../shared/problems.js';
import { dateTime, date, number as formatNumber, ago, fromLocalInput, coordinates } from '../shared/format.js';

const OPEN_KEY = 'coordination.aidOpen';
const URGENCY_COLOUR = ['match', ['get', 'urgency'], 'life_threatening', '#b71c1c', 'urgent', '#ef6c00', '#f2b300'];
const PLEDGE_COLOUR = ['match', ['get', 'status'], 'requested', '#5b6773', 'accepted', '#ef6c00', 'dispatched', '#1565c0', '#2e7d32'];
/** Pledge states drawn on the map and listed as "live" on the donor side. */
const LIVE = new Set(['requested', 'accepted', 'dispatched', 'arrived']);
/** The API's codes (GET /api/enums): hazards and urgencies offered on a request, in the API's order. */
let HAZARDS = /** @type {string[]} */ ([]);
let URGENCIES = /** @type {string[]} */ ([]);
/** Most urgent first: the API lists urgencies in that order. */
const urgencyRank = (u) => { const i = URGENCIES.indexOf(u); return i < 0 ? 9 : i; };
const PILLARS = ['command', 'forces', 'means', 'logistics'];
const INCOMING_ORDER = ['requested', 'accepted', 'dispatched', 'arrived'];

const S = () => /** @type {any} */ (table('strings'));
const word = (group, key) => S()[group]?.[key] ?? nfc(key);
/** t() for a string that is not a top-level key (a nested dictionary entry). */
const number = (v) => formatNumber(v);
const typeName = (x) => nfc(x ? (lang === 'vi' ? x.nameVi : x.nameEn) : '');
/** The unit; English units are plural ("boats"), so one of them drops the s ("1 boat"). Vietnamese has no plural. */
const unitOf = (x, n) => {
  const unit = nfc(x ? (lang === 'vi' ? x.unitVi : x.unitEn) : '');
  return lang === 'en' && n === 1 ? unit.replace(/s$/, '') : unit;
};
/** "6 chiếc" / "6 boats". */
const amount = (n, x) => `${number(n)} ${unitOf(x, n)}`.trim();
/**
 * An amount and its type: "4/6 chiếc Thuyền, xuồng"; in English "4/6 boats" when the unit already names the type
 * (never "5 boats Boat"), else "20 persons of militia (dân quân)".
 */
function ofType(text, x) {
  const name = typeName(x);
  if (lang === 'vi') return `${text} ${name}`;
  const unit = nfc(x?.unitEn ?? '').toLowerCase().replace(/s$/, '');
  return unit && name.toLowerCase().startsWith(unit) ? text : `${text} of ${name.toLowerCase()}`;
}
const empty = () => ({ type: 'FeatureCollection', features: [] });
const codeOf = (id) => String(id).padStart(5, '0');
/** A calendar day ("2025-11-23", an agreement's validity): "23/11/2025". */
const day = (iso) => date(iso);

/** A field the API rejected, in words: lines[2].quantity → "Dòng 3: …" (the key is the API's field path, not prose). */
function fieldText(key, messages) {
  const inv = S().aidInvalid ?? {};
  const m = /^lines\[(\d+)\]\.(\w+)$/.exec(key);
  if (m) return fmt(S().aidLineN, Number(m[1]) + 1, inv[m[2]] ?? fieldError(m[2], messages));
  const k = Object.keys(inv).find((x) => x.toLowerCase() === String(key).toLowerCase());
  return k ? inv[k] : fieldError(key, messages);
}

// The facts of aid's problem codes that are codes themselves, in words (problems.<lang>.json has the sentences).
registerFacts({
  pledge_state: { state: (v) => word('aidPledgeStatus', v) },
  request_state: { state: (v) => word('aidSummary', v) },
  request_not_open: { state: (v) => word('aidSummary', v) },
});

/** A refusal of the API in words: by its problem code (aid/problems.*.json), field errors, else the generic text. */
const aidProblem = (r) => problemText(r, { fields: fieldText });

const AID_STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
const AID_PROBLEMS = { vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url) };

/** Loads what the aid screens need before they render: their strings, problem texts and the API's codes. */
export async function loadAidStrings() {
  const [, , enums] = await Promise.all([useStrings(AID_STRINGS), useProblems(AID_PROBLEMS), getJson('/api/enums')]);
  HAZARDS = enums.hazards;
  URGENCIES = enums.urgencies;
}

/**
 * ctx: { map, mapReady, fitBox, bounds, fitPoints, selectCommune(code), showRings(code), restoreRings(), onOpen() }
 * Returns { start(user), stop(), handleClick(e), render() } and a few read-only hooks for tests.
 */
export function initAid(ctx) {
  const { map, mapReady } = ctx;
  let st = null;                    // everything about the signed-in user's mutual-aid view; null when signed out
  let types = new Map();            // resource-type code → type
  const communes = new Map();       // code → Promise<{ code, name, labelPoint, geometry }>

  const commune = (code) => {
    if (!communes.has(code)) {
      communes.set(code, getJson(`/api/communes/${encodeURIComponent(code)}`).then((f) => ({
        code, name: nfc(f.properties?.name), labelPoint: f.properties?.labelPoint, geometry: f.geometry,
      })).catch((err) => { communes.delete(code); throw err; }));
    }
    return communes.get(code);
  };
  const names = new Map();          // code → name, as learnt (for synchronous rendering)
  const nameOf = (code) => names.get(code) ?? code;
  const learnName = (code, name) => { if (code && name) names.set(code, nfc(name)); };

  // ------------------------------------------------------------ DOM: header button, panel, toasts
  const badge = el('span', { id: 'aid-badge', class: 'badge', hidden: true });
  const toggleLabel = el('span', {});
  const toggle = el('button', { id: 'aid-toggle', type: 'button', class: 'bar-button', hidden: true,
    'aria-controls': 'aid', 'aria-expanded': 'false', onclick: () => setOpen(panel.hidden) }, toggleLabel, badge);
  $('#bar').insertBefore(toggle, $('#alerts-toggle') ?? $('#lang'));     // always left of the SMS alerts button
  const headBox = el('div', { class: 'aid-head' });
  const tabsBox = el('div', { id: 'aid-tabs', role: 'tablist' });
  const msgBox = el('div', { id: 'aid-message-box' });
  const bodyBox = el('div', { id: 'aid-body' });
  const feedBox = el('section', { id: 'aid-feed-box' });
  const panel = el('aside', { id: 'aid', hidden: true, 'aria-labelledby': 'aid-title' }, headBox, tabsBox, msgBox, bodyBox, feedBox);
  document.body.append(panel);
  const toasts = el('div', { id: 'toasts', 'aria-live': 'polite' });
  document.body.append(toasts);

  // ------------------------------------------------------------ map layers
  mapReady.then(() => {
    map.addSource('aid-pledges', { type: 'geojson', data: empty() });
    map.addSource('aid-requests', { type: 'geojson', data: empty() });
    map.addSource('aid-draft', { type: 'geojson', data: empty() });
    const isLine = ['==', ['geometry-type'], 'LineString'];
    const asked = ['==', ['get', 'status'], 'requested'];
    map.addLayer({ id: 'aid-pledges-asked', type: 'line', source: 'aid-pledges',
      filter: ['all', isLine, asked, ['!', ['get', 'head']]],
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': PLEDGE_COLOUR, 'line-width': 2.5, 'line-dasharray': [2, 1.5] } });
    map.addLayer({ id: 'aid-pledges-line', type: 'line', source: 'aid-pledges',
      filter: ['all', isLine, ['any', ['get', 'head'], ['!', asked]]],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': PLEDGE_COLOUR, 'line-width': 3.5 } });
    map.addLayer({ id: 'aid-pledges-donor', type: 'circle', source: 'aid-pledges', filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': PLEDGE_COLOUR, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } });
    map.addLayer({ id: 'aid-requests', type: 'circle', source: 'aid-requests',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, ['case', ['get', 'selected'], 8, 5], 12, ['case', ['get', 'selected'], 13, 9]],
        'circle-color': URGENCY_COLOUR,
        'circle-stroke-color': ['case', ['get', 'selected'], '#111', '#fff'],
        'circle-stroke-width': ['case', ['get', 'selected'], 3, 2],
      } });
    map.addLayer({ id: 'aid-draft', type: 'circle', source: 'aid-draft',
      paint: { 'circle-radius': 8, 'circle-color': '#fff', 'circle-stroke-color': '#b71c1c', 'circle-stroke-width': 3 } });
    map.on('zoomend', () => { if (st?.arrows?.length) drawArrows(st); });
    map.on('mouseenter', 'aid-requests', () => { if (!st?.picking) map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', 'aid-requests', () => { if (!st?.picking) map.getCanvas().style.cursor = ''; });
  });

  // ------------------------------------------------------------ who may do what (the API decides; this only offers buttons)
  const isLeader = () => st?.user.role === 'commune_leader';
  function mayActFor(code, provinceCode) {
    const user = st?.user;
    if (!user) return false;
    if (user.role === 'admin') return true;
    const scope = user.scope;
    if (!scope) return false;
    if (scope.kind === 'commune') return scope.code === code;
    if (scope.kind === 'defense_area') return st.area.has(code);
    if (scope.kind === 'province') return provinceCode != null && provinceCode === scope.code;
    return false;
  }

  // ------------------------------------------------------------ start / stop
  async function start(user) {
    if (st?.user.userName === user.userName) return;
    stop();
    const scope = user.scope ?? {};
    const s = st = {
      user,
      commune: user.role === 'commune_leader' && scope.kind === 'commune' ? scope.code : null,
      area: new Set(),
      tab: user.role === 'commune_leader' ? 'requests' : 'area',
      requestId: null, filing: null, picking: false,
      requests: new Map(), lineIndex: new Map(), ownIds: [], listIds: [], incoming: [], pledgeRequest: new Map(),
      matches: new Map(), includeAffected: false,
      inventory: null, inventoryEdits: new Map(), agreements: null, ring1: null, agreementForm: null,
      feed: [], seen: new Set(), lastId: 0, es: null, live: 'connecting', retry: 0, refreshTimer: 0,
      message: null, acceptQty: new Map(), unseen: 0, loaded: false, drawn: { requests: [], pledges: [] },
    };
    if (s.commune) learnName(s.commune, scope.name);
    toggle.hidden = false;
    setOpen(localStorage.getItem(OPEN_KEY) === '1', { remember: false });
    render();
    try {
      const [catalogue, feed] = await Promise.all([
        getJson('/api/resource-types'),
        getJson('/api/notifications'),
        scope.kind === 'defense_area' ? getJson(`/api/defense-areas/${encodeURIComponent(scope.code)}`)
          .then((a) => { for (const c of a.communes ?? []) s.area.add(c); }) : null,
      ]);
      if (st !== s) return;
      types = new Map(catalogue.map((x) => [x.code, x]));
      for (const n of feed) receive(s, n, false);
      connect(s);
      await loadLists(s);
      if (st !== s) return;
      s.loaded = true;
    } catch (err) {
      if (st !== s) return;
      s.message = { text: t('loadError', err.message), error: true };
    }
    render();
    drawMap();
  }

  function stop() {
    const s = st;
    if (!s) return;
    st = null;
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
    if (s.requestId != null) ctx.restoreRings();
  }

  function setOpen(open, { remember = true } = {}) {
    if (!st) return;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) { document.body.dataset.aid = 'open'; st.unseen = 0; ctx.onOpen?.(); } else delete document.body.dataset.aid;
    if (remember) localStorage.setItem(OPEN_KEY, open ? '1' : '0');
    if (!open) stopPicking();
    render({ force: true });
    if (open) loadTab(st);
  }

  // ------------------------------------------------------------ live updates (server-sent events)
  function setLive(s, state) {
    s.live = state;
    document.body.dataset.live = state;
    const dot = $('#aid-live');
    if (dot) { dot.dataset.state = state; dot.title = word('aidLive', state); $('#aid-live-text').textContent = word('aidLive', state); }
  }

  function connect(s) {
    if (st !== s) return;
    const es = new EventSource('/api/notifications/stream');
    s.es = es;
    setLive(s, 'connecting');
    es.addEventListener('open', () => { if (st === s && s.es === es) { setLive(s, 'open'); catchUp(s); } });
    es.addEventListener('notification', (e) => {
      if (st !== s) return;
      let n;
      try { n = JSON.parse(e.data); } catch { return; }
      receive(s, n, true);
    });
    es.addEventListener('error', () => {
      if (st !== s || s.es !== es) return;
      if (es.readyState !== EventSource.CLOSED) { setLive(s, 'connecting'); return; }   // the browser reconnects by itself
      // Refused (e.g. the session ended, or the server went away): check, then connect again.
      setLive(s, 'closed');
      clearTimeout(s.retry);
      s.retry = setTimeout(async () => {
        if (st !== s) return;
        const ok = await catchUp(s);
        if (st === s && ok !== 401) connect(s);
      }, 5000);
    });
  }

  /** Notifications missed between the list and the stream (or while disconnected). Returns the status. */
  async function catchUp(s) {
    let r;
    try { r = await api(`/api/notifications?after=${s.lastId}`); } catch { return 0; }
    if (st !== s) return r.status;
    if (r.ok) for (const n of r.data ?? []) receive(s, n, true);
    return r.status;
  }

  function receive(s, n, live) {
    if (!n?.id || s.seen.has(n.id)) return;
    s.seen.add(n.id);
    s.feed.unshift(n);
    s.feed.sort((a, b) => b.id - a.id);
    s.feed.length = Math.min(s.feed.length, 30);
    s.lastId = Math.max(s.lastId, n.id);
    if (n.pledgeId && n.requestId) s.pledgeRequest.set(n.pledgeId, n.requestId);
    if (!live) return;
    toast(n);
    if (panel.hidden) s.unseen++;
    renderToggle();
    renderFeed();
    scheduleRefresh(s);
  }

  const textOf = (n) => nfc(lang === 'vi' ? n.textVi : n.textEn);

  function toast(n) {
    const text = textOf(n);
    const node = el('div', { class: 'toast', role: 'status', 'data-notification': n.id, 'data-kind': n.kind },
      n.requestId
        ? el('button', { type: 'button', class: 'toast-text', onclick: () => { setOpen(true); openRequest(n.requestId, { fly: true }); node.remove(); } }, text)
        : el('span', { class: 'toast-text' }, text),
      el('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => node.remove() }, '×'));
    toasts.append(node);
    while (toasts.children.length > 4) toasts.firstElementChild.remove();
    setTimeout(() => node.remove(), 12000);
  }

  function scheduleRefresh(s) {
    clearTimeout(s.refreshTimer);
    s.refreshTimer = setTimeout(() => refresh(s), 150);
  }

  /** Reloads what the notifications may have changed: the lists, the open request and its suggestions, the open tab. */
  async function refresh(s = st) {
    if (!s || st !== s) return;
    try {
      const jobs = [loadLists(s)];
      if (s.requestId != null) jobs.push(loadRequest(s, s.requestId));
      if (s.tab === 'inventory' && s.inventory) jobs.push(loadInventory(s));
      await Promise.all(jobs);
    } catch (err) {
      if (st === s) s.message = { text: t('loadError', err.message), error: true };
    }
    if (st !== s) return;
    render();
    drawMap();
  }

  // ------------------------------------------------------------ data
  function remember(s, r) {
    s.requests.set(r.id, r);
    learnName(r.communeCode, r.communeName);
    for (const l of r.lines ?? []) s.lineIndex.set(l.id, r.id);
    for (const p of r.pledges ?? []) { learnName(p.donorCode, p.donorName); s.pledgeRequest.set(p.id, r.id); }
  }

  const requestIdOf = (s, p) => s.lineIndex.get(p.lineId) ?? s.pledgeRequest.get(p.id);

  async function loadLists(s) {
    if (s.commune) {
      const [own, incoming] = await Promise.all([
        getJson(`/api/aid-requests?commune=${encodeURIComponent(s.commune)}`),
        getJson(`/api/pledges?donor=${encodeURIComponent(s.commune)}`),
      ]);
      if (st !== s) return;
      for (const r of own) remember(s, r);
      s.ownIds = own.map((r) => r.id);
      s.incoming = incoming.filter((p) => LIVE.has(p.status));
      for (const p of s.incoming) learnName(p.donorCode, p.donorName);
      await resolveIncoming(s);
    } else {
      const scope = s.user.scope;
      const filter = scope?.kind === 'defense_area' ? `&defenseArea=${encodeURIComponent(scope.code)}`
        : scope?.kind === 'province' ? `&province=${encodeURIComponent(scope.code)}` : '';
      const list = await getJson(`/api/aid-requests?status=open${filter}`);
      if (st !== s) return;
      for (const r of list) remember(s, r);
      s.listIds = list.map((r) => r.id);
    }
  }

  /**
   * The request behind each ask addressed to us. A pledge names its line, not its request: known lines and the
   * notifications (pledgeId → requestId) answer most; the list of open requests answers the rest.
   */
  async function resolveIncoming(s) {
    const wanted = new Set();
    for (const p of s.incoming) {
      const id = requestIdOf(s, p);
      if (id != null && !s.requests.has(id)) wanted.add(id);
    }
    await Promise.all([...wanted].map((id) => getJson(`/api/aid-requests/${id}`).then((r) => { if (st === s) remember(s, r); }).catch(() => {})));
    if (st !== s) return;
    if (s.incoming.some((p) => requestIdOf(s, p) == null)) {
      const open = await getJson('/api/aid-requests?status=open');
      if (st !== s) return;
      for (const r of open) remember(s, r);
    }
  }

  async function loadRequest(s, id) {
    const r = await getJson(`/api/aid-requests/${encodeURIComponent(id)}`);
    if (st !== s) return null;
    remember(s, r);
    if (r.status === 'open' && mayActFor(r.communeCode, r.provinceCode)) await loadMatches(s, id);
    else s.matches.delete(id);
    return r;
  }

  async function loadMatches(s, id) {
    const include = s.includeAffected && !isLeader();
    const r = await api(`/api/aid-requests/${encodeURIComponent(id)}/matches${include ? '?includeAffected=true' : ''}`);
    if (st !== s) return;
    s.matches.set(id, r.ok ? { list: r.data } : { error: aidProblem(r) });
    for (const m of r.data ?? []) for (const x of [...m.suggestions, ...m.excluded]) learnName(x.donorCode, x.donorName);
  }

  async function loadInventory(s) {
    const list = await getJson(`/api/communes/${encodeURIComponent(s.commune)}/inventory`);
    if (st === s) s.inventory = new Map(list.map((i) => [i.resourceType, i]));
  }

  async function loadAgreements(s) {
    const [list, neighbours] = await Promise.all([
      getJson(`/api/agreements?commune=${encodeURIComponent(s.commune)}`),
      s.ring1 ? null : getJson(`/api/communes/${encodeURIComponent(s.commune)}/neighbours?rings=1`),
    ]);
    if (st !== s) return;
    s.agreements = list;
    if (neighbours) {
      s.ring1 = neighbours.neighbours.filter((n) => n.ring === 1);
      for (const n of s.ring1) learnName(n.code, n.name);
    }
    // Names of partners further away, for the list
    const unknown = [...new Set(list.flatMap((a) => [a.communeA, a.communeB]))].filter((c) => !names.has(c));
    await Promise.all(unknown.map((c) => commune(c).then((x) => learnName(c, x.name)).catch(() => {})));
  }

  async function loadTab(s) {
    if (!s) return;
    try {
      // Fresh each time the tab is shown (signatures and stock change without a notification to this commune)
      if (s.tab === 'inventory' && s.commune) { await loadInventory(s); render(); }
      if (s.tab === 'agreements' && s.commune) { await loadAgreements(s); render(); }
    } catch (err) {
      if (st === s) { s.message = { text: t('loadError', err.message), error: true }; render(); }
    }
  }

  // ------------------------------------------------------------ actions
  function say(s, text, error = false) { s.message = text ? { text, error } : null; s.confirming = null; }

  /** Moves that cannot be taken back (stock leaves, the province is called) are confirmed first, in words, at the top of the panel. */
  function confirmThen(s, text, run) {
    s.message = null;
    s.confirming = { text, run };
    render();
    $('#aid-confirm-yes')?.focus();
  }

  function dispatchPledge(s, p, line, r) {
    const requester = r ? nfc(r.communeName) : '…';
    confirmThen(s, fmt(S().aidConfirmDispatch, ofType(amount(p.quantityAccepted ?? p.quantityRequested, line), line), nfc(p.donorName), requester),
      () => movePledge(p, 'dispatch', {}, line));
  }

  /** POST, a network failure answered as status 0. */
  const call = (url, body = {}) => callApi(url, { method: 'POST', body });

  async function openRequest(id, { fly = false } = {}) {
    const s = st;
    if (!s) return;
    id = Number(id);
    stopPicking();
    s.filing = null;
    s.requestId = id;
    say(s, null);
    if (panel.hidden) setOpen(true);
    render({ force: true });
    try {
      const r = await loadRequest(s, id);
      if (!r || st !== s || s.requestId !== id) return;
      render({ force: true });
      await drawMap();
      ctx.showRings(r.communeCode).catch(() => {});
      if (fly) await fitRequest(s, r);
    } catch (err) {
      if (st !== s) return;
      say(s, t('loadError', err.message), true);
      render();
    }
  }

  /** Shows the request and its donors on the map; a request without donors yet: its commune. */
  async function fitRequest(s, r) {
    const donors = await Promise.all(r.pledges.filter((p) => LIVE.has(p.status) && p.donorCode !== r.communeCode)
      .map((p) => commune(p.donorCode).catch(() => null)));
    const points = donors.filter((d) => d?.labelPoint).map((d) => d.labelPoint);
    const own = points.length ? null : await commune(r.communeCode).catch(() => null);
    if (st !== s || s.requestId !== r.id) return;
    if (own) ctx.fitBox(ctx.bounds([own.geometry, { coordinates: [r.lon, r.lat] }]));
    else ctx.fitPoints([[r.lon, r.lat], ...points]);
  }

  function leaveRequest() {
    if (!st) return;
    st.requestId = null;
    say(st, null);
    render({ force: true });
    drawMap();
    ctx.restoreRings();
  }

  async function ask(r, line, suggestion, quantity) {
    const s = st;
    const res = await call('/api/pledges', {
      lineId: line.id, donorCode: suggestion.donorCode, quantity,
      ...(suggestion.affected ? { overrideExclusion: true } : {}),
    });
    if (st !== s) return;
    say(s, res.ok ? fmt(S().aidAskedDone, nfc(suggestion.donorName), amount(quantity, line)) : aidProblem(res), !res.ok);
    await refresh(s);
    const updated = s.requests.get(r.id);
    if (res.ok && st === s && updated && s.requestId === r.id) await fitRequest(s, updated);    // the new arrow in view
  }

  async function movePledge(p, action, body = {}, line = null) {
    const s = st;
    const res = await call(`/api/pledges/${p.id}/${action}`, body);
    if (st !== s) return;
    if (res.ok) {
      s.acceptQty.delete(p.id);
      say(s, fmt(S().aidDone[action], amount(res.data?.quantityAccepted ?? p.quantityAccepted ?? p.quantityRequested, line)));
    } else say(s, aidProblem(res), true);
    await refresh(s);
  }

  async function moveRequest(r, action) {
    const s = st;
    const res = await call(`/api/aid-requests/${r.id}/${action}`);
    if (st !== s) return;
    if (res.ok) { remember(s, res.data); say(s, null); } else say(s, aidProblem(res), true);
    await refresh(s);
  }

  // ------------------------------------------------------------ filing a request
  function newFiling() {
    return { hamlet: '', hazard: 'flood', urgency: 'urgent', neededBy: '', description: '', lines: [{ type: '', qty: '' }],
      lon: null, lat: null, errors: {}, error: null, pickError: null, duplicateOf: null, sending: false };
  }

  function startFiling() {
    const s = st;
    if (!s?.commune) return;
    s.filing = newFiling();
    s.requestId = null;
    say(s, null);
    render({ force: true });
    $('#aid-hamlet')?.focus();
  }

  function startPicking() {
    const s = st;
    if (!s?.filing) return;
    s.picking = true;
    s.filing.pickError = null;
    document.body.dataset.aidPicking = 'true';
    map.getCanvas().style.cursor = 'crosshair';
    render({ force: true });
    commune(s.commune).then((c) => { if (st === s && s.picking) ctx.fitBox(ctx.bounds([c.geometry])); }).catch(() => {});
  }

  function stopPicking() {
    if (!st?.picking) return;
    st.picking = false;
    delete document.body.dataset.aidPicking;
    map.getCanvas().style.cursor = '';
  }

  function drawDraft() {
    const f = st?.filing;
    const data = f?.lon != null ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [f.lon, f.lat] }, properties: {} }] } : empty();
    mapReady.then(() => map.getSource('aid-draft')?.setData(data));
  }

  async function submitFiling(confirmDuplicate = false) {
    const s = st;
    const f = s?.filing;
    if (!f || f.sending) return;
    f.sending = true;
    f.errors = {};
    f.error = null;
    render({ force: true });
    const body = {
      communeCode: s.commune, lon: f.lon, lat: f.lat, hamlet: f.hamlet.trim(), hazard: f.hazard, urgency: f.urgency,
      description: f.description.trim() || null, neededBy: fromLocalInput(f.neededBy),
      lines: f.lines.map((l) => ({ resourceType: l.type || null, quantity: /^\d+$/.test(String(l.qty).trim()) ? Number(l.qty) : null })),
      ...(confirmDuplicate ? { confirmDuplicate: true } : {}),
    };
    // The catalogue's most per line, said with the type and unit before anything is sent (a slip: 1,000,000 boats).
    f.local = {};
    f.lines.forEach((l, i) => {
      const x = types.get(l.type);
      const q = body.lines[i].quantity;
      if (x?.maxPerLine && q > x.maxPerLine) f.local[`lines[${i}].quantity`] = fmt(S().aidLineN, i + 1, fmt(S().aidTooMany, ofType(amount(x.maxPerLine, x), x)));
    });
    if (Object.keys(f.local).length) {
      f.sending = false;
      f.errors = Object.fromEntries(Object.keys(f.local).map((k) => [k, [f.local[k]]]));
      render({ force: true });
      return;
    }
    const res = await call('/api/aid-requests', body);
    if (st !== s || s.filing !== f) return;
    f.sending = false;
    if (res.ok) {
      s.filing = null;
      drawDraft();
      remember(s, res.data);
      s.ownIds = [res.data.id, ...s.ownIds.filter((id) => id !== res.data.id)];
      await openRequest(res.data.id, { fly: true });
      say(s, fmt(S().aidFiled, res.data.id));
      render();
      return;
    }
    if (res.status === 409 && res.problem?.code === 'possible_duplicate') {
      f.duplicateOf = Number(res.problem.duplicateOf) || 0;
    } else if (res.status === 400 && res.problem?.errors) {
      f.errors = res.problem.errors;
    } else {
      f.error = aidProblem(res);
    }
    render({ force: true });
    (panel.querySelector('#aid-form [aria-invalid="true"]') ?? $('#aid-duplicate'))?.focus?.();
  }

  /** The map click while picking the place of a request: it must be inside the commune. */
  function handleClick(e) {
    const s = st;
    if (!s) return false;
    if (s.picking && s.filing) {
      const id = map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
      if (id == null || codeOf(id) !== s.commune) {
        s.filing.pickError = fmt(S().aidPickOutside, nameOf(s.commune));
      } else {
        s.filing.lon = Math.round(e.lngLat.lng * 1e6) / 1e6;
        s.filing.lat = Math.round(e.lngLat.lat * 1e6) / 1e6;
        s.filing.pickError = null;
        delete s.filing.errors.location;
        stopPicking();
        drawDraft();
      }
      render({ force: true });
      return true;
    }
    if (!map.getLayer('aid-requests')) return false;
    const { x, y } = e.point;
    const hit = map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]], { layers: ['aid-requests'] })[0];
    if (hit) { openRequest(hit.properties.id); return true; }
    return false;
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && st?.picking) { stopPicking(); render({ force: true }); }
  });

  // ------------------------------------------------------------ map drawing
  /**
   * An arrow from `from` to the request circle at `to`, in Web Mercator at the current zoom (rebuilt when the zoom
   * changes): the line stops at the circle's edge, where a two-segment head about 14 px long points at it.
   */
  function arrow(from, to) {
    const a = maplibregl.MercatorCoordinate.fromLngLat(from), b = maplibregl.MercatorCoordinate.fromLngLat(to);
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy);
    if (!len) return null;
    const px = 1 / (512 * 2 ** map.getZoom());             // one CSS pixel in Mercator units
    const ux = -dx / len, uy = -dy / len;                   // from the request back towards the donor
    const gap = Math.min(len / 3, 11 * px), h = Math.min(len / 3, 14 * px), angle = 0.45;
    const lngLat = (x, y) => { const p = new maplibregl.MercatorCoordinate(x, y).toLngLat(); return [p.lng, p.lat]; };
    const tx = b.x + ux * gap, ty = b.y + uy * gap;
    const wing = (sign) => {
      const c = Math.cos(sign * angle), sn = Math.sin(sign * angle);
      return lngLat(tx + h * (ux * c - uy * sn), ty + h * (ux * sn + uy * c));
    };
    const tip = lngLat(tx, ty);
    return { line: [from, tip], head: [wing(1), tip, wing(-1)] };
  }

  async function drawMap() {
    const s = st;
    if (!s) return;
    const shown = new Map();
    const add = (r) => { if (r && (r.status === 'open' || r.status === 'draft' || r.id === s.requestId)) shown.set(r.id, r); };
    for (const id of [...s.ownIds, ...s.listIds]) add(s.requests.get(id));
    for (const p of s.incoming) add(s.requests.get(requestIdOf(s, p)));
    if (s.requestId != null) add(s.requests.get(s.requestId));
    const pledges = new Map();     // pledge id → [request, pledge]
    for (const r of shown.values()) for (const p of r.pledges ?? []) if (LIVE.has(p.status)) pledges.set(p.id, [r, p]);
    for (const p of s.incoming) {
      const r = s.requests.get(requestIdOf(s, p));
      if (r) pledges.set(p.id, [r, p]);    // the donor's list is the fresher one
    }
    const donorCodes = [...new Set([...pledges.values()].map(([, p]) => p.donorCode))];
    const donors = new Map((await Promise.all(donorCodes.map((c) => commune(c).catch(() => null)))).filter(Boolean).map((d) => [d.code, d]));
    await mapReady;
    if (st !== s) return;
    const requestFeatures = [...shown.values()].map((r) => ({
      type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
      properties: { id: r.id, urgency: r.urgency, status: r.status, commune: r.communeCode, selected: r.id === s.requestId },
    }));
    const arrows = [];
    for (const [r, p] of pledges.values()) {
      const from = donors.get(p.donorCode)?.labelPoint;
      if (!from || p.donorCode === r.communeCode) continue;     // own stock travels no distance
      arrows.push({ from, to: [r.lon, r.lat], props: { pledge: p.id, request: r.id, donor: p.donorCode, status: p.status } });
    }
    s.arrows = arrows;
    map.getSource('aid-requests')?.setData({ type: 'FeatureCollection', features: requestFeatures });
    drawArrows(s);
    s.drawn = { requests: requestFeatures.map((f) => f.properties), pledges: arrows.map((x) => x.props) };
  }

  /** Pledges as arrows donor → requester: a line, a two-segment head, a dot at the donor's end. */
  function drawArrows(s) {
    const features = [];
    for (const { from, to, props } of s.arrows ?? []) {
      const shape = arrow(from, to);
      if (!shape) continue;
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: shape.line }, properties: { ...props, head: false } });
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: shape.head }, properties: { ...props, head: true } });
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: from }, properties: props });
    }
    map.getSource('aid-pledges')?.setData({ type: 'FeatureCollection', features });
  }

  // ------------------------------------------------------------ rendering
  function renderToggle() {
    toggleLabel.textContent = t('aidToggle');
    const n = st?.unseen ?? 0;
    badge.hidden = n === 0;
    badge.textContent = n === 0 ? '' : n > 99 ? '99+' : String(n);
  }

  /** Rebuilds the panel; the filing form is rebuilt only when forced (so live refreshes do not disturb typing). */
  function render({ force = false } = {}) {
    renderToggle();
    const s = st;
    if (!s) return;
    if (panel.hidden) return;
    headBox.replaceChildren(
      el('h2', { id: 'aid-title' }, t('aidTitle')),
      el('span', { id: 'aid-live', 'data-state': s.live, title: word('aidLive', s.live) },
        el('i', { class: 'dot' }), el('span', { id: 'aid-live-text', class: 'sr' }, word('aidLive', s.live))),
      el('button', { type: 'button', class: 'close', id: 'aid-close', 'aria-label': t('close'), onclick: () => setOpen(false) }, '×'));
    const tabs = isLeader() ? ['requests', 'incoming', 'inventory', 'agreements'] : ['area'];
    // The command's table needs room for its columns: the panel widens while it is shown.
    panel.dataset.wide = String(s.tab === 'area' && s.requestId == null && !s.filing);
    tabsBox.replaceChildren(...tabs.map((tab) => {
      const pending = tab === 'incoming' ? s.incoming.filter((p) => p.status === 'requested').length : 0;
      return el('button', { type: 'button', role: 'tab', id: `aid-tab-${tab}`, 'aria-selected': String(s.tab === tab),
        onclick: () => selectTab(tab) },
      tab === 'area' ? word('aidAreaTitle', s.user.role) : word('aidTabs', tab),
      pending ? el('span', { class: 'badge' }, String(pending)) : null);
    }));
    const confirming = s.confirming;
    msgBox.replaceChildren(...(s.message ? [el('p', { id: 'aid-message', class: s.message.error ? 'form-error' : 'aid-ok',
      role: s.message.error ? 'alert' : 'status' }, s.message.text)] : []),
    ...(confirming ? [el('div', { id: 'aid-confirm', class: 'pick-hint', role: 'alertdialog', 'aria-labelledby': 'aid-confirm-text' },
      el('p', { id: 'aid-confirm-text' }, confirming.text),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'aid-confirm-yes', class: 'primary', onclick: () => { s.confirming = null; confirming.run(); } }, t('aidConfirmYes')),
        el('button', { type: 'button', id: 'aid-confirm-no', onclick: () => { s.confirming = null; render(); } }, t('cancel'))))] : []));
    // A confirmation or an error is seen where it is said (on a phone the sheet may be scrolled down).
    const said = s.message ?? confirming;
    if (said && s.lastSaid !== said) msgBox.scrollIntoView?.({ block: 'nearest' });
    s.lastSaid = said;
    if (!(s.filing && !force && bodyBox.querySelector('#aid-form'))) bodyBox.replaceChildren(body(s));
    renderFeed();
  }

  function selectTab(tab) {
    const s = st;
    stopPicking();
    s.tab = tab;
    s.filing = null;
    drawDraft();
    if (s.requestId != null) { s.requestId = null; ctx.restoreRings(); drawMap(); }
    say(s, null);
    render({ force: true });
    loadTab(s);
  }

  function body(s) {
    if (!s.loaded && !s.message) return el('p', { class: 'muted' }, t('loading'));
    if (s.filing) return filingForm(s);
    if (s.requestId != null) return requestDetail(s);
    switch (s.tab) {
      case 'incoming': return incomingList(s);
      case 'inventory': return inventoryView(s);
      case 'agreements': return agreementsView(s);
      case 'area': return areaTable(s);
      default: return requestList(s);
    }
  }

  function renderFeed() {
    const s = st;
    if (!s || panel.hidden) return;
    feedBox.replaceChildren(
      el('h3', {}, t('aidFeed')),
      el('ul', { id: 'aid-feed' }, ...(s.feed.length ? s.feed.slice(0, 8).map((n) => el('li', { 'data-notification': n.id, 'data-kind': n.kind },
        el('time', { datetime: n.createdAt, class: 'muted' }, dateTime(n.createdAt)), ' ', textOf(n)))
        : [el('li', { class: 'muted' }, t('aidNoFeed'))])));
  }

  const urgencyBadge = (u) => el('span', { class: `urg urg-${u}` }, word('aidUrgency', u));
  const summary = (r, id) => el('p', { id, class: 'aid-summary', 'data-summary': r.summary }, word('aidSummary', r.summary));

  // ---- the leader's requests
  function requestCard(s, r) {
    return el('li', { class: 'aid-request', 'data-request': r.id, 'data-urgency': r.urgency },
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'link-button inline aid-open', onclick: () => openRequest(r.id, { fly: true }) },
          `${t('aidRequestTitle', r.id)} · ${nfc(r.hamlet)}`),
        urgencyBadge(r.urgency)),
      summary(r, null),
      el('p', { class: 'muted small' }, r.lines.map((l) => cardLine(r, l)).join(' · ')));
  }

  /** "Thuyền, xuồng: cam kết 5/6, đã đến 5, còn thiếu 1 chiếc" — what arrived and what is missing, not only what was promised. */
  function cardLine(r, l) {
    const parts = [`${S().aidStages.pledged.toLocaleLowerCase(locale())} ${number(l.pledged)}/${amount(l.quantity, l)}`];
    if (l.inTransit > 0) parts.push(`${S().aidStages.inTransit.toLocaleLowerCase(locale())} ${number(l.inTransit)}`);
    if (l.arrived > 0) parts.push(`${S().aidStages.arrived.toLocaleLowerCase(locale())} ${number(l.arrived)}`);
    if (r.status === 'open' && l.missing > 0) parts.push(t('aidOutstanding', amount(l.missing, l)));
    return `${typeName(l)}: ${parts.join(', ')}`;
  }

  function requestList(s) {
    const list = s.ownIds.map((id) => s.requests.get(id)).filter(Boolean);
    const open = list.filter((r) => r.status === 'open' || r.status === 'draft');
    const closed = list.filter((r) => !open.includes(r));
    return el('div', {},
      el('div', { class: 'actions' }, el('button', { type: 'button', id: 'aid-new', class: 'primary', onclick: startFiling }, t('aidNew'))),
      el('h3', {}, t('aidOpenRequests')),
      el('ul', { id: 'aid-requests', class: 'aid-list' }, ...(open.length ? open.map((r) => requestCard(s, r))
        : [el('li', { class: 'muted' }, t('aidNoRequests'))])),
      closed.length ? el('details', {}, el('summary', {}, `${t('aidClosedRequests')} (${closed.length})`),
        el('ul', { class: 'aid-list' }, ...closed.map((r) => requestCard(s, r)))) : null);
  }

  // ---- one request: lines, pledges, suggestions, actions
  function stage(label, level, n, quantity, key) {
    return el('span', { class: `stage lvl-${level}`, 'data-stage': key, 'data-level': level },
      `${label}: ${word('aidLevel', level)} (${number(n)}/${number(quantity)})`);
  }

  function pledgeItem(s, r, p) {
    const line = r.lines.find((l) => l.id === p.lineId) ?? types.get(p.resourceType);
    const type = types.get(p.resourceType);
    const qty = p.quantityAccepted != null ? `${number(p.quantityAccepted)}/${amount(p.quantityRequested, line)}` : amount(p.quantityRequested, line);
    const buttons = [];
    const btn = (action, body) => el('button', { type: 'button', class: `aid-${action}`,
      onclick: () => (action === 'dispatch' ? dispatchPledge(s, p, line, r) : movePledge(p, action, body, line)) }, word('aidPledgeActions', action));
    if (mayActFor(r.communeCode, r.provinceCode)) {
      if (p.status === 'requested' || p.status === 'accepted') buttons.push(btn('cancel'));
      if (p.status === 'dispatched') buttons.push(btn('arrive'));
      if (p.status === 'arrived' && type && !type.returnable) buttons.push(btn('consume'));
    }
    if (mayActFor(p.donorCode, null)) {
      if (p.status === 'requested') buttons.push(btn('accept'), btn('decline'));
      if (p.status === 'accepted') buttons.push(btn('dispatch'));
      if (p.status === 'arrived' && type?.returnable) buttons.push(btn('return'));
    }
    return el('li', { class: 'aid-pledge', 'data-pledge': p.id, 'data-status': p.status, 'data-donor': p.donorCode },
      el('div', { class: 'row' }, el('strong', {}, nfc(p.donorName)), el('span', { class: `pstatus ps-${p.status}` }, word('aidPledgeStatus', p.status))),
      el('p', { class: 'small' }, ofType(qty, line), p.onBehalf ? ` · ${t('aidOnBehalf', nfc(p.requestedByName ?? p.requestedBy))}` : '', p.note ? ` · ${nfc(p.note)}` : ''),
      buttons.length ? el('div', { class: 'actions small' }, ...buttons) : null);
  }

  function requestDetail(s) {
    const r = s.requests.get(s.requestId);
    const back = el('button', { type: 'button', id: 'aid-back', class: 'link-button inline', onclick: leaveRequest }, t('aidBack'));
    if (!r) return el('div', {}, back, el('p', { class: 'muted' }, t('loading')));
    const mine = mayActFor(r.communeCode, r.provinceCode);
    const parts = [back,
      el('h3', { id: 'aid-request-title' }, `${t('aidRequestTitle', r.id)} — ${nfc(r.communeName)}`),
      el('p', { class: 'meta' }, urgencyBadge(r.urgency), ' ',
        [word('aidHazard', r.hazard), nfc(r.hamlet), r.neededBy ? t('aidNeededByText', dateTime(r.neededBy)) : null,
          t('aidFiledAgo', ago(r.openedAt ?? r.createdAt))].filter(Boolean).join(' · ')),
      summary(r, 'aid-request-summary')];
    if (r.description) parts.push(el('p', { class: 'aid-description' }, nfc(r.description)));
    if (r.possibleDuplicateOf) parts.push(el('p', { class: 'muted small' }, t('aidDuplicateOf', r.possibleDuplicateOf)));
    if (r.escalatedAt) parts.push(el('p', { id: 'aid-escalated', class: 'aid-flag' }, t('aidEscalated', dateTime(r.escalatedAt), nfc(r.escalatedByName ?? r.escalatedBy))));
    const missing = r.status === 'open' ? r.lines.filter((l) => l.missing > 0) : [];
    if (missing.length) {
      parts.push(el('p', { id: 'aid-request-missing', class: 'aid-flag' },
        t('aidStillMissing', missing.map((l) => ofType(amount(l.missing, l), l)).join(', '))));
    }
    const amendable = mine && (r.status === 'open' || r.status === 'draft');
    parts.push(el('h4', {}, t('aidLinesTitle')),
      el('ul', { id: 'aid-lines', class: 'aid-list' }, ...r.lines.map((l) => lineItem(s, r, l, amendable))));
    if (amendable) parts.push(addLineForm(s, r));
    parts.push(el('h4', {}, t('aidPledgesTitle')),
      el('ul', { id: 'aid-pledges', class: 'aid-list' }, ...(r.pledges.length ? r.pledges.map((p) => pledgeItem(s, r, p))
        : [el('li', { class: 'muted' }, t('aidNoPledges'))])));
    if (mine && r.status === 'open') parts.push(matchesSection(s, r));
    if (mine) {
      const actions = [];
      if (r.status === 'draft') actions.push(el('button', { type: 'button', id: 'aid-open-request', onclick: () => moveRequest(r, 'open') }, t('aidOpenRequest')));
      if (r.status === 'open') actions.push(el('button', { type: 'button', id: 'aid-close-request', onclick: () => moveRequest(r, 'close') }, t('aidCloseRequest')));
      if (r.status === 'open' || r.status === 'draft') actions.push(el('button', { type: 'button', id: 'aid-cancel-request', onclick: () => moveRequest(r, 'cancel') }, t('aidCancelRequest')));
      if (!isLeader() && r.status === 'open' && !r.escalatedAt) {
        actions.push(el('button', { type: 'button', id: 'aid-escalate', class: 'primary',
          onclick: () => confirmThen(s, t('aidConfirmEscalate', r.id, nfc(r.communeName)), () => moveRequest(r, 'escalate')) }, t('aidEscalate')));
      }
      if (actions.length) parts.push(el('div', { class: 'actions wrap' }, ...actions));
    }
    return el('div', { id: 'aid-request', 'data-request': r.id, 'data-status': r.status, 'data-summary': r.summary }, ...parts);
  }

  /** A line with its stages: what is promised, what is on the road now, what has arrived, what nobody has promised yet. */
  function lineItem(s, r, l, amendable) {
    const editing = amendable && s.lineEdit?.id === l.id;
    const head = [el('strong', {}, typeName(l)), ` — ${amount(l.quantity, l)}`];
    if (editing) {
      const input = el('input', { type: 'number', class: 'aid-line-qty', min: 1, step: 1, inputmode: 'numeric', value: s.lineEdit.value,
        'aria-label': t('aidQty') });
      input.addEventListener('input', () => { s.lineEdit.value = input.value; });
      head.push(el('div', { class: 'actions small' }, input,
        el('button', { type: 'button', class: 'aid-save-line primary', onclick: () => changeLine(s, r, l, s.lineEdit.value) }, t('save')),
        el('button', { type: 'button', class: 'aid-cancel-line', onclick: () => { s.lineEdit = null; render(); } }, t('cancel'))));
    } else if (amendable) {
      head.push(' ', el('button', { type: 'button', class: 'link-button inline aid-edit-line',
        onclick: () => { s.lineEdit = { id: l.id, value: String(l.quantity) }; render(); } }, t('aidEditLine')));
    }
    return el('li', { 'data-line': l.id, 'data-type': l.resourceType, 'data-pledged': l.pledgedStatus, 'data-missing': l.missing }, ...head,
      el('div', { class: 'stages' },
        stage(S().aidStages.pledged, l.pledgedStatus, l.pledged, l.quantity, 'pledged'),
        l.inTransit > 0 ? stage(S().aidStages.inTransit, l.inTransitStatus, l.inTransit, l.quantity, 'inTransit') : null,
        stage(S().aidStages.arrived, l.arrivedStatus, l.arrived, l.quantity, 'arrived'),
        l.asked ? el('span', { class: 'stage muted' }, t('aidAwaiting', amount(l.asked, l))) : null));
  }

  function addLineForm(s, r) {
    const f = s.newLine?.request === r.id ? s.newLine : (s.newLine = { request: r.id, type: '', qty: '' });
    const used = new Set(r.lines.map((l) => l.resourceType));
    const type = el('select', { id: 'aid-new-line-type', 'aria-label': t('aidType') },
      ...typeOptions(f.type).map((o) => { if (o.tagName === 'OPTGROUP') for (const x of [...o.children]) if (used.has(x.value)) x.remove(); return o; }));
    type.addEventListener('change', () => { f.type = type.value; });
    const qty = el('input', { id: 'aid-new-line-qty', type: 'number', min: 1, step: 1, inputmode: 'numeric', value: f.qty, 'aria-label': t('aidQty') });
    qty.addEventListener('input', () => { f.qty = qty.value; });
    return el('div', { id: 'aid-add-line-form', class: 'aid-line' }, type, qty,
      el('button', { type: 'button', id: 'aid-add-line-submit', onclick: () => addLine(s, r, f) }, t('aidAddToRequest')));
  }

  async function changeLine(s, r, l, value) {
    const raw = String(value).trim();
    const quantity = /^\d+$/.test(raw) ? Number(raw) : null;
    if (!quantity) { say(s, fmt(S().aidLineN, typeName(l), S().aidInvalid.quantity), true); render(); return; }
    const res = await callApi(`/api/aid-requests/${r.id}/lines/${l.id}`, { method: 'PUT', body: { quantity } });
    if (st !== s) return;
    if (res.ok) { s.lineEdit = null; remember(s, res.data); say(s, t('aidLineChanged', typeName(l), amount(quantity, l))); }
    else say(s, aidProblem(res), true);
    await refresh(s);
  }

  async function addLine(s, r, f) {
    const raw = String(f.qty).trim();
    const res = await call(`/api/aid-requests/${r.id}/lines`, { resourceType: f.type || null, quantity: /^\d+$/.test(raw) ? Number(raw) : null });
    if (st !== s) return;
    if (res.ok) {
      s.newLine = null;
      remember(s, res.data);
      const x = types.get(f.type);
      say(s, t('aidLineAdded', ofType(amount(Number(raw), x), x), r.id));
    } else say(s, aidProblem(res), true);
    await refresh(s);
  }

  function matchesSection(s, r) {
    const m = s.matches.get(r.id);
    const section = el('section', { id: 'aid-matches' },
      el('div', { class: 'row' }, el('h4', {}, t('aidSuggestions')),
        el('button', { type: 'button', id: 'aid-refresh-matches', class: 'link-button inline',
          onclick: async () => { await loadMatches(s, r.id); render(); } }, t('aidRefreshMatches'))));
    if (!isLeader()) {
      const box = el('input', { type: 'checkbox', id: 'aid-include-affected', checked: s.includeAffected });
      box.addEventListener('change', async () => { s.includeAffected = box.checked; await loadMatches(s, r.id); render(); });
      section.append(el('label', { class: 'check' }, box, ' ', t('aidIncludeAffected')));
    }
    if (!m) { section.append(el('p', { class: 'muted' }, t('loading'))); return section; }
    if (m.error) { section.append(el('p', { class: 'form-error' }, m.error)); return section; }
    for (const lm of m.list) {
      const line = r.lines.find((l) => l.id === lm.lineId) ?? types.get(lm.resourceType);
      const rows = lm.outstanding > 0 ? lm.suggestions.map((x) => {
        const qty = x.suggestedQuantity > 0 ? x.suggestedQuantity : Math.min(x.available, lm.outstanding);
        return el('li', { class: 'aid-suggestion', 'data-donor': x.donorCode, 'data-tier': x.tier, 'data-affected': String(x.affected) },
          el('div', {}, el('span', { class: `tier tier-${x.tier}` }, word('aidTiers', x.tier)), ' ', el('strong', {}, nfc(x.donorName))),
          el('p', { class: 'reason small' }, nfc(lang === 'vi' ? x.reasonVi : x.reasonEn)),
          qty > 0 ? el('button', { type: 'button', class: 'aid-ask', onclick: (e) => { e.currentTarget.disabled = true; ask(r, line, x, qty); } },
            fmt(x.affected ? S().aidAskAnyway : S().aidAsk, amount(qty, line))) : null);
      }) : [];
      section.append(el('div', { class: 'aid-match', 'data-line': lm.lineId },
        el('h5', {}, typeName(line), ' — ', lm.outstanding > 0 ? t('aidOutstanding', amount(lm.outstanding, line)) : t('aidCovered')),
        lm.outstanding > 0 ? (rows.length ? el('ol', { class: 'aid-suggestions' }, ...rows) : el('p', { class: 'muted small' }, t('aidNoSuggestions'))) : null,
        lm.excluded.length ? el('p', { class: 'muted small aid-excluded' }, t('aidExcluded',
          lm.excluded.map((x) => `${nfc(x.donorName)} (${nfc(lang === 'vi' ? x.reasonVi.split(' · ').pop() : x.reasonEn.split(' · ').pop())})`).join('; '))) : null));
    }
    return section;
  }

  // ---- asks addressed to the leader's commune
  function incomingList(s) {
    if (!s.incoming.length) return el('p', { id: 'aid-incoming-none', class: 'muted' }, t('aidIncomingNone'));
    const out = el('div', { id: 'aid-incoming' });
    for (const status of INCOMING_ORDER) {
      const list = s.incoming.filter((p) => p.status === status);
      if (!list.length) continue;
      out.append(el('h3', {}, word('aidIncomingGroups', status)),
        el('ul', { class: 'aid-list' }, ...list.map((p) => incomingItem(s, p))));
    }
    return out;
  }

  function incomingItem(s, p) {
    const r = s.requests.get(requestIdOf(s, p));
    const line = r?.lines.find((l) => l.id === p.lineId) ?? types.get(p.resourceType);
    const type = types.get(p.resourceType);
    const actions = [];
    if (p.status === 'requested') {
      const input = el('input', { type: 'number', class: 'aid-accept-qty', min: 1, max: p.quantityRequested, step: 1, inputmode: 'numeric',
        value: s.acceptQty.get(p.id) ?? p.quantityRequested, 'aria-label': t('aidAcceptQty') });
      input.addEventListener('input', () => s.acceptQty.set(p.id, input.value));
      actions.push(el('label', { class: 'qty' }, t('aidAcceptQty'), ' ', input),
        el('button', { type: 'button', class: 'aid-accept primary', onclick: () => {
          // A bad entry is refused here in words; it never becomes "all that was asked".
          const raw = String(input.value).trim();
          const q = /^\d+$/.test(raw) ? Number(raw) : NaN;
          if (!(q >= 1 && q <= p.quantityRequested)) {
            say(s, fmt(S().aidAcceptInvalid, amount(p.quantityRequested, line)), true);
            render();
            return;
          }
          movePledge(p, 'accept', { quantity: q }, line);
        } }, word('aidPledgeActions', 'accept')),
        el('button', { type: 'button', class: 'aid-decline', onclick: () => movePledge(p, 'decline', {}, line) }, word('aidPledgeActions', 'decline')));
    } else if (p.status === 'accepted') {
      actions.push(el('button', { type: 'button', class: 'aid-dispatch primary', onclick: () => dispatchPledge(s, p, line, r) }, word('aidPledgeActions', 'dispatch')));
    } else if (p.status === 'arrived' && type?.returnable) {
      actions.push(el('button', { type: 'button', class: 'aid-return', onclick: () => movePledge(p, 'return', {}, line) }, word('aidPledgeActions', 'return')));
    }
    const qty = p.quantityAccepted != null ? `${number(p.quantityAccepted)}/${amount(p.quantityRequested, line)}` : amount(p.quantityRequested, line);
    return el('li', { class: 'aid-incoming', 'data-pledge': p.id, 'data-status': p.status, 'data-request': r?.id ?? '' },
      el('p', {}, el('strong', {}, t('aidIncomingAsk', r ? nfc(r.communeName) : '…', qty, typeName(line)))),
      el('p', { class: 'muted small' },
        r ? el('button', { type: 'button', class: 'link-button inline', onclick: () => openRequest(r.id, { fly: true }) },
          t('aidIncomingFor', nfc(r.hamlet), word('aidUrgency', r.urgency), r.id)) : null,
        ` · ${ago(p.createdAt)}`, p.note ? ` · ${nfc(p.note)}` : ''),
      actions.length ? el('div', { class: 'actions wrap small' }, ...actions) : null);
  }

  // ---- the command's screen: every open request of the area, most urgent and oldest first
  function areaTable(s) {
    const list = s.listIds.map((id) => s.requests.get(id)).filter((r) => r && r.status === 'open')
      .sort((a, b) => urgencyRank(a.urgency) - urgencyRank(b.urgency)
        || new Date(a.openedAt ?? a.createdAt).getTime() - new Date(b.openedAt ?? b.createdAt).getTime() || a.id - b.id);
    if (!list.length) return el('p', { id: 'aid-area-none', class: 'muted' }, t('aidNoRequests'));
    const lifeThreatening = list.filter((r) => r.urgency === 'life_threatening').length;
    const count = el('p', { id: 'aid-area-count', class: 'aid-flag' }, t('aidAreaCount', list.length),
      lifeThreatening ? ` · ${t('aidAreaLifeThreatening', lifeThreatening)}` : '');
    const head = ['aidColUrgency', 'aidColCommune', 'aidColHamlet', 'aidColUnmet', 'aidColAge', 'aidColStatus'].map((k) => el('th', { scope: 'col' }, t(k)));
    return el('div', {}, count, el('div', { class: 'table-wrap' }, el('table', { id: 'aid-area' },
      el('thead', {}, el('tr', {}, ...head)),
      el('tbody', {}, ...list.map((r) => {
        const unmet = r.lines.filter((l) => l.quantity > l.pledged).map((l) => `${amount(l.quantity - l.pledged, l)} ${typeName(l).toLocaleLowerCase(locale())}`);
        const row = el('tr', { 'data-request': r.id, 'data-urgency': r.urgency, tabindex: 0, onclick: () => openRequest(r.id, { fly: true }),
          onkeydown: (e) => { if (e.key === 'Enter') openRequest(r.id, { fly: true }); } },
        el('td', {}, urgencyBadge(r.urgency)),
        el('td', {}, nfc(r.communeName)),
        el('td', {}, nfc(r.hamlet)),
        el('td', { class: 'unmet' }, unmet.length ? unmet.join(', ') : t('aidNothingUnmet')),
        el('td', {}, ago(r.openedAt ?? r.createdAt)),
        el('td', {}, word('aidSummary', r.summary), r.escalatedAt ? ' ↑' : ''));
        return row;
      })))));
  }

  // ---- inventory
  function typeOptions(selected, { blank = true } = {}) {
    const groups = PILLARS.map((pillar) => el('optgroup', { label: word('aidPillars', pillar) },
      ...[...types.values()].filter((x) => x.pillar === pillar).map((x) =>
        el('option', { value: x.code, selected: x.code === selected }, `${typeName(x)} (${unitOf(x)})`))));
    return [blank ? el('option', { value: '' }, t('aidChooseType')) : null, ...groups].filter(Boolean);
  }

  function inventoryView(s) {
    if (!s.inventory) return el('p', { class: 'muted' }, t('loading'));
    const rows = [];
    for (const pillar of PILLARS) {
      rows.push(el('tr', { class: 'pillar' }, el('th', { colspan: 5, scope: 'rowgroup' }, word('aidPillars', pillar))));
      for (const x of [...types.values()].filter((y) => y.pillar === pillar)) {
        const item = s.inventory.get(x.code);
        const input = el('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', class: 'aid-onhand', 'aria-label': `${t('aidOnHand')}: ${typeName(x)}`,
          value: s.inventoryEdits.get(x.code) ?? item?.onHand ?? 0 });
        input.addEventListener('input', () => s.inventoryEdits.set(x.code, input.value));
        const save = el('button', { type: 'button', class: 'aid-save-row', onclick: () => saveInventory(s, x, input.value) }, t('save'));
        rows.push(el('tr', { 'data-type': x.code },
          el('th', { scope: 'row' }, typeName(x), el('span', { class: 'muted small' }, ` (${unitOf(x)})`)),
          el('td', {}, input),
          el('td', { class: 'num reserved' }, number(item?.reserved ?? 0)),
          el('td', { class: 'num available' }, number(item?.available ?? 0)),
          el('td', {}, save)));
      }
    }
    return el('div', {}, el('h3', {}, t('aidInventoryTitle')),
      el('div', { class: 'table-wrap' }, el('table', { id: 'aid-inventory' },
        el('thead', {}, el('tr', {}, el('th', {}, t('aidType')), el('th', {}, t('aidOnHand')), el('th', {}, t('aidReserved')),
          el('th', {}, t('aidAvailable')), el('th', {}))),
        el('tbody', {}, ...rows))));
  }

  async function saveInventory(s, type, value) {
    const onHand = /^\s*\d+\s*$/.test(String(value)) ? Number(value) : null;
    const res = await callApi(`/api/communes/${encodeURIComponent(s.commune)}/inventory/${encodeURIComponent(type.code)}`, { method: 'PUT', body: { onHand } });
    if (st !== s) return;
    if (res.ok) {
      s.inventory.set(type.code, res.data);
      s.inventoryEdits.delete(type.code);
      say(s, fmt(S().aidInventorySaved, typeName(type), amount(res.data.onHand, type)));
    } else say(s, aidProblem(res), true);
    render();
  }

  // ---- agreements
  function agreementsView(s) {
    if (!s.agreements) return el('p', { class: 'muted' }, t('loading'));
    const own = s.commune;
    const list = el('ul', { id: 'aid-agreements', class: 'aid-list' }, ...(s.agreements.length ? s.agreements.map((a) => {
      const side = a.communeA === own ? 'a' : a.communeB === own ? 'b' : null;
      const signedOwn = side === 'a' ? a.signedABy : side === 'b' ? a.signedBBy : true;
      const sig = (code, by, name) => (by ? t('aidSignedBy', nameOf(code), nfc(name ?? by)) : t('aidNotSigned', nameOf(code)));
      return el('li', { 'data-agreement': a.id, 'data-active': String(a.active) },
        el('div', { class: 'row' }, el('strong', {}, t('aidAgreementTitle', a.id, nameOf(a.communeA), nameOf(a.communeB))),
          el('span', { class: a.active ? 'pstatus ps-accepted' : 'pstatus' }, a.active ? t('aidActive') : t('aidNotActive'))),
        el('p', { class: 'small muted' }, a.validTo ? t('aidValidityTo', day(a.validFrom), day(a.validTo)) : t('aidValidity', day(a.validFrom)),
          ' · ', sig(a.communeA, a.signedABy, a.signedAByName), ' · ', sig(a.communeB, a.signedBBy, a.signedBByName)),
        el('ul', { class: 'small' }, ...a.lines.map((l) => {
          const x = types.get(l.resourceType);
          return el('li', {}, t('aidLends', nameOf(l.lenderCode), ofType(amount(l.maxQuantity, x), x)));
        })),
        side && !signedOwn ? el('div', { class: 'actions small' }, el('button', { type: 'button', class: 'aid-sign primary',
          onclick: () => sign(s, a, side) }, t('aidSign', nameOf(own)))) : null);
    }) : [el('li', { class: 'muted' }, t('aidNoAgreements'))]));
    return el('div', {}, el('h3', {}, t('aidAgreementsTitle')), list, agreementForm(s));
  }

  async function sign(s, a, side) {
    const res = await call(`/api/agreements/${a.id}/sign?side=${side}`);
    if (st !== s) return;
    say(s, res.ok ? t('aidSigned', a.id) : aidProblem(res), !res.ok);
    await loadAgreements(s).catch(() => {});
    render();
  }

  function agreementForm(s) {
    const f = s.agreementForm ??= { partner: '', lender: 'partner', type: '', max: '', contactOwn: '', contactPartner: '', validFrom: '', validTo: '', errors: null };
    const bind = (node, key) => { node.addEventListener('input', () => { f[key] = node.value; }); node.addEventListener('change', () => { f[key] = node.value; }); return node; };
    const partner = bind(el('select', { id: 'aid-ag-partner', name: 'partner' }, el('option', { value: '' }, '—'),
      ...(s.ring1 ?? []).map((n) => el('option', { value: n.code, selected: n.code === f.partner }, nfc(n.name)))), 'partner');
    const lender = bind(el('select', { id: 'aid-ag-lender' },
      el('option', { value: 'partner', selected: f.lender === 'partner' }, t('aidPartner')),
      el('option', { value: 'own', selected: f.lender === 'own' }, nameOf(s.commune))), 'lender');
    const type = bind(el('select', { id: 'aid-ag-type' }, ...typeOptions(f.type)), 'type');
    const max = bind(el('input', { id: 'aid-ag-max', type: 'number', min: 1, step: 1, value: f.max }), 'max');
    const field = (id, label, control) => [el('label', { for: id }, label), control];
    const form = el('form', { id: 'aid-agreement-form', class: 'stack card' },
      el('h4', {}, t('aidPropose')),
      ...field('aid-ag-partner', t('aidPartner'), partner),
      ...field('aid-ag-lender', t('aidLender'), lender),
      ...field('aid-ag-type', t('aidType'), type),
      ...field('aid-ag-max', t('aidMaxQty'), max),
      ...field('aid-ag-contact-own', t('aidContactOwn'), bind(el('input', { id: 'aid-ag-contact-own', maxlength: 200, value: f.contactOwn }), 'contactOwn')),
      ...field('aid-ag-contact-partner', t('aidContactPartner'), bind(el('input', { id: 'aid-ag-contact-partner', maxlength: 200, value: f.contactPartner }), 'contactPartner')),
      ...field('aid-ag-from', t('aidValidFrom'), bind(el('input', { id: 'aid-ag-from', type: 'date', value: f.validFrom }), 'validFrom')),
      ...field('aid-ag-to', t('aidValidTo'), bind(el('input', { id: 'aid-ag-to', type: 'date', value: f.validTo }), 'validTo')),
      f.errors ? el('p', { class: 'form-error', role: 'alert' }, f.errors) : null,
      el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'aid-ag-submit' }, t('aidProposeSubmit'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      f.errors = null;
      const missing = [!f.partner && t('aidNeedPartner'), !f.type && t('aidNeedType'), !/^\d+$/.test(String(f.max).trim()) && t('aidNeedMax')].filter(Boolean);
      if (missing.length) { f.errors = missing.join(' '); render(); return; }
      const res = await call('/api/agreements', {
        communeA: s.commune, communeB: f.partner, contactA: f.contactOwn.trim() || null, contactB: f.contactPartner.trim() || null,
        validFrom: f.validFrom || null, validTo: f.validTo || null,
        lines: [{ lenderCode: f.lender === 'own' ? s.commune : f.partner, resourceType: f.type || null, maxQuantity: /^\d+$/.test(f.max) ? Number(f.max) : null }],
      });
      if (st !== s) return;
      if (res.ok) {
        s.agreementForm = null;
        say(s, t('aidProposed', res.data.id));
        await loadAgreements(s).catch(() => {});
      } else f.errors = aidProblem(res);
      render();
    });
    return form;
  }

  // ---- the filing form
  function filingForm(s) {
    const f = s.filing;
    const errors = f.errors ?? {};
    const used = new Set();
    const fe = (key) => {
      const list = Object.keys(errors).filter((k) => k.toLowerCase() === key.toLowerCase());
      list.forEach((k) => used.add(k));
      return list.map((k) => el('p', { class: 'field-error form-error', 'data-field': k }, f.local?.[k] ?? fieldText(k, errors[k])));
    };
    const invalid = (key) => (Object.keys(errors).some((k) => k.toLowerCase() === key.toLowerCase()) ? 'true' : null);
    const bind = (node, key) => { node.addEventListener('input', () => { f[key] = node.value; }); node.addEventListener('change', () => { f[key] = node.value; }); return node; };
    const field = (id, label, control, key) => [el('label', { for: id }, label), control, ...fe(key)];

    const point = el('p', { id: 'aid-point', class: f.lon != null ? 'aid-ok' : 'muted', 'data-set': String(f.lon != null) },
      f.lon != null ? t('aidPointSet', coordinates(f.lat, f.lon)) : t('aidNoPoint'));
    const pick = el('button', { type: 'button', id: 'aid-pick', class: 'link-button inline', 'aria-invalid': invalid('location'),
      onclick: () => (s.picking ? (stopPicking(), render({ force: true })) : startPicking()) }, s.picking ? t('cancel') : t('aidPick'));

    const lines = f.lines.map((l, i) => {
      const type = el('select', { name: 'resourceType', 'aria-label': t('aidType'), 'aria-invalid': invalid(`lines[${i}].resourceType`) }, ...typeOptions(l.type));
      type.addEventListener('change', () => { l.type = type.value; });
      const qty = el('input', { name: 'quantity', type: 'number', min: 1, step: 1, inputmode: 'numeric', value: l.qty, 'aria-label': t('aidQty'),
        'aria-invalid': invalid(`lines[${i}].quantity`) });
      qty.addEventListener('input', () => { l.qty = qty.value; });
      return el('div', { class: 'aid-line', 'data-index': i }, type, qty,
        f.lines.length > 1 ? el('button', { type: 'button', class: 'remove', 'aria-label': t('aidRemoveLine'), title: t('aidRemoveLine'),
          onclick: () => { f.lines.splice(i, 1); f.errors = {}; render({ force: true }); } }, '×') : null,
        ...fe(`lines[${i}].resourceType`), ...fe(`lines[${i}].quantity`));
    });

    const form = el('form', { id: 'aid-form', class: 'stack', novalidate: true },
      el('h3', {}, t('aidFileTitle'), ' — ', nameOf(s.commune)),
      el('label', {}, t('aidPoint')), point,
      el('div', { class: 'row' }, pick),
      s.picking ? el('p', { id: 'aid-pick-hint', class: 'pick-hint', role: 'status' }, fmt(S().aidPicking, nameOf(s.commune))) : null,
      f.pickError ? el('p', { id: 'aid-pick-error', class: 'form-error', role: 'alert' }, f.pickError) : null,
      ...fe('location'),
      ...field('aid-hamlet', t('aidHamlet'), bind(el('input', { id: 'aid-hamlet', maxlength: 100, autocomplete: 'off', value: f.hamlet, 'aria-invalid': invalid('hamlet') }), 'hamlet'), 'hamlet'),
      ...field('aid-hazard', t('aidHazardLabel'), bind(el('select', { id: 'aid-hazard', 'aria-invalid': invalid('hazard') },
        ...HAZARDS.map((h) => el('option', { value: h, selected: h === f.hazard }, word('aidHazard', h)))), 'hazard'), 'hazard'),
      ...field('aid-urgency', t('aidUrgencyLabel'), bind(el('select', { id: 'aid-urgency', 'aria-invalid': invalid('urgency') },
        ...URGENCIES.map((u) => el('option', { value: u, selected: u === f.urgency }, word('aidUrgency', u)))), 'urgency'), 'urgency'),
      ...field('aid-needed-by', t('aidNeededBy'), bind(el('input', { id: 'aid-needed-by', type: 'datetime-local', value: f.neededBy, 'aria-invalid': invalid('neededBy') }), 'neededBy'), 'neededBy'),
      ...field('aid-description', t('aidDescription'), bind(el('textarea', { id: 'aid-description', rows: 3, maxlength: 2000, 'aria-invalid': invalid('description') }), 'description'), 'description'),
      el('fieldset', { id: 'aid-lines-input' }, el('legend', {}, t('aidLinesTitle')), ...lines,
        el('button', { type: 'button', id: 'aid-add-line', class: 'link-button inline',
          onclick: () => { f.lines.push({ type: '', qty: '' }); render({ force: true }); } }, t('aidAddLine')),
        ...fe('lines')));
    form.querySelector('#aid-description').value = f.description;
    const rest = Object.keys(errors).filter((k) => !used.has(k));
    if (rest.length || f.error) {
      form.append(el('p', { id: 'aid-form-error', class: 'form-error', role: 'alert' },
        [f.error, ...rest.map((k) => fieldText(k, errors[k]))].filter(Boolean).join(' ')));
    }
    if (f.duplicateOf != null) {
      form.append(el('div', { id: 'aid-duplicate', class: 'pick-hint', role: 'alert', tabindex: -1 },
        el('p', {}, t('aidDuplicate', f.duplicateOf || '?')),
        el('div', { class: 'actions' },
          el('button', { type: 'button', id: 'aid-confirm-duplicate', onclick: () => { f.duplicateOf = null; submitFiling(true); } }, t('aidDuplicateConfirm')),
          f.duplicateOf ? el('button', { type: 'button', id: 'aid-amend-duplicate', class: 'primary', onclick: () => openRequest(f.duplicateOf, { fly: true }) },
            t('aidAmendInstead', f.duplicateOf)) : null)));
    }
    form.append(el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'aid-submit', disabled: f.sending }, f.sending ? t('aidSending') : t('aidSubmit')),
      el('button', { type: 'button', id: 'aid-cancel-form', onclick: () => { stopPicking(); s.filing = null; drawDraft(); render({ force: true }); } }, t('cancel'))));
    form.addEventListener('submit', (e) => { e.preventDefault(); submitFiling(false); });
    return form;
  }

  return {
    start, stop, handleClick,
    render() { render({ force: true }); drawMap(); },
    open: (id) => openRequest(id, { fly: true }),
    close: () => { if (st && !panel.hidden) setOpen(false); },
    refresh: () => refresh(),
    get live() { return st?.live ?? null; },
    get requestId() { return st?.requestId ?? null; },
    get drawn() { return st ? structuredClone(st.drawn) : null; },
  };
}

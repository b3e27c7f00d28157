// @ts-check
// What a user does in mutual aid: open a request, ask a donor, move a pledge or a request, file a request (the
// point picked on the map), amend lines, count stock, sign agreements; the refresh after each.

import { $, nfc } from '../shared/dom.js';
import { t, fmt } from '../shared/i18n.js';
import { call as callApi } from '../shared/api.js';
import { fromLocalInput } from '../shared/format.js';
import { map } from '../map/view.js';
import { S, aidProblem, amount, codeOf, ofType, typeName } from './words.js';
import { A, LIVE, OPEN_KEY, commune, filingCommune, hooks, loadAgreements, loadHelp, loadInventory, loadLists, loadRequest, nameOf, remember } from './state.js';
import { panel, toggle } from './shell.js';
import { drawDraft, drawMap } from './layers.js';
import { hamletsOf, hamletAt } from '../hamlets/main.js';

export function setOpen(open, { remember = true } = {}) {
  if (!A.st) return;
  panel.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
  if (open) { document.body.dataset.aid = 'open'; A.st.unseen = 0; A.ctx.onOpen?.(); } else delete document.body.dataset.aid;
  if (remember) localStorage.setItem(OPEN_KEY, open ? '1' : '0');
  if (!open) stopPicking();
  hooks.render({ force: true });
  if (open) loadTab(A.st);
}

/** Reloads what the notifications may have changed: the lists, the open request and its suggestions, the open tab. */
export async function refresh(s = A.st) {
  if (!s || A.st !== s) return;
  try {
    const jobs = [loadLists(s)];
    if (s.requestId != null) jobs.push(loadRequest(s, s.requestId));
    if (s.tab === 'inventory' && s.inventory) jobs.push(loadInventory(s));
    await Promise.all(jobs);
  } catch (err) {
    if (A.st === s) s.message = { text: t('loadError', err.message), error: true };
  }
  if (A.st !== s) return;
  hooks.render();
  drawMap();
}

export async function loadTab(s) {
  if (!s) return;
  try {
    // Fresh each time the tab is shown (signatures and stock change without a notification to this commune)
    if (s.tab === 'inventory' && s.commune) { await loadInventory(s); hooks.render(); }
    if (s.tab === 'agreements' && s.commune) { await loadAgreements(s); hooks.render(); }
    if (s.tab === 'help') { await loadHelp(s); hooks.render(); }
  } catch (err) {
    if (A.st === s) { s.message = { text: t('loadError', err.message), error: true }; hooks.render(); }
  }
}

export function say(s, text, error = false) { s.message = text ? { text, error } : null; s.confirming = null; }

/** Moves that cannot be taken back (stock leaves, the province is called) are confirmed first, in words, at the top of the panel. */
export function confirmThen(s, text, run) {
  s.message = null;
  s.confirming = { text, run };
  hooks.render();
  $('#aid-confirm-yes')?.focus();
}

export function dispatchPledge(s, p, line, r) {
  const requester = r ? nfc(r.communeName) : '…';
  confirmThen(s, fmt(S().aidConfirmDispatch, ofType(amount(p.quantityAccepted ?? p.quantityRequested, line), line), nfc(p.donorName), requester),
    () => movePledge(p, 'dispatch', {}, line));
}

/** POST, a network failure answered as status 0. */
export const call = (url, body = {}) => callApi(url, { method: 'POST', body });

export async function openRequest(id, { fly = false } = {}) {
  const s = A.st;
  if (!s) return;
  id = Number(id);
  stopPicking();
  s.filing = null;
  s.requestId = id;
  say(s, null);
  if (panel.hidden) setOpen(true);
  hooks.render({ force: true });
  try {
    const r = await loadRequest(s, id);
    if (!r || A.st !== s || s.requestId !== id) return;
    hooks.render({ force: true });
    await drawMap();
    A.ctx.showRings(r.communeCode).catch(() => {});
    if (fly) await fitRequest(s, r);
  } catch (err) {
    if (A.st !== s) return;
    say(s, t('loadError', err.message), true);
    hooks.render();
  }
}

/** Shows the request and its donors on the map; a request without donors yet: its commune. */
export async function fitRequest(s, r) {
  const donors = await Promise.all(r.pledges.filter((p) => LIVE.has(p.status) && p.donorCode !== r.communeCode)
    .map((p) => commune(p.donorCode).catch(() => null)));
  const points = donors.filter((d) => d?.labelPoint).map((d) => d.labelPoint);
  const own = points.length ? null : await commune(r.communeCode).catch(() => null);
  if (A.st !== s || s.requestId !== r.id) return;
  if (own) A.ctx.fitBox(A.ctx.bounds([own.geometry, { coordinates: [r.lon, r.lat] }]));
  else A.ctx.fitPoints([[r.lon, r.lat], ...points]);
}

export function leaveRequest() {
  if (!A.st) return;
  A.st.requestId = null;
  say(A.st, null);
  hooks.render({ force: true });
  drawMap();
  A.ctx.restoreRings();
}

export async function ask(r, line, suggestion, quantity) {
  const s = A.st;
  const res = await call('/api/pledges', {
    lineId: line.id, donorCode: suggestion.donorCode, quantity,
    ...(suggestion.affected ? { overrideExclusion: true } : {}),
  });
  if (A.st !== s) return;
  say(s, res.ok ? fmt(S().aidAskedDone, nfc(suggestion.donorName), amount(quantity, line)) : aidProblem(res), !res.ok);
  await refresh(s);
  const updated = s.requests.get(r.id);
  if (res.ok && A.st === s && updated && s.requestId === r.id) await fitRequest(s, updated);    // the new arrow in view
}

export async function movePledge(p, action, body = {}, line = null) {
  const s = A.st;
  const res = await call(`/api/pledges/${p.id}/${action}`, body);
  if (A.st !== s) return;
  if (res.ok) {
    s.acceptQty.delete(p.id);
    say(s, fmt(S().aidDone[action], amount(res.data?.quantityAccepted ?? p.quantityAccepted ?? p.quantityRequested, line)));
  } else say(s, aidProblem(res), true);
  await refresh(s);
}

export async function moveRequest(r, action) {
  const s = A.st;
  const res = await call(`/api/aid-requests/${r.id}/${action}`);
  if (A.st !== s) return;
  if (res.ok) { remember(s, res.data); say(s, null); } else say(s, aidProblem(res), true);
  await refresh(s);
}

export function newFiling() {
  return { hamlet: '', hamletId: null, registry: null, hazard: 'flood', urgency: 'urgent', neededBy: '', description: '', lines: [{ type: '', qty: '' }],
    lon: null, lat: null, errors: {}, error: null, pickError: null, duplicateOf: null, sending: false };
}

/**
 * Opens the filing form: the leader's own commune, or (prefill) a help report's commune, hamlet, point and text,
 * which is then sent as the report's conversion.
 * @param {Record<string, any> | null} prefill
 */
export function startFiling(prefill = null) {
  const s = A.st;
  if (!s || !(prefill?.communeCode ?? s.commune)) return;
  const f = s.filing = { ...newFiling(), ...(prefill ?? {}) };
  f.hamlet ??= '';
  if (f.lon == null || f.lat == null) { f.lon = null; f.lat = null; }
  s.requestId = null;
  say(s, null);
  hooks.render({ force: true });
  $('#aid-hamlet-pick')?.focus();
  // The commune's registered hamlets: picking one places the request (free text stays possible).
  drawDraft();
  hamletsOf(filingCommune(s)).then((list) => { if (s.filing === f) { f.registry = list; hooks.render({ force: true }); } }).catch(() => {});
}

/** The filing's hamlet from the registry (or none: free text): its name and point become the request's. */
export function chooseHamlet(/** @type {any} */ h) {
  const f = A.st?.filing;
  if (!f) return;
  f.hamletId = h?.id ?? null;
  if (h) {
    f.hamlet = nfc(h.properties.name);
    [f.lon, f.lat] = h.geometry.coordinates;
    f.pickError = null;
    delete f.errors.location;
    delete f.errors.hamlet;
    drawDraft();
  }
  hooks.render({ force: true });
}

export function startPicking() {
  const s = A.st;
  if (!s?.filing) return;
  s.picking = true;
  s.filing.pickError = null;
  document.body.dataset.aidPicking = 'true';
  if (map) map.getCanvas().style.cursor = 'crosshair';
  hooks.render({ force: true });
  commune(filingCommune(s)).then((c) => { if (A.st === s && s.picking) A.ctx.fitBox(A.ctx.bounds([c.geometry])); }).catch(() => {});
}

export function stopPicking() {
  if (!A.st?.picking) return;
  A.st.picking = false;
  delete document.body.dataset.aidPicking;
  if (map) map.getCanvas().style.cursor = '';
}

export async function submitFiling(confirmDuplicate = false) {
  const s = A.st;
  const f = s?.filing;
  if (!f || f.sending) return;
  f.sending = true;
  f.errors = {};
  f.error = null;
  hooks.render({ force: true });
  const body = {
    ...(f.helpReportId ? {} : { communeCode: s.commune }), lon: f.lon, lat: f.lat, hamlet: f.hamlet.trim(), hamletId: f.hamletId, hazard: f.hazard, urgency: f.urgency,
    description: f.description.trim() || null, neededBy: fromLocalInput(f.neededBy),
    lines: f.lines.map((l) => ({ resourceType: l.type || null, quantity: /^\d+$/.test(String(l.qty).trim()) ? Number(l.qty) : null })),
    ...(confirmDuplicate ? { confirmDuplicate: true } : {}),
  };
  // The catalogue's most per line, said with the type and unit before anything is sent (a slip: 1,000,000 boats).
  f.local = {};
  f.lines.forEach((l, i) => {
    const x = A.types.get(l.type);
    const q = body.lines[i].quantity;
    if (x?.maxPerLine && q > x.maxPerLine) f.local[`lines[${i}].quantity`] = fmt(S().aidLineN, i + 1, fmt(S().aidTooMany, ofType(amount(x.maxPerLine, x), x)));
  });
  if (Object.keys(f.local).length) {
    f.sending = false;
    f.errors = Object.fromEntries(Object.keys(f.local).map((k) => [k, [f.local[k]]]));
    hooks.render({ force: true });
    return;
  }
  // From a help report: the report's conversion (the request and the report's new status in one transaction).
  const res = await call(f.helpReportId ? `/api/help-reports/${f.helpReportId}/convert` : '/api/aid-requests', body);
  if (A.st !== s || s.filing !== f) return;
  f.sending = false;
  if (res.ok) {
    const request = f.helpReportId ? res.data.request : res.data;
    s.filing = null;
    drawDraft();
    remember(s, request);
    if (request.communeCode === s.commune) s.ownIds = [request.id, ...s.ownIds.filter((id) => id !== request.id)];
    if (f.helpReportId) s.help = (s.help ?? []).filter((x) => x.id !== f.helpReportId);
    await openRequest(request.id, { fly: true });
    say(s, f.helpReportId ? fmt(S().helpConverted, f.helpReportId, request.id) : fmt(S().aidFiled, request.id));
    hooks.render();
    return;
  }
  if (res.status === 409 && res.problem?.code === 'aid.request.possible_duplicate') {
    f.duplicateOf = Number(res.problem.duplicateOf) || 0;
  } else if (res.status === 400 && res.problem?.errors) {
    f.errors = res.problem.errors;
  } else {
    f.error = aidProblem(res);
  }
  hooks.render({ force: true });
  (panel.querySelector('#aid-form [aria-invalid="true"]') ?? $('#aid-duplicate'))?.focus?.();
}

/** The map click while picking the place of a request: it must be inside the commune. */
export function handleClick(e) {
  const s = A.st;
  if (!s) return false;
  if (s.picking && s.filing) {
    // a hamlet of the commune under the click is taken with its name
    const h = hamletAt(e);
    const own = filingCommune(s);
    if (h && h.properties.communeCode === own) { stopPicking(); chooseHamlet(h); return true; }
    const id = map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
    if (id == null || codeOf(id) !== own) {
      s.filing.pickError = fmt(S().aidPickOutside, nameOf(own));
    } else {
      s.filing.lon = Math.round(e.lngLat.lng * 1e6) / 1e6;
      s.filing.lat = Math.round(e.lngLat.lat * 1e6) / 1e6;
      s.filing.pickError = null;
      delete s.filing.errors.location;
      stopPicking();
      drawDraft();
    }
    hooks.render({ force: true });
    return true;
  }
  if (!map.getLayer('aid-requests')) return false;
  const { x, y } = e.point;
  const hit = map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]], { layers: ['aid-requests'] })[0];
  if (hit) { openRequest(hit.properties.id); return true; }
  return false;
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && A.st?.picking) { stopPicking(); hooks.render({ force: true }); }
});

export async function changeLine(s, r, l, value) {
  const raw = String(value).trim();
  const quantity = /^\d+$/.test(raw) ? Number(raw) : null;
  if (!quantity) { say(s, fmt(S().aidLineN, typeName(l), S().aidInvalid.quantity), true); hooks.render(); return; }
  const res = await callApi(`/api/aid-requests/${r.id}/lines/${l.id}`, { method: 'PUT', body: { quantity } });
  if (A.st !== s) return;
  if (res.ok) { s.lineEdit = null; remember(s, res.data); say(s, t('aidLineChanged', typeName(l), amount(quantity, l))); }
  else say(s, aidProblem(res), true);
  await refresh(s);
}

export async function addLine(s, r, f) {
  const raw = String(f.qty).trim();
  const res = await call(`/api/aid-requests/${r.id}/lines`, { resourceType: f.type || null, quantity: /^\d+$/.test(raw) ? Number(raw) : null });
  if (A.st !== s) return;
  if (res.ok) {
    s.newLine = null;
    remember(s, res.data);
    const x = A.types.get(f.type);
    say(s, t('aidLineAdded', ofType(amount(Number(raw), x), x), r.id));
  } else say(s, aidProblem(res), true);
  await refresh(s);
}

export async function saveInventory(s, type, value) {
  const onHand = /^\s*\d+\s*$/.test(String(value)) ? Number(value) : null;
  const res = await callApi(`/api/communes/${encodeURIComponent(s.commune)}/inventory/${encodeURIComponent(type.code)}`, { method: 'PUT', body: { onHand } });
  if (A.st !== s) return;
  if (res.ok) {
    s.inventory.set(type.code, res.data);
    s.inventoryEdits.delete(type.code);
    say(s, fmt(S().aidInventorySaved, typeName(type), amount(res.data.onHand, type)));
  } else say(s, aidProblem(res), true);
  hooks.render();
}

// ---- agreements
export async function signAgreement(s, a, side) {
  const res = await call(`/api/agreements/${a.id}/sign?side=${side}`);
  if (A.st !== s) return;
  say(s, res.ok ? t('aidSigned', a.id) : aidProblem(res), !res.ok);
  await loadAgreements(s).catch(() => {});
  hooks.render();
}

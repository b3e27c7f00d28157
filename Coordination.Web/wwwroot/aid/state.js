// @ts-check
// Mutual aid's state: the signed-in user's view (A.st: requests, pledges, the open tab, the live feed …; null when
// signed out), the resource catalogue, commune names, who may act where, and the loads from the API. The modules
// above it (layers, actions, live, views) reach the rendering through `hooks`, set by main.js, so the imports
// between them never go round in a circle.

/** The shared state: `st` is everything about the signed-in user's view; `ctx` what the map page passed in. */
export const A = {
  /** @type {any} */ st: null,
  /** @type {Map<string, import('./words.js').ResourceType>} resource-type code → type */ types: new Map(),
  /** @type {any} */ ctx: null,
};
/** Rendering and opening, wired by main.js (views.js and actions.js sit above this module). */
export const hooks = {
  render: (/** @type {{ force?: boolean }} */ _options = {}) => {},
  renderToggle: () => {},
  renderFeed: () => {},
  setOpen: (/** @type {boolean} */ _open) => {},
};
export const OPEN_KEY = 'coordination.aidOpen';
/** Pledge states drawn on the map and listed as "live" on the donor side. */
export const LIVE = new Set(['requested', 'accepted', 'dispatched', 'arrived']);
export const PILLARS = ['command', 'forces', 'means', 'logistics'];
export const INCOMING_ORDER = ['requested', 'accepted', 'dispatched', 'arrived'];

import { nfc } from '../shared/dom.js';
import { getJson, api } from '../shared/api.js';
import { aidProblem } from './words.js';

export const communes = new Map();       // code → Promise<{ code, name, labelPoint, geometry }>

export const commune = (code) => {
  if (!communes.has(code)) {
    communes.set(code, getJson(`/api/communes/${encodeURIComponent(code)}`).then((f) => ({
      code, name: nfc(f.properties?.name), labelPoint: f.properties?.labelPoint, geometry: f.geometry,
    })).catch((err) => { communes.delete(code); throw err; }));
  }
  return communes.get(code);
};
export const names = new Map();          // code → name, as learnt (for synchronous rendering)
export const nameOf = (code) => names.get(code) ?? code;
export const learnName = (code, name) => { if (code && name) names.set(code, nfc(name)); };

export const isLeader = () => A.st?.user.role === 'commune_leader';
export function mayActFor(code, provinceCode) {
  const user = A.st?.user;
  if (!user) return false;
  if (user.role === 'admin') return true;
  const scope = user.scope;
  if (!scope) return false;
  if (scope.kind === 'commune') return scope.code === code;
  if (scope.kind === 'defense_area') return A.st.area.has(code);
  if (scope.kind === 'province') return provinceCode != null && provinceCode === scope.code;
  return false;
}

export function remember(s, r) {
  s.requests.set(r.id, r);
  learnName(r.communeCode, r.communeName);
  for (const l of r.lines ?? []) s.lineIndex.set(l.id, r.id);
  for (const p of r.pledges ?? []) { learnName(p.donorCode, p.donorName); s.pledgeRequest.set(p.id, r.id); }
}

export const requestIdOf = (s, p) => s.lineIndex.get(p.lineId) ?? s.pledgeRequest.get(p.id);

/** The open help reports (CUU/SOS) of the user's commune, or of every commune they act for; oldest first. */
export async function loadHelp(s) {
  const list = await getJson(`/api/help-reports?status=open${s.commune ? `&commune=${encodeURIComponent(s.commune)}` : ''}`);
  if (A.st !== s) return;
  s.help = list;
  for (const r of list) learnName(r.communeCode, r.communeName);
}

/** The commune a filing is for: the leader's, or the commune of the help report it turns into a request. */
export const filingCommune = (s) => s.filing?.communeCode ?? s.commune;

export async function loadLists(s) {
  await loadHelp(s);
  if (s.commune) {
    const [own, incoming] = await Promise.all([
      getJson(`/api/aid-requests?commune=${encodeURIComponent(s.commune)}`),
      getJson(`/api/pledges?donor=${encodeURIComponent(s.commune)}`),
    ]);
    if (A.st !== s) return;
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
    if (A.st !== s) return;
    for (const r of list) remember(s, r);
    s.listIds = list.map((r) => r.id);
  }
}

/**
 * The request behind each ask addressed to us. A pledge names its line, not its request: known lines and the
 * notifications (pledgeId → requestId) answer most; the list of open requests answers the rest.
 */
export async function resolveIncoming(s) {
  const wanted = new Set();
  for (const p of s.incoming) {
    const id = requestIdOf(s, p);
    if (id != null && !s.requests.has(id)) wanted.add(id);
  }
  await Promise.all([...wanted].map((id) => getJson(`/api/aid-requests/${id}`).then((r) => { if (A.st === s) remember(s, r); }).catch(() => {})));
  if (A.st !== s) return;
  if (s.incoming.some((p) => requestIdOf(s, p) == null)) {
    const open = await getJson('/api/aid-requests?status=open');
    if (A.st !== s) return;
    for (const r of open) remember(s, r);
  }
}

export async function loadRequest(s, id) {
  const r = await getJson(`/api/aid-requests/${encodeURIComponent(id)}`);
  if (A.st !== s) return null;
  remember(s, r);
  if (r.status === 'open' && mayActFor(r.communeCode, r.provinceCode)) await loadMatches(s, id);
  else s.matches.delete(id);
  return r;
}

export async function loadMatches(s, id) {
  const include = s.includeAffected && !isLeader();
  const r = await api(`/api/aid-requests/${encodeURIComponent(id)}/matches${include ? '?includeAffected=true' : ''}`);
  if (A.st !== s) return;
  s.matches.set(id, r.ok ? { list: r.data } : { error: aidProblem(r) });
  for (const m of r.data ?? []) for (const x of [...m.suggestions, ...m.excluded]) learnName(x.donorCode, x.donorName);
}

export async function loadInventory(s) {
  const list = await getJson(`/api/communes/${encodeURIComponent(s.commune)}/inventory`);
  if (A.st === s) s.inventory = new Map(list.map((i) => [i.resourceType, i]));
}

export async function loadAgreements(s) {
  const [list, neighbours] = await Promise.all([
    getJson(`/api/agreements?commune=${encodeURIComponent(s.commune)}`),
    s.ring1 ? null : getJson(`/api/communes/${encodeURIComponent(s.commune)}/neighbours?rings=1`),
  ]);
  if (A.st !== s) return;
  s.agreements = list;
  if (neighbours) {
    s.ring1 = neighbours.neighbours.filter((n) => n.ring === 1);
    for (const n of s.ring1) learnName(n.code, n.name);
  }
  // Names of partners further away, for the list
  const unknown = [...new Set(list.flatMap((a) => [a.communeA, a.communeB]))].filter((c) => !names.has(c));
  await Promise.all(unknown.map((c) => commune(c).then((x) => learnName(c, x.name)).catch(() => {})));
}

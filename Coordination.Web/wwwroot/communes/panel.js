// @ts-check
// The commune panel (#panel): a commune selected on the map or found by name — its facts, its neighbours by ring
// and its duty contact (contact.js) — with its rings shaded on the map.

import { $, el, nfc } from '../shared/dom.js';
import { t, group } from '../shared/i18n.js';
import { getJson } from '../shared/api.js';
import { number, length } from '../shared/format.js';
import { mapReady, paintSelection, clearRings, bounds, fitBox, codeOf } from '../map/view.js';
import { contactFor, forgetContact, renderContact } from './contact.js';

/**
 * GET /api/communes/{code}: a GeoJSON feature.
 * @typedef {{ code: string, name: string, kind?: string, provinceCode?: string, provinceName?: string,
 *   population?: number, populationUncertain?: boolean, areaKm2?: number, formerNames?: string[],
 *   adminCenter?: string, defenseArea?: { id: number | string, name: string, isSample?: boolean } | null,
 *   labelPoint?: [number, number] }} CommuneProperties
 * @typedef {{ type: 'Feature', geometry: import('../map/view.js').Geometry, properties: CommuneProperties }} CommuneFeature
 */

/** The commune kind ("xã", "phường", "đặc khu") as a label. */
export const kindLabel = (/** @type {unknown} */ k) => group('kinds')[nfc(k).toLowerCase()] ?? nfc(k);

/**
 * What the panel needs from the features beside it (offices and floods show their part of the commune).
 * @type {{ beforeSelect(): void, showCommune(code: string, props: CommuneProperties): void, hideCommune(): void }}
 */
const hooks = { beforeSelect() {}, showCommune() {}, hideCommune() {} };
export const setPanelHooks = (/** @type {Partial<typeof hooks>} */ h) => { Object.assign(hooks, h); };

/** @type {{ code: string, feature: CommuneFeature, neighbours: import('../map/view.js').Neighbours } | null} */
let current = null;
let selectToken = 0;
/** @type {AbortController | null} */
let selectAbort = null;

/** The selected commune, once loaded. */
export const selected = () => current;

/** Selects a commune by code: highlights it and its neighbours and fills the panel. */
export async function select(/** @type {string | number} */ code, { fly = false } = {}) {
  const c = codeOf(code);
  const token = ++selectToken;
  selectAbort?.abort();
  selectAbort = new AbortController();
  hooks.beforeSelect();
  const panel = $('#panel');
  panel.dataset.code = c;
  panel.dataset.state = 'loading';
  document.body.dataset.panel = 'open';
  $('#error').hidden = true;
  try {
    const [feature, neighbours] = await Promise.all([
      getJson(`/api/communes/${encodeURIComponent(c)}`, selectAbort.signal),
      getJson(`/api/communes/${encodeURIComponent(c)}/neighbours?rings=2`, selectAbort.signal),
    ]);
    if (token !== selectToken) return;
    current = { code: c, feature, neighbours };
    contactFor(c, feature.properties ?? {});
    hooks.showCommune(c, feature.properties ?? {});
    renderPanel();
    panel.dataset.state = 'ready';
    await mapReady;
    if (token !== selectToken) return;
    paintSelection(neighbours);
    if (fly) fitBox(bounds([feature.geometry]));
  } catch (err) {
    if (/** @type {Error} */ (err).name === 'AbortError' || token !== selectToken) return;
    panel.dataset.state = 'error';
    const box = $('#error');
    box.textContent = t('loadError', /** @type {Error} */ (err).message);
    box.hidden = false;
  }
}

export function clearSelection() {
  leaveCommune();
  const panel = $('#panel');
  panel.dataset.state = 'empty';
  delete document.body.dataset.panel;
  $('#hint').hidden = false;
  $('#error').hidden = true;
}

/** Forgets the selected commune (an office takes the panel over, or the panel closes). */
export function leaveCommune() {
  selectToken++;
  selectAbort?.abort();
  current = null;
  forgetContact();
  delete $('#panel').dataset.code;
  $('#detail').hidden = true;
  hooks.hideCommune();
  mapReady.then(clearRings);
}

export function renderPanel() {
  if (!current) return;
  const p = /** @type {CommuneProperties} */ (current.feature.properties ?? {});
  const data = current.neighbours;
  $('#hint').hidden = true;
  $('#detail').hidden = false;
  $('#name').textContent = nfc(p.name);
  $('#meta').textContent = [kindLabel(p.kind), nfc(p.provinceName)].filter(Boolean).join(' · ');

  /** @type {Node[]} */
  const facts = [];
  const fact = (/** @type {string} */ label, /** @type {(string | null)[]} */ ...value) => facts.push(el('dt', {}, label), el('dd', {}, ...value));
  fact(t('code'), nfc(p.code));
  if (p.population != null) fact(t('population'), number(p.population), p.populationUncertain ? ` ${t('approx')}` : '');
  if (p.areaKm2 != null) fact(t('area'), `${number(p.areaKm2, 1)} km²`);
  if (p.formerNames?.length) fact(t('mergedFrom'), p.formerNames.map(nfc).join(', '));
  if (p.adminCenter) fact(t('adminCenter'), nfc(p.adminCenter));
  if (p.defenseArea) fact(t('defenseArea'), nfc(p.defenseArea.name), p.defenseArea.isSample ? ` ${t('sample')}` : '');
  $('#facts').replaceChildren(...facts);

  const ring1 = data.neighbours.filter((n) => n.ring === 1);
  const ring2 = data.neighbours.filter((n) => n.ring >= 2);
  const names = new Map(ring1.map((n) => [n.code, n.name]));
  const item = (/** @type {{ code: string, name: string }} */ n, /** @type {string | number} */ ring, /** @type {string} */ detail, /** @type {string | null} */ title) =>
    el('li', { 'data-code': n.code, 'data-ring': ring },
      el('button', { type: 'button', onclick: () => select(n.code, { fly: true }) }, nfc(n.name)),
      el('span', { class: 'val', title }, detail));
  const fill = (/** @type {string} */ id, /** @type {Node[]} */ items) => {
    $(`#${id}`).replaceChildren(...(items.length ? items : [el('li', { class: 'none' }, t('none'))]));
    $(`#${id}-count`).textContent = `(${items.length})`;
  };
  fill('ring1', ring1.map((n) => item(n, 1, length(n.sharedBorderM), t('sharedBorder'))));
  fill('ring2', ring2.map((n) => item(n, n.ring, n.via ? t('via', nfc(names.get(n.via) ?? n.via)) : '', null)));
  fill('corners', (data.corners ?? []).map((n) => item(n, 'corner', t('notNeighbour'), null)));
  renderContact();
}

$('#close').addEventListener('click', clearSelection);

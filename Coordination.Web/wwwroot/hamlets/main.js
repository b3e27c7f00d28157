// @ts-check
// Hamlets (thôn, bản, tổ dân phố): labelled points on the map from zoom 11, the list of the selected commune's
// hamlets in its panel, and — for those who act for the commune — adding, moving, renaming, removing and a CSV
// import. Loaded lazily (a commune opened, or the map zoomed in): the national first view never downloads it.
// Mutual aid asks hamletsOf(code) for the filing form.

import { $, el, nfc } from '../shared/dom.js';
import { t, useStrings, useProblems } from '../shared/i18n.js';
import { getJson, call } from '../shared/api.js';
import { number } from '../shared/format.js';
import { problemText, rowProblemTexts } from '../shared/problems.js';
import { actsFor, onScope } from '../shared/scope.js';
import { FONT } from '../map/view.js';
import { loadInView } from '../map/inview.js';

/**
 * A hamlet as GET /api/hamlets answers it.
 * @typedef {{ type: 'Feature', id: number, geometry: { type: 'Point', coordinates: [number, number] },
 *   properties: { communeCode: string, name: string, households?: number | null, population?: number | null,
 *   floodProne: boolean, isSample: boolean } }} HamletFeature
 * @typedef {{ id: number | null, name: string, households: string, population: string, floodProne: boolean,
 *   lon: number | null, lat: number | null, sending: boolean, error: string | null }} Draft
 */

export const HAMLET_MIN_ZOOM = 11;
const STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
const PROBLEMS = { vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url) };

/** @type {Map<number, HamletFeature>} every hamlet seen, by id (the map's source) */
const seen = new Map();
/** @type {Map<string, Promise<HamletFeature[]>>} a commune's hamlets, once asked */
const byCommune = new Map();
/** @type {any} */
let ctx = null;
/** @type {{ code: string, provinceCode?: string, list: HamletFeature[] | null, error: string | null, draft: Draft | null,
 *   picking: boolean, importing: boolean, imported: string | null, importErrors: string[] | null } | null} */
let panel = null;

// A commander's area arrives after sign-in: the edit buttons follow it.
onScope(() => render());

/** The hamlets of a commune, in name order (cached; a write refreshes it). */
export function hamletsOf(/** @type {string} */ code) {
  if (!byCommune.has(code)) {
    byCommune.set(code, getJson(`/api/hamlets?commune=${encodeURIComponent(code)}`).then((fc) => {
      for (const f of fc.features) seen.set(f.id, f);
      draw();
      return fc.features;
    }).catch((err) => { byCommune.delete(code); throw err; }));
  }
  return /** @type {Promise<HamletFeature[]>} */ (byCommune.get(code));
}

/** The hamlet drawn under a map click, if any (the filing form picks one this way). */
export function hamletAt(/** @type {any} */ e) {
  if (!ctx?.map.getLayer('hamlets-dot')) return null;
  const f = ctx.map.queryRenderedFeatures([[e.point.x - 8, e.point.y - 8], [e.point.x + 8, e.point.y + 8]], { layers: ['hamlets-dot', 'hamlets-label'] })[0];
  return f ? seen.get(Number(f.id)) ?? null : null;
}

function draw() {
  const source = ctx?.map.getSource('hamlets');
  source?.setData({ type: 'FeatureCollection', features: [...seen.values()] });
}

/**
 * Adds the layers and the panel section. ctx: the map page's map, mapReady and flyToPoint.
 * @param {{ map: any, mapReady: Promise<unknown>, flyToPoint: (p: [number, number]) => void, basemap: boolean }} c
 */
export async function initHamlets(c) {
  ctx = c;
  await Promise.all([useStrings(STRINGS), useProblems(PROBLEMS)]);
  await c.mapReady;
  const { map } = c;
  map.addSource('hamlets', { type: 'geojson', data: { type: 'FeatureCollection', features: [...seen.values()] } });
  map.addLayer({
    id: 'hamlets-dot', type: 'circle', source: 'hamlets', minzoom: HAMLET_MIN_ZOOM,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 3.5, 15, 6],
      'circle-color': ['case', ['get', 'isSample'], '#8a8f94', '#5d4037'],
      'circle-stroke-color': ['case', ['get', 'floodProne'], '#1e88e5', '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'floodProne'], 2.5, 1.5],
    },
  });
  // Only with the app's own glyphs (a configured basemap brings its own glyph server, without DejaVu).
  if (!c.basemap) {
    map.addLayer({
      id: 'hamlets-label', type: 'symbol', source: 'hamlets', minzoom: HAMLET_MIN_ZOOM,
      layout: {
        'text-field': ['get', 'name'], 'text-font': FONT.regular, 'text-size': ['interpolate', ['linear'], ['zoom'], 11, 10, 15, 13],
        'text-offset': [0, 0.9], 'text-anchor': 'top', 'text-max-width': 8, 'text-optional': true,
      },
      paint: { 'text-color': '#4e342e', 'text-halo-color': '#ffffff', 'text-halo-width': 1.3 },
    });
  }
  draw();
  // the hamlets in view once the map is zoomed in far enough to draw them
  loadInView(map, HAMLET_MIN_ZOOM, 20, 'hamlets', async (bbox) => {
    const fc = await getJson(`/api/hamlets?bbox=${bbox}`);
    for (const f of fc.features) seen.set(f.id, f);
    draw();
  });
}

// ---------------------------------------------------------------- the commune panel's section

/** The panel opened a commune: its hamlets are listed (and editable by those who act for it). */
export function showCommune(/** @type {string} */ code, /** @type {{ provinceCode?: string }} */ props) {
  panel = { code, provinceCode: props.provinceCode, list: null, error: null, draft: null, picking: false, importing: false, imported: null, importErrors: null };
  render();
  hamletsOf(code).then((list) => { if (panel?.code === code) { panel.list = list; render(); } })
    .catch((err) => { if (panel?.code === code) { panel.error = t('hamletsLoadError', err.message); render(); } });
}

export function hideCommune() {
  stopPicking();
  panel = null;
  const box = $('#commune-hamlets');
  if (box) { box.hidden = true; box.replaceChildren(); }
}

function stopPicking() {
  if (!panel?.picking) return;
  panel.picking = false;
  if (ctx?.map) ctx.map.getCanvas().style.cursor = '';
}

/** A map click while placing a hamlet sets its point (and is taken). */
export function handleClick(/** @type {any} */ e) {
  if (!panel?.picking || !panel.draft) return false;
  panel.draft.lon = Number(e.lngLat.lng.toFixed(6));
  panel.draft.lat = Number(e.lngLat.lat.toFixed(6));
  stopPicking();
  render();
  return true;
}

const newDraft = (/** @type {HamletFeature | null} */ h = null) => /** @type {Draft} */ ({
  id: h?.id ?? null, name: h ? nfc(h.properties.name) : '', households: h?.properties.households?.toString() ?? '',
  population: h?.properties.population?.toString() ?? '', floodProne: h?.properties.floodProne ?? false,
  lon: h?.geometry.coordinates[0] ?? null, lat: h?.geometry.coordinates[1] ?? null, sending: false, error: null,
});

/** After a write: the commune's list and the map again. */
async function reload(/** @type {string} */ code) {
  byCommune.delete(code);
  for (const [id, f] of seen) if (f.properties.communeCode === code) seen.delete(id);
  const list = await hamletsOf(code).catch(() => []);
  if (panel?.code === code) panel.list = list;
  draw();
}

async function save() {
  const p = panel, d = p?.draft;
  if (!p || !d || d.sending) return;
  d.sending = true;
  d.error = null;
  render();
  const count = (/** @type {string} */ v) => (v.trim() === '' ? null : /^\d+$/.test(v.trim()) ? Number(v.trim()) : -1);
  const body = { communeCode: p.code, name: d.name.trim(), lon: d.lon, lat: d.lat, households: count(d.households), population: count(d.population), floodProne: d.floodProne };
  const r = await call(d.id == null ? '/api/hamlets' : `/api/hamlets/${d.id}`, { method: d.id == null ? 'POST' : 'PUT', body });
  if (panel !== p) return;
  d.sending = false;
  if (r.ok) {
    p.draft = null;
    await reload(p.code);
  } else d.error = problemText(r);
  render();
}

async function remove(/** @type {HamletFeature} */ h) {
  const p = panel;
  if (!p || !confirm(t('hamletRemoveConfirm', nfc(h.properties.name)))) return;
  const r = await call(`/api/hamlets/${h.id}`, { method: 'DELETE' });
  if (panel !== p) return;
  if (r.ok) await reload(p.code); else p.error = problemText(r);
  render();
}

async function importFile(/** @type {File} */ file) {
  const p = panel;
  if (!p) return;
  p.importing = true; p.imported = null; p.importErrors = null;
  render();
  const r = await call(`/api/hamlets/import?commune=${encodeURIComponent(p.code)}`, { method: 'POST', body: await file.arrayBuffer(), contentType: 'text/csv' });
  if (panel !== p) return;
  p.importing = false;
  if (r.ok) { p.imported = t('hamletsImported', number(r.data.rows), number(r.data.inserted), number(r.data.updated)); await reload(p.code); }
  else p.importErrors = rowProblemTexts(r) ?? [problemText(r)];
  render();
}

function draftForm(/** @type {Draft} */ d) {
  const p = /** @type {NonNullable<typeof panel>} */ (panel);
  const input = (/** @type {string} */ id, /** @type {keyof Draft} */ key, /** @type {Record<string, any>} */ attrs = {}) => {
    const node = el('input', { id, value: /** @type {string} */ (d[key]), ...attrs });
    node.addEventListener('input', () => { /** @type {any} */ (d)[key] = node.value; });
    return node;
  };
  const flood = el('input', { id: 'hamlet-flood', type: 'checkbox', checked: d.floodProne });
  flood.addEventListener('change', () => { d.floodProne = flood.checked; });
  const form = el('form', { id: 'hamlet-form', class: 'stack', novalidate: true },
    el('label', { for: 'hamlet-name' }, t('hamletName')), input('hamlet-name', 'name', { maxlength: 100, autocomplete: 'off', placeholder: t('hamletNameHint') }),
    el('p', { id: 'hamlet-point', class: d.lon != null ? 'aid-ok' : 'muted', 'data-set': String(d.lon != null) },
      d.lon != null ? t('hamletPointSet', Number(d.lat).toFixed(5), Number(d.lon).toFixed(5)) : t('hamletNoPoint')),
    el('button', { type: 'button', id: 'hamlet-pick', class: 'link-button inline', onclick: () => {
      if (p.picking) stopPicking(); else { p.picking = true; if (ctx.map) ctx.map.getCanvas().style.cursor = 'crosshair'; }
      render();
    } }, p.picking ? t('hamletPicking') : t('hamletPick')),
    el('div', { class: 'row' },
      el('label', { for: 'hamlet-households' }, t('hamletHouseholds')), input('hamlet-households', 'households', { inputmode: 'numeric', size: 6 }),
      el('label', { for: 'hamlet-population' }, t('hamletPopulation')), input('hamlet-population', 'population', { inputmode: 'numeric', size: 6 })),
    el('label', {}, flood, ' ', t('hamletFloodProne')),
    d.error ? el('p', { id: 'hamlet-error', class: 'form-error', role: 'alert' }, d.error) : null,
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'hamlet-save', class: 'primary', disabled: d.sending }, d.sending ? t('hamletSaving') : t('hamletSave')),
      el('button', { type: 'button', onclick: () => { stopPicking(); p.draft = null; render(); } }, t('hamletCancel'))));
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  return form;
}

export function render() {
  const box = $('#commune-hamlets');
  if (!box) return;
  if (!panel) { box.hidden = true; return; }
  const p = panel;
  const editable = actsFor(p.code, p.provinceCode);
  const items = (p.list ?? []).map((h) => el('li', { 'data-hamlet': h.id },
    el('button', { type: 'button', class: 'link-button', onclick: () => ctx?.flyToPoint(h.geometry.coordinates) }, nfc(h.properties.name)),
    h.properties.households != null ? el('span', { class: 'val' }, t('hamletHouseholdsN', number(h.properties.households))) : null,
    h.properties.floodProne ? el('span', { class: 'badge flood' }, t('hamletFloodBadge')) : null,
    h.properties.isSample ? el('span', { class: 'badge' }, t('hamletSampleBadge')) : null,
    editable ? el('button', { type: 'button', class: 'link-button inline', 'data-action': 'edit', onclick: () => { p.draft = newDraft(h); render(); } }, t('hamletEdit')) : null,
    editable ? el('button', { type: 'button', class: 'link-button inline', 'data-action': 'remove', onclick: () => remove(h) }, t('hamletRemove')) : null));
  const file = el('input', { type: 'file', id: 'hamlet-file', accept: '.csv,text/csv' });
  file.addEventListener('change', () => { const f = file.files?.[0]; if (f) importFile(f); });
  box.replaceChildren(...[
    el('h3', {}, t('hamletsTitle'), ' ', el('span', { class: 'count' }, p.list ? `(${p.list.length})` : '')),
    p.error ? el('p', { class: 'form-error', role: 'alert' }, p.error) : null,
    p.list == null && !p.error ? el('p', { class: 'muted' }, t('hamletsLoading')) : null,
    p.list?.length === 0 ? el('p', { class: 'muted', id: 'hamlets-none' }, t(editable ? 'hamletsNoneYours' : 'hamletsNone')) : null,
    el('ul', { id: 'hamlets-list' }, ...items),
    editable && !p.draft ? el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'hamlet-add', onclick: () => { p.draft = newDraft(); render(); $('#hamlet-name')?.focus(); } }, t('hamletAdd'))) : null,
    editable && !p.draft ? el('label', { class: 'file' }, t('hamletImport'), file) : null,
    editable && !p.draft ? el('p', { class: 'muted small' }, t('hamletImportHint')) : null,
    p.importing ? el('p', { class: 'muted', role: 'status' }, t('hamletImporting')) : null,
    p.imported ? el('p', { id: 'hamlets-imported', class: 'aid-ok', role: 'status' }, p.imported) : null,
    p.importErrors ? el('ul', { id: 'hamlets-import-errors', class: 'form-error', role: 'alert' }, ...p.importErrors.map((x) => el('li', {}, x))) : null,
    p.draft && editable ? draftForm(p.draft) : null].filter((n) => n != null));
  box.hidden = false;
}

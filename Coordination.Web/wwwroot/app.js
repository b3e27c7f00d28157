// Coordination web map: communes from vector tiles, neighbours on click, search by name; offices, hazard zones
// and active floods (offices.js); declaring and closing floods (floods.js); mutual aid (aid.js) and SMS alerts
// (alerts.js), loaded only once someone signs in.
// Plain ES module, no bundler. All API text goes to the page through textContent only.
/* global maplibregl */

import {
  $, el, t, nfc, locale, getJson, api, problemText, fieldError, dateTime, session, restoreSession, mountAuth,
  initLanguage, onLanguage, STRINGS, lang,
} from './common.js';
import { initOffices } from './offices.js';
import { initFloods } from './floods.js';

const number = (v, digits = 0) =>
  new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
/** "15,7 km" (vi) / "15.7 km" (en); metres under 1 km. */
const length = (m) => (m == null ? '' : m >= 1000 ? `${number(m / 1000, 1)} km` : `${number(Math.round(m))} m`);
const kind = (k) => STRINGS[lang].kinds[nfc(k).toLowerCase()] ?? nfc(k);
/** Commune codes are 5 digits; tile feature ids are the same code as an integer. */
const codeOf = (id) => String(id).padStart(5, '0');

// ---------------------------------------------------------------- map
const config = JSON.parse($('#config')?.textContent || '{}');
const VIETNAM = [[102.1, 8.3], [109.5, 23.4]];
const SOURCE = { source: 'communes', sourceLayer: 'communes' };        // feature-state target
const LAYER_SOURCE = { source: 'communes', 'source-layer': 'communes' }; // style layers
const RING = ['coalesce', ['feature-state', 'ring'], -1];
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
const css = getComputedStyle(document.documentElement);
const colour = (n) => css.getPropertyValue(`--c${n}`).trim();
const OWN_COLOUR = css.getPropertyValue('--own').trim() || '#0b7a3e';

/** The offline style: a plain background under the commune layers (no glyphs, sprites or internet). */
const PLAIN_STYLE = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#cddbe4' } }],
};

const map = new maplibregl.Map({
  container: 'map',
  style: config.basemapStyleUrl || PLAIN_STYLE,
  bounds: VIETNAM,
  fitBoundsOptions: { padding: 20 },
  dragRotate: false,
  pitchWithRotate: false,
  attributionControl: false,
});
map.touchZoomRotate.disableRotation();
// A configured basemap that cannot be reached (closed network) must not cost us the communes.
let styleReady = false;
map.once('style.load', () => { styleReady = true; });
if (config.basemapStyleUrl) {
  const fallback = () => { if (!styleReady) { config.basemapStyleUrl = null; map.setStyle(PLAIN_STYLE, { diff: false }); } };
  map.on('error', (e) => { if (!styleReady) { console.warn('basemap unavailable:', e.error?.message); fallback(); } });
  setTimeout(fallback, 8000);
}
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');

const mapReady = new Promise((resolve) => map.once('load', resolve)).then(() => {
  const basemap = Boolean(config.basemapStyleUrl);
  map.addSource('communes', {
    type: 'vector',
    tiles: [`${location.origin}/tiles/communes/{z}/{x}/{y}.mvt`],
    minzoom: 0,
    maxzoom: 14,
    bounds: [102, 8, 110, 24],
  });
  map.addLayer({
    id: 'communes-fill', type: 'fill', ...LAYER_SOURCE,
    paint: {
      'fill-color': ['match', RING, 0, colour(0), 1, colour(1), 2, colour(2), 3, colour(3), '#fbf8f0'],
      'fill-opacity': ['match', RING, -1, basemap ? 0.25 : 0.9, 0.8],
    },
  });
  map.addLayer({
    id: 'communes-line', type: 'line', ...LAYER_SOURCE,
    paint: {
      'line-color': ['match', RING, 0, '#7f1010', '#8596a3'],
      'line-width': ['interpolate', ['linear'], ['zoom'],
        5, ['match', RING, 0, 2, 0.3], 9, ['match', RING, 0, 2.5, 0.8], 13, ['match', RING, 0, 3.5, 1.5]],
    },
  });
  // The signed-in user's own area (feature-state `own`): a thick outline over everything else.
  map.addLayer({
    id: 'communes-own', type: 'line', ...LAYER_SOURCE,
    paint: {
      'line-color': OWN_COLOUR,
      'line-opacity': ['case', ['boolean', ['feature-state', 'own'], false], 1, 0],
      'line-width': ['interpolate', ['linear'], ['zoom'], 5, 2.5, 9, 4, 13, 6],
    },
  });
  // One click handler: an office under the pointer (or picking a fallback) wins over the commune beneath it.
  map.on('click', (e) => {
    if (alerts?.handleClick(e)) return;
    if (aid?.handleClick(e)) return;
    if (floods?.handleClick(e)) return;
    if (offices?.handleClick(e)) return;
    const id = map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
    if (id != null) select(codeOf(id));
  });
  map.on('mouseenter', 'communes-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'communes-fill', () => { map.getCanvas().style.cursor = ''; });
});

/** Rings of the selection as feature-state `ring`; clearing them keeps the `own` state. */
let ringCodes = [];
function clearRings() {
  for (const code of ringCodes) map.removeFeatureState({ ...SOURCE, id: Number(code) }, 'ring');
  ringCodes = [];
}

function paintSelection(data) {
  clearRings();
  if (!data) return;
  const set = (code, ring) => { map.setFeatureState({ ...SOURCE, id: Number(code) }, { ring }); ringCodes.push(code); };
  for (const c of data.corners ?? []) set(c.code, 3);
  for (const n of data.neighbours ?? []) set(n.code, Math.min(n.ring, 2));
  set(data.code, 0);
}

/** On wide screens the panel floats over the map's right side (and the mutual-aid or alerts panel, when open, over
 * its left side); on narrow ones they sit below the map. */
function panelPadding() {
  if (innerWidth <= 640) return { top: 30, left: 30, right: 30, bottom: 30 };
  const side = ['#aid', '#alerts'].map((id) => $(id)).find((p) => p && !p.hidden);
  let left = side ? side.getBoundingClientRect().right + 40 : 40;
  let right = $('#panel').getBoundingClientRect().width + 40;
  // Two panels on a narrow screen can leave no room: MapLibre then does not move at all and what was to be shown
  // stays under a panel. Shrink both paddings so a strip of at least 160 px stays visible between them.
  const room = map.getCanvas().clientWidth - 160;
  if (left + right > room && room > 0) { const k = room / (left + right); left *= k; right *= k; }
  return { top: 40, left, bottom: 40, right };
}

/** [west, south, east, north] around GeoJSON geometries (null when empty). */
function bounds(geometries) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
    } else c.forEach(walk);
  };
  for (const g of geometries) walk(g?.coordinates ?? []);
  return Number.isFinite(box[0]) ? box : null;
}

function fitBox(box) {
  if (!box) return;
  map.resize();   // the map may just have shrunk to make room for the panel
  map.fitBounds(box, { padding: panelPadding(), maxZoom: 12, duration: reducedMotion ? 0 : 900 });
}

const flyTo = (feature) => fitBox(bounds([feature.geometry]));

/** Centres a point, zoomed in to at least street-block level, beside the panel. */
function flyToPoint(lonLat) {
  map.resize();
  map.easeTo({ center: lonLat, zoom: Math.max(map.getZoom(), 12), padding: panelPadding(), duration: reducedMotion ? 0 : 900 });
}

/** Fits a few points (e.g. an office and the offices that may be its fallback). */
function fitPoints(points) {
  const box = bounds([{ coordinates: points }]);
  if (box && box[0] === box[2] && box[1] === box[3]) flyToPoint([box[0], box[1]]);
  else fitBox(box);
}

// ---------------------------------------------------------------- selection and panel
let offices = null;       // offices.js, set up once the rest of this page is (below)
let floods = null;        // floods.js, likewise
let current = null;       // { code, feature, neighbours } once loaded
let selectToken = 0;
let selectAbort = null;

/** Selects a commune by code: highlights it and its neighbours and fills the panel. */
async function select(code, { fly = false } = {}) {
  code = codeOf(code);
  const token = ++selectToken;
  selectAbort?.abort();
  selectAbort = new AbortController();
  offices?.close({ keepPanel: true });
  floods?.close({ keepPanel: true });
  const panel = $('#panel');
  panel.dataset.code = code;
  panel.dataset.state = 'loading';
  document.body.dataset.panel = 'open';
  $('#error').hidden = true;
  try {
    const [feature, neighbours] = await Promise.all([
      getJson(`/api/communes/${encodeURIComponent(code)}`, selectAbort.signal),
      getJson(`/api/communes/${encodeURIComponent(code)}/neighbours?rings=2`, selectAbort.signal),
    ]);
    if (token !== selectToken) return;
    current = { code, feature, neighbours };
    contact = { code, state: 'loading', data: null, editing: false, message: null };
    loadContact(code);
    offices?.showCommuneOffices(code, feature.properties?.provinceCode, feature.properties);
    floods?.showCommune(code, feature.properties);
    renderPanel();
    panel.dataset.state = 'ready';
    await mapReady;
    if (token !== selectToken) return;
    paintSelection(neighbours);
    if (fly) flyTo(feature);
  } catch (err) {
    if (err.name === 'AbortError' || token !== selectToken) return;
    panel.dataset.state = 'error';
    const box = $('#error');
    box.textContent = t('loadError', err.message);
    box.hidden = false;
  }
}

function clearSelection() {
  leaveCommune();
  const panel = $('#panel');
  panel.dataset.state = 'empty';
  delete document.body.dataset.panel;
  $('#hint').hidden = false;
  $('#error').hidden = true;
}

/** Forgets the selected commune (an office takes the panel over, or the panel closes). */
function leaveCommune() {
  selectToken++;
  selectAbort?.abort();
  current = null;
  contact = null;
  delete $('#panel').dataset.code;
  $('#detail').hidden = true;
  offices?.hideCommuneOffices();
  floods?.hideCommune();
  mapReady.then(clearRings);
}

function renderPanel() {
  if (!current) return;
  const p = current.feature.properties ?? {};
  const data = current.neighbours;
  $('#hint').hidden = true;
  $('#detail').hidden = false;
  $('#name').textContent = nfc(p.name);
  $('#meta').textContent = [kind(p.kind), nfc(p.provinceName)].filter(Boolean).join(' · ');

  const facts = [];
  const fact = (label, ...value) => facts.push(el('dt', {}, label), el('dd', {}, ...value));
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
  const item = (n, ring, detail, title) =>
    el('li', { 'data-code': n.code, 'data-ring': ring },
      el('button', { type: 'button', onclick: () => select(n.code, { fly: true }) }, nfc(n.name)),
      el('span', { class: 'val', title }, detail));
  const fill = (id, items) => {
    $(`#${id}`).replaceChildren(...(items.length ? items : [el('li', { class: 'none' }, t('none'))]));
    $(`#${id}-count`).textContent = `(${items.length})`;
  };
  fill('ring1', ring1.map((n) => item(n, 1, length(n.sharedBorderM), t('sharedBorder'))));
  fill('ring2', ring2.map((n) => item(n, n.ring, n.via ? t('via', nfc(names.get(n.via) ?? n.via)) : '', null)));
  fill('corners', (data.corners ?? []).map((n) => item(n, 'corner', t('notNeighbour'), null)));
  renderContact();
}

// ---------------------------------------------------------------- duty contact (trực ban) of the selected commune
let contact = null;   // { code, state: loading|ready|none|error, data, editing, message: { key, error } }

async function loadContact(code) {
  let r;
  try { r = await api(`/api/communes/${encodeURIComponent(code)}/contact`); } catch (err) { r = { ok: false, status: 0, problem: { detail: err.message } }; }
  if (contact?.code !== code) return;
  contact.state = r.ok ? 'ready' : r.status === 404 ? 'none' : 'error';
  contact.data = r.ok ? r.data : null;
  if (!r.ok && r.status !== 404) contact.message = { text: problemText(r), error: true };
  renderContact();
}

/** Whether the signed-in user acts for this commune (the server decides; this only offers the button). */
function mayEdit(props) {
  const user = session.user;
  if (!user) return false;
  if (user.role === 'admin') return true;
  const scope = user.scope;
  if (!scope) return false;
  if (scope.kind === 'commune') return scope.code === props.code;
  if (scope.kind === 'defense_area') return props.defenseArea != null && String(props.defenseArea.id) === String(scope.code);
  if (scope.kind === 'province') return scope.code === props.provinceCode;
  return false;
}

function renderContact() {
  const box = $('#contact');
  if (!current || !contact || contact.code !== current.code) { box.hidden = true; return; }
  box.hidden = false;
  box.dataset.state = contact.state;
  const props = current.feature.properties ?? {};
  const d = contact.data ?? {};
  const children = [el('h3', {}, t('contact'))];
  if (contact.state === 'loading') children.push(el('p', { class: 'muted' }, t('loading')));
  else if (contact.editing) children.push(contactForm(d));
  else {
    if (d.dutyPhone || d.dutyOfficer || d.note) {
      const facts = [];
      const fact = (id, label, value) => value && facts.push(el('dt', {}, label), el('dd', { id }, value));
      fact('contact-phone', t('dutyPhone'), d.dutyPhone
        ? el('a', { href: `tel:${String(d.dutyPhone).replace(/[^\d+]/g, '')}` }, nfc(d.dutyPhone)) : null);
      fact('contact-officer', t('dutyOfficer'), nfc(d.dutyOfficer));
      fact('contact-note', t('note'), nfc(d.note));
      children.push(el('dl', { class: 'facts' }, ...facts));
      if (d.updatedAt) {
        children.push(el('p', { class: 'muted', id: 'contact-updated' },
          d.updatedBy ? t('updated', dateTime(d.updatedAt), nfc(d.updatedBy)) : t('updatedAt', dateTime(d.updatedAt))));
      }
    } else if (contact.state !== 'error') {
      children.push(el('p', { class: 'muted', id: 'contact-none' }, t('noContact')));
    }
    if (mayEdit(props) && contact.state !== 'error') {
      children.push(el('button', { type: 'button', id: 'contact-edit', class: 'link-button',
        onclick: () => { contact.editing = true; contact.message = null; renderContact(); $('#contact-phone-input')?.focus(); } }, t('edit')));
    }
  }
  if (contact.message) {
    children.push(el('p', { id: 'contact-message', class: contact.message.error ? 'form-error' : 'muted',
      role: contact.message.error ? 'alert' : 'status' }, contact.message.key ? t(contact.message.key) : contact.message.text));
  }
  box.replaceChildren(...children);
}

function contactForm(d) {
  const field = (id, label, control) => [el('label', { for: id }, label), control];
  const form = el('form', { id: 'contact-form', class: 'stack' },
    field('contact-phone-input', t('dutyPhone'),
      el('input', { id: 'contact-phone-input', name: 'dutyPhone', type: 'tel', autocomplete: 'off', maxlength: 20, value: nfc(d.dutyPhone) })),
    field('contact-officer-input', t('dutyOfficer'),
      el('input', { id: 'contact-officer-input', name: 'dutyOfficer', autocomplete: 'off', maxlength: 100, value: nfc(d.dutyOfficer) })),
    field('contact-note-input', t('note'), el('textarea', { id: 'contact-note-input', name: 'note', rows: 3, maxlength: 500 })),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'contact-save' }, t('save')),
      el('button', { type: 'button', id: 'contact-cancel',
        onclick: () => { contact.editing = false; contact.message = null; renderContact(); } }, t('cancel'))));
  form.elements.note.value = nfc(d.note);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const code = contact.code;
    const save = form.querySelector('#contact-save');
    save.disabled = true;
    save.textContent = t('saving');
    const body = Object.fromEntries(['dutyPhone', 'dutyOfficer', 'note']
      .map((k) => [k, form.elements[k].value.trim() || null]));
    let r;
    try { r = await api(`/api/communes/${encodeURIComponent(code)}/contact`, { method: 'PUT', body }); }
    catch (err) { r = { ok: false, status: 0, problem: { detail: err.message } }; }
    if (contact?.code !== code) return;
    if (r.ok) {
      contact.data = r.data ?? { ...body, updatedAt: new Date().toISOString() };
      contact.state = 'ready';
      contact.editing = false;
      contact.message = { key: 'saved' };
    } else {
      const errors = r.problem?.errors;
      contact.message = { text: errors ? Object.entries(errors).map(([k, m]) => fieldError(k, m)).join(' ') : problemText(r), error: true };
    }
    if (contact.editing) {
      save.disabled = false;
      save.textContent = t('save');
      const msg = el('p', { id: 'contact-message', class: 'form-error', role: 'alert' }, contact.message.text);
      $('#contact-message')?.remove();
      $('#contact').append(msg);
      contact.message = null;
    } else renderContact();
  });
  return form;
}

$('#close').addEventListener('click', clearSelection);

// ---------------------------------------------------------------- search
const input = $('#search');
const list = $('#results');
let results = [];          // last candidates shown
let active = -1;           // keyboard-highlighted candidate
let searchTimer = 0;
let searchAbort = null;
let pending = null;        // promise of the search in flight for the current text

function showList(show) {
  list.hidden = !show;
  input.setAttribute('aria-expanded', String(show));
}

function renderResults(state) {
  if (state === 'loading' && !results.length) {
    list.replaceChildren(el('li', { class: 'empty' }, t('searching')));
  } else if (!results.length) {
    list.replaceChildren(el('li', { class: 'empty' }, t('noResults')));
  } else {
    list.replaceChildren(...results.map((r, i) => el('li', {
      id: `result-${i}`, role: 'option', 'data-code': r.code, 'aria-selected': String(i === active),
      onmousedown: (e) => e.preventDefault(),       // keep focus in the box
      onclick: () => choose(i),
    },
    el('span', { class: 'name' }, nfc(r.name)),
    el('span', { class: 'sub' }, [kind(r.kind), nfc(r.provinceName)].filter(Boolean).join(' · ')),
    r.match === 'formerName' && r.formerName ? el('span', { class: 'former' }, `(${t('formerName', nfc(r.formerName))})`) : null)));
  }
  if (active >= 0) input.setAttribute('aria-activedescendant', `result-${active}`);
  else input.removeAttribute('aria-activedescendant');
  showList(true);
}

function search() {
  clearTimeout(searchTimer);
  const q = input.value.normalize('NFC').trim();
  searchAbort?.abort();
  if (q.length < 2) { results = []; active = -1; showList(false); pending = null; return null; }
  searchAbort = new AbortController();
  renderResults('loading');
  const text = input.value;
  pending = getJson(`/api/communes?limit=12&q=${encodeURIComponent(q)}`, searchAbort.signal)
    .then((found) => {
      if (input.value !== text) return results;
      results = found; active = -1; renderResults();
      return results;
    })
    .catch((err) => { if (err.name !== 'AbortError') { results = []; renderResults(); } return results; });
  return pending;
}

function choose(i) {
  const r = results[i];
  if (!r) return;
  input.value = nfc(r.name);
  showList(false);
  select(r.code, { fly: true });
}

input.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(search, 250);
});
input.addEventListener('keydown', async (e) => {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (!results.length) return;
    e.preventDefault();
    active = (active + (e.key === 'ArrowDown' ? 1 : -1) + results.length) % results.length;
    renderResults();
    $(`#result-${active}`)?.scrollIntoView({ block: 'nearest' });
  } else if (e.key === 'Enter') {
    e.preventDefault();
    if (searchTimer) { const p = search(); if (p) await p; }   // typed faster than the debounce
    else if (pending) await pending;
    choose(active >= 0 ? active : 0);
  } else if (e.key === 'Escape') {
    showList(false);
  }
});
input.addEventListener('focus', () => { if (results.length) renderResults(); });
input.addEventListener('blur', () => setTimeout(() => showList(false), 150));

// ---------------------------------------------------------------- the signed-in user's own area
let ownCodes = [];
let ownToken = 0;

/** Outlines the user's communes (feature-state `own`); on sign-in, and on restore with nothing selected, goes there. */
async function showOwnArea(user, { restored }) {
  const token = ++ownToken;
  await mapReady;
  for (const code of ownCodes) map.removeFeatureState({ ...SOURCE, id: Number(code) }, 'own');
  ownCodes = [];
  $('#legend-own').hidden = true;
  const scope = user?.scope;
  if (!scope?.code) return;
  const go = !restored || (!current && offices?.current == null);
  try {
    if (scope.kind === 'commune') {
      markOwn([scope.code]);
      if (go) select(scope.code, { fly: true });
    } else if (scope.kind === 'defense_area') {
      const area = await getJson(`/api/defense-areas/${encodeURIComponent(scope.code)}`);
      if (token !== ownToken) return;
      markOwn(area.communes);
      if (go) {
        const features = await Promise.all(area.communes.map((c) => getJson(`/api/communes/${encodeURIComponent(c)}`)));
        if (token === ownToken) fitBox(bounds(features.map((f) => f.geometry)));
      }
    } else if (scope.kind === 'province' && go) {
      const communes = await getJson(`/api/communes?province=${encodeURIComponent(scope.code)}&limit=5000`);
      if (token !== ownToken) return;
      fitBox(await provinceBounds(communes.map((c) => Number(c.code))));
    }
  } catch (err) {
    console.warn('own area:', err.message);
  }
}

function markOwn(codes) {
  ownCodes = codes.map(codeOf);
  for (const code of ownCodes) map.setFeatureState({ ...SOURCE, id: Number(code) }, { own: true });
  $('#legend-own').hidden = ownCodes.length === 0;
}

/** A province's box from the commune tiles already drawn (the whole country at the start), else from a country view. */
async function provinceBounds(ids) {
  const query = () => bounds(map.querySourceFeatures('communes', {
    sourceLayer: 'communes', filter: ['in', ['id'], ['literal', ids]],
  }).map((f) => f.geometry));
  let box = query();
  if (!box) {
    map.fitBounds(VIETNAM, { padding: 20, duration: 0 });
    await new Promise((resolve) => map.once('idle', resolve));
    box = query();
  }
  return box;
}

// ---------------------------------------------------------------- offices, hazard zones, active floods
offices = initOffices({
  map, mapReady, config, fitPoints, flyToPoint,
  selectCommune: (code) => select(code, { fly: true }),
  leaveCommune,
  leaveFlood: () => floods?.close({ keepPanel: true }),
});
floods = initFloods({
  map, mapReady, fitBox, bounds,
  selectCommune: (code) => select(code, { fly: true }),
  leaveCommune,
  closeOffice: () => offices.close({ keepPanel: true }),
  floodsChanged: (what) => offices.floodsChanged(what),
});

// ---------------------------------------------------------------- mutual aid (lazy: anonymous visitors never load it)
let aid = null;
let aidLoading = null;
const ringCache = new Map();
/** Neighbours (rings 1–2) of a commune, cached: mutual aid shades them around the selected request. */
const neighboursOf = (code) => {
  if (!ringCache.has(code)) ringCache.set(code, getJson(`/api/communes/${encodeURIComponent(code)}/neighbours?rings=2`)
    .catch((err) => { ringCache.delete(code); throw err; }));
  return ringCache.get(code);
};

function loadAid() {
  aidLoading ??= import('./aid.js').then((m) => {
    aid = m.initAid({
      map, mapReady, fitBox, bounds, fitPoints,
      onOpen: () => alerts?.close(),       // one left-hand panel at a time
      selectCommune: (code) => select(code, { fly: true }),
      /** Shades a commune and its neighbours by ring (as a selection does), without opening its panel. */
      async showRings(code) {
        const data = await neighboursOf(codeOf(code));
        await mapReady;
        paintSelection(data);
      },
      /** Back to the rings of the commune in the panel, if any. */
      restoreRings() { mapReady.then(() => paintSelection(current?.neighbours)); },
    });
    return aid;
  }).catch((err) => { aidLoading = null; throw err; });
  return aidLoading;
}

// ---------------------------------------------------------------- SMS alerts (lazy like mutual aid)
let alerts = null;
let alertsLoading = null;

function loadAlerts() {
  alertsLoading ??= import('./alerts.js').then((m) => {
    alerts = m.initAlerts({ map, mapReady, fitBox, bounds, onOpen: () => aid?.close() });
    return alerts;
  }).catch((err) => { alertsLoading = null; throw err; });
  return alertsLoading;
}

// ---------------------------------------------------------------- language and session
onLanguage(() => {
  renderPanel();
  offices.render();
  floods.render();
  aid?.render();
  alerts?.render();
  if (!list.hidden) renderResults();
});
initLanguage('title');
mountAuth();
session.onChange((user, how) => {
  if (!user && contact) contact.editing = false;
  renderContact();
  offices.render();
  floods.render();
  showOwnArea(user, how);
  if (user) loadAid().then((a) => { if (session.user === user) a.start(user); }).catch((err) => console.warn('mutual aid:', err.message));
  else aid?.stop();
  if (user) loadAlerts().then((a) => { if (session.user === user) a.start(user); }).catch((err) => console.warn('alerts:', err.message));
  else alerts?.stop();
});
offices.openFromUrl();
restoreSession();

// Hooks for tests and the console.
window.coordinationMap = map;
window.coordination = {
  map, select, clearSelection, ready: mapReady, session, offices, floods,
  get lang() { return lang; },
  get own() { return [...ownCodes]; },
  get aid() { return aid; },
  get alerts() { return alerts; },
};

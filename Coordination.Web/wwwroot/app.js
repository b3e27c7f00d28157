// Coordination web map: communes from vector tiles, neighbours on click, search by name.
// Plain ES module, no bundler. All API text goes to the page through textContent only.
/* global maplibregl */

const STRINGS = {
  vi: {
    title: 'Điều phối – Bản đồ xã, phường',
    appName: 'Điều phối',
    mapLabel: 'Bản đồ xã, phường',
    searchLabel: 'Tìm xã, phường',
    searchPlaceholder: 'Tìm xã, phường (gõ không dấu cũng được)',
    searching: 'Đang tìm…',
    noResults: 'Không tìm thấy xã, phường nào',
    formerName: 'tên cũ: {0}',
    switchLang: 'English',
    switchLangLabel: 'Switch to English',
    hint: 'Bấm vào một xã, phường trên bản đồ hoặc tìm theo tên.',
    loading: 'Đang tải…',
    loadError: 'Không tải được dữ liệu ({0}). Hãy thử lại.',
    close: 'Đóng',
    legend: 'Chú giải',
    legendSelected: 'Đang chọn',
    legendCorner: 'Chạm góc (không giáp ranh)',
    ring1: 'Giáp ranh (vòng 1)',
    ring2: 'Vòng 2',
    corners: 'Chỉ chạm góc – không phải giáp ranh',
    notNeighbour: 'không giáp ranh',
    none: 'Không có',
    via: 'qua {0}',
    sharedBorder: 'Chiều dài ranh giới chung',
    distance: 'Khoảng cách giữa hai trung tâm',
    population: 'Dân số',
    approx: '(ước tính)',
    area: 'Diện tích',
    mergedFrom: 'Hợp nhất từ',
    adminCenter: 'Trụ sở',
    defenseArea: 'Khu vực phòng thủ',
    sample: '(dữ liệu mẫu)',
    code: 'Mã',
    kinds: { 'xã': 'Xã', 'phường': 'Phường', 'đặc khu': 'Đặc khu' },
  },
  en: {
    title: 'Coordination – communes map',
    appName: 'Coordination',
    mapLabel: 'Map of communes and wards',
    searchLabel: 'Find a commune or ward',
    searchPlaceholder: 'Find a commune or ward (diacritics optional)',
    searching: 'Searching…',
    noResults: 'No commune or ward found',
    formerName: 'former name: {0}',
    switchLang: 'Tiếng Việt',
    switchLangLabel: 'Chuyển sang tiếng Việt',
    hint: 'Click a commune on the map or search by name.',
    loading: 'Loading…',
    loadError: 'Could not load the data ({0}). Please try again.',
    close: 'Close',
    legend: 'Legend',
    legendSelected: 'Selected',
    legendCorner: 'Corner contact (not a neighbour)',
    ring1: 'Neighbours (ring 1)',
    ring2: 'Ring 2',
    corners: 'Corner contact only – not neighbours',
    notNeighbour: 'not a neighbour',
    none: 'None',
    via: 'via {0}',
    sharedBorder: 'Length of the shared border',
    distance: 'Distance between centres',
    population: 'Population',
    approx: '(approx.)',
    area: 'Area',
    mergedFrom: 'Merged from',
    adminCenter: 'Seat',
    defenseArea: 'Defense area',
    sample: '(sample data)',
    code: 'Code',
    kinds: { 'xã': 'Commune', 'phường': 'Ward', 'đặc khu': 'Special zone' },
  },
};

const LANG_KEY = 'coordination.lang';
let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
const t = (key, ...args) => String(STRINGS[lang][key] ?? key).replace(/\{(\d)\}/g, (_, i) => args[i] ?? '');
const nfc = (s) => (s == null ? '' : String(s).normalize('NFC'));
const locale = () => (lang === 'vi' ? 'vi-VN' : 'en-GB');
const number = (v, digits = 0) =>
  new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
/** "15,7 km" (vi) / "15.7 km" (en); metres under 1 km. */
const length = (m) => (m == null ? '' : m >= 1000 ? `${number(m / 1000, 1)} km` : `${number(Math.round(m))} m`);
const kind = (k) => STRINGS[lang].kinds[nfc(k).toLowerCase()] ?? nfc(k);
/** Commune codes are 5 digits; tile feature ids are the same code as an integer. */
const codeOf = (id) => String(id).padStart(5, '0');

const $ = (sel) => document.querySelector(sel);
/** Builds an element; string children become text nodes (never parsed as HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null && c !== '') node.append(typeof c === 'string' ? nfc(c) : c);
  return node;
}

async function getJson(url, signal) {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

// ---------------------------------------------------------------- map
const config = JSON.parse($('#config')?.textContent || '{}');
const VIETNAM = [[102.1, 8.3], [109.5, 23.4]];
const SOURCE = { source: 'communes', sourceLayer: 'communes' };        // feature-state target
const LAYER_SOURCE = { source: 'communes', 'source-layer': 'communes' }; // style layers
const RING = ['coalesce', ['feature-state', 'ring'], -1];
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
const css = getComputedStyle(document.documentElement);
const colour = (n) => css.getPropertyValue(`--c${n}`).trim();

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
  map.on('click', 'communes-fill', (e) => {
    const id = e.features?.[0]?.id;
    if (id != null) select(codeOf(id));
  });
  map.on('mouseenter', 'communes-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'communes-fill', () => { map.getCanvas().style.cursor = ''; });
});

function paintSelection(data) {
  map.removeFeatureState(SOURCE);
  const set = (code, ring) => map.setFeatureState({ ...SOURCE, id: Number(code) }, { ring });
  for (const c of data.corners ?? []) set(c.code, 3);
  for (const n of data.neighbours ?? []) set(n.code, Math.min(n.ring, 2));
  set(data.code, 0);
}

/** On wide screens the panel floats over the map's right side; on narrow ones it sits below the map. */
function panelPadding() {
  return innerWidth <= 640
    ? { top: 30, left: 30, right: 30, bottom: 30 }
    : { top: 40, left: 40, bottom: 40, right: $('#panel').getBoundingClientRect().width + 40 };
}

function flyTo(feature) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
    } else c.forEach(walk);
  };
  walk(feature.geometry?.coordinates ?? []);
  if (!Number.isFinite(box[0])) return;
  map.resize();   // the map may just have shrunk to make room for the panel
  map.fitBounds(box, { padding: panelPadding(), maxZoom: 12, duration: reducedMotion ? 0 : 900 });
}

// ---------------------------------------------------------------- selection and panel
let current = null;       // { code, feature, neighbours } once loaded
let selectToken = 0;
let selectAbort = null;

/** Selects a commune by code: highlights it and its neighbours and fills the panel. */
async function select(code, { fly = false } = {}) {
  code = codeOf(code);
  const token = ++selectToken;
  selectAbort?.abort();
  selectAbort = new AbortController();
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
  selectToken++;
  selectAbort?.abort();
  current = null;
  const panel = $('#panel');
  panel.dataset.state = 'empty';
  delete panel.dataset.code;
  delete document.body.dataset.panel;
  $('#detail').hidden = true;
  $('#hint').hidden = false;
  $('#error').hidden = true;
  mapReady.then(() => map.removeFeatureState(SOURCE));
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

// ---------------------------------------------------------------- language
function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  const button = $('#lang');
  button.textContent = t('switchLang');
  button.lang = lang === 'vi' ? 'en' : 'vi';
  button.setAttribute('aria-label', t('switchLangLabel'));
  renderPanel();
  if (!list.hidden) renderResults();
}

$('#lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem(LANG_KEY, lang);
  applyLanguage();
});
applyLanguage();

// Hooks for tests and the console.
window.coordinationMap = map;
window.coordination = { map, select, clearSelection, ready: mapReady, get lang() { return lang; } };

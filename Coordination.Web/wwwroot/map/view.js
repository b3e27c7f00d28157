// @ts-check
// The map itself: MapLibre on #map with the communes from vector tiles, their fill/outline/own-area layers, the
// selection's rings as feature state, and the camera helpers the features share (fit a box, fly to a point).
// Created as soon as MapLibre arrives (loaded from here, not as a blocking script), before any string is loaded.

import { $ } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

/** @typedef {[number, number, number, number]} Box  [west, south, east, north] */
/** @typedef {{ type: string, coordinates: any }} Geometry  a GeoJSON geometry */
/**
 * GET /api/communes/{code}/neighbours: the rings around a commune.
 * @typedef {{ code: string, neighbours: { code: string, name: string, ring: number, sharedBorderM?: number, via?: string }[],
 *   corners?: { code: string, name: string }[] }} Neighbours
 */

/** The page's client config (inlined by the web host). @type {{ basemapStyleUrl?: string | null, glyphsVersion?: string | null, basemapPmtilesUrl?: string | null, [k: string]: unknown }} */
export const config = JSON.parse($('#config')?.textContent || '{}');
/** The whole country, Hoàng Sa (to 112.7° E) and Trường Sa (to 117.8° E, 7.2° N) included, on every screen. */
export const VIETNAM = [[102.1, 7.0], [117.9, 23.4]];
const SOURCE = { source: 'communes', sourceLayer: 'communes' };        // feature-state target
const LAYER_SOURCE = { source: 'communes', 'source-layer': 'communes' }; // style layers
const RING = ['coalesce', ['feature-state', 'ring'], -1];
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
const css = getComputedStyle(document.documentElement);
const colour = (/** @type {number} */ n) => css.getPropertyValue(`--c${n}`).trim();
const OWN_COLOUR = css.getPropertyValue('--own').trim() || '#0b7a3e';

/** Commune codes are 5 digits; tile feature ids are the same code as an integer. */
export const codeOf = (/** @type {string | number} */ id) => String(id).padStart(5, '0');

/** The fonts of the labels: SDF glyphs the web host serves, built from Debian's DejaVu Sans (glyphs.mjs). */
export const FONT = { regular: ['DejaVu Sans Book'], bold: ['DejaVu Sans Bold'] };

/** Where the map asks for glyph ranges; the glyph set's version makes every range cacheable for a year (the web host
 * hashes wwwroot/_glyphs). */
export const GLYPHS = `${location.origin}/_glyphs/{fontstack}/{range}.pbf${config.glyphsVersion ? `?v=${config.glyphsVersion}` : ''}`;

/** The offline style: a plain background under the commune layers, glyphs from the app itself (no internet). */
const PLAIN_STYLE = {
  version: 8,
  glyphs: GLYPHS,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#cddbe4' } }],
};

// The bar wraps on phones (map/app.css): the map and the panels start below it, whatever its height.
const bar = $('#bar');
if (bar) new ResizeObserver(() => document.documentElement.style.setProperty('--bar-h', `${bar.offsetHeight}px`)).observe(bar);

// The legend folds to its title (a 44 px button); folded from the start on a phone, where it would cover the map.
const legendToggle = $('#legend-toggle');
function foldLegend(/** @type {boolean} */ folded) {
  legendToggle?.setAttribute('aria-expanded', String(!folded));
  const body = $('#legend-body');
  if (body) body.hidden = folded;
  $('#legend')?.setAttribute('data-collapsed', String(folded));
}
legendToggle?.addEventListener('click', () => foldLegend(legendToggle.getAttribute('aria-expanded') === 'true'));
if (matchMedia('(max-width: 640px)').matches) foldLegend(true);

/** @type {((e: any) => boolean | undefined | void)[]} */
const clickHandlers = [];
/** A click on the map goes to the first handler that takes it (returns true), else selects the commune under it. */
export const onMapClick = (/** @type {(e: any) => boolean | undefined | void} */ fn) => { clickHandlers.push(fn); };
/** @type {(code: string) => void} */
let communeClick = () => {};
export const onCommuneClick = (/** @type {(code: string) => void} */ fn) => { communeClick = fn; };

/**
 * The map, once MapLibre has arrived. On a slow link the library (~225 KB) takes seconds: it is not a blocking
 * script, so the search box, the commune panel and the user's own lists work meanwhile; the map fills in when it
 * comes. Everything that draws waits for mapReady (or mapCreated); null until then.
 * @type {any}
 */
export let map = null;

/** Loads MapLibre from the URL the page preloads (versioned by the web host), unless it is there already. */
function loadLibrary() {
  // its stylesheet too: a blocking one would hold every script back until it came
  const css = /** @type {HTMLLinkElement | null} */ ($('#maplibre-css'));
  if (css) document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: css.href }));
  const library = typeof maplibregl !== 'undefined' ? Promise.resolve()
    : script(/** @type {HTMLLinkElement | null} */ ($('#maplibre-js'))?.href ?? '/lib/maplibre-gl.js', 'map library unavailable');
  // A drop-in basemap (PMTiles) needs its reader, registered as the pmtiles:// protocol; without it, the plain map.
  return !config.basemapPmtilesUrl || config.basemapStyleUrl ? library : library.then(() => script('/lib/pmtiles.js', 'pmtiles reader unavailable')
    .then(() => { maplibregl.addProtocol('pmtiles', new pmtiles.Protocol().tile); })
    .catch((/** @type {Error} */ err) => { console.warn(err.message); config.basemapPmtilesUrl = null; }));
}

function script(/** @type {string} */ src, /** @type {string} */ failure) {
  return new Promise((resolve, reject) => {
    const node = document.createElement('script');
    node.src = src;
    node.onload = () => resolve(undefined);
    node.onerror = () => reject(new Error(failure));
    document.head.append(node);
  });
}

/**
 * The drop-in basemap's layers (OpenMapTiles schema, as planetiler and tilemaker write it): land cover, water,
 * rivers, roads and place names (villages and hamlets from OpenStreetMap), between the ground and the communes.
 */
function addBasemapLayers() {
  const s = { source: 'basemap' };
  map.addLayer({ id: 'basemap-landcover', type: 'fill', ...s, 'source-layer': 'landcover', paint: { 'fill-color': '#cfe3bd', 'fill-opacity': 0.6 } });
  map.addLayer({ id: 'basemap-water', type: 'fill', ...s, 'source-layer': 'water', paint: { 'fill-color': '#9cc3dc' } });
  map.addLayer({ id: 'basemap-waterway', type: 'line', ...s, 'source-layer': 'waterway', minzoom: 8,
    paint: { 'line-color': '#9cc3dc', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 14, 2.5] } });
  map.addLayer({ id: 'basemap-roads', type: 'line', ...s, 'source-layer': 'transportation', minzoom: 7,
    filter: ['in', ['get', 'class'], ['literal', ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'minor', 'track']]],
    paint: { 'line-color': ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], '#e8a25a', '#ffffff'],
      'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.5, 14, ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], 4, 2]] } });
}

/** The drop-in basemap's place names, over the communes (only with the app's own glyphs, which a PMTiles basemap uses). */
function addBasemapLabels() {
  map.addLayer({ id: 'basemap-places', type: 'symbol', source: 'basemap', 'source-layer': 'place', minzoom: 11,
    filter: ['in', ['get', 'class'], ['literal', ['town', 'village', 'hamlet', 'suburb', 'neighbourhood', 'isolated_dwelling']]],
    layout: { 'text-field': ['coalesce', ['get', 'name:vi'], ['get', 'name']], 'text-font': FONT.regular, 'text-size': 11, 'text-optional': true },
    paint: { 'text-color': '#5a4a3a', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 } });
}

function createMap() {
  const style = config.basemapStyleUrl || (config.basemapPmtilesUrl
    ? { ...PLAIN_STYLE, sources: { basemap: { type: 'vector', url: `pmtiles://${location.origin}${config.basemapPmtilesUrl}` } } }
    : PLAIN_STYLE);
  map = new maplibregl.Map({
    container: 'map',
    style,
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
    map.on('error', (/** @type {any} */ e) => { if (!styleReady) { console.warn('basemap unavailable:', e.error?.message); fallback(); } });
    setTimeout(fallback, 8000);
  }
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
}

/**
 * Resolves once the map object exists (its style and tiles may still be loading). When the library cannot be
 * loaded (offline, never cached) it never resolves: the page says so and the lists keep working without a map.
 */
export const mapCreated = /** @type {Promise<void>} */ (new Promise((resolve) => {
  loadLibrary().then(() => { createMap(); resolve(); }, (err) => {
    console.warn(err.message);
    const notice = $('#map-loading');
    if (notice) { notice.dataset.state = 'failed'; notice.dataset.i18n = 'mapFailed'; notice.textContent = t('mapFailed'); }
  });
}));

/** Resolves once the style and the commune layers are on the map. */
export const mapReady = mapCreated.then(() => new Promise((resolve) => map.once('load', resolve))).then(() => {
  // the first tiles drawn end the loading notice (index.html)
  map.once('idle', () => { const notice = $('#map-loading'); if (notice) notice.hidden = true; });
  const basemap = Boolean(config.basemapStyleUrl);
  map.addSource('communes', {
    type: 'vector',
    tiles: [`${location.origin}/tiles/communes/{z}/{x}/{y}.mvt`],
    minzoom: 0,
    maxzoom: 14,
    // tiles are asked for only inside these: the ground's extent (geo/land/extract.mjs), so the neighbours' land and
    // the islands out to Trường Sa (117.8° E) are drawn, not only the mainland
    bounds: [95, 3, 123, 27],
  });
  // The ground that ships with the app (Natural Earth land in the same tiles): coastline, islands, the neighbours.
  if (!basemap) map.addLayer({ id: 'land', type: 'fill', source: 'communes', 'source-layer': 'land', paint: { 'fill-color': '#e9e3d3' } });
  const dropIn = Boolean(map.getSource('basemap'));
  if (dropIn) addBasemapLayers();
  map.addLayer({
    id: 'communes-fill', type: 'fill', ...LAYER_SOURCE,
    paint: {
      'fill-color': ['match', RING, 0, colour(0), 1, colour(1), 2, colour(2), 3, colour(3), '#fbf8f0'],
      'fill-opacity': ['match', RING, -1, basemap ? 0.25 : dropIn ? 0.35 : 0.9, 0.8],
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
  // Province lines and names (bold, from one step in from the national view — there the glyphs would double the
  // first load — to zoom 9), commune names from zoom 8: placed without collisions (MapLibre
  // drops a label that would overlap another), white halo for reading over any fill. Only with the app's own
  // glyphs: a configured basemap brings its own glyph server, which has no DejaVu.
  map.addLayer({
    id: 'provinces-line', type: 'line', source: 'communes', 'source-layer': 'provinces',
    paint: { 'line-color': '#4d5d6a', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.8, 8, 1.6, 12, 2.5] },
  });
  if (!basemap) {
    const halo = { 'text-color': '#1f2d38', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 };
    map.addLayer({
      id: 'province-labels', type: 'symbol', source: 'communes', 'source-layer': 'province_labels', minzoom: 5.5, maxzoom: 9,
      layout: {
        'text-field': ['get', 'name'], 'text-font': FONT.bold, 'text-max-width': 7,
        'text-size': ['interpolate', ['linear'], ['zoom'], 4, 10, 6, 12, 8, 15],
      },
      paint: { ...halo, 'text-color': '#30404d' },
    });
    map.addLayer({
      id: 'commune-labels', type: 'symbol', source: 'communes', 'source-layer': 'labels', minzoom: 8,
      layout: {
        'text-field': ['get', 'name'], 'text-font': FONT.regular, 'text-max-width': 8, 'text-padding': 3,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 10, 11, 13, 14, 16],
      },
      paint: halo,
    });
    if (dropIn) addBasemapLabels();
  }
  // One click handler: an office under the pointer (or picking a fallback) wins over the commune beneath it.
  map.on('click', (/** @type {any} */ e) => {
    for (const fn of clickHandlers) if (fn(e)) return;
    const id = map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
    if (id != null) communeClick(codeOf(id));
  });
  map.on('mouseenter', 'communes-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'communes-fill', () => { map.getCanvas().style.cursor = ''; });
});

// ---------------------------------------------------------------- feature state: rings of the selection, own area
/** @type {string[]} */
let ringCodes = [];
/** Clears the rings of the selection (keeps the `own` state). */
export function clearRings() {
  for (const code of ringCodes) map.removeFeatureState({ ...SOURCE, id: Number(code) }, 'ring');
  ringCodes = [];
}

/** Shades a commune (ring 0), its neighbours by ring and its corner contacts (3). */
export function paintSelection(/** @type {Neighbours | null | undefined} */ data) {
  clearRings();
  if (!data) return;
  const set = (/** @type {string} */ code, /** @type {number} */ ring) => { map.setFeatureState({ ...SOURCE, id: Number(code) }, { ring }); ringCodes.push(code); };
  for (const c of data.corners ?? []) set(c.code, 3);
  for (const n of data.neighbours ?? []) set(n.code, Math.min(n.ring, 2));
  set(data.code, 0);
}

/** Marks communes as the user's own (feature-state `own`), replacing the previous ones. */
export function setOwn(/** @type {string[]} */ previous, /** @type {string[]} */ codes) {
  for (const code of previous) map.removeFeatureState({ ...SOURCE, id: Number(code) }, 'own');
  for (const code of codes) map.setFeatureState({ ...SOURCE, id: Number(code) }, { own: true });
}

// ---------------------------------------------------------------- camera
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

/**
 * [west, south, east, north] around GeoJSON geometries (null when empty).
 * @param {(Geometry | { coordinates: any } | null | undefined)[]} geometries
 * @returns {Box | null}
 */
export function bounds(geometries) {
  /** @type {Box} */
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (/** @type {any} */ c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
    } else c.forEach(walk);
  };
  for (const g of geometries) walk(g?.coordinates ?? []);
  return Number.isFinite(box[0]) ? box : null;
}

/** Fits a box beside the open panels. */
export function fitBox(/** @type {Box | null} */ box) {
  if (!box) return;
  map.resize();   // the map may just have shrunk to make room for the panel
  map.fitBounds(box, { padding: panelPadding(), maxZoom: 12, duration: reducedMotion ? 0 : 900 });
}

/** Centres a point, zoomed in to at least street-block level, beside the panel. */
export function flyToPoint(/** @type {[number, number]} */ lonLat) {
  map.resize();
  map.easeTo({ center: lonLat, zoom: Math.max(map.getZoom(), 12), padding: panelPadding(), duration: reducedMotion ? 0 : 900 });
}

/** Fits a few points (e.g. an office and the offices that may be its fallback). */
export function fitPoints(/** @type {[number, number][]} */ points) {
  const box = bounds([{ coordinates: points }]);
  if (box && box[0] === box[2] && box[1] === box[3]) flyToPoint([box[0], box[1]]);
  else fitBox(box);
}

/** A province's box from the commune tiles already drawn (the whole country at the start), else from a country view. */
export async function provinceBounds(/** @type {number[]} */ ids) {
  const query = () => bounds(map.querySourceFeatures('communes', {
    sourceLayer: 'communes', filter: ['in', ['id'], ['literal', ids]],
  }).map((/** @type {any} */ f) => f.geometry));
  let box = query();
  if (!box) {
    map.fitBounds(VIETNAM, { padding: 20, duration: 0 });
    await new Promise((resolve) => map.once('idle', resolve));
    box = query();
  }
  return box;
}

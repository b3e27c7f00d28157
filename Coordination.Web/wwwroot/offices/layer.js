// @ts-check
// The three map layers of offices, hazard zones and active floods: their data (loaded by the area in view, or by
// province when zoomed out, cached by feature id), their MapLibre sources and layers, the toggles (remembered in
// this browser) and the legend. The map draws circles, fills and lines only (no glyphs are served).

import { $, el, nfc } from '../shared/dom.js';
import { t, word } from '../shared/i18n.js';
import { getJson } from '../shared/api.js';
import { session } from '../shared/session.js';

/**
 * A GeoJSON feature as the API returns it (offices, hazard zones, flood events).
 * @typedef {{ type: 'Feature', id: number, geometry: any, properties: Record<string, any> }} Feature
 * @typedef {{ type: 'FeatureCollection', features: Feature[] }} FeatureCollection
 * @typedef {'offices' | 'zones' | 'floods'} LayerName
 * @typedef {{ id: number, name: string, isSample: boolean }} HazardLayer  GET /api/hazard-layers
 */

const LAYERS_KEY = 'coordination.layers';
const DEFAULT_PROVINCE = '40';       // Nghệ An, where the sample data lives; a province operator gets their own
export const OFFICE_MIN_ZOOM = 9;    // from here on offices load for the area in view (bbox), below for one province
const ZONE_MIN_ZOOM = 7;
export const RED = '#c62828', ORANGE = '#ef6c00', BLUE = '#1f5fa8', GREEN = '#0b7a3e';
const HAZARD_COLOUR = ['match', ['get', 'hazard'], 'flash_flood', '#7b1fa2', 'landslide', '#8d6e63', '#1e88e5'];
export const emptyCollection = () => /** @type {FeatureCollection} */ ({ type: 'FeatureCollection', features: [] });

/** The office paint while nothing is being picked. */
export const OFFICE_OPACITY = ['match', ['get', 'accuracy'], 'representative_point', 0.7, 1];
/** @param {any[] | null} [eligible] */
export const officeStroke = (eligible = null) => ['case', ['boolean', ['feature-state', 'selected'], false], '#111',
  ['boolean', ['feature-state', 'fallback'], false], GREEN, ...(eligible ? [eligible, '#111'] : []), '#fff'];

/**
 * @param {{ map: any, mapReady: Promise<unknown>, config?: any }} ctx
 * @param {{ keepOffices: () => boolean, crosshair: () => boolean }} panel  whether the office panel needs the
 *   offices drawn (an open office, picking its fallback) and the crosshair cursor (picking, placing a shelter)
 */
export function initLayers(ctx, panel) {
  const { map, mapReady } = ctx;
  const saved = (() => { try { return JSON.parse(localStorage.getItem(LAYERS_KEY) ?? 'null') ?? {}; } catch { return {}; } })();
  /** @type {Record<LayerName, boolean>} */
  const on = { offices: Boolean(saved.offices), zones: Boolean(saved.zones), floods: Boolean(saved.floods) };
  /** @type {string | null} province of the commune or office last shown: the one to load at a country view */
  let lastProvince = null;

  const homeProvince = () => {
    const scope = session.user?.scope;
    if (scope?.kind === 'province' && scope.code) return scope.code;
    return lastProvince ?? ctx.config?.homeProvince ?? DEFAULT_PROVINCE;
  };

  /** The view's box, padded by a quarter on each side and rounded outwards (fewer, reusable requests). */
  function viewBox() {
    const b = map.getBounds();
    const w = b.getWest(), s = b.getSouth(), e = b.getEast(), n = b.getNorth();
    const dx = (e - w) / 4, dy = (n - s) / 4;
    const r = (/** @type {number} */ v, /** @type {boolean} */ up) => (up ? Math.ceil(v * 100) : Math.floor(v * 100)) / 100;
    return [r(Math.max(-180, w - dx), false), r(Math.max(-90, s - dy), false), r(Math.min(180, e + dx), true), r(Math.min(90, n + dy), true)];
  }
  const contains = (/** @type {number[]} */ outer, /** @type {number[]} */ inner) =>
    outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

  /**
   * A GeoJSON data set loaded by bbox (zoomed in) or by province (zoomed out), cached by feature id.
   * @param {LayerName} name @param {string} path @param {number} minZoom @param {() => void} apply
   */
  function areaSet(name, path, minZoom, apply) {
    const set = {
      /** @type {Map<number, Feature>} */ cache: new Map(),
      /** @type {number[][]} */ boxes: [],
      /** @type {Set<string>} */ provinces: new Set(),
      inFlight: 0, failed: false,
      reset() { set.cache.clear(); set.boxes = []; set.provinces.clear(); },
      async ensure() {
        let query, box = null, province = null;
        if (map.getZoom() >= minZoom) {
          box = viewBox();
          if (set.boxes.some((b) => contains(b, box))) return;
          query = `bbox=${box.join(',')}`;
        } else {
          province = homeProvince();
          if (set.provinces.has(province)) return;
          query = `province=${encodeURIComponent(province)}`;
        }
        set.inFlight++;
        setState(name, 'loading');
        try {
          /** @type {FeatureCollection} */
          const fc = await getJson(`${path}?${query}`);
          for (const f of fc.features ?? []) set.cache.set(f.id, f);
          if (box) set.boxes.push(box); else set.provinces.add(/** @type {string} */ (province));
          set.failed = false;
          apply();
        } catch (err) {
          console.warn(`${name}:`, /** @type {Error} */ (err).message);
          set.failed = true;
        } finally {
          set.inFlight--;
          if (!set.inFlight) setState(name, set.failed ? 'error' : 'ready');
        }
      },
    };
    return set;
  }

  const offices = areaSet('offices', '/api/offices', OFFICE_MIN_ZOOM, () => { drawOffices(); renderLegend(); });
  const zones = areaSet('zones', '/api/hazard-zones', ZONE_MIN_ZOOM, () => { drawZones(); renderLegend(); });
  const floods = { /** @type {Feature[]} */ list: [], inFlight: 0 };

  async function loadFloods() {
    floods.inFlight++;
    setState('floods', 'loading');
    let failed = false;
    try {
      const fc = await getJson('/api/flood-events?active=true');
      floods.list = fc.features ?? [];
      await mapReady;
      map.getSource('flood-events')?.setData({ type: 'FeatureCollection', features: floods.list });
    } catch (err) {
      console.warn('flood events:', /** @type {Error} */ (err).message);
      failed = true;
    } finally {
      floods.inFlight--;
      if (!floods.inFlight) setState('floods', failed ? 'error' : 'ready');
      renderLegend();
    }
  }

  /** @type {Map<number, { name: string, isSample: boolean }> | null} hazard layer id → name, once asked */
  let layerNames = null;
  async function loadLayerNames() {
    layerNames = new Map();
    try {
      /** @type {HazardLayer[]} */
      const list = await getJson('/api/hazard-layers');
      layerNames = new Map(list.map((l) => [l.id, { name: l.name, isSample: l.isSample }]));
      renderLegend();
    } catch (err) { console.warn('hazard layers:', /** @type {Error} */ (err).message); }
  }

  /** Keeps only what the map needs (nested lists would be flattened to strings in the worker anyway). */
  const slim = (/** @type {Feature} */ f) => ({
    type: 'Feature', id: f.id, geometry: f.geometry,
    properties: {
      id: f.id, communeCode: f.properties.communeCode, kind: f.properties.kind, accuracy: f.properties.accuracy,
      floodProne: Boolean(f.properties.floodProne), floodedNow: Boolean(f.properties.floodedNow),
    },
  });

  function drawOffices() {
    map.getSource('offices')?.setData({ type: 'FeatureCollection', features: [...offices.cache.values()].map(slim) });
  }
  function drawZones() {
    map.getSource('hazard-zones')?.setData({ type: 'FeatureCollection', features: [...zones.cache.values()] });
  }

  /** Keeps one office fresh everywhere: cache, map, lists. */
  function remember(/** @type {Feature | null | undefined} */ feature) {
    if (!feature?.id) return;
    offices.cache.set(feature.id, feature);
    drawOffices();
  }

  // ------------------------------------------------------------ map layers
  mapReady.then(() => {
    map.addSource('hazard-zones', { type: 'geojson', data: emptyCollection() });
    map.addSource('flood-events', { type: 'geojson', data: emptyCollection() });
    map.addSource('offices', { type: 'geojson', data: emptyCollection() });
    const below = map.getLayer('communes-line') ? 'communes-line' : undefined;
    map.addLayer({ id: 'hazard-zones-fill', type: 'fill', source: 'hazard-zones',
      paint: { 'fill-color': HAZARD_COLOUR, 'fill-opacity': 0.32 } }, below);
    map.addLayer({ id: 'hazard-zones-line', type: 'line', source: 'hazard-zones', filter: ['!', ['get', 'isSample']],
      paint: { 'line-color': HAZARD_COLOUR, 'line-width': 1.2 } }, below);
    // A sample layer is outlined with dashes (its name in the legend says MẪU / sample in words).
    map.addLayer({ id: 'hazard-zones-sample-line', type: 'line', source: 'hazard-zones', filter: ['get', 'isSample'],
      paint: { 'line-color': HAZARD_COLOUR, 'line-width': 1.5, 'line-dasharray': [3, 2] } }, below);
    // A flood declared for whole communes (no drawn extent) is drawn lighter with a dashed outline: where in the
    // commune it floods is not known.
    const wholeCommunes = ['==', ['get', 'extent'], 'communes'];
    map.addLayer({ id: 'flood-events-fill', type: 'fill', source: 'flood-events',
      paint: { 'fill-color': RED, 'fill-opacity': ['case', wholeCommunes, 0.2, 0.35] } }, below);
    map.addLayer({ id: 'flood-events-line', type: 'line', source: 'flood-events', filter: ['!', wholeCommunes],
      paint: { 'line-color': '#8e0000', 'line-width': 1.5 } }, below);
    map.addLayer({ id: 'flood-events-communes-line', type: 'line', source: 'flood-events', filter: wholeCommunes,
      paint: { 'line-color': '#8e0000', 'line-width': 2, 'line-dasharray': [3, 2] } }, below);
    const state = (/** @type {string} */ key) => ['boolean', ['feature-state', key], false];
    map.addSource('office-draft', { type: 'geojson', data: emptyCollection() });
    map.addLayer({
      id: 'offices', type: 'circle', source: 'offices',
      layout: { 'circle-sort-key': ['case', ['get', 'floodedNow'], 2, ['get', 'floodProne'], 1, 0] },
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'],
          5, ['case', state('selected'), 6, 3], 10, ['case', state('selected'), 9, 6], 14, ['case', state('selected'), 12, 8]],
        'circle-color': ['case', ['get', 'floodedNow'], RED, ['get', 'floodProne'], ORANGE, BLUE],
        'circle-opacity': OFFICE_OPACITY,
        // A surveyed office has a firm white ring; approximate locations a thin one.
        'circle-stroke-color': ['case', state('selected'), '#111', state('fallback'), GREEN, '#fff'],
        'circle-stroke-width': ['case', state('selected'), 3, state('fallback'), 3,
          ['==', ['get', 'accuracy'], 'surveyed'], 2.5, 1],
      },
    });
    // Where a new shelter will be: a larger green circle with a dark ring, over the offices.
    map.addLayer({ id: 'office-draft', type: 'circle', source: 'office-draft',
      paint: { 'circle-radius': 9, 'circle-color': GREEN, 'circle-stroke-color': '#111', 'circle-stroke-width': 3 } });
    // The office's name as the pointer's tooltip (the map itself draws no text).
    map.on('mousemove', 'offices', (/** @type {any} */ e) => {
      map.getCanvas().style.cursor = 'pointer';
      const p = offices.cache.get(e.features?.[0]?.id)?.properties;
      map.getCanvasContainer().title = p ? nfc(p.name) : '';
    });
    map.on('mouseleave', 'offices', () => {
      map.getCanvas().style.cursor = panel.crosshair() ? 'crosshair' : '';
      map.getCanvasContainer().removeAttribute('title');
    });
    map.on('moveend', scheduleLoad);
    applyVisibility();
    load();
    if (on.floods) loadFloods();
  });

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let loadTimer;
  function scheduleLoad() {
    clearTimeout(loadTimer);
    loadTimer = setTimeout(() => { load(); renderLegend(); }, 200);
  }

  /** Loads what the visible layers need for the current view (cached areas are not asked again). */
  function load() {
    if (on.offices) offices.ensure();
    if (on.zones) { zones.ensure(); if (!layerNames) loadLayerNames(); }
  }

  async function applyVisibility() {
    await mapReady;
    const vis = (/** @type {boolean} */ v) => (v ? 'visible' : 'none');
    for (const id of ['hazard-zones-fill', 'hazard-zones-line', 'hazard-zones-sample-line']) map.setLayoutProperty(id, 'visibility', vis(on.zones));
    for (const id of ['flood-events-fill', 'flood-events-line', 'flood-events-communes-line']) map.setLayoutProperty(id, 'visibility', vis(on.floods));
    // An open office (and the picking of its fallback) keeps the offices drawn even with the layer off.
    map.setLayoutProperty('offices', 'visibility', vis(on.offices || panel.keepOffices()));
    renderLegend();
  }

  // ------------------------------------------------------------ toggles and legend
  /** @type {Record<LayerName, HTMLInputElement | null>} */
  const toggles = { offices: $('#toggle-offices'), zones: $('#toggle-zones'), floods: $('#toggle-floods') };
  function setState(/** @type {LayerName} */ name, /** @type {string} */ value) {
    const label = $(`#layer-${name}`);
    if (label) label.dataset.state = value;
  }
  for (const [name, box] of /** @type {[LayerName, HTMLInputElement | null][]} */ (Object.entries(toggles))) {
    if (!box) continue;
    box.checked = on[name];
    setState(name, on[name] ? 'loading' : 'off');
    box.addEventListener('change', () => setLayer(name, box.checked));
  }

  /** Turns a layer on or off (remembered in this browser); turning on reloads its data. */
  function setLayer(/** @type {LayerName} */ name, /** @type {unknown} */ value) {
    on[name] = Boolean(value);
    const box = toggles[name];
    if (box) box.checked = on[name];
    localStorage.setItem(LAYERS_KEY, JSON.stringify(on));
    if (!on[name]) setState(name, 'off');
    else if (name === 'offices') offices.reset();
    else if (name === 'zones') { zones.reset(); layerNames = null; }
    applyVisibility();
    if (on[name]) return mapReady.then(() => (name === 'floods' ? loadFloods() : load()));
    return Promise.resolve();
  }

  function renderLegend() {
    const officeLegend = $('#legend-offices');
    if (officeLegend) {
      officeLegend.hidden = !on.offices;
      $('#offices-zoom-hint').hidden = !on.offices || map.getZoom() >= OFFICE_MIN_ZOOM;
    }
    const zoneLegend = $('#legend-zones');
    if (zoneLegend) {
      zoneLegend.hidden = !on.zones;
      /** @type {Map<number, { name: string, isSample: boolean }>} */
      const shown = new Map();
      for (const f of zones.cache.values()) {
        const p = f.properties ?? {};
        shown.set(p.layerId, layerNames?.get(p.layerId) ?? { name: p.layerName, isSample: p.isSample });
      }
      const hazards = new Set([...zones.cache.values()].map((f) => f.properties?.hazard));
      if (!hazards.size) hazards.add('flood');
      $('#legend-zone-kinds').replaceChildren(...[...hazards].map((h) =>
        el('li', {}, el('i', { class: `sw hz-${h}` }), el('span', {}, word('hazardLegend', h)))));
      $('#legend-zone-layers').replaceChildren(...[...shown.values()].map((l) => el('li', { class: l.isSample ? 'sample' : null },
        l.isSample ? t('sampleLayer', nfc(l.name)) : nfc(l.name))));
    }
    const floodLegend = $('#legend-floods');
    if (floodLegend) {
      floodLegend.hidden = !on.floods;
      floodLegend.textContent = floods.list.length
        ? t('activeFloods', floods.list.map((f) => nfc(f.properties?.name)).join('; '))
        : t('noActiveFloods');
    }
    const wholeLegend = $('#legend-floods-whole');
    if (wholeLegend) wholeLegend.hidden = !on.floods || !floods.list.some((f) => f.properties?.extent === 'communes');
  }

  return {
    on, offices, zones, floods, drawOffices, remember, applyVisibility, setLayer, renderLegend, loadFloods,
    /** The province to load at a country view: the one of the commune or office shown last. */
    setProvince(/** @type {string | null | undefined} */ code) { if (code) lastProvince = code; },
  };
}

// @ts-nocheck  (not yet split into typed modules: the type check skips this file until it is)
// Offices, hazard zones and active floods on the map, and the office panel (exposure in words, fallback office,
// picking the fallback on the map; a shelter's occupancy) and adding a shelter placed on the map. Plain ES module
// used by app.js. All API text goes to the page through textContent only (el() makes text nodes); the map draws
// circles, fills and lines only (no glyphs are served).

import { $, el, t, fmt, nfc, locale, getJson, api, problemText, fieldError, dateTime, session, STRINGS, lang } from './common.js';
import { actsFor, onScope } from './scope.js';

const LAYERS_KEY = 'coordination.layers';
const DEFAULT_PROVINCE = '40';       // Nghệ An, where the sample data lives; a province operator gets their own
const OFFICE_MIN_ZOOM = 9;           // from here on offices load for the area in view (bbox), below for one province
const ZONE_MIN_ZOOM = 7;
const RED = '#c62828', ORANGE = '#ef6c00', BLUE = '#1f5fa8', GREEN = '#0b7a3e';
const HAZARD_COLOUR = ['match', ['get', 'hazard'], 'flash_flood', '#7b1fa2', 'landslide', '#8d6e63', '#1e88e5'];

const str = () => STRINGS[lang];
const number = (v) => new Intl.NumberFormat(locale()).format(v);
const metres = (m) => (m >= 1000
  ? `${new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(m / 1000)} km`
  : `${number(Math.round(m))} m`);
const officeKind = (k) => str().officeKinds[k] ?? nfc(k);
const communeKind = (k) => str().kinds[nfc(k).toLowerCase()] ?? nfc(k);
const emptyCollection = () => ({ type: 'FeatureCollection', features: [] });
const SHELTER_KINDS = ['school', 'cultural_house', 'clinic', 'people_committee', 'other'];

/**
 * A refusal of the API in the page language, never the API's English: our sentence for each field it names
 * (fieldTexts: field → text), else one for the status.
 */
export function apiProblem(r, fieldTexts = {}) {
  const s = STRINGS[lang];
  if (r.status === 0) return s.networkError;
  if (r.status === 401 || r.status === 403) return problemText(r);
  if (r.status === 404) return s.notFoundNow;
  const errors = r.problem?.errors;
  if (r.status === 400 && errors && typeof errors === 'object') {
    const texts = Object.keys(errors).map((field) => {
      const key = Object.keys(fieldTexts).find((k) => k.toLowerCase() === field.toLowerCase());
      return key ? fieldTexts[key] : s.refusedInput;
    });
    return [...new Set(texts)].join(' ');
  }
  if (r.status === 400 || r.status === 409 || r.status === 422) return s.refusedInput;
  return fmt(s.serverTrouble, r.status);
}

/**
 * Wires the three layers, their toggles and the office panel into the map page.
 * ctx: { map, mapReady, config, fitBox, flyToPoint, selectCommune(code), leaveCommune(), leaveFlood() }
 */
export function initOffices(ctx) {
  const { map, mapReady } = ctx;
  const saved = (() => { try { return JSON.parse(localStorage.getItem(LAYERS_KEY)) ?? {}; } catch { return {}; } })();
  const on = { offices: Boolean(saved.offices), zones: Boolean(saved.zones), floods: Boolean(saved.floods) };
  let lastProvince = null;     // province of the commune or office last shown: the one to load at a country view

  const homeProvince = () => {
    const scope = session.user?.scope;
    if (scope?.kind === 'province' && scope.code) return scope.code;
    return lastProvince ?? ctx.config?.homeProvince ?? DEFAULT_PROVINCE;
  };

  // ------------------------------------------------------------ data sets loaded by area
  /** A GeoJSON data set loaded by bbox (zoomed in) or by province (zoomed out), cached by feature id. */
  function areaSet(name, path, minZoom, apply) {
    const set = { cache: new Map(), boxes: [], provinces: new Set(), inFlight: 0, failed: false };
    set.reset = () => { set.cache.clear(); set.boxes = []; set.provinces.clear(); };
    set.ensure = async () => {
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
        const fc = await getJson(`${path}?${query}`);
        for (const f of fc.features ?? []) set.cache.set(f.id, f);
        if (box) set.boxes.push(box); else set.provinces.add(province);
        set.failed = false;
        apply();
      } catch (err) {
        console.warn(`${name}:`, err.message);
        set.failed = true;
      } finally {
        set.inFlight--;
        if (!set.inFlight) setState(name, set.failed ? 'error' : 'ready');
      }
    };
    return set;
  }

  /** The view's box, padded by a quarter on each side and rounded outwards (fewer, reusable requests). */
  function viewBox() {
    const b = map.getBounds();
    const w = b.getWest(), s = b.getSouth(), e = b.getEast(), n = b.getNorth();
    const dx = (e - w) / 4, dy = (n - s) / 4;
    const r = (v, up) => (up ? Math.ceil(v * 100) : Math.floor(v * 100)) / 100;
    return [r(Math.max(-180, w - dx), false), r(Math.max(-90, s - dy), false), r(Math.min(180, e + dx), true), r(Math.min(90, n + dy), true)];
  }
  const contains = (outer, inner) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

  const offices = areaSet('offices', '/api/offices', OFFICE_MIN_ZOOM, () => { drawOffices(); renderLegend(); });
  const zones = areaSet('zones', '/api/hazard-zones', ZONE_MIN_ZOOM, () => { drawZones(); renderLegend(); });
  const floods = { list: [], inFlight: 0 };

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
      console.warn('flood events:', err.message);
      failed = true;
    } finally {
      floods.inFlight--;
      if (!floods.inFlight) setState('floods', failed ? 'error' : 'ready');
      renderLegend();
    }
  }

  let layerNames = null;        // hazard layer id → { name, isSample }, once asked
  async function loadLayerNames() {
    layerNames = new Map();
    try {
      const list = await getJson('/api/hazard-layers');
      layerNames = new Map(list.map((l) => [l.id, { name: l.name, isSample: l.isSample }]));
      renderLegend();
    } catch (err) { console.warn('hazard layers:', err.message); }
  }

  /** Keeps only what the map needs (nested lists would be flattened to strings in the worker anyway). */
  const slim = (f) => ({
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
  function remember(feature) {
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
    const state = (key) => ['boolean', ['feature-state', key], false];
    map.addSource('office-draft', { type: 'geojson', data: emptyCollection() });
    map.addLayer({
      id: 'offices', type: 'circle', source: 'offices',
      layout: { 'circle-sort-key': ['case', ['get', 'floodedNow'], 2, ['get', 'floodProne'], 1, 0] },
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'],
          5, ['case', state('selected'), 6, 3], 10, ['case', state('selected'), 9, 6], 14, ['case', state('selected'), 12, 8]],
        'circle-color': ['case', ['get', 'floodedNow'], RED, ['get', 'floodProne'], ORANGE, BLUE],
        'circle-opacity': ['match', ['get', 'accuracy'], 'representative_point', 0.7, 1],
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
    map.on('mousemove', 'offices', (e) => {
      map.getCanvas().style.cursor = 'pointer';
      const p = offices.cache.get(e.features?.[0]?.id)?.properties;
      map.getCanvasContainer().title = p ? nfc(p.name) : '';
    });
    map.on('mouseleave', 'offices', () => {
      map.getCanvas().style.cursor = picking || draft ? 'crosshair' : '';
      map.getCanvasContainer().removeAttribute('title');
    });
    map.on('moveend', scheduleLoad);
    applyVisibility();
    load();
    if (on.floods) loadFloods();
  });

  let loadTimer = 0;
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
    const vis = (v) => (v ? 'visible' : 'none');
    for (const id of ['hazard-zones-fill', 'hazard-zones-line', 'hazard-zones-sample-line']) map.setLayoutProperty(id, 'visibility', vis(on.zones));
    for (const id of ['flood-events-fill', 'flood-events-line', 'flood-events-communes-line']) map.setLayoutProperty(id, 'visibility', vis(on.floods));
    // An open office (and the picking of its fallback) keeps the offices drawn even with the layer off.
    map.setLayoutProperty('offices', 'visibility', vis(on.offices || picking || openId != null));
    renderLegend();
  }

  // ------------------------------------------------------------ toggles and legend
  const toggles = { offices: $('#toggle-offices'), zones: $('#toggle-zones'), floods: $('#toggle-floods') };
  function setState(name, value) {
    const label = $(`#layer-${name}`);
    if (label) label.dataset.state = value;
  }
  for (const [name, box] of Object.entries(toggles)) {
    if (!box) continue;
    box.checked = on[name];
    setState(name, on[name] ? 'loading' : 'off');
    box.addEventListener('change', () => setLayer(name, box.checked));
  }

  /** Turns a layer on or off (remembered in this browser); turning on reloads its data. */
  function setLayer(name, value) {
    on[name] = Boolean(value);
    if (toggles[name]) toggles[name].checked = on[name];
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
      const zoomHint = $('#offices-zoom-hint');
      zoomHint.hidden = !on.offices || map.getZoom() >= OFFICE_MIN_ZOOM;
    }
    const zoneLegend = $('#legend-zones');
    if (zoneLegend) {
      zoneLegend.hidden = !on.zones;
      const shown = new Map();
      for (const f of zones.cache.values()) {
        const p = f.properties ?? {};
        shown.set(p.layerId, layerNames?.get(p.layerId) ?? { name: p.layerName, isSample: p.isSample });
      }
      const hazards = new Set([...zones.cache.values()].map((f) => f.properties?.hazard));
      if (!hazards.size) hazards.add('flood');
      $('#legend-zone-kinds').replaceChildren(...[...hazards].map((h) =>
        el('li', {}, el('i', { class: `sw hz-${h}` }), el('span', {}, str().hazardLegend[h] ?? nfc(h)))));
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

  // ------------------------------------------------------------ the office panel
  let openId = null;          // office shown in the panel
  let office = null;          // its feature
  let openToken = 0;
  let message = null;         // { text, error }
  let picking = false;        // choosing the fallback on the map
  let candidates = null;      // offices that may be the fallback (same commune + ring-1 neighbours), once loaded
  let marked = [];            // ids with feature-state selected / fallback

  const panel = $('#panel');
  const box = $('#office');

  /** Opens an office in the panel (fresh from the API); fly: move the map there; note: a message to show. */
  async function open(id, { fly = false, note = null } = {}) {
    id = Number(id);
    const token = ++openToken;
    stopPicking();
    stopDraft();
    ctx.leaveCommune();
    ctx.leaveFlood?.();
    openId = id;
    office = offices.cache.get(id) ?? null;
    message = note;
    panel.dataset.office = String(id);
    panel.dataset.state = 'loading';
    document.body.dataset.panel = 'open';
    $('#hint').hidden = true;
    $('#detail').hidden = true;
    $('#error').hidden = true;
    $('#flood').hidden = true;
    box.hidden = false;
    setUrl(id);
    if (office) render();
    else box.replaceChildren(el('p', { class: 'muted' }, t('loading')));
    try {
      const feature = await getJson(`/api/offices/${encodeURIComponent(id)}`);
      if (token !== openToken) return;
      office = feature;
      lastProvince = feature.properties?.provinceCode ?? lastProvince;
      remember(feature);
      render();
      panel.dataset.state = 'ready';
      await mapReady;
      if (token !== openToken) return;
      applyVisibility();
      markOnMap();
      if (fly) ctx.flyToPoint(feature.geometry.coordinates);
    } catch (err) {
      if (token !== openToken) return;
      panel.dataset.state = 'error';
      box.replaceChildren(el('p', { class: 'form-error', role: 'alert' }, t('loadError', err.message)));
    }
  }

  /** Leaves the office panel; keepPanel: something else (a commune) takes the panel over. */
  function close({ keepPanel = false } = {}) {
    if (openId == null && !picking && !draft) return;
    openToken++;
    stopPicking();
    stopDraft();
    openId = null;
    office = null;
    message = null;
    box.hidden = true;
    box.replaceChildren();
    delete panel.dataset.office;
    setUrl(null);
    mapReady.then(() => { markOnMap(); applyVisibility(); });
    if (!keepPanel) {
      panel.dataset.state = 'empty';
      delete document.body.dataset.panel;
      $('#hint').hidden = false;
    }
  }

  function setUrl(id) {
    const url = new URL(location.href);
    if (id == null) url.searchParams.delete('office'); else url.searchParams.set('office', String(id));
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  }

  function markOnMap() {
    for (const id of marked) map.removeFeatureState({ source: 'offices', id });
    marked = [];
    if (openId == null) return;
    map.setFeatureState({ source: 'offices', id: openId }, { selected: true });
    marked.push(openId);
    const fb = office?.properties?.fallback;
    if (fb?.id != null) { map.setFeatureState({ source: 'offices', id: fb.id }, { fallback: true }); marked.push(fb.id); }
  }

  /** Whether to offer changes to this office (fallback, occupancy): to those who act for its commune, as the API requires. */
  const mayEdit = (p) => actsFor(p.communeCode, p.provinceCode);

  /** One exposure reason in words, in the page language. */
  function reasonText(r) {
    const hazard = str().hazards[r.hazard] ?? nfc(r.hazard);
    if (r.reason === 'inside_event') {
      const when = r.eventActive ? t('eventActive')
        : r.eventEndedAt ? t('eventEnded', dateTime(r.eventEndedAt)) : t('eventPast');
      return [t('reasonEvent', nfc(r.eventName)), `(${[r.eventStartedAt ? t('eventStarted', dateTime(r.eventStartedAt)) : null, when].filter(Boolean).join(', ')})`].join(' ');
    }
    const parts = [r.reason === 'near_zone' ? t('reasonNear', hazard, nfc(r.zoneName), metres(r.distanceM ?? 0))
      : t('reasonInside', hazard, nfc(r.zoneName))];
    const details = [];
    if (r.depthClass) details.push(t('depth', nfc(r.depthClass)));
    if (r.returnPeriodYears) details.push(t('returnPeriod', number(r.returnPeriodYears)));
    if (details.length) parts[0] += ` (${details.join(', ')})`;
    if (r.layerName) parts.push(t('reasonLayer', nfc(r.layerName)) + (r.layerIsSample ? ` ${t('sample')}` : ''));
    return parts.join(' — ');
  }

  function render() {
    if (draft && !actsFor(draft.code, draft.provinceCode)) { close(); return; }   // signed out meanwhile
    if (draft) { renderDraft(); return; }
    if (!office || box.hidden) return;
    const p = office.properties ?? {};
    const children = [];
    children.push(el('button', { id: 'office-close', type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => close() }, '×'));
    children.push(el('h2', { id: 'office-name' }, nfc(p.name)));
    children.push(el('p', { id: 'office-meta', class: 'meta' },
      officeKind(p.kind), ' · ',
      el('button', { type: 'button', class: 'link-button inline', id: 'office-commune',
        onclick: () => ctx.selectCommune(p.communeCode) }, t('communeOf', communeKind(p.communeKind), nfc(p.communeName)))));

    // Where services are now, then the exposure headline
    if (p.floodedNow) {
      const s = p.servingFrom;
      children.push(el('p', { id: 'office-flooded', class: 'status flooded', role: 'status' },
        s ? t('floodedNowAt', nfc(s.name)) : t('floodedNowNoFallback')));
      if (s?.isFallback && (s.address || s.phone)) {
        children.push(el('p', { id: 'office-serving', class: 'status-detail' }, [
          s.address ? `${t('address')}: ${nfc(s.address)}` : null, s.phone ? `${t('phone')}: ${nfc(s.phone)}` : null,
        ].filter(Boolean).join(' · ')));
      }
    }
    const headline = p.floodProne ? t('floodProne') : t('noExposure');
    children.push(el('p', { id: 'office-exposure', class: `status ${p.floodProne ? 'prone' : 'clear'}`,
      'data-flood-prone': String(Boolean(p.floodProne)) }, headline, p.landslideProne ? ` · ${t('landslideProne')}` : ''));
    const reasons = p.reasons ?? [];
    if (reasons.length) {
      children.push(el('ul', { id: 'office-reasons' }, ...reasons.map((r) =>
        el('li', { 'data-reason': r.reason, 'data-hazard': r.hazard, class: r.layerIsSample ? 'sample' : null }, reasonText(r)))));
    }

    const facts = [];
    const fact = (id, label, ...value) => facts.push(el('dt', {}, label), el('dd', { id }, ...value));
    if (p.address && nfc(p.address) !== nfc(p.name)) fact('office-address', t('address'), nfc(p.address));
    if (p.phone) fact('office-phone', t('phone'), el('a', { href: `tel:${String(p.phone).replace(/[^\d+]/g, '')}` }, nfc(p.phone)));
    fact('office-accuracy', t('location'), str().accuracy[p.accuracy] ?? nfc(p.accuracy));
    if (p.warning) fact('office-warning', t('warning'), nfc(p.warning));
    // How many are there now is the shelter card's (updated in place as people are counted).
    if (p.isShelter) fact('office-shelter', t('shelter'), p.shelterCapacity != null ? t('shelterCapacity', number(p.shelterCapacity)) : t('shelterYes'));
    children.push(el('dl', { id: 'office-facts', class: 'facts' }, ...facts));
    if (p.isShelter) children.push(shelterSection(p));
    children.push(fallbackSection(p));
    if (message) {
      children.push(el('p', { id: 'office-message', class: message.error ? 'form-error' : 'muted',
        role: message.error ? 'alert' : 'status' }, message.text));
    }
    box.replaceChildren(...children);
  }

  // ------------------------------------------------------------ a shelter's occupancy
  // Taps made while a change is on its way add up and go in the next request, as a change (+n/−n) the API applies
  // to the stored number: two phones counting at the same shelter both count.
  let tally = { id: null, pending: 0, sending: 0 };

  function shelterSection(p) {
    if (tally.id !== p.id) tally = { id: p.id, pending: 0, sending: 0 };
    // What comes and goes (over capacity, when updated) sits below the buttons: nothing above them moves under a
    // finger tapping again.
    const section = el('section', { id: 'shelter-card', class: 'card shelter' },
      el('h3', {}, t('occupancyTitle')),
      el('p', { id: 'shelter-count', class: 'count-line' }));
    if (mayEdit(p)) {
      section.append(el('div', { class: 'steps', role: 'group', 'aria-label': t('occupancyTitle') },
        ...[-10, -1, 1, 10].map((n) => el('button', { type: 'button', class: 'step', 'data-change': String(n),
          onclick: () => tapOccupancy(n) }, n > 0 ? `+${n}` : `−${-n}`))));
    }
    section.append(el('p', { id: 'shelter-over', class: 'status flooded', role: 'status' }), el('p', { id: 'shelter-updated', class: 'muted' }));
    if (mayEdit(p)) {
      const form = el('form', { id: 'occupancy-form', class: 'inline-form' },
        el('label', { for: 'occupancy-input' }, t('occupancyExact')),
        el('input', { id: 'occupancy-input', name: 'occupancy', type: 'number', inputmode: 'numeric', min: 0, step: 1, max: 100000 }),
        el('button', { type: 'submit', id: 'occupancy-save' }, t('occupancySave')));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const v = form.elements.occupancy.value.trim();
        if (!/^\d{1,6}$/.test(v)) { message = { text: str().officeInvalid.occupancy, error: true }; showMessage(); return; }
        const id = openId;
        putOccupancy({ occupancy: Number(v) }).then((r) => {
          if (openId !== id) return;
          occupancyMessage(r);
          if (r.ok) form.elements.occupancy.value = '';
          fillShelter(); showMessage();
        });
      });
      section.append(form);
    }
    fillShelter(section);
    return section;
  }

  /**
   * The count, over capacity and step buttons, updated in place: rebuilding the buttons under a finger that taps
   * again would lose that tap.
   */
  function fillShelter(section = $('#shelter-card')) {
    const p = office?.properties;
    if (!section || !p || tally.id !== p.id) return;
    const cap = p.shelterCapacity;
    const unsent = tally.pending + tally.sending;
    const now = p.shelterOccupancy == null && !unsent ? null : (p.shelterOccupancy ?? 0) + unsent;
    const over = cap != null && now != null && now > cap;
    section.classList.toggle('over', over);
    section.dataset.over = String(over);
    const count = section.querySelector('#shelter-count');
    count.dataset.occupancy = now == null ? '' : String(now);
    count.textContent = now == null ? t('occupancyUnknown')
      : cap != null ? fmt(str().occupancyOf, number(now), number(cap)) : fmt(str().occupancyOnly, number(now));
    const overLine = section.querySelector('#shelter-over');
    overLine.hidden = !over;
    overLine.textContent = over ? fmt(str().overCapacityBy, number(now - cap)) : '';
    const updated = section.querySelector('#shelter-updated');
    updated.hidden = !p.occupancyUpdatedAt;
    updated.textContent = p.occupancyUpdatedAt ? t('occupancyUpdated', dateTime(p.occupancyUpdatedAt)) : '';
    for (const b of section.querySelectorAll('.step')) b.disabled = (now ?? 0) + Number(b.dataset.change) < 0;
  }

  /** The panel's message line, in place (see fillShelter). */
  function showMessage() {
    let line = $('#office-message');
    if (!message) { line?.remove(); return; }
    if (!line) { line = el('p', { id: 'office-message' }); box.append(line); }
    line.className = message.error ? 'form-error' : 'muted';
    line.setAttribute('role', message.error ? 'alert' : 'status');
    line.textContent = message.text;
  }

  function tapOccupancy(n) {
    if (tally.id !== openId) return;
    tally.pending += n;
    message = null;
    fillShelter();
    showMessage();
    flushTally();
  }

  async function flushTally() {
    const t0 = tally;
    if (t0.sending || !t0.pending) return;
    t0.sending = t0.pending;
    t0.pending = 0;
    const r = await putOccupancy({ change: t0.sending });
    t0.sending = 0;
    if (!r.ok) t0.pending = 0;     // refused (e.g. fewer left than recorded): drop the taps counted on it
    if (tally !== t0 || openId !== t0.id) return;
    occupancyMessage(r);
    fillShelter();
    showMessage();
    flushTally();
  }

  /** PUT …/occupancy with { occupancy } or { change }; keeps the office fresh everywhere when taken. */
  async function putOccupancy(body) {
    const id = openId;
    let r;
    try { r = await api(`/api/offices/${encodeURIComponent(id)}/occupancy`, { method: 'PUT', body }); }
    catch (err) { r = { ok: false, status: 0, problem: { detail: err.message } }; }
    if (r.ok) {
      remember(r.data);
      if (openId === id) office = r.data;
      renderCommuneOffices();
    }
    return r;
  }

  function occupancyMessage(r) {
    message = r.ok ? { text: t('occupancySaved', dateTime(r.data.properties?.occupancyUpdatedAt ?? new Date().toISOString())), error: false }
      : { text: apiProblem(r, str().officeInvalid), error: true };
  }

  function fallbackSection(p) {
    const fb = p.fallback;
    const section = el('section', { id: 'office-fallback', class: 'card' }, el('h3', {}, t('fallbackTitle')));
    if (fb) {
      const communeName = offices.cache.get(fb.id)?.properties?.communeName;
      section.append(el('p', { id: 'office-fallback-name' },
        el('button', { type: 'button', class: 'link-button inline', onclick: () => open(fb.id, { fly: true }) }, nfc(fb.name)),
        communeName && fb.communeCode !== p.communeCode ? ` (${nfc(communeName)})` : '',
        fb.floodedNow ? ` — ${t('fallbackFlooded')}` : ''));
      const contact = [nfc(fb.address), nfc(fb.phone)].filter(Boolean).join(' · ');
      if (contact && contact !== nfc(fb.name)) section.append(el('p', { class: 'muted' }, contact));
    } else {
      section.append(el('p', { id: 'office-fallback-none', class: 'muted' }, t('noFallback')));
    }
    if (!mayEdit(p)) return section;
    if (picking) {
      section.append(el('p', { id: 'pick-hint', class: 'pick-hint', role: 'status' }, t('pickingFallback')));
      if (candidates == null) section.append(el('p', { class: 'muted' }, t('loading')));
      else {
        const list = candidates.filter((c) => c.id !== p.id);
        section.append(el('ul', { id: 'pick-candidates' }, ...(list.length ? list.map((c) =>
          el('li', { 'data-office': c.id },
            el('button', { type: 'button', class: 'link-button inline', onclick: () => setFallback(c.id) }, nfc(c.properties.name)),
            el('span', { class: 'muted' }, ` ${nfc(c.properties.communeName)}${c.properties.floodProne ? ` · ${t('floodProneShort')}` : ''}`)))
          : [el('li', { class: 'muted' }, t('noCandidates'))])));
      }
      section.append(el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'pick-cancel', onclick: () => { stopPicking(); render(); } }, t('cancel'))));
    } else {
      section.append(el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'pick-fallback', onclick: startPicking }, t('pickFallback')),
        fb ? el('button', { type: 'button', id: 'clear-fallback', onclick: () => setFallback(null) }, t('clearFallback')) : null));
    }
    return section;
  }

  // ------------------------------------------------------------ picking the fallback on the map
  async function startPicking() {
    if (!office) return;
    picking = true;
    candidates = null;
    message = null;
    render();
    map.getCanvas().style.cursor = 'crosshair';
    document.body.dataset.picking = 'true';
    const p = office.properties;
    const id = openId;
    try {
      const data = await getJson(`/api/communes/${encodeURIComponent(p.communeCode)}/neighbours?rings=1`);
      const codes = [p.communeCode, ...data.neighbours.filter((n) => n.ring === 1).map((n) => n.code)];
      const lists = await Promise.all(codes.map((c) => getJson(`/api/offices?commune=${encodeURIComponent(c)}`)));
      if (!picking || openId !== id) return;
      candidates = lists.flatMap((fc) => fc.features ?? []);
      for (const f of candidates) offices.cache.set(f.id, f);
      drawOffices();
      await applyVisibility();
      // Eligible offices stand out; the others fade while picking.
      const eligible = ['in', ['get', 'communeCode'], ['literal', codes]];
      map.setPaintProperty('offices', 'circle-opacity', ['case', eligible, 1, 0.3]);
      map.setPaintProperty('offices', 'circle-stroke-color', ['case', ['boolean', ['feature-state', 'selected'], false], '#111',
        ['boolean', ['feature-state', 'fallback'], false], GREEN, eligible, '#111', '#fff']);
      ctx.fitPoints([office, ...candidates].map((f) => f.geometry.coordinates));
      render();
    } catch (err) {
      if (!picking) return;
      message = { text: t('loadError', err.message), error: true };
      stopPicking();
      render();
    }
  }

  function stopPicking() {
    if (!picking) return;
    picking = false;
    candidates = null;
    delete document.body.dataset.picking;
    map.getCanvas().style.cursor = '';
    if (map.getLayer('offices')) {
      map.setPaintProperty('offices', 'circle-opacity', ['match', ['get', 'accuracy'], 'representative_point', 0.7, 1]);
      map.setPaintProperty('offices', 'circle-stroke-color', ['case', ['boolean', ['feature-state', 'selected'], false], '#111',
        ['boolean', ['feature-state', 'fallback'], false], GREEN, '#fff']);
    }
  }

  async function setFallback(fallbackId) {
    if (!office) return;
    const id = openId;
    if (fallbackId === id) { message = { text: t('pickSelf'), error: true }; render(); return; }
    let r;
    try { r = await api(`/api/offices/${encodeURIComponent(id)}/fallback`, { method: 'PUT', body: { fallbackOfficeId: fallbackId } }); }
    catch (err) { r = { ok: false, status: 0, problem: { detail: err.message } }; }
    if (openId !== id) return;
    if (r.ok) {
      stopPicking();
      office = r.data;
      remember(r.data);
      const fb = r.data?.properties?.fallback;
      message = { text: fb ? t('fallbackSet', nfc(fb.name)) : t('fallbackCleared'), error: false };
      markOnMap();
    } else {
      const errors = r.problem?.errors;
      message = { text: errors ? Object.entries(errors).map(([k, m]) => fieldError(k, m)).join(' ') : problemText(r), error: true };
      if (r.status !== 400) stopPicking();
    }
    render();
  }

  /** The page's map click: true when it was about offices (so the commune underneath is not selected). */
  function handleClick(e) {
    if (draft) { placeShelter(e); return true; }
    if (!map.getLayer('offices') || map.getLayoutProperty('offices', 'visibility') === 'none') {
      if (picking) { message = { text: t('pickNotOffice'), error: true }; render(); return true; }
      return false;
    }
    const { x, y } = e.point;
    const hits = map.queryRenderedFeatures([[x - 5, y - 5], [x + 5, y + 5]], { layers: ['offices'] });
    // The closest circle under the pointer
    const hit = hits.map((f) => ({ f, d: distanceTo(f, e.lngLat) })).sort((a, b) => a.d - b.d)[0]?.f;
    if (picking) {
      if (hit) setFallback(Number(hit.id));
      else { message = { text: t('pickNotOffice'), error: true }; render(); }
      return true;
    }
    if (hit) { open(hit.id); return true; }
    return false;
  }
  const distanceTo = (f, ll) => {
    const [lon, lat] = f.geometry.coordinates;
    return (lon - ll.lng) ** 2 + (lat - ll.lat) ** 2;
  };

  // ------------------------------------------------------------ adding a shelter, placed on the map
  let draft = null;    // { code, provinceCode, communeName, communeKind, name, kind, capacity, address, point, error, busy }

  function startShelter(code, provinceCode, props) {
    ctx.leaveFlood?.();
    close({ keepPanel: true });
    ctx.leaveCommune();
    draft = { code, provinceCode, communeName: props.name ?? '', communeKind: props.kind ?? '', name: '', kind: 'school',
      capacity: '', address: '', point: null, error: null, busy: false };
    panel.dataset.newShelter = code;
    panel.dataset.state = 'ready';
    document.body.dataset.panel = 'open';
    for (const id of ['#hint', '#detail', '#error', '#flood']) $(id).hidden = true;
    box.hidden = false;
    map.getCanvas().style.cursor = 'crosshair';
    render();
    $('#shelter-name')?.focus();
  }

  /** Forgets the new shelter being placed (saved, cancelled, or something else took the panel). */
  function stopDraft() {
    if (!draft) return;
    draft = null;
    delete panel.dataset.newShelter;
    map.getCanvas().style.cursor = '';
    mapReady.then(() => map.getSource('office-draft')?.setData(emptyCollection()));
  }

  const draftCommune = () => t('communeOf', communeKind(draft.communeKind), nfc(draft.communeName));

  function renderDraft() {
    const d = draft;
    const field = (id, label, control) => [el('label', { for: id }, label), control];
    const keep = (key) => (e) => { d[key] = e.target.value; };
    const form = el('form', { id: 'shelter-form', class: 'stack', novalidate: true },
      ...field('shelter-name', t('shelterName'), el('input', { id: 'shelter-name', name: 'name', maxlength: 200, autocomplete: 'off', value: d.name, oninput: keep('name') })),
      ...field('shelter-kind', t('shelterKind'), el('select', { id: 'shelter-kind', name: 'kind', onchange: keep('kind') },
        ...SHELTER_KINDS.map((k) => el('option', { value: k, selected: d.kind === k }, officeKind(k))))),
      ...field('shelter-capacity', t('shelterCapacityLabel'), el('input', { id: 'shelter-capacity', name: 'capacity', type: 'number', inputmode: 'numeric',
        min: 0, step: 1, value: d.capacity, oninput: keep('capacity') })),
      ...field('shelter-address', t('address'), el('input', { id: 'shelter-address', name: 'address', maxlength: 300, autocomplete: 'off', value: d.address, oninput: keep('address') })),
      el('p', { id: 'shelter-place', class: d.point ? 'muted' : 'pick-hint', role: 'status', 'data-placed': String(Boolean(d.point)) },
        d.point ? t('shelterPlaced') : t('shelterPlaceHint', draftCommune())),
      d.error ? el('p', { id: 'shelter-error', class: 'form-error', role: 'alert' }, d.error) : null,
      el('div', { class: 'actions' },
        el('button', { type: 'submit', id: 'shelter-save', disabled: d.busy }, d.busy ? t('saving') : t('shelterSave')),
        el('button', { type: 'button', id: 'shelter-cancel', onclick: () => { const code = d.code; close({ keepPanel: true }); ctx.selectCommune(code); } }, t('cancel'))));
    form.addEventListener('submit', (e) => { e.preventDefault(); saveShelter(); });
    box.replaceChildren(
      el('button', { id: 'office-close', type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => close() }, '×'),
      el('h2', { id: 'shelter-title' }, t('newShelterTitle', draftCommune())), form);
  }

  /** A click on the map places the shelter, inside its commune only (the commune under the pointer, from the tiles). */
  function placeShelter(e) {
    const id = map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
    if (id == null || String(id).padStart(5, '0') !== draft.code) {
      draft.error = t('shelterPlaceOutside', draftCommune());
    } else {
      draft.point = [Number(e.lngLat.lng.toFixed(6)), Number(e.lngLat.lat.toFixed(6))];
      draft.error = null;
      map.getSource('office-draft')?.setData({ type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: draft.point }, properties: {} }] });
    }
    render();
  }

  async function saveShelter() {
    const d = draft;
    if (!d || d.busy) return;
    const inv = str().officeInvalid;
    const name = nfc(d.name).trim();
    const capacity = String(d.capacity).trim();
    d.error = !name ? inv.name : !/^\d{1,6}$/.test(capacity) ? inv.shelterCapacity : !d.point ? inv.location : null;
    if (d.error) { render(); return; }
    d.busy = true;
    render();
    let r;
    try {
      r = await api('/api/offices', { method: 'POST', body: {
        communeCode: d.code, kind: d.kind, name, address: nfc(d.address).trim() || null, phone: null,
        lon: d.point[0], lat: d.point[1], isShelter: true, shelterCapacity: Number(capacity),
      } });
    } catch (err) { r = { ok: false, status: 0, problem: { detail: err.message } }; }
    if (draft !== d) return;
    d.busy = false;
    if (!r.ok) { d.error = apiProblem(r, inv); render(); return; }
    stopDraft();
    remember(r.data);
    open(r.data.id, { note: { text: t('shelterAdded'), error: false } });
  }

  // ------------------------------------------------------------ the offices of a commune, in its panel
  let communeToken = 0;
  async function showCommuneOffices(code, provinceCode, props = {}) {
    const token = ++communeToken;
    if (provinceCode) lastProvince = provinceCode;
    const section = $('#commune-offices');
    if (!section) return;
    section.hidden = false;
    section.dataset.state = 'loading';
    section.replaceChildren(el('h3', {}, t('officesOfCommune')), el('p', { class: 'muted' }, t('loading')));
    try {
      const fc = await getJson(`/api/offices?commune=${encodeURIComponent(code)}`);
      if (token !== communeToken) return;
      for (const f of fc.features ?? []) offices.cache.set(f.id, f);
      if (fc.features?.length) drawOffices();
      communeOffices = { code, provinceCode, props, list: fc.features ?? [] };
      renderCommuneOffices();
    } catch (err) {
      if (token !== communeToken) return;
      section.dataset.state = 'error';
      section.replaceChildren(el('h3', {}, t('officesOfCommune')), el('p', { class: 'form-error' }, t('loadError', err.message)));
    }
  }
  let communeOffices = null;

  function renderCommuneOffices() {
    const section = $('#commune-offices');
    if (!section || !communeOffices) return;
    const list = communeOffices.list.map((f) => offices.cache.get(f.id) ?? f);
    section.dataset.state = 'ready';
    const { code, provinceCode, props } = communeOffices;
    section.replaceChildren(
      el('h3', {}, t('officesOfCommune'), ' ', el('span', { class: 'count' }, `(${list.length})`)),
      el('ul', { id: 'commune-office-list' }, ...(list.length ? list.map((f) => {
        const p = f.properties;
        const status = p.floodedNow ? t('legendFloodedNow') : p.floodProne ? t('floodProneShort') : null;
        // A shelter says how full it is, and plainly when it is over capacity.
        const over = p.isShelter && p.shelterCapacity != null && (p.shelterOccupancy ?? 0) > p.shelterCapacity;
        const count = p.isShelter && (p.shelterOccupancy != null || p.shelterCapacity != null)
          ? `${p.shelterOccupancy == null ? '–' : number(p.shelterOccupancy)}/${p.shelterCapacity == null ? '–' : number(p.shelterCapacity)}` : null;
        return el('li', { 'data-office': f.id, 'data-over': over ? 'true' : null },
          el('button', { type: 'button', onclick: () => open(f.id, { fly: true }) }, nfc(p.name)),
          el('span', { class: `val ${p.floodedNow || over ? 'flooded' : p.floodProne ? 'prone' : ''}` },
            [status ?? (p.isShelter ? t('shelter') : officeKind(p.kind)), count, over ? t('overCapacity') : null].filter(Boolean).join(' · ')));
      }) : [el('li', { class: 'none' }, t('noOffices'))])),
      actsFor(code, provinceCode) ? el('button', { type: 'button', id: 'add-shelter', class: 'action-button',
        onclick: () => startShelter(code, provinceCode, props) }, t('addShelter')) : null);
  }

  function hideCommuneOffices() {
    communeToken++;
    communeOffices = null;
    const section = $('#commune-offices');
    if (section) { section.hidden = true; section.replaceChildren(); }
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && picking) { stopPicking(); render(); }
  });

  /** A deep link: /?office=ID opens that office. */
  function openFromUrl() {
    const linked = new URLSearchParams(location.search).get('office');
    if (linked && /^\d{1,9}$/.test(linked)) { open(linked, { fly: true }); return true; }
    return false;
  }

  onScope(() => { render(); renderCommuneOffices(); });

  /** After a flood was declared or closed: the layer again, and the offices too when an extent changed their exposure. */
  function floodsChanged({ exposure = false } = {}) {
    if (on.floods) loadFloods(); else setLayer('floods', true);   // a declared flood is shown at once
    if (exposure) {
      offices.reset();
      if (on.offices) offices.ensure();
      if (openId != null) open(openId);
      else if (communeOffices) showCommuneOffices(communeOffices.code, communeOffices.provinceCode, communeOffices.props);
    }
  }

  return {
    open, close, handleClick, setLayer, openFromUrl, showCommuneOffices, hideCommuneOffices, floodsChanged,
    render() { render(); renderLegend(); renderCommuneOffices(); },
    get current() { return openId; },
    get picking() { return picking; },
    get placing() { return draft != null; },
    get layers() { return { ...on }; },
    loaded: () => ({ offices: offices.cache.size, zones: zones.cache.size, floods: floods.list.length }),
  };
}

// @ts-check
// Floods a commune declares and closes: the floods of the commune in its panel (and the button to declare one),
// the declare form (the communes it covers, or an area drawn on the map) and the flood's own panel, from which it
// is closed after a confirmation. Only those who act for the communes are offered these (shared/scope.js); the API
// still decides, and its refusals are worded by code (refusals.js). All API text goes to the page through
// textContent only.

import { $, el, nfc } from '../shared/dom.js';
import { t, word, group, table } from '../shared/i18n.js';
import { getJson, call } from '../shared/api.js';
import { dateTime, date, toLocalInput, fromLocalInput } from '../shared/format.js';
import { actsFor, onScope } from '../shared/scope.js';
import { refusal, floodName, activeFloodText } from './words.js';
import { emptyCollection } from './layer.js';

/**
 * A flood event as GET /api/flood-events/{id} returns it (the fields the panel reads).
 * @typedef {{ id: number, name: string, active: boolean, startedAt: string, endedAt?: string | null, extent: 'communes' | 'drawn',
 *   communes: string[], officesInside?: number, declaredBy?: string | null, closedBy?: string | null, note?: string | null }} FloodEvent
 * @typedef {{ code: string, name: string, kind: string, provinceCode?: string }} CommuneRef
 * @typedef {import('./layer.js').Feature} Feature
 */

const communeLabel = (/** @type {CommuneRef} */ c) => `${word('kinds', nfc(c.kind).toLowerCase())} ${nfc(c.name)}`.trim();

/**
 * @param {{ map: any, mapReady: Promise<unknown>, fitBox: (box: any) => void, bounds: (geometries: any[]) => any,
 *   selectCommune: (code: string) => void, leaveCommune: () => void, closeOffice: () => void,
 *   floodsChanged: (what: { exposure: boolean }) => void }} ctx
 *   floodsChanged: the flood layer (and offices, when an extent changed) to reload
 */
export function initFloods(ctx) {
  const { map, mapReady } = ctx;
  const panel = $('#panel');
  const box = $('#flood');

  let active = null;            // active flood features (GeoJSON), once loaded
  let activeAt = 0;             // when (ms): reused for a while, so walking from commune to commune asks once
  let activeToken = 0;
  const names = new Map();      // commune code → { code, name, kind, provinceCode } seen in flood features
  let commune = null;           // { code, props } shown in the commune panel
  let view = null;              // what #flood shows: { kind: 'flood', … } or { kind: 'declare', … }

  const ACTIVE_FOR_MS = 30_000;

  async function loadActive({ force = false } = {}) {
    if (!force && active && Date.now() - activeAt < ACTIVE_FOR_MS) { renderCommune(); return active; }
    const token = ++activeToken;
    try {
      const fc = await getJson('/api/flood-events?active=true');
      if (token !== activeToken) return active;
      active = fc.features ?? [];
      activeAt = Date.now();
      for (const f of active) for (const c of f.properties?.communes ?? []) names.set(c.code, c);
    } catch (err) {
      console.warn('flood events:', err.message);
      if (token === activeToken) active ??= [];
    }
    renderCommune();
    return active;
  }

  // ------------------------------------------------------------ the draft of a drawn area
  mapReady.then(() => {
    map.addSource('flood-draft', { type: 'geojson', data: emptyCollection() });
    map.addLayer({ id: 'flood-draft-fill', type: 'fill', source: 'flood-draft', filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#c62828', 'fill-opacity': 0.25 } });
    map.addLayer({ id: 'flood-draft-line', type: 'line', source: 'flood-draft', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': '#8e0000', 'line-width': 2, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'flood-draft-points', type: 'circle', source: 'flood-draft', filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': '#fff', 'circle-stroke-color': '#8e0000', 'circle-stroke-width': 2 } });
  });

  function drawDraft() {
    const points = view?.kind === 'declare' && view.area === 'draw' ? view.points : [];
    const features = points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
    if (points.length >= 3) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...points, points[0]]] } });
    else if (points.length === 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: points } });
    mapReady.then(() => map.getSource('flood-draft')?.setData({ type: 'FeatureCollection', features }));
    map.getCanvas().style.cursor = view?.kind === 'declare' && view.area === 'draw' ? 'crosshair' : '';
  }

  // ------------------------------------------------------------ the floods of the commune in its panel
  function showCommune(code, props) {
    commune = { code, props: props ?? {} };
    renderCommune();
    loadActive();
  }

  function hideCommune() {
    commune = null;
    const section = $('#commune-floods');
    if (section) { section.hidden = true; section.replaceChildren(); }
  }

  function renderCommune() {
    const section = $('#commune-floods');
    if (!section || !commune) return;
    const { code, props } = commune;
    const here = (active ?? []).filter((f) => (f.properties?.communes ?? []).some((c) => c.code === code));
    section.hidden = false;
    section.dataset.state = active ? 'ready' : 'loading';
    const children = [el('h3', {}, t('floodsOfCommune'))];
    if (!active) children.push(el('p', { class: 'muted' }, t('loading')));
    else if (here.length) {
      children.push(el('ul', { id: 'commune-flood-list' }, ...here.map((f) => el('li', { 'data-flood': f.id },
        el('button', { type: 'button', onclick: () => open(f.id) }, nfc(f.properties.name)),
        el('span', { class: 'val flooded' }, t('floodSince', dateTime(f.properties.startedAt)))))));
    } else children.push(el('p', { id: 'commune-no-flood', class: 'muted' }, t('noFloodHere')));
    if (actsFor(code, props.provinceCode)) {
      children.push(el('button', { type: 'button', id: 'declare-flood', class: 'action-button', onclick: () => startDeclare(code, props) }, t('declareFlood')));
    }
    section.replaceChildren(...children);
  }

  // ------------------------------------------------------------ the panel (#flood)
  function takePanel(state) {
    ctx.closeOffice();
    ctx.leaveCommune();
    panel.dataset.state = state;
    document.body.dataset.panel = 'open';
    for (const id of ['#hint', '#detail', '#office', '#error']) $(id).hidden = true;
    box.hidden = false;
  }

  /** Leaves the flood panel (or the declare form); keepPanel: something else takes the panel over. */
  function close({ keepPanel = false } = {}) {
    if (!view) return;
    view = null;
    delete panel.dataset.flood;
    delete panel.dataset.declare;
    box.hidden = true;
    box.replaceChildren();
    drawDraft();
    if (!keepPanel) {
      panel.dataset.state = 'empty';
      delete document.body.dataset.panel;
      $('#hint').hidden = false;
    }
  }

  /** Opens a flood's panel, fresh from the API. */
  async function open(id, { message = null } = {}) {
    id = Number(id);
    const feature = (active ?? []).find((f) => f.id === id);
    view = { kind: 'flood', id, feature, data: null, confirming: false, busy: false, message };
    drawDraft();    // a declared area is drawn by the flood layer from now on
    takePanel('loading');
    delete panel.dataset.declare;
    panel.dataset.flood = String(id);
    render();
    try {
      const data = await getJson(`/api/flood-events/${encodeURIComponent(id)}`);
      if (view?.kind !== 'flood' || view.id !== id) return;
      view.data = data;
      panel.dataset.state = 'ready';
      render();
      if (feature?.geometry) ctx.fitBox(ctx.bounds([feature.geometry]));
    } catch (err) {
      if (view?.kind !== 'flood' || view.id !== id) return;
      panel.dataset.state = 'error';
      box.replaceChildren(closeButton(), el('p', { class: 'form-error', role: 'alert' }, t('loadError', err.message)));
    }
  }

  const closeButton = () => el('button', { id: 'flood-close-panel', type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => close() }, '×');

  function render() {
    if (!view) return;
    // Signed out, or someone else signed in: the form is no longer theirs to fill.
    if (view.kind === 'declare' && !actsFor(view.start.code, view.start.provinceCode)) { close(); return; }
    if (view.kind === 'declare') { renderDeclare(); return; }
    const d = view.data;
    const p = view.feature?.properties ?? {};
    const children = [closeButton(), el('h2', { id: 'flood-name' }, nfc(d?.name ?? p.name))];
    if (!d) { children.push(el('p', { class: 'muted' }, t('loading'))); box.replaceChildren(...children); return; }
    children.push(el('p', { id: 'flood-status', class: `status ${d.active ? 'flooded' : 'clear'}`, 'data-active': String(d.active) },
      d.active ? t('floodActiveSince', dateTime(d.startedAt)) : t('floodEndedAt', dateTime(d.endedAt), dateTime(d.startedAt))));
    const communes = d.communes.map((code) => names.get(code) ?? { code, name: code, kind: '' });
    const facts = [];
    const fact = (id, label, ...value) => facts.push(el('dt', {}, label), el('dd', { id }, ...value));
    fact('flood-communes', t('floodCommunes'), ...communes.flatMap((c, i) => [i ? ', ' : '',
      el('button', { type: 'button', class: 'link-button inline', 'data-code': c.code, onclick: () => ctx.selectCommune(c.code) }, communeLabel(c))]));
    fact('flood-extent', t('floodArea'), word('floodExtent', d.extent));
    if (d.extent === 'drawn') fact('flood-offices', t('floodOfficesInside'), String(d.officesInside));
    if (d.declaredBy) fact('flood-declared-by', t('floodDeclaredBy'), nfc(d.declaredBy));
    if (d.closedBy) fact('flood-closed-by', t('floodClosedBy'), nfc(d.closedBy));
    if (d.note) fact('flood-note', t('note'), nfc(d.note));
    children.push(el('dl', { id: 'flood-facts', class: 'facts' }, ...facts));
    if (d.active) children.push(el('p', { id: 'flood-affected-note', class: 'muted' }, t('floodAffectedNote')));

    // Closing: for those who act for every commune it covers, as the API requires.
    const mayClose = d.active && communes.every((c) => actsFor(c.code, c.provinceCode));
    if (mayClose) {
      const section = el('section', { id: 'flood-closing', class: 'card' });
      if (view.confirming) {
        section.append(el('p', { id: 'close-flood-question', role: 'alertdialog' }, t('closeFloodConfirm', nfc(d.name))),
          el('div', { class: 'actions' },
            el('button', { type: 'button', id: 'close-flood-confirm', class: 'danger', disabled: view.busy, onclick: closeFlood },
              view.busy ? t('closingFlood') : t('closeFloodYes')),
            el('button', { type: 'button', id: 'close-flood-cancel', disabled: view.busy,
              onclick: () => { view.confirming = false; view.message = null; render(); } }, t('cancel'))));
      } else {
        section.append(el('div', { class: 'actions' }, el('button', { type: 'button', id: 'close-flood',
          onclick: () => { view.confirming = true; view.message = null; render(); $('#close-flood-cancel')?.focus(); } }, t('closeFlood'))));
      }
      children.push(section);
    }
    if (view.message) {
      children.push(el('p', { id: 'flood-message', class: view.message.error ? 'form-error' : 'muted',
        role: view.message.error ? 'alert' : 'status' }, view.message.text));
    }
    box.replaceChildren(...children);
  }

  async function closeFlood() {
    const v = view;
    if (v?.kind !== 'flood' || v.busy) return;
    v.busy = true;
    render();
    const r = await call(`/api/flood-events/${encodeURIComponent(v.id)}/close`, { method: 'POST', body: {} });
    v.busy = false;
    v.confirming = false;
    if (r.ok) {
      v.data = r.data;
      v.message = { text: t('floodClosed'), error: false };
      changed(v.data.extent === 'drawn');
    } else v.message = { text: floodProblem(r), error: true };
    if (view === v) render();
  }

  /** The flood layer, the commune lists and (when an extent changed) the offices' exposure are stale. */
  function changed(exposure) {
    loadActive({ force: true });
    ctx.floodsChanged({ exposure });
  }

  // ------------------------------------------------------------ declaring
  async function startDeclare(code, props) {
    const start = { code, name: props.name, kind: props.kind, provinceCode: props.provinceCode };
    names.set(code, start);
    view = {
      kind: 'declare', start, candidates: [start], chosen: new Set([code]), loadingCandidates: true,
      // The name is data, read by everyone: Vietnamese in either language ("Lũ xã Châu Khê 22/7/2025").
      name: floodName(/** @type {string} */ (table('strings', 'vi').floodNameDefault), start, date(new Date(), 'vi')),
      startedAt: toLocalInput(), note: '', area: 'whole', points: [], errors: null, busy: false,
    };
    takePanel('ready');
    delete panel.dataset.flood;
    panel.dataset.declare = code;
    render();
    $('#declare-name')?.focus();
    // The commune and those of its ring-1 neighbours the user also acts for: a flood follows the river.
    try {
      const data = await getJson(`/api/communes/${encodeURIComponent(code)}/neighbours?rings=1`);
      const more = data.neighbours.filter((n) => n.ring === 1 && actsFor(n.code, n.provinceCode));
      if (view?.kind !== 'declare' || view.start.code !== code) return;
      for (const n of more) names.set(n.code, n);
      view.candidates = [start, ...more];
    } catch (err) { console.warn('neighbours:', err.message); }
    if (view?.kind === 'declare' && view.start.code === code) { view.loadingCandidates = false; render(); }
  }

  function renderDeclare() {
    const v = view;
    // Keep what was typed across re-renders (language switch, a commune ticked on the map).
    const form = el('form', { id: 'declare-form', class: 'stack', novalidate: true });
    const field = (id, label, control) => [el('label', { for: id }, label), control];

    const communes = el('fieldset', { id: 'declare-communes', class: 'choices', hidden: v.area === 'draw' },
      el('legend', {}, t('floodCommunes')),
      ...v.candidates.map((c) => el('label', { class: 'choice', 'data-code': c.code },
        el('input', { type: 'checkbox', name: 'commune', value: c.code, checked: v.chosen.has(c.code),
          disabled: v.candidates.length === 1, onchange: (e) => { if (e.target.checked) v.chosen.add(c.code); else v.chosen.delete(c.code); } }),
        ` ${communeLabel(c)}`)),
      v.candidates.length > 1 ? el('p', { class: 'muted' }, t('floodCommunesHint')) : null);

    const area = el('fieldset', { id: 'declare-area', class: 'choices' }, el('legend', {}, t('floodArea')),
      ...['whole', 'draw'].map((a) => el('label', { class: 'choice' },
        el('input', { type: 'radio', name: 'area', id: `declare-area-${a}`, value: a, checked: v.area === a,
          onchange: () => { v.area = a; v.errors = null; render(); drawDraft(); } }),
        ` ${a === 'whole' ? t('floodAreaWhole') : t('floodAreaDraw')}`)));
    if (v.area === 'draw') {
      area.append(el('p', { id: 'draw-hint', class: 'pick-hint', role: 'status' }, t('drawHint')),
        el('p', { id: 'draw-count', class: 'muted' }, t('drawPoints', v.points.length)),
        el('div', { class: 'actions' },
          el('button', { type: 'button', id: 'draw-undo', disabled: !v.points.length, onclick: () => { v.points.pop(); render(); drawDraft(); } }, t('drawUndo')),
          el('button', { type: 'button', id: 'draw-clear', disabled: !v.points.length, onclick: () => { v.points = []; render(); drawDraft(); } }, t('drawClear'))),
        el('p', { class: 'muted' }, t('drawnCommunesNote')));
    }

    form.append(
      communes,
      ...field('declare-name', t('floodName'), el('input', { id: 'declare-name', name: 'name', maxlength: 200, autocomplete: 'off', value: v.name,
        oninput: (e) => { v.name = e.target.value; } })),
      ...field('declare-started', t('floodStarted'), el('input', { id: 'declare-started', name: 'startedAt', type: 'datetime-local', value: v.startedAt,
        max: toLocalInput(), oninput: (e) => { v.startedAt = e.target.value; } })),
      area,
      ...field('declare-note', t('note'), el('textarea', { id: 'declare-note', name: 'note', rows: 2, maxlength: 1000,
        oninput: (e) => { v.note = e.target.value; } })),
      v.errors ? el('p', { id: 'declare-error', class: 'form-error', role: 'alert' }, v.errors) : null,
      el('div', { class: 'actions' },
        el('button', { type: 'submit', id: 'declare-submit', disabled: v.busy }, v.busy ? t('declaring') : t('declareSubmit')),
        el('button', { type: 'button', id: 'declare-cancel', onclick: cancelDeclare }, t('cancel'))));
    form.elements.note.value = v.note;
    form.addEventListener('submit', (e) => { e.preventDefault(); declare(); });
    box.replaceChildren(closeButton(), el('h2', { id: 'declare-title' }, t('declareTitle')), form);
  }

  function cancelDeclare() {
    const code = view?.start?.code;
    close({ keepPanel: true });
    if (code) ctx.selectCommune(code);
  }

  async function declare() {
    const v = view;
    if (v?.kind !== 'declare' || v.busy) return;
    const inv = group('floodInvalid');
    const name = nfc(v.name).trim();
    const startedAt = fromLocalInput(v.startedAt);
    const problem = !name ? inv.name : !startedAt ? inv.startedAt
      : v.area === 'draw' && v.points.length < 3 ? inv.geometryPoints
        : v.area === 'whole' && !v.chosen.size ? inv.communes : null;
    if (problem) { v.errors = problem; render(); return; }
    const body = { name, startedAt, note: nfc(v.note).trim() || null };
    if (v.area === 'draw') body.geometry = { type: 'Polygon', coordinates: [[...v.points, v.points[0]]] };
    else body.communes = v.candidates.map((c) => c.code).filter((c) => v.chosen.has(c));
    v.busy = true;
    v.errors = null;
    render();
    const r = await call('/api/flood-events', { method: 'POST', body });
    v.busy = false;
    if (view !== v) return;
    if (!r.ok) { v.errors = floodProblem(r); render(); return; }
    await loadActive({ force: true });
    ctx.floodsChanged({ exposure: r.data.extent === 'drawn' });
    await open(r.data.id, { message: { text: t('floodDeclared'), error: false } });
  }

  /** A refusal of the flood API in words: an ongoing flood already declared, scope, field errors, else generic. */
  function floodProblem(/** @type {import('../shared/api.js').ApiResult} */ r) {
    const known = r.problem?.activeEvents;
    if (r.status === 409 && Array.isArray(known) && known.length) {
      return activeFloodText(known, (code) => communeLabel(names.get(code) ?? { code, name: code, kind: '' }), table('strings'));
    }
    return refusal(r, group('floodInvalid'), { 403: t('floodForbidden') });
  }

  /** Map clicks while declaring: a point of the drawn area, or a commune ticked in the list. */
  function handleClick(e) {
    if (view?.kind !== 'declare') return false;
    if (view.area === 'draw') {
      view.points.push([Number(e.lngLat.lng.toFixed(6)), Number(e.lngLat.lat.toFixed(6))]);
      view.errors = null;
      render();
      drawDraft();
      return true;
    }
    const id = map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
    const code = id == null ? null : String(id).padStart(5, '0');
    if (code && view.candidates.length > 1 && view.candidates.some((c) => c.code === code)) {
      if (view.chosen.has(code)) view.chosen.delete(code); else view.chosen.add(code);
      render();
    }
    return true;    // the form stays open: a click elsewhere does not lose what was typed
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && view?.kind === 'declare' && view.area === 'draw' && view.points.length) { view.points.pop(); render(); drawDraft(); }
  });

  onScope(() => { renderCommune(); if (view?.kind === 'flood') render(); });

  return {
    open, close, showCommune, hideCommune, handleClick, startDeclare,
    render() { renderCommune(); render(); },
    get current() { return view?.kind === 'flood' ? view.id : null; },
    get declaring() { return view?.kind === 'declare'; },
  };
}

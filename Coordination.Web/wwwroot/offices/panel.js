// @ts-check
// The office panel (#office): an office's exposure in words, its fallback office (picked on the map or in a list),
// a shelter's occupancy counted in place; adding a shelter placed on the map; the offices of the commune in its
// panel. Only those who act for the commune are offered changes (shared/scope.js); the API still decides, and its
// refusals are worded by code (refusals.js). All API text goes to the page through textContent only.

import { $, el, nfc } from '../shared/dom.js';
import { t, word, group, table, lang } from '../shared/i18n.js';
import { getJson, call } from '../shared/api.js';
import { dateTime, number } from '../shared/format.js';
import { actsFor, onScope } from '../shared/scope.js';
import { reasonText, isOverCapacity, shortCount, occupancyLines, parseCount, refusal } from './words.js';
import { emptyCollection, OFFICE_OPACITY, officeStroke } from './layer.js';

/** @typedef {import('./layer.js').Feature} Feature */
/**
 * An office's properties as GET /api/offices/{id} returns them (the fields the panel reads).
 * @typedef {{ id: number, name: string, kind: string, communeCode: string, communeName: string, communeKind: string,
 *   provinceCode?: string, address?: string | null, phone?: string | null, accuracy: string, warning?: string | null,
 *   floodProne?: boolean, floodedNow?: boolean, landslideProne?: boolean,
 *   servingFrom?: { name: string, isFallback: boolean, address?: string | null, phone?: string | null } | null,
 *   fallback?: { id: number, name: string, communeCode: string, address?: string | null, phone?: string | null, floodedNow?: boolean } | null,
 *   reasons?: import('./words.js').ExposureReason[],
 *   isShelter?: boolean, shelterCapacity?: number | null, shelterOccupancy?: number | null, occupancyUpdatedAt?: string | null }} OfficeProps
 */
/** @typedef {{ text: string, error: boolean }} Message */

const SHELTER_KINDS = ['school', 'cultural_house', 'clinic', 'people_committee', 'other'];
const officeKind = (/** @type {string} */ k) => word('officeKinds', k);
const communeKind = (/** @type {string} */ k) => word('kinds', nfc(k).toLowerCase());
const invalid = () => group('officeInvalid');

/**
 * @param {{ map: any, mapReady: Promise<unknown>, fitPoints: (points: number[][]) => void, flyToPoint: (point: number[]) => void,
 *   selectCommune: (code: string) => void, leaveCommune: () => void, leaveFlood?: () => void }} ctx
 * @param {ReturnType<typeof import('./layer.js').initLayers>} layers
 */
export function initPanel(ctx, layers) {
  const { map, mapReady } = ctx;
  const { offices, drawOffices, remember, applyVisibility } = layers;

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
      layers.setProvince(feature.properties?.provinceCode);
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
        el('li', { 'data-reason': r.reason, 'data-hazard': r.hazard, class: r.layerIsSample ? 'sample' : null }, reasonText(r, table('strings'), lang)))));
    }

    const facts = [];
    const fact = (id, label, ...value) => facts.push(el('dt', {}, label), el('dd', { id }, ...value));
    if (p.address && nfc(p.address) !== nfc(p.name)) fact('office-address', t('address'), nfc(p.address));
    if (p.phone) fact('office-phone', t('phone'), el('a', { href: `tel:${String(p.phone).replace(/[^\d+]/g, '')}` }, nfc(p.phone)));
    fact('office-accuracy', t('location'), word('accuracy', p.accuracy));
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
        const v = parseCount(form.elements.occupancy.value);
        if (v == null) { message = { text: invalid().occupancy, error: true }; showMessage(); return; }
        const id = openId;
        putOccupancy({ occupancy: v }).then((r) => {
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
    const lines = occupancyLines(now, cap, /** @type {any} */ (table('strings')));
    count.textContent = lines.count;
    const overLine = section.querySelector('#shelter-over');
    overLine.hidden = !over;
    overLine.textContent = lines.over ?? '';
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
    const r = await call(`/api/offices/${encodeURIComponent(id)}/occupancy`, { method: 'PUT', body });
    if (r.ok) {
      remember(r.data);
      if (openId === id) office = r.data;
      renderCommuneOffices();
    }
    return r;
  }

  function occupancyMessage(r) {
    message = r.ok ? { text: t('occupancySaved', dateTime(r.data.properties?.occupancyUpdatedAt ?? new Date().toISOString())), error: false }
      : { text: refusal(r, invalid()), error: true };
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
      map.setPaintProperty('offices', 'circle-stroke-color', officeStroke(eligible));
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
      map.setPaintProperty('offices', 'circle-opacity', OFFICE_OPACITY);
      map.setPaintProperty('offices', 'circle-stroke-color', officeStroke());
    }
  }

  async function setFallback(fallbackId) {
    if (!office) return;
    const id = openId;
    if (fallbackId === id) { message = { text: t('pickSelf'), error: true }; render(); return; }
    const r = await call(`/api/offices/${encodeURIComponent(id)}/fallback`, { method: 'PUT', body: { fallbackOfficeId: fallbackId } });
    if (openId !== id) return;
    if (r.ok) {
      stopPicking();
      office = r.data;
      remember(r.data);
      const fb = r.data?.properties?.fallback;
      message = { text: fb ? t('fallbackSet', nfc(fb.name)) : t('fallbackCleared'), error: false };
      markOnMap();
    } else {
      message = { text: refusal(r), error: true };
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
    const inv = invalid();
    const name = nfc(d.name).trim();
    const capacity = parseCount(d.capacity);
    d.error = !name ? inv.name : capacity == null ? inv.shelterCapacity : !d.point ? inv.location : null;
    if (d.error) { render(); return; }
    d.busy = true;
    render();
    const r = await call('/api/offices', { method: 'POST', body: {
      communeCode: d.code, kind: d.kind, name, address: nfc(d.address).trim() || null, phone: null,
      lon: d.point[0], lat: d.point[1], isShelter: true, shelterCapacity: capacity,
    } });
    if (draft !== d) return;
    d.busy = false;
    if (!r.ok) { d.error = refusal(r, inv); render(); return; }
    stopDraft();
    remember(r.data);
    open(r.data.id, { note: { text: t('shelterAdded'), error: false } });
  }

  // ------------------------------------------------------------ the offices of a commune, in its panel
  let communeToken = 0;
  async function showCommuneOffices(code, provinceCode, props = {}) {
    const token = ++communeToken;
    layers.setProvince(provinceCode);
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
        const over = isOverCapacity(p);
        const count = shortCount(p);
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

  return {
    open, close, handleClick, openFromUrl, showCommuneOffices, hideCommuneOffices, render, renderCommuneOffices,
    get current() { return openId; },
    get picking() { return picking; },
    get placing() { return draft != null; },
    /** Whether the offices layer must stay drawn (an open office, picking its fallback). */
    keepOffices: () => picking || openId != null,
    crosshair: () => picking || draft != null,
    /** Opens the office again (fresh exposure) or reloads the commune's offices, after a flood changed them. */
    refresh() {
      if (openId != null) open(openId);
      else if (communeOffices) showCommuneOffices(communeOffices.code, communeOffices.provinceCode, communeOffices.props);
    },
  };
}

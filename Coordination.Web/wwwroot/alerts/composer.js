// @ts-check
// The alert composer, for alert senders only (loaded by main.js when /api/auth/me says alertSender): target
// communes picked on the map or in a list, a drawn polygon or a circle; a registered template and its values; the
// CAP fields (codes from GET /api/enums, labels from the strings); the preview in words (text.js), and sending
// after a confirmation; Update and Cancel prefilled from an alert. The API still decides; its refusals are worded
// by code (state.js). All API text goes to the page through textContent only.

import { $, el, nfc } from '../shared/dom.js';
import { t, table } from '../shared/i18n.js';
import { api } from '../shared/api.js';
import { toLocalInput, fromLocalInput } from '../shared/format.js';
import { app, S, T, word, number, fold, codeOf, put, visible, learn, nameOf, say, problemOf, call } from './state.js';
import { requestBody, placeholdersOf, costTexts, sentText } from './text.js';
import { openAlert } from './progress.js';

/** @typedef {import('./text.js').Alert} Alert */

/** Templates a message type may use: warnings for an Alert or an Update, cancellations/all-clears for a Cancel. */
export const templatesFor = (msgType) => (app.st?.templates ?? []).filter((x) => (x.kind ?? 'warning') === (msgType === 'Cancel' ? 'cancel' : 'warning'));
/** The one template of that kind, when there is just one. */
const onlyTemplate = (msgType) => { const list = templatesFor(msgType); return list.length === 1 ? String(list[0].id) : ''; };

export function newForm() {
  return {
    mode: 'communes', communes: [], picking: true, filter: '', searchResults: null,
    polygon: [], drawing: false, closed: false, circle: null, radiusKm: '5',
    templateId: onlyTemplate('Alert'), values: {}, text: '',
    event: '', headline: '', severity: 'Severe', urgency: 'Immediate', certainty: 'Likely', category: 'Met', status: 'Actual',
    instruction: '', description: '', expires: '', riskLevel: '', repeat: '', fold: false,
    msgType: 'Alert', references: null,
    preview: null, previewKey: null, stale: false, errors: {}, error: null, busy: false, confirm: false,
  };
}

const template = (f) => app.st?.templates?.find((x) => String(x.id) === String(f.templateId)) ?? null;
/** The request body of the form. */
const bodyOf = (/** @type {any} */ f) => requestBody(f, template(f), fromLocalInput);
/** The words for a field the API refused (by its code when it sends one), near the field. */
const fieldWords = (/** @type {any} */ f, /** @type {string} */ k) => problemOf(/** @type {any} */ ({ ...f.facts, code: undefined, status: 400, errors: { [k]: f.errors[k] },
  fieldCodes: f.fieldCodes?.[k] ? { [k]: f.fieldCodes[k] } : undefined }),
{ form: f, missing: placeholdersOf(template(f)).own.filter((p) => !String(f.values[p] ?? '').trim()) });

/** The request body of the form (the same for the preview and the alert). */

/** Something in the form changed: the preview no longer describes it. */
function edited() {
  const f = app.st?.form;
  if (!f) return;
  if (f.confirm) f.confirm = false;
  if (f.preview && !f.stale) { f.stale = true; renderPreview(); app.drawMap(); }
}

export function composeView(s) {
  if (!s.sender) return el('p', { class: 'muted' }, T('notSender'));
  const f = s.form ??= newForm();
  const errors = f.errors ?? {};
  const used = new Set();
  const fe = (...keys) => {
    const list = Object.keys(errors).filter((k) => keys.some((key) => k.toLowerCase() === key.toLowerCase() || k.toLowerCase().startsWith(`${key.toLowerCase()}.`)));
    list.forEach((k) => used.add(k));
    return list.map((k) => el('p', { class: 'field-error form-error', 'data-field': k }, fieldWords(f, k)));
  };
  const invalid = (key) => (Object.keys(errors).some((k) => k.toLowerCase() === key.toLowerCase()) ? 'true' : null);
  const bind = (node, key, after) => {
    const read = () => { f[key] = node.type === 'checkbox' ? node.checked : node.value; edited(); after?.(); };
    node.addEventListener('input', read);
    node.addEventListener('change', read);
    return node;
  };
  const field = (id, label, control, key, hint) => [el('label', { for: id }, label), control, hint ?? null, ...fe(key)];
  const options = (values, group, selected) => values.map((v) => el('option', { value: v, selected: v === selected }, word(group, v)));

  // --- header: what this composes, through which gateway
  const head = [];
  const g = s.gateway;
  if (g?.localGateways?.length) {
    // The local Android gateways take the numbers of their prefixes; Twilio (when configured) the others.
    const perMinute = g.messagesPerMinute == null ? T('unlimited') : T('perMinute', number(g.messagesPerMinute, 1));
    head.push(el('p', { id: 'alerts-gateway', class: 'muted small', 'data-configured': 'true', 'data-mode': g.mode },
      T('gatewayLocal', number(g.localGateways.length), g.gatewayPrefixes.join(', '), perMinute),
      g.configured ? ' ' + T('gatewayTwilioOthers', g.maxSegmentsPerSecond > 0 ? T('perSecond', number(g.maxSegmentsPerSecond, 1)) : T('unlimited')) : ''));
  } else if (g) {
    head.push(g.configured
      ? el('p', { id: 'alerts-gateway', class: 'muted small', 'data-configured': 'true' },
        T('gatewayTwilio', nfc(g.from ?? g.messagingServiceSid ?? ''), g.maxSegmentsPerSecond > 0 ? T('perSecond', number(g.maxSegmentsPerSecond, 1)) : T('unlimited')))
      : el('p', { id: 'alerts-gateway', class: 'warn', 'data-configured': 'false' }, T('gatewayOff')));
  }
  if (f.references != null) {
    head.push(el('div', { id: 'alerts-ref', class: 'pick-hint', 'data-msgtype': f.msgType },
      el('p', {}, T(f.msgType === 'Cancel' ? 'composingCancel' : 'composingUpdate', f.references)),
      el('button', { type: 'button', class: 'link-button inline', id: 'alerts-ref-clear',
        onclick: () => { s.form = newForm(); app.render({ force: true }); app.drawMap(); } }, T('startOver'))));
  }

  // --- targets
  app.refs.target = el('div', { id: 'alerts-target' });
  const modes = el('div', { class: 'alerts-modes', role: 'radiogroup', 'aria-label': T('targets') },
    ...['communes', 'polygon', 'circle'].map((m) => {
      const input = el('input', { type: 'radio', name: 'alerts-mode', id: `alerts-mode-${m}`, value: m, checked: f.mode === m });
      input.addEventListener('change', () => {
        stopDrawing(s);
        f.mode = m;
        f.picking = m === 'communes';
        edited();
        renderTarget();
        app.drawMap();
      });
      return el('label', { class: 'check' }, input, ' ', word('modes', m));
    }));

  // --- template and its values
  app.refs.templateInfo = el('div', { id: 'alerts-template-info' });
  app.refs.values = el('div', { id: 'alerts-values' });
  const cancel = f.msgType === 'Cancel';
  const templates = templatesFor(f.msgType);
  const templateSelect = bind(el('select', { id: 'alerts-template', 'aria-invalid': invalid('templateId') },
    el('option', { value: '' }, T(cancel ? 'chooseCancelTemplate' : 'chooseTemplate')),
    ...templates.map((x) => el('option', { value: String(x.id), selected: String(x.id) === String(f.templateId) },
      `${nfc(x.name)} (${nfc(x.registrationRef)})`)),
    g?.allowFreeText ? el('option', { value: 'free', selected: f.templateId === 'free' }, T('freeText')) : null), 'templateId',
  () => { renderTemplate(); });
  const noCancelTemplate = cancel && !templates.length
    ? el('p', { id: 'alerts-no-cancel-template', class: 'warn small' }, T('noCancelTemplate')) : null;

  const statusNote = el('p', { id: 'alerts-status-note', class: 'pick-hint small', hidden: f.status === 'Actual' }, T('testOnly'));
  const status = bind(el('select', { id: 'alerts-status', 'aria-invalid': invalid('status') }, ...options(app.enums.capStatuses, 'statuses', f.status)), 'status',
    () => { statusNote.hidden = f.status === 'Actual'; });
  const riskNote = el('p', { id: 'alerts-risk-note', class: 'muted small' }, T('riskNote'));

  const form = el('form', { id: 'alerts-form', class: 'stack', novalidate: true },
    ...head,
    el('fieldset', { class: 'alerts-box' }, el('legend', {}, T('targets')), modes, app.refs.target, ...fe('communes', 'area', 'circle')),
    el('fieldset', { class: 'alerts-box' }, el('legend', {}, T('message')),
      ...field('alerts-template', T(cancel ? 'cancelTemplate' : 'template'), templateSelect, 'templateId', noCancelTemplate),
      app.refs.templateInfo, app.refs.values, ...fe('values', 'text'),
      ...field('alerts-event', T('event'), bind(el('input', { id: 'alerts-event', maxlength: 100, autocomplete: 'off', value: f.event,
        placeholder: T('eventExample'), 'aria-invalid': invalid('event') }), 'event'), 'event'),
      ...field('alerts-headline', T('headline'), bind(el('input', { id: 'alerts-headline', maxlength: 200, autocomplete: 'off', value: f.headline,
        'aria-invalid': invalid('headline') }), 'headline'), 'headline'),
      ...field('alerts-instruction', T('instruction'), bind(el('textarea', { id: 'alerts-instruction', rows: 2, maxlength: 1000,
        'aria-invalid': invalid('instruction') }), 'instruction'), 'instruction',
      cancel ? el('p', { id: 'alerts-instruction-hint', class: 'muted small' }, T('instructionCancel')) : null),
      ...field('alerts-description', T('description'), bind(el('textarea', { id: 'alerts-description', rows: 2, maxlength: 2000,
        'aria-invalid': invalid('description') }), 'description'), 'description'),
      el('label', { class: 'check' }, bind(el('input', { type: 'checkbox', id: 'alerts-fold', checked: f.fold }), 'fold'), ' ', T('fold'))),
    el('fieldset', { class: 'alerts-box' }, el('legend', {}, T('cap')),
      el('div', { class: 'alerts-grid' },
        el('div', {}, ...field('alerts-severity', T('severity'), bind(el('select', { id: 'alerts-severity' }, ...options(app.enums.capSeverities, 'severities', f.severity)), 'severity'), 'severity')),
        el('div', {}, ...field('alerts-urgency', T('urgency'), bind(el('select', { id: 'alerts-urgency' }, ...options(app.enums.capUrgencies, 'urgencies', f.urgency)), 'urgency'), 'urgency')),
        el('div', {}, ...field('alerts-certainty', T('certainty'), bind(el('select', { id: 'alerts-certainty' }, ...options(app.enums.capCertainties, 'certainties', f.certainty)), 'certainty'), 'certainty')),
        el('div', {}, ...field('alerts-category', T('category'), bind(el('select', { id: 'alerts-category' }, ...options(app.enums.capCategories, 'categories', f.category)), 'category'), 'category'))),
      ...field('alerts-status', T('status'), status, 'status', statusNote),
      ...field('alerts-expires', T('expires'), bind(el('input', { id: 'alerts-expires', type: 'datetime-local', value: f.expires,
        'aria-invalid': invalid('expires') }), 'expires'), 'expires', el('p', { class: 'muted small' }, T('expiresHint'))),
      ...fe('effective'),
      cancel ? null : el('div', { class: 'alerts-grid' },
        el('div', {}, ...field('alerts-risk', T('riskLevel'), bind(el('select', { id: 'alerts-risk', 'aria-invalid': invalid('riskLevel') },
          el('option', { value: '' }, '—'), ...[1, 2, 3, 4, 5].map((n) => el('option', { value: String(n), selected: String(n) === String(f.riskLevel) }, T('riskN', n)))),
        'riskLevel'), 'riskLevel')),
        el('div', {}, ...field('alerts-repeat', T('repeat'), bind(el('input', { id: 'alerts-repeat', type: 'number', min: 15, max: 1440, step: 5,
          inputmode: 'numeric', value: f.repeat, placeholder: T('repeatAuto'), 'aria-invalid': invalid('repeatEveryMinutes') }), 'repeat'), 'repeatEveryMinutes'))),
      cancel ? null : riskNote, ...(cancel ? fe('riskLevel', 'repeatEveryMinutes') : [])),
    ...fe('references', 'msgType'));
  form.querySelector('#alerts-instruction').value = f.instruction;
  form.querySelector('#alerts-description').value = f.description;
  const rest = Object.keys(errors).filter((k) => !used.has(k));
  if (rest.length || f.error) {
    form.append(el('p', { id: 'alerts-form-error', class: 'form-error', role: 'alert' },
      [f.error, ...rest.map((k) => fieldWords(f, k))].filter(Boolean).join(' ')));
  }
  app.refs.preview = el('section', { id: 'alerts-preview', 'aria-live': 'polite' });
  form.append(
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'alerts-preview-button', disabled: f.busy }, T('preview')),
      el('button', { type: 'button', id: 'alerts-send', class: 'danger', disabled: f.busy, onclick: () => askToSend() }, T('send')),
      el('button', { type: 'button', id: 'alerts-reset', onclick: () => { stopDrawing(s); s.form = newForm(); app.render({ force: true }); } }, T('startOver'))),
    app.refs.preview);
  form.addEventListener('submit', (e) => { e.preventDefault(); runPreview(); });
  renderTarget();
  renderTemplate();
  renderPreview();
  return form;
}

// ---- targets: communes (map or list), polygon, circle
function renderTarget() {
  const s = app.st;
  const f = s?.form;
  if (!f || !app.refs.target) return;
  const parts = [];
  if (f.mode === 'communes') {
    app.refs.chosen = el('div', { id: 'alerts-chosen-box' });
    app.refs.list = el('ul', { id: 'alerts-commune-list', class: 'alerts-communes' });
    const filter = el('input', { id: 'alerts-commune-filter', type: 'search', autocomplete: 'off', spellcheck: 'false', value: f.filter,
      placeholder: s.scope ? T('filterCommunes') : T('searchCommunes'), 'aria-label': s.scope ? T('filterCommunes') : T('searchCommunes') });
    filter.addEventListener('input', () => {
      f.filter = filter.value;
      if (s.scope) renderCommuneList();
      else { clearTimeout(s.searchTimer); s.searchTimer = setTimeout(() => searchCommunes(f), 300); }
    });
    parts.push(app.refs.chosen,
      el('div', { class: 'row' },
        el('button', { type: 'button', id: 'alerts-pick', class: 'link-button inline', 'aria-pressed': String(f.picking),
          onclick: () => { f.picking = !f.picking; setCursor(); renderTarget(); } }, f.picking ? T('pickStop') : T('pickOnMap'))),
      f.picking ? el('p', { id: 'alerts-pick-hint', class: 'pick-hint small', role: 'status' }, T('pickHint')) : null,
      filter, app.refs.list);
  } else if (f.mode === 'polygon') {
    const n = f.polygon.length;
    parts.push(el('p', { id: 'alerts-polygon-state', class: 'small', 'data-points': n, 'data-closed': String(f.closed) },
      f.closed ? T('polygonDone', n) : n ? T('polygonPoints', n) : T('polygonNone')));
    if (f.drawing) parts.push(el('p', { id: 'alerts-draw-hint', class: 'pick-hint small', role: 'status' }, T('drawHint')));
    parts.push(el('div', { class: 'actions small' },
      !f.drawing ? el('button', { type: 'button', id: 'alerts-draw-start', onclick: () => startDrawing() }, n ? T('drawAgain') : T('drawStart')) : null,
      f.drawing ? el('button', { type: 'button', id: 'alerts-draw-finish', class: 'primary', disabled: n < 3, onclick: () => finishPolygon() }, T('drawFinish')) : null,
      n ? el('button', { type: 'button', id: 'alerts-draw-clear', onclick: () => { f.polygon = []; f.closed = false; edited(); renderTarget(); app.drawMap(); } }, T('drawClear')) : null));
  } else {
    const radius = el('input', { id: 'alerts-radius', type: 'number', min: 0.1, max: 100, step: 0.1, inputmode: 'decimal', value: f.radiusKm });
    radius.addEventListener('input', () => { f.radiusKm = radius.value; edited(); app.drawMap(); });
    parts.push(
      el('p', { id: 'alerts-circle-state', class: 'small', 'data-set': String(Boolean(f.circle)) },
        f.circle ? T('circleCentre', f.circle.lat.toFixed(5), f.circle.lon.toFixed(5)) : T('circleNone')),
      f.drawing ? el('p', { id: 'alerts-draw-hint', class: 'pick-hint small', role: 'status' }, T('circleHint')) : null,
      el('div', { class: 'actions small' },
        el('button', { type: 'button', id: 'alerts-circle-pick', onclick: () => (f.drawing ? (stopDrawing(s), renderTarget()) : startDrawing()) },
          f.drawing ? t('cancel') : f.circle ? T('circleMove') : T('circlePick'))),
      el('label', { for: 'alerts-radius' }, T('radius')), radius);
  }
  put(app.refs.target, ...parts.filter(Boolean));
  if (f.mode === 'communes') { renderChosen(); renderCommuneList(); }
  setCursor();
}

function renderChosen() {
  const f = app.st?.form;
  if (!f || !app.refs.chosen) return;
  put(app.refs.chosen, 
    el('p', { id: 'alerts-chosen-count', class: 'small', 'data-count': f.communes.length },
      f.communes.length ? T('chosenN', f.communes.length) : T('chosenNone')),
    f.communes.length ? el('ul', { id: 'alerts-chosen', class: 'chips' }, ...f.communes.map((code) => el('li', { 'data-code': code },
      nameOf(code),
      el('button', { type: 'button', class: 'chip-remove', 'aria-label': T('removeCommune', nameOf(code)), title: T('removeCommune', nameOf(code)),
        onclick: () => toggleCommune(code) }, '×')))) : null);
}

function renderCommuneList() {
  const s = app.st;
  const f = s?.form;
  if (!f || !app.refs.list) return;
  const chosen = new Set(f.communes);
  let list;
  if (s.scope) {
    const key = fold(f.filter).trim();
    list = key ? s.scope.filter((c) => c.key.includes(key)) : s.scope;
  } else list = f.searchResults ?? [];
  const shown = list.slice(0, 300);
  put(app.refs.list, ...shown.map((c) => {
    const box = el('input', { type: 'checkbox', value: c.code, checked: chosen.has(c.code) });
    box.addEventListener('change', () => toggleCommune(c.code, box.checked));
    return el('li', { 'data-code': c.code }, el('label', { class: 'check' }, box, ' ', nfc(c.name)));
  }), ...(list.length > shown.length ? [el('li', { class: 'muted small' }, T('moreCommunes', list.length - shown.length))] : []),
  ...(!list.length && (s.scope || f.filter.trim()) ? [el('li', { class: 'muted small' }, t('noResults'))] : []));
}

async function searchCommunes(f) {
  const q = f.filter.normalize('NFC').trim();
  if (q.length < 2) { f.searchResults = null; renderCommuneList(); return; }
  const r = await api(`/api/communes?limit=20&q=${encodeURIComponent(q)}`);
  if (app.st?.form !== f || f.filter.normalize('NFC').trim() !== q) return;
  f.searchResults = r.ok ? r.data.map((c) => ({ code: c.code, name: `${nfc(c.name)} (${nfc(c.provinceName)})` })) : [];
  for (const c of r.data ?? []) learn(c.code, c.name);
  renderCommuneList();
}

function toggleCommune(code, on) {
  const s = app.st;
  const f = s?.form;
  if (!f) return;
  const has = f.communes.includes(code);
  const want = on ?? !has;
  if (want === has) return;
  if (want && s.scope && !s.scope.some((c) => c.code === code)) {
    say(s, T('notYourCommunes', nameOf(code)), true);
    app.renderMessage();
    return;
  }
  f.communes = want ? [...f.communes, code] : f.communes.filter((c) => c !== code);
  if (s.message?.error) { say(s, null); app.renderMessage(); }
  edited();
  renderChosen();
  renderCommuneList();
  app.drawMap();
}

export function setCursor() {
  const f = app.st?.form;
  const active = f && visible('compose') && ((f.mode === 'communes' && f.picking) || f.drawing);
  if (active) document.body.dataset.alertsPicking = 'true'; else delete document.body.dataset.alertsPicking;
  app.mapReady.then(() => { app.map.getCanvas().style.cursor = active ? 'crosshair' : ''; });
}

function startDrawing() {
  const f = app.st?.form;
  if (!f) return;
  f.drawing = true;
  if (f.mode === 'polygon') { f.polygon = []; f.closed = false; edited(); }
  app.mapReady.then(() => app.map.doubleClickZoom.disable());
  renderTarget();
  app.drawMap();
}

export function stopDrawing(s = app.st) {
  const f = s?.form;
  if (f?.drawing) {
    f.drawing = false;
    app.mapReady.then(() => app.map.doubleClickZoom.enable());
  }
  delete document.body.dataset.alertsPicking;
  app.mapReady.then(() => { app.map.getCanvas().style.cursor = ''; });
}

export function finishPolygon() {
  const f = app.st?.form;
  if (!f || f.mode !== 'polygon') return;
  // A double click also made two clicks: drop points that land (nearly) on the one before.
  const pts = [];
  for (const p of f.polygon) {
    const prev = pts[pts.length - 1];
    if (prev) {
      const a = app.map.project(prev), b = app.map.project(p);
      if (Math.hypot(a.x - b.x, a.y - b.y) < 6) continue;
    }
    pts.push(p);
  }
  f.polygon = pts;
  if (pts.length < 3) { renderTarget(); return; }
  f.closed = true;
  stopDrawing();
  edited();
  renderTarget();
  app.drawMap();
}

/** Map clicks while composing: pick communes, place the polygon's points or the circle's centre. */
export function handleClick(e) {
  const s = app.st;
  const f = s?.form;
  if (!f || !visible('compose')) return false;
  if (f.mode === 'communes' && f.picking) {
    const id = app.map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
    if (id != null) toggleCommune(codeOf(id));
    return true;
  }
  if (!f.drawing) return false;
  const at = [Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6];
  if (f.mode === 'polygon') {
    f.polygon.push(at);
    renderTarget();
  } else if (f.mode === 'circle') {
    f.circle = { lon: at[0], lat: at[1] };
    stopDrawing(s);
    edited();
    renderTarget();
  }
  app.drawMap();
  return true;
}

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || !app.st?.form) return;
  const f = app.st.form;
  if (f.drawing) { if (f.mode === 'polygon' && f.polygon.length >= 3) finishPolygon(); else { stopDrawing(); renderTarget(); } }
  else if (f.mode === 'communes' && f.picking && visible('compose')) { f.picking = false; setCursor(); renderTarget(); }
});

// ---- template: its reference and text; inputs for its own placeholders
function renderTemplate() {
  const f = app.st?.form;
  if (!f || !app.refs.values) return;
  const tpl = template(f);
  if (f.templateId === 'free') {
    const text = el('textarea', { id: 'alerts-text', rows: 3, maxlength: 1600, 'aria-label': T('freeText') });
    text.value = f.text;
    text.addEventListener('input', () => { f.text = text.value; edited(); });
    put(app.refs.templateInfo, el('p', { class: 'warn small' }, T('freeTextNote')));
    put(app.refs.values, text);
    return;
  }
  if (!tpl) { put(app.refs.templateInfo); put(app.refs.values); return; }
  const { own, auto } = placeholdersOf(tpl);
  put(app.refs.templateInfo, 
    el('p', { class: 'small' }, T('registration'), ' ', el('strong', { id: 'alerts-template-ref' }, nfc(tpl.registrationRef)),
      ' · ', el('span', { id: 'alerts-template-kind', 'data-kind': tpl.kind ?? 'warning' }, word('templateKinds', tpl.kind ?? 'warning'))),
    el('p', { id: 'alerts-template-text', class: 'sms-text' }, nfc(tpl.text)),
    auto.length ? el('p', { class: 'muted small' }, T('autoFilled', auto.map((p) => `{${p}}`).join(', '))) : null);
  put(app.refs.values, ...own.flatMap((p) => {
    const input = el('input', { id: `alerts-value-${p}`, 'data-placeholder': p, maxlength: 300, autocomplete: 'off', value: f.values[p] ?? '' });
    input.addEventListener('input', () => { f.values[p] = input.value; edited(); });
    return [el('label', { for: `alerts-value-${p}` }, word('placeholders', p) === p ? T('valueOf', p) : word('placeholders', p)), input];
  }));
}

// ---- preview, confirmation, sending
async function runPreview({ thenConfirm = false } = {}) {
  const s = app.st;
  const f = s?.form;
  if (!f || f.busy) return null;
  stopDrawing(s);
  const body = bodyOf(f);
  const key = JSON.stringify(body);
  f.busy = true;
  f.confirm = false;
  setBusy(true);
  const r = await call('/api/alerts/preview', 'POST', body);
  if (app.st !== s || s.form !== f) return null;
  f.busy = false;
  if (r.ok) {
    f.preview = r.data;
    f.previewKey = key;
    f.stale = false;
    f.errors = {};
    f.error = null;
    f.confirm = thenConfirm;
    for (const c of r.data.communes ?? []) learn(c.code, c.name);
    setBusy(false);
    if (document.querySelector('#alerts-form .field-error, #alerts-form-error')) app.render({ force: true });
    renderPreview();
    if (f.mode === 'communes') renderChosen();
    app.drawMap();
    (thenConfirm ? $('#alerts-confirm') : $('#alerts-preview'))?.scrollIntoView?.({ block: 'nearest' });
    return r.data;
  }
  f.preview = null;
  f.errors = r.status === 400 && r.problem?.errors ? r.problem.errors : {};
  f.fieldCodes = r.problem?.fieldCodes ?? {};
  f.facts = r.problem ?? {};   // the facts the field sentences fill in (a length and its limit)
  f.error = r.status === 400 && r.problem?.errors ? null : problemOf(r, { form: f });
  app.render({ force: true });
  (app.panel.querySelector('#alerts-form [aria-invalid="true"], #alerts-form .field-error, #alerts-form-error'))?.scrollIntoView?.({ block: 'center' });
  return null;
}

function setBusy(busy) {
  for (const id of ['#alerts-preview-button', '#alerts-send']) { const b = $(id); if (b) b.disabled = busy; }
}

async function askToSend() {
  const f = app.st?.form;
  if (!f) return;
  if (f.preview && !f.stale && f.previewKey === JSON.stringify(bodyOf(f))) {
    f.confirm = true;
    renderPreview();
    $('#alerts-confirm')?.scrollIntoView?.({ block: 'nearest' });
    return;
  }
  await runPreview({ thenConfirm: true });
}

async function send() {
  const s = app.st;
  const f = s?.form;
  if (!f || f.busy) return;
  const body = bodyOf(f);
  if (f.previewKey !== JSON.stringify(body)) { await runPreview({ thenConfirm: true }); return; }   // changed meanwhile
  f.busy = true;
  setBusy(true);
  const sendButton = $('#alerts-confirm-send');
  if (sendButton) { sendButton.disabled = true; sendButton.textContent = T('sending'); }
  const r = await call('/api/alerts', 'POST', body);
  if (app.st !== s || s.form !== f) return;
  f.busy = false;
  if (r.ok) {
    const a = r.data;
    s.form = null;
    s.tab = 'list';
    s.alertId = a.id;
    s.detail = a;
    say(s, sentText(a, S()));
    s.log = null;
    app.render({ force: true });
    app.drawMap();
    await openAlert(a.id, { keepMessage: true });
    return;
  }
  f.confirm = false;
  f.errors = r.status === 400 && r.problem?.errors ? r.problem.errors : {};
  f.fieldCodes = r.problem?.fieldCodes ?? {};
  f.facts = r.problem ?? {};   // the facts the field sentences fill in (a length and its limit)
  f.error = r.status === 400 && r.problem?.errors ? null : problemOf(r, { form: f });
  app.render({ force: true });
}


function renderPreview() {
  const s = app.st;
  const f = s?.form;
  const box = app.refs.preview;
  if (!f || !box) return;
  const p = f.preview;
  if (!p) { put(box); box.hidden = true; return; }
  box.hidden = false;
  box.dataset.stale = String(f.stale);
  const m = f.fold ? p.messageFolded : p.message;
  const text = f.fold ? p.bodyFolded : p.body;
  const facts = [];
  const fact = (id, label, value, dataValue) => facts.push(el('dt', {}, label),
    el('dd', { id, 'data-value': dataValue ?? null }, value));
  const cost = costTexts(p, f.fold, S());
  fact('alerts-pv-recipients', T('pvRecipients'), cost.recipients, p.recipients);
  fact('alerts-pv-communes', T('pvCommunes'), p.communes.map((c) => nfc(c.name)).join(', ') || '—', p.communes.length);
  fact('alerts-pv-characters', T('pvCharacters'), cost.characters, m.characters);
  fact('alerts-pv-encoding', T('pvEncoding'), `${m.encoding} — ${word('encodings', m.encoding)}`, m.encoding);
  fact('alerts-pv-segments', T('pvSegments'), cost.segments, m.segments);
  if (cost.folded) fact('alerts-pv-folded', T('pvFolded'), cost.folded, p.messageFolded.segments);
  // Several rounds: what one round costs, and what all of them do if the alert runs to its expiry.
  const several = p.rounds > 1;
  fact('alerts-pv-rounds', T('pvRounds'), cost.rounds, p.rounds);
  if (cost.perRound) fact('alerts-pv-per-round', T('pvPerRound'), cost.perRound, p.segmentsPerRound);
  fact('alerts-pv-total', T('pvTotal'), cost.total, p.totalSegments);
  fact('alerts-pv-time', T(several ? 'pvTimeRound' : 'pvTime'), cost.time, p.estimatedSeconds ?? 'unlimited');
  if (cost.route) fact('alerts-pv-route', T('pvRoute'), cost.route, (p.routes ?? []).find((r) => r.via === 'gateway')?.recipients ?? 0);
  const warnings = [];
  if (p.ends) {
    const ends = [T(p.msgType === 'Cancel' ? 'pvEndsCancel' : 'pvEndsUpdate', p.ends.id, nfc(p.ends.headline))];
    if (p.ends.queuedWithdrawn) ends.push(T('pvEndsWithdrawn', number(p.ends.queuedWithdrawn), p.ends.id));
    warnings.push(el('p', { id: 'alerts-pv-ends', class: 'pick-hint', 'data-ends': p.ends.id, 'data-msgtype': p.msgType }, ends.join(' ')));
  }
  if (f.stale) warnings.push(el('p', { id: 'alerts-pv-stale', class: 'pick-hint' }, T('stale')));
  const perPerson = f.fold ? p.messageFolded.segments : p.message.segments;
  if (p.longMessage) warnings.push(el('p', { id: 'alerts-pv-long', class: 'warn', 'data-segments': perPerson },
    cost.long));
  if (!p.gatewayConfigured) warnings.push(el('p', { id: 'alerts-pv-gateway', class: 'warn', role: 'alert' }, T('notSentGateway')));
  if (p.requiresSecondApprover) warnings.push(el('p', { id: 'alerts-pv-approver', class: 'warn' }, T('needsApprover')));
  if (p.testGroupOnly) warnings.push(el('p', { id: 'alerts-pv-test', class: 'pick-hint' }, T('testGroupOnly', word('statuses', f.status))));
  if (p.recipients === 0) warnings.push(el('p', { id: 'alerts-pv-none', class: 'warn' }, T('noRecipients')));
  const parts = [el('h3', {}, T('previewTitle')), ...warnings,
    el('p', { class: 'muted small' }, T('pvText')),
    el('p', { id: 'alerts-pv-text', class: 'sms-text' }, nfc(text)),
    el('dl', { class: 'facts' }, ...facts)];
  if (f.confirm && !f.stale) {
    parts.push(el('div', { id: 'alerts-confirm', class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'alerts-confirm-text' },
      el('p', { id: 'alerts-confirm-text' }, p.requiresSecondApprover
        ? T('confirmApprover', number(p.recipients), number(p.segmentsPerRound))
        : T(p.msgType === 'Cancel' ? 'confirmCancel' : several ? 'confirmRounds' : 'confirmText',
          number(p.recipients), number(p.segmentsPerRound), number(p.rounds), number(p.totalSegments), p.ends?.id)),
      !p.gatewayConfigured ? el('p', { class: 'small' }, T('confirmGateway')) : null,
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'alerts-confirm-send', class: 'danger', onclick: () => send() }, T('confirmSend')),
        el('button', { type: 'button', id: 'alerts-confirm-cancel', onclick: () => { f.confirm = false; renderPreview(); } }, t('cancel')))));
  }
  put(box, ...parts);
}

/**
 * Update or Cancel: the composer prefilled from the alert, referencing it. An Update starts from the warning as it
 * was; a Cancel from a cancellation template, with nothing of the warning's instruction or description (people
 * must not read "evacuate" in the message that ends the danger) and a headline that says it cancels (CAP is vi-VN).
 */
export function composeFrom(a, msgType) {
  const s = app.st;
  if (!s?.sender) return;
  const f = newForm();
  const cancel = msgType === 'Cancel';
  const sameTemplate = !cancel && a.templateId != null && templatesFor(msgType).some((x) => x.id === a.templateId);
  Object.assign(f, {
    msgType, references: a.id, status: a.status, category: a.category, event: nfc(a.event), urgency: a.urgency,
    severity: a.severity, certainty: a.certainty,
    headline: cancel ? `${/** @type {any} */ (table('strings', 'vi')).sms?.cancelHeadline ?? ''}${nfc(a.headline)}`.slice(0, 200) : nfc(a.headline),
    instruction: cancel ? '' : nfc(a.instruction), description: cancel ? '' : nfc(a.description),
    templateId: sameTemplate ? String(a.templateId) : onlyTemplate(msgType),
    fold: a.fold, communes: a.communes.map((c) => c.code), picking: false,
    riskLevel: cancel || a.riskLevel == null ? '' : String(a.riskLevel),
    repeat: cancel || a.repeatEveryMinutes == null ? '' : String(a.repeatEveryMinutes),   // an update keeps the cadence
    expires: cancel ? '' : toLocalInput(a.expires),
  });
  for (const c of a.communes) learn(c.code, c.name);
  stopDrawing(s);
  clearTimeout(s.pollTimer);
  s.form = f;
  s.tab = 'compose';
  say(s, null);
  app.render({ force: true });
  app.drawMap();
  $('#alerts-headline')?.focus();
}
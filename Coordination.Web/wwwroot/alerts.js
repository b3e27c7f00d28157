// @ts-nocheck  (not yet split into typed modules: the type check skips this file until it is)
// SMS alerts in the web map: the composer (alert senders only: target communes picked on the map or in a list, a
// drawn polygon or a circle; registered template; CAP fields; preview in words; send after a confirmation), the
// alerts with live progress and their SMS log, approval by a second sender (two-person rule), Update/Cancel, and
// the SMS subscribers of the communes one acts for (any signed-in official). Loaded by app.js only once someone
// signs in, like aid.js. All API text goes to the page through textContent only (el() makes text nodes).

import { $, el, t, fmt, withOffset, nfc, locale, api, problemText, dateTime, STRINGS, lang } from './common.js';

const OPEN_KEY = 'coordination.alertsOpen';
/** Placeholders the API fills itself; any other placeholder of a template needs a value from the sender. */
const AUTO = new Set(['communes', 'event', 'headline', 'instruction', 'time', 'expires']);
const CATEGORIES = ['Met', 'Geo', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'];
const URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'];
const SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'];
const CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'];
const STATUSES = ['Actual', 'Exercise', 'Test'];
const STATES = ['awaiting_approval', 'active', 'ended', 'rejected'];
const SMS_STATUSES = ['queued', 'sending', 'uncertain', 'accepted', 'sent', 'delivered', 'undelivered', 'failed', 'opted_out', 'cancelled', 'expired'];
const PROGRESS = ['delivered', 'sent', 'queued', 'failed', 'optedOut', 'withdrawn'];
const POLL_MS = 2000;
const PAGE = 50;
/** Alert targets have a colour of their own (app.css --alert), apart from every legend colour (the corner contact's purple). */
const COLOUR = getComputedStyle(document.documentElement).getPropertyValue('--alert').trim() || '#e6007e';
/** Above this many SMS per recipient the preview warns (the API says so with longMessage). */
const LONG_SEGMENTS = 3;

const S = () => STRINGS[lang].sms;
const T = (key, ...args) => fmt(S()[key] ?? key, ...args);
const word = (group, key) => S()[group]?.[key] ?? nfc(key);
const number = (v, digits = 0) => new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(v);
/** Lower case without diacritics, for filtering names as people type them (đ → d). */
const fold = (s) => nfc(s).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
const codeOf = (id) => String(id).padStart(5, '0');
const empty = () => ({ type: 'FeatureCollection', features: [] });
/** replaceChildren without the nulls of optional parts (the DOM would print them as "null"). */
const put = (node, ...children) => node.replaceChildren(...children.flat().filter((c) => c != null && c !== false && c !== ''));

/** "khoảng 3 giây" / "about 2 min 5 s". */
function duration(seconds) {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return T('aboutSeconds', number(s));
  if (s < 3600) return T('aboutMinutes', number(Math.floor(s / 60)), number(s % 60));
  return T('aboutHours', number(Math.floor(s / 3600)), number(Math.round((s % 3600) / 60)));
}

/** A datetime-local value ("2025-11-23T18:00") for an ISO time, in the browser's zone. */
function localInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The API's sentences (English, stable) that we say in the page's language: [pattern, key of STRINGS.sms.api, and
 * optionally which captured groups are quantities to write in the page's locale (1.058 ký tự)]. Captured groups
 * become {0}, {1}. Anything else is shown as the API wrote it.
 */
const KNOWN = [
  [/^event is required/, 'event'],
  [/^headline is required/, 'headline'],
  [/^choose the communes to alert/, 'chooseTargets'],
  [/^give the communes, or an area, or a circle/, 'oneTarget'],
  [/^unknown communes?(?:\(s\))?:? (.+?)\.?$/, 'unknownCommunes'],
  [/^at most (\d[\d,.]*) communes/, 'tooManyCommunes'],
  [/^area must be a GeoJSON Polygon/, 'areaShape'],
  [/^the area needs at least 3/, 'areaPoints'],
  [/^the area has more than/, 'areaTooManyPoints'],
  [/^every point of the area/, 'areaPoints'],
  [/^the area crosses itself/, 'areaCrosses'],
  [/^the area covers ([\d,.]+) km²/, 'areaTooLarge'],
  [/^the area touches no commune/, 'areaNoCommune'],
  [/^the area touches ([\d,.]+) communes/, 'areaTooMany'],
  [/^circle needs lat/, 'circleCentre'],
  [/^radiusKm must be/, 'circleRadius'],
  [/^the template needs values for: (.+?)\.$/, 'needValues'],
  [/^the template uses \{(\w+)\}: fill in/, 'fillOwn'],
  [/^there is no active template/, 'noTemplate'],
  [/^template (\d+) is a cancellation\/all-clear template/, 'templateIsCancel'],
  [/^a Cancel is sent with a cancellation\/all-clear template/, 'cancelNeedsCancelTemplate'],
  [/^a cancellation must not repeat the instruction of alert (\d+)/, 'cancelRepeatsInstruction'],
  [/^the message is (\d+) SMS per recipient \((\d+) characters, ([\w-]+)\); at most (\d+)/, 'tooManySegments', [1]],
  [/^choose a message template/, 'chooseTemplate'],
  [/^free text is not allowed/, 'noFreeText'],
  [/^give a template or a text/, 'templateOrText'],
  [/^the message is empty/, 'emptyMessage'],
  [/^the message has ([\d,.]+) characters/, 'messageTooLong'],
  [/^expires must be after effective/, 'expiresOrder'],
  [/^an alert lasts at most 7 days/, 'tooLong'],
  [/^effective (?:cannot be in the past|must be within)/, 'effective'],
  [/^riskLevel is/, 'riskLevel'],
  [/^repeatEveryMinutes must be from/, 'repeatRange'],
  [/^above risk level 3/, 'repeatHourly'],
  [/^directives are re-broadcast at least every 3 hours/, 'repeat3h'],
  [/^a cancellation is not repeated/, 'cancelNoRepeat'],
  [/^only an Update or a Cancel references/, 'refOnlyUpdate'],
  [/must reference the alert it/, 'refNeeded'],
  [/^there is no alert (\d+)/, 'refUnknown'],
  [/^alert (\d+) is a cancellation/, 'refIsCancel'],
  [/^alert (\d+) was rejected/, 'refRejected'],
  [/^alert (\d+) has already been (cancelled|superseded)/, 'refEnded'],
  [/^the original alert is (\w+)/, 'refStatus'],
  [/^(\w+) is limited to ([\d,.]+) characters/, 'tooLongField'],
  [/^the phone number is empty/, 'phoneEmpty'],
  [/^the phone number is too long/, 'phoneTooLong'],
  [/^'(.*)' is a landline/, 'phoneLandline'],
  [/^'(.*)' is not a Vietnamese mobile number/, 'phoneForeign'],
  [/^'(.*)' is not a mobile number/, 'phoneNotMobile'],
  [/^'(.*)' is not a (?:valid number|phone number)/, 'phoneInvalid'],
  [/^give at least one commune code/, 'noCommune'],
  [/^(\+\d+) opted out by SMS on (.+?):/, 'optedOutOn'],
  [/^(\+\d+) opted out by SMS/, 'optedOut'],
  [/^no commune codes/, 'noCommune'],
  [/^(folded|test_group) '(.*)' is not yes\/no/, 'notYesNo'],
  [/^note is longer than/, 'noteTooLong'],
  [/^the file has a header but no rows/, 'fileNoRows'],
  [/^the header must name the columns/, 'fileHeader'],
  [/^the file is empty/, 'fileEmpty'],
  [/^the file is larger than/, 'fileTooLarge'],
  [/^at most ([\d,.]+) rows per file/, 'fileTooManyRows'],
  [/^(\d+) phone number\(s\) had lost their leading 0/, 'lostZero'],
  [/^(\d+) row\(s\) repeated a number/, 'repeatedRows'],
  [/^not sent: SMS gateway not configured/, 'notConfigured'],
];

/** One API sentence in the page's language (or as the API wrote it). */
function sayApi(text) {
  const raw = nfc(text).trim();
  for (const [re, key, quantities = []] of KNOWN) {
    const m = re.exec(raw);
    if (m) return fmt(S().api[key], ...m.slice(1).map((x, i) => (quantities.includes(i) ? number(Number(x)) : nfc(x))));
  }
  return raw;
}

/** "row 3: a; b" → "Dòng 3: …; …" (import rows). */
function rowText(text) {
  const m = /^row (\d+): (.*)$/.exec(nfc(text));
  if (!m) return sayApi(text);
  return T('row', m[1], m[2].split('; ').map(sayApi).join('; '));
}

/** The API's messages of a 400 field, in words. */
const fieldText = (messages) => [].concat(messages).map(sayApi).join(' ');

/**
 * ctx: { map, mapReady, fitBox, bounds, onOpen() }
 * Returns { start(user), stop(), handleClick(e), render(), close() } and read-only hooks for tests.
 */
export function initAlerts(ctx) {
  const { map, mapReady } = ctx;
  let st = null;                       // the signed-in user's view; null when signed out
  const names = new Map();             // commune code → name, as learnt
  const learn = (code, name) => { if (code && name) names.set(code, nfc(name)); };
  const nameOf = (code) => names.get(code) ?? code;

  // ------------------------------------------------------------ DOM: header button and panel
  const toggleLabel = el('span', { class: 'long' });
  const toggle = el('button', { id: 'alerts-toggle', type: 'button', class: 'bar-button', hidden: true,
    'aria-controls': 'alerts', 'aria-expanded': 'false', onclick: () => setOpen(panel.hidden) },
  toggleLabel, el('span', { class: 'short', 'aria-hidden': 'true' }, 'SMS'));
  $('#bar').insertBefore(toggle, $('#lang'));
  const headBox = el('div', { class: 'alerts-head' });
  const tabsBox = el('div', { id: 'alerts-tabs', role: 'tablist' });
  const msgBox = el('div', { id: 'alerts-message-box' });
  const bodyBox = el('div', { id: 'alerts-body' });
  const panel = el('aside', { id: 'alerts', hidden: true, 'aria-labelledby': 'alerts-title' }, headBox, tabsBox, msgBox, bodyBox);
  document.body.append(panel);

  // ------------------------------------------------------------ map layers: target communes, drawn area
  let painted = [];
  // The legend (index.html) gets an entry for alert targets, shown while some are drawn.
  const legendLabel = el('span', {});
  const legendItem = el('li', { id: 'legend-alerts', hidden: true }, el('i', { class: 'sw alert-target' }), legendLabel);
  $('#legend ul')?.append(legendItem);
  mapReady.then(() => {
    const on = ['boolean', ['feature-state', 'alert'], false];
    map.addLayer({ id: 'alerts-communes-fill', type: 'fill', source: 'communes', 'source-layer': 'communes',
      paint: { 'fill-color': COLOUR, 'fill-opacity': ['case', on, 0.35, 0] } });
    map.addLayer({ id: 'alerts-communes-line', type: 'line', source: 'communes', 'source-layer': 'communes',
      paint: { 'line-color': COLOUR, 'line-width': 2.5, 'line-opacity': ['case', on, 1, 0] } });
    map.addSource('alerts-draw', { type: 'geojson', data: empty() });
    map.addLayer({ id: 'alerts-draw-fill', type: 'fill', source: 'alerts-draw', filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': COLOUR, 'fill-opacity': 0.12 } });
    map.addLayer({ id: 'alerts-draw-line', type: 'line', source: 'alerts-draw', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': COLOUR, 'line-width': 2.5, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'alerts-draw-points', type: 'circle', source: 'alerts-draw', filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': '#fff', 'circle-stroke-color': COLOUR, 'circle-stroke-width': 2.5 } });
    map.on('dblclick', (e) => {
      const f = st?.form;
      if (!f || !f.drawing || f.mode !== 'polygon' || !visible('compose')) return;
      e.preventDefault();
      finishPolygon();
    });
  });

  /** What the map shows: the composer's targets and shape, or the open alert's communes and area. */
  function drawMap() {
    const s = st;
    let codes = [];
    const features = [];
    const point = (c) => features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } });
    if (s && visible('compose') && s.form) {
      const f = s.form;
      if (f.mode === 'communes') codes = f.communes;
      else codes = f.preview && !f.stale ? f.preview.communes.map((c) => c.code) : [];
      if (f.mode === 'polygon' && f.polygon.length) {
        if (f.closed) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...f.polygon, f.polygon[0]]] } });
        else if (f.polygon.length > 1) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: f.polygon } });
        f.polygon.forEach(point);
      }
      if (f.mode === 'circle' && f.circle) {
        point([f.circle.lon, f.circle.lat]);
        const r = Number(f.radiusKm);
        if (r > 0) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [circleRing(f.circle, r)] } });
      }
    } else if (s && visible('list') && s.detail && s.alertId === s.detail.id) {
      const a = s.detail;
      codes = a.communes.map((c) => c.code);
      if (a.area) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: a.area } });
      if (a.circle?.lat != null) {
        point([a.circle.lon, a.circle.lat]);
        features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [circleRing(a.circle, a.circle.radiusKm)] } });
      }
    }
    mapReady.then(() => {
      const next = new Set(codes);
      for (const code of painted) if (!next.has(code)) map.removeFeatureState({ source: 'communes', sourceLayer: 'communes', id: Number(code) }, 'alert');
      for (const code of next) map.setFeatureState({ source: 'communes', sourceLayer: 'communes', id: Number(code) }, { alert: true });
      painted = [...next];
      map.getSource('alerts-draw')?.setData({ type: 'FeatureCollection', features });
      legendLabel.textContent = T('legendTargets');
      legendItem.hidden = painted.length === 0 && features.length === 0;
    });
  }

  /** A circle as a ring of 64 points (good enough to show; the API buffers it on the ellipsoid). */
  function circleRing({ lat, lon }, km) {
    const ring = [];
    const dLat = km / 111.32;
    const dLon = km / (111.32 * Math.cos((lat * Math.PI) / 180));
    for (let i = 0; i <= 64; i++) {
      const a = (i / 64) * 2 * Math.PI;
      ring.push([lon + dLon * Math.sin(a), lat + dLat * Math.cos(a)]);
    }
    return ring;
  }

  const visible = (tab) => Boolean(st && !panel.hidden && st.tab === tab);

  // ------------------------------------------------------------ start / stop / open
  function newSubs() {
    return { commune: null, list: null, more: false, lookup: null, lookupText: '', search: '', searchResults: null,
      form: { phone: '', test: false, folded: false, note: '' }, formMessage: null, importResult: null, importErrors: null,
      importing: false, logs: new Map(), busy: false };
  }

  async function start(user) {
    if (st?.user.userName === user.userName && st.user.alertSender === user.alertSender) return;
    stop();
    const s = st = {
      user, sender: Boolean(user.alertSender), tab: user.alertSender ? 'compose' : 'subscribers',
      scope: null, gateway: null, templates: null, form: null,
      alerts: null, stateFilter: '', alertId: null, detail: null, log: null, logStatus: '', logMore: false,
      pollTimer: 0, pollCount: 0, message: null, subs: newSubs(), loaded: false, searchTimer: 0,
    };
    toggle.hidden = false;
    setOpen(localStorage.getItem(OPEN_KEY) === '1', { remember: false });
    try {
      await Promise.all([loadScope(s), s.sender ? loadComposer(s) : null]);
    } catch (err) {
      if (st === s) s.message = { text: t('loadError', err.message), error: true };
    }
    if (st !== s) return;
    s.loaded = true;
    s.subs.commune ??= s.scope?.[0]?.code ?? null;
    render({ force: true });
    if (!panel.hidden) loadTab(s);
  }

  function stop() {
    const s = st;
    if (!s) return;
    st = null;
    clearTimeout(s.pollTimer);
    clearTimeout(s.searchTimer);
    stopDrawing(s);
    toggle.hidden = true;
    panel.hidden = true;
    localStorage.removeItem(OPEN_KEY);
    delete document.body.dataset.alerts;
    put(bodyBox);
    drawMap();
  }

  function setOpen(open, { remember = true } = {}) {
    const s = st;
    if (!s) return;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) { document.body.dataset.alerts = 'open'; ctx.onOpen?.(); } else delete document.body.dataset.alerts;
    if (remember) localStorage.setItem(OPEN_KEY, open ? '1' : '0');
    if (!open) { stopDrawing(s); clearTimeout(s.pollTimer); }
    render({ force: true });
    drawMap();
    if (open && s.loaded) loadTab(s);
  }

  /** The communes the user acts for, with names: one commune, a defense area, a province; null for all (admin). */
  async function loadScope(s) {
    const scope = s.user.scope;
    let list = null;
    if (scope?.kind === 'commune') list = [{ code: scope.code, name: nfc(scope.name ?? scope.code) }];
    else if (scope?.kind === 'defense_area') {
      const area = await fetchJson(`/api/defense-areas/${encodeURIComponent(scope.code)}`);
      const all = await fetchJson(`/api/communes?province=${encodeURIComponent(area.provinceCode)}&limit=5000`);
      const codes = new Set(area.communes);
      list = all.filter((c) => codes.has(c.code));
    } else if (scope?.kind === 'province') {
      list = await fetchJson(`/api/communes?province=${encodeURIComponent(scope.code)}&limit=5000`);
    }
    if (st !== s) return;
    if (list) {
      for (const c of list) learn(c.code, c.name);
      s.scope = list.map((c) => ({ code: c.code, name: nfc(c.name), key: fold(c.name) }))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    }
  }

  async function loadComposer(s) {
    const [gateway, templates] = await Promise.all([fetchJson('/api/sms/gateway'), fetchJson('/api/sms-templates')]);
    if (st !== s) return;
    s.gateway = gateway;
    s.templates = templates;
  }

  async function fetchJson(url) {
    const r = await api(url);
    if (!r.ok) throw new Error(r.problem?.detail || `HTTP ${r.status}`);
    return r.data;
  }

  async function loadTab(s) {
    if (!s || st !== s) return;
    try {
      if (s.tab === 'list') {
        if (s.alertId != null) await openAlert(s.alertId, { keepMessage: true });
        else { await loadAlerts(s); render(); }
      }
      if (s.tab === 'subscribers' && s.subs.commune && !s.subs.list) { await loadSubs(s); render(); }
    } catch (err) {
      if (st === s) { s.message = { text: t('loadError', err.message), error: true }; render(); }
    }
    drawMap();
  }

  function selectTab(tab) {
    const s = st;
    if (!s) return;
    stopDrawing(s);
    clearTimeout(s.pollTimer);
    s.tab = tab;
    s.message = null;
    if (tab === 'list') { s.alertId = null; s.detail = null; }
    render({ force: true });
    loadTab(s);
  }

  function say(s, text, error = false) { s.message = text ? { text, error } : null; }

  /** A refusal of the API in words, near the form it concerns. */
  function problemOf(r) {
    const p = r.problem ?? {};
    const detail = nfc(p.detail);
    if (r.status === 403) {
      let m;
      if ((m = /outside your scope\):\s*(.+?)\.?$/.exec(detail))) return T('outOfScope', m[1].split(/,\s*/).map(nameOf).join(', '));
      if (/another alert sender, not of its author/.test(detail)) return T('secondPerson');
      if (/alert-sender permission/.test(detail)) return T('notSender');
      if ((m = /do not act for(?: commune)?:?\s*(.+?)\.?( Nothing was written\.)?$/.exec(detail))) return T('notYourCommunes', m[1].split(/,\s*/).map(nameOf).join(', '));
      if ((m = /names communes you do not act for: (.+?)\. Nothing/.exec(detail))) return T('notYourCommunes', m[1].split(/,\s*/).map(nameOf).join(', '));
      return T('forbidden');
    }
    if (r.status === 409) {
      if (/expired before it was approved/.test(detail)) return T('expiredUnapproved');
      if (/only an alert awaiting approval/.test(detail)) return T('notAwaiting');
      if (/opted out/.test(detail)) return sayApi(detail);
      return detail || problemText(r);
    }
    if (r.status === 400 && p.errors) return Object.values(p.errors).map(fieldText).join(' ');
    if (r.status === 400 && detail) return sayApi(detail);
    return problemText(r);
  }

  async function call(url, method = 'POST', body = {}) {
    try { return await api(url, { method, body }); } catch (err) { return { ok: false, status: 0, problem: { detail: err.message } }; }
  }

  // ------------------------------------------------------------ the composer
  /** Templates a message type may use: warnings for an Alert or an Update, cancellations/all-clears for a Cancel. */
  const templatesFor = (msgType) => (st?.templates ?? []).filter((x) => (x.kind ?? 'warning') === (msgType === 'Cancel' ? 'cancel' : 'warning'));
  /** The one template of that kind, when there is just one. */
  const onlyTemplate = (msgType) => { const list = templatesFor(msgType); return list.length === 1 ? String(list[0].id) : ''; };

  function newForm() {
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

  const template = (f) => st?.templates?.find((x) => String(x.id) === String(f.templateId)) ?? null;
  const ownPlaceholders = (tpl) => (tpl?.placeholders ?? []).filter((p) => !AUTO.has(p));

  /** The request body of the form (the same for the preview and the alert). */
  function requestBody(f) {
    const trim = (v) => (String(v ?? '').trim() || null);
    const b = {
      status: f.status, msgType: f.msgType, category: f.category, event: trim(f.event), urgency: f.urgency, severity: f.severity,
      certainty: f.certainty, headline: trim(f.headline), instruction: trim(f.instruction), description: trim(f.description), fold: f.fold,
    };
    if (f.references != null) b.references = f.references;
    if (f.templateId === 'free') b.text = f.text;
    else if (f.templateId) {
      b.templateId = Number(f.templateId);
      b.values = Object.fromEntries(ownPlaceholders(template(f)).map((p) => [p, String(f.values[p] ?? '').trim()]));
    }
    if (f.mode === 'communes') { if (f.communes.length) b.communes = [...f.communes]; }
    else if (f.mode === 'polygon') { if (f.polygon.length) b.area = { type: 'Polygon', coordinates: [[...f.polygon, f.polygon[0]]] }; }
    else if (f.mode === 'circle' && f.circle) b.circle = { lat: f.circle.lat, lon: f.circle.lon, radiusKm: Number(String(f.radiusKm).replace(',', '.')) };
    const expires = withOffset(f.expires);
    if (expires) b.expires = expires;
    if (f.riskLevel) b.riskLevel = Number(f.riskLevel);
    if (String(f.repeat).trim()) b.repeatEveryMinutes = Number(f.repeat);
    return b;
  }

  const refs = {};                     // boxes of the composer re-rendered on their own (not the whole form)

  /** Something in the form changed: the preview no longer describes it. */
  function edited() {
    const f = st?.form;
    if (!f) return;
    if (f.confirm) f.confirm = false;
    if (f.preview && !f.stale) { f.stale = true; renderPreview(); drawMap(); }
  }

  function composeView(s) {
    if (!s.sender) return el('p', { class: 'muted' }, T('notSender'));
    const f = s.form ??= newForm();
    const errors = f.errors ?? {};
    const used = new Set();
    const fe = (...keys) => {
      const list = Object.keys(errors).filter((k) => keys.some((key) => k.toLowerCase() === key.toLowerCase() || k.toLowerCase().startsWith(`${key.toLowerCase()}.`)));
      list.forEach((k) => used.add(k));
      return list.map((k) => el('p', { class: 'field-error form-error', 'data-field': k }, fieldText(errors[k])));
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
    if (g) {
      head.push(g.configured
        ? el('p', { id: 'alerts-gateway', class: 'muted small', 'data-configured': 'true' },
          T('gatewayTwilio', nfc(g.from ?? g.messagingServiceSid ?? ''), g.maxSegmentsPerSecond > 0 ? T('perSecond', number(g.maxSegmentsPerSecond, 1)) : T('unlimited')))
        : el('p', { id: 'alerts-gateway', class: 'warn', 'data-configured': 'false' }, T('gatewayOff')));
    }
    if (f.references != null) {
      head.push(el('div', { id: 'alerts-ref', class: 'pick-hint', 'data-msgtype': f.msgType },
        el('p', {}, T(f.msgType === 'Cancel' ? 'composingCancel' : 'composingUpdate', f.references)),
        el('button', { type: 'button', class: 'link-button inline', id: 'alerts-ref-clear',
          onclick: () => { s.form = newForm(); render({ force: true }); drawMap(); } }, T('startOver'))));
    }

    // --- targets
    refs.target = el('div', { id: 'alerts-target' });
    const modes = el('div', { class: 'alerts-modes', role: 'radiogroup', 'aria-label': T('targets') },
      ...['communes', 'polygon', 'circle'].map((m) => {
        const input = el('input', { type: 'radio', name: 'alerts-mode', id: `alerts-mode-${m}`, value: m, checked: f.mode === m });
        input.addEventListener('change', () => {
          stopDrawing(s);
          f.mode = m;
          f.picking = m === 'communes';
          edited();
          renderTarget();
          drawMap();
        });
        return el('label', { class: 'check' }, input, ' ', word('modes', m));
      }));

    // --- template and its values
    refs.templateInfo = el('div', { id: 'alerts-template-info' });
    refs.values = el('div', { id: 'alerts-values' });
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
    const status = bind(el('select', { id: 'alerts-status', 'aria-invalid': invalid('status') }, ...options(STATUSES, 'statuses', f.status)), 'status',
      () => { statusNote.hidden = f.status === 'Actual'; });
    const riskNote = el('p', { id: 'alerts-risk-note', class: 'muted small' }, T('riskNote'));

    const form = el('form', { id: 'alerts-form', class: 'stack', novalidate: true },
      ...head,
      el('fieldset', { class: 'alerts-box' }, el('legend', {}, T('targets')), modes, refs.target, ...fe('communes', 'area', 'circle')),
      el('fieldset', { class: 'alerts-box' }, el('legend', {}, T('message')),
        ...field('alerts-template', T(cancel ? 'cancelTemplate' : 'template'), templateSelect, 'templateId', noCancelTemplate),
        refs.templateInfo, refs.values, ...fe('values', 'text'),
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
          el('div', {}, ...field('alerts-severity', T('severity'), bind(el('select', { id: 'alerts-severity' }, ...options(SEVERITIES, 'severities', f.severity)), 'severity'), 'severity')),
          el('div', {}, ...field('alerts-urgency', T('urgency'), bind(el('select', { id: 'alerts-urgency' }, ...options(URGENCIES, 'urgencies', f.urgency)), 'urgency'), 'urgency')),
          el('div', {}, ...field('alerts-certainty', T('certainty'), bind(el('select', { id: 'alerts-certainty' }, ...options(CERTAINTIES, 'certainties', f.certainty)), 'certainty'), 'certainty')),
          el('div', {}, ...field('alerts-category', T('category'), bind(el('select', { id: 'alerts-category' }, ...options(CATEGORIES, 'categories', f.category)), 'category'), 'category'))),
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
        [f.error, ...rest.map((k) => fieldText(errors[k]))].filter(Boolean).join(' ')));
    }
    refs.preview = el('section', { id: 'alerts-preview', 'aria-live': 'polite' });
    form.append(
      el('div', { class: 'actions' },
        el('button', { type: 'submit', id: 'alerts-preview-button', disabled: f.busy }, T('preview')),
        el('button', { type: 'button', id: 'alerts-send', class: 'danger', disabled: f.busy, onclick: () => askToSend() }, T('send')),
        el('button', { type: 'button', id: 'alerts-reset', onclick: () => { stopDrawing(s); s.form = newForm(); render({ force: true }); } }, T('startOver'))),
      refs.preview);
    form.addEventListener('submit', (e) => { e.preventDefault(); runPreview(); });
    renderTarget();
    renderTemplate();
    renderPreview();
    return form;
  }

  // ---- targets: communes (map or list), polygon, circle
  function renderTarget() {
    const s = st;
    const f = s?.form;
    if (!f || !refs.target) return;
    const parts = [];
    if (f.mode === 'communes') {
      refs.chosen = el('div', { id: 'alerts-chosen-box' });
      refs.list = el('ul', { id: 'alerts-commune-list', class: 'alerts-communes' });
      const filter = el('input', { id: 'alerts-commune-filter', type: 'search', autocomplete: 'off', spellcheck: 'false', value: f.filter,
        placeholder: s.scope ? T('filterCommunes') : T('searchCommunes'), 'aria-label': s.scope ? T('filterCommunes') : T('searchCommunes') });
      filter.addEventListener('input', () => {
        f.filter = filter.value;
        if (s.scope) renderCommuneList();
        else { clearTimeout(s.searchTimer); s.searchTimer = setTimeout(() => searchCommunes(f), 300); }
      });
      parts.push(refs.chosen,
        el('div', { class: 'row' },
          el('button', { type: 'button', id: 'alerts-pick', class: 'link-button inline', 'aria-pressed': String(f.picking),
            onclick: () => { f.picking = !f.picking; setCursor(); renderTarget(); } }, f.picking ? T('pickStop') : T('pickOnMap'))),
        f.picking ? el('p', { id: 'alerts-pick-hint', class: 'pick-hint small', role: 'status' }, T('pickHint')) : null,
        filter, refs.list);
    } else if (f.mode === 'polygon') {
      const n = f.polygon.length;
      parts.push(el('p', { id: 'alerts-polygon-state', class: 'small', 'data-points': n, 'data-closed': String(f.closed) },
        f.closed ? T('polygonDone', n) : n ? T('polygonPoints', n) : T('polygonNone')));
      if (f.drawing) parts.push(el('p', { id: 'alerts-draw-hint', class: 'pick-hint small', role: 'status' }, T('drawHint')));
      parts.push(el('div', { class: 'actions small' },
        !f.drawing ? el('button', { type: 'button', id: 'alerts-draw-start', onclick: () => startDrawing() }, n ? T('drawAgain') : T('drawStart')) : null,
        f.drawing ? el('button', { type: 'button', id: 'alerts-draw-finish', class: 'primary', disabled: n < 3, onclick: () => finishPolygon() }, T('drawFinish')) : null,
        n ? el('button', { type: 'button', id: 'alerts-draw-clear', onclick: () => { f.polygon = []; f.closed = false; edited(); renderTarget(); drawMap(); } }, T('drawClear')) : null));
    } else {
      const radius = el('input', { id: 'alerts-radius', type: 'number', min: 0.1, max: 100, step: 0.1, inputmode: 'decimal', value: f.radiusKm });
      radius.addEventListener('input', () => { f.radiusKm = radius.value; edited(); drawMap(); });
      parts.push(
        el('p', { id: 'alerts-circle-state', class: 'small', 'data-set': String(Boolean(f.circle)) },
          f.circle ? T('circleCentre', f.circle.lat.toFixed(5), f.circle.lon.toFixed(5)) : T('circleNone')),
        f.drawing ? el('p', { id: 'alerts-draw-hint', class: 'pick-hint small', role: 'status' }, T('circleHint')) : null,
        el('div', { class: 'actions small' },
          el('button', { type: 'button', id: 'alerts-circle-pick', onclick: () => (f.drawing ? (stopDrawing(s), renderTarget()) : startDrawing()) },
            f.drawing ? t('cancel') : f.circle ? T('circleMove') : T('circlePick'))),
        el('label', { for: 'alerts-radius' }, T('radius')), radius);
    }
    put(refs.target, ...parts.filter(Boolean));
    if (f.mode === 'communes') { renderChosen(); renderCommuneList(); }
    setCursor();
  }

  function renderChosen() {
    const f = st?.form;
    if (!f || !refs.chosen) return;
    put(refs.chosen, 
      el('p', { id: 'alerts-chosen-count', class: 'small', 'data-count': f.communes.length },
        f.communes.length ? T('chosenN', f.communes.length) : T('chosenNone')),
      f.communes.length ? el('ul', { id: 'alerts-chosen', class: 'chips' }, ...f.communes.map((code) => el('li', { 'data-code': code },
        nameOf(code),
        el('button', { type: 'button', class: 'chip-remove', 'aria-label': T('removeCommune', nameOf(code)), title: T('removeCommune', nameOf(code)),
          onclick: () => toggleCommune(code) }, '×')))) : null);
  }

  function renderCommuneList() {
    const s = st;
    const f = s?.form;
    if (!f || !refs.list) return;
    const chosen = new Set(f.communes);
    let list;
    if (s.scope) {
      const key = fold(f.filter).trim();
      list = key ? s.scope.filter((c) => c.key.includes(key)) : s.scope;
    } else list = f.searchResults ?? [];
    const shown = list.slice(0, 300);
    put(refs.list, ...shown.map((c) => {
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
    if (st?.form !== f || f.filter.normalize('NFC').trim() !== q) return;
    f.searchResults = r.ok ? r.data.map((c) => ({ code: c.code, name: `${nfc(c.name)} (${nfc(c.provinceName)})` })) : [];
    for (const c of r.data ?? []) learn(c.code, c.name);
    renderCommuneList();
  }

  function toggleCommune(code, on) {
    const s = st;
    const f = s?.form;
    if (!f) return;
    const has = f.communes.includes(code);
    const want = on ?? !has;
    if (want === has) return;
    if (want && s.scope && !s.scope.some((c) => c.code === code)) {
      say(s, T('notYourCommunes', nameOf(code)), true);
      renderMessage();
      return;
    }
    f.communes = want ? [...f.communes, code] : f.communes.filter((c) => c !== code);
    if (s.message?.error) { say(s, null); renderMessage(); }
    edited();
    renderChosen();
    renderCommuneList();
    drawMap();
  }

  function setCursor() {
    const f = st?.form;
    const active = f && visible('compose') && ((f.mode === 'communes' && f.picking) || f.drawing);
    if (active) document.body.dataset.alertsPicking = 'true'; else delete document.body.dataset.alertsPicking;
    mapReady.then(() => { map.getCanvas().style.cursor = active ? 'crosshair' : ''; });
  }

  function startDrawing() {
    const f = st?.form;
    if (!f) return;
    f.drawing = true;
    if (f.mode === 'polygon') { f.polygon = []; f.closed = false; edited(); }
    mapReady.then(() => map.doubleClickZoom.disable());
    renderTarget();
    drawMap();
  }

  function stopDrawing(s = st) {
    const f = s?.form;
    if (f?.drawing) {
      f.drawing = false;
      mapReady.then(() => map.doubleClickZoom.enable());
    }
    delete document.body.dataset.alertsPicking;
    mapReady.then(() => { map.getCanvas().style.cursor = ''; });
  }

  function finishPolygon() {
    const f = st?.form;
    if (!f || f.mode !== 'polygon') return;
    // A double click also made two clicks: drop points that land (nearly) on the one before.
    const pts = [];
    for (const p of f.polygon) {
      const prev = pts[pts.length - 1];
      if (prev) {
        const a = map.project(prev), b = map.project(p);
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
    drawMap();
  }

  /** Map clicks while composing: pick communes, place the polygon's points or the circle's centre. */
  function handleClick(e) {
    const s = st;
    const f = s?.form;
    if (!f || !visible('compose')) return false;
    if (f.mode === 'communes' && f.picking) {
      const id = map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0]?.id;
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
    drawMap();
    return true;
  }

  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !st?.form) return;
    const f = st.form;
    if (f.drawing) { if (f.mode === 'polygon' && f.polygon.length >= 3) finishPolygon(); else { stopDrawing(); renderTarget(); } }
    else if (f.mode === 'communes' && f.picking && visible('compose')) { f.picking = false; setCursor(); renderTarget(); }
  });

  // ---- template: its reference and text; inputs for its own placeholders
  function renderTemplate() {
    const f = st?.form;
    if (!f || !refs.values) return;
    const tpl = template(f);
    if (f.templateId === 'free') {
      const text = el('textarea', { id: 'alerts-text', rows: 3, maxlength: 1600, 'aria-label': T('freeText') });
      text.value = f.text;
      text.addEventListener('input', () => { f.text = text.value; edited(); });
      put(refs.templateInfo, el('p', { class: 'warn small' }, T('freeTextNote')));
      put(refs.values, text);
      return;
    }
    if (!tpl) { put(refs.templateInfo); put(refs.values); return; }
    const own = ownPlaceholders(tpl);
    const auto = tpl.placeholders.filter((p) => AUTO.has(p));
    put(refs.templateInfo, 
      el('p', { class: 'small' }, T('registration'), ' ', el('strong', { id: 'alerts-template-ref' }, nfc(tpl.registrationRef)),
        ' · ', el('span', { id: 'alerts-template-kind', 'data-kind': tpl.kind ?? 'warning' }, word('templateKinds', tpl.kind ?? 'warning'))),
      el('p', { id: 'alerts-template-text', class: 'sms-text' }, nfc(tpl.text)),
      auto.length ? el('p', { class: 'muted small' }, T('autoFilled', auto.map((p) => `{${p}}`).join(', '))) : null);
    put(refs.values, ...own.flatMap((p) => {
      const input = el('input', { id: `alerts-value-${p}`, 'data-placeholder': p, maxlength: 300, autocomplete: 'off', value: f.values[p] ?? '' });
      input.addEventListener('input', () => { f.values[p] = input.value; edited(); });
      return [el('label', { for: `alerts-value-${p}` }, word('placeholders', p) === p ? T('valueOf', p) : word('placeholders', p)), input];
    }));
  }

  // ---- preview, confirmation, sending
  async function runPreview({ thenConfirm = false } = {}) {
    const s = st;
    const f = s?.form;
    if (!f || f.busy) return null;
    stopDrawing(s);
    const body = requestBody(f);
    const key = JSON.stringify(body);
    f.busy = true;
    f.confirm = false;
    setBusy(true);
    const r = await call('/api/alerts/preview', 'POST', body);
    if (st !== s || s.form !== f) return null;
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
      if (document.querySelector('#alerts-form .field-error, #alerts-form-error')) render({ force: true });
      renderPreview();
      if (f.mode === 'communes') renderChosen();
      drawMap();
      (thenConfirm ? $('#alerts-confirm') : $('#alerts-preview'))?.scrollIntoView?.({ block: 'nearest' });
      return r.data;
    }
    f.preview = null;
    f.errors = r.status === 400 && r.problem?.errors ? r.problem.errors : {};
    f.error = r.status === 400 && r.problem?.errors ? null : problemOf(r);
    render({ force: true });
    (panel.querySelector('#alerts-form [aria-invalid="true"], #alerts-form .field-error, #alerts-form-error'))?.scrollIntoView?.({ block: 'center' });
    return null;
  }

  function setBusy(busy) {
    for (const id of ['#alerts-preview-button', '#alerts-send']) { const b = $(id); if (b) b.disabled = busy; }
  }

  async function askToSend() {
    const f = st?.form;
    if (!f) return;
    if (f.preview && !f.stale && f.previewKey === JSON.stringify(requestBody(f))) {
      f.confirm = true;
      renderPreview();
      $('#alerts-confirm')?.scrollIntoView?.({ block: 'nearest' });
      return;
    }
    await runPreview({ thenConfirm: true });
  }

  async function send() {
    const s = st;
    const f = s?.form;
    if (!f || f.busy) return;
    const body = requestBody(f);
    if (f.previewKey !== JSON.stringify(body)) { await runPreview({ thenConfirm: true }); return; }   // changed meanwhile
    f.busy = true;
    setBusy(true);
    const sendButton = $('#alerts-confirm-send');
    if (sendButton) { sendButton.disabled = true; sendButton.textContent = T('sending'); }
    const r = await call('/api/alerts', 'POST', body);
    if (st !== s || s.form !== f) return;
    f.busy = false;
    if (r.ok) {
      const a = r.data;
      s.form = null;
      s.tab = 'list';
      s.alertId = a.id;
      s.detail = a;
      say(s, sentText(a));
      s.log = null;
      render({ force: true });
      drawMap();
      await openAlert(a.id, { keepMessage: true });
      return;
    }
    f.confirm = false;
    f.errors = r.status === 400 && r.problem?.errors ? r.problem.errors : {};
    f.error = r.status === 400 && r.problem?.errors ? null : problemOf(r);
    render({ force: true });
  }

  /** What became of an accepted alert, in words: never "sent" while the gateway is not configured (outbox only). */
  function sentText(a) {
    if (a.state === 'awaiting_approval') return T('sentAwaiting', a.id);
    const sent = a.progress?.gatewayConfigured !== false;
    if (a.msgType === 'Cancel') return T(sent ? 'cancelSent' : 'cancelRecorded', a.id, a.references);
    return T(sent ? 'sentDone' : 'recordedNotSent', a.id);
  }

  function renderPreview() {
    const s = st;
    const f = s?.form;
    const box = refs.preview;
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
    fact('alerts-pv-recipients', T('pvRecipients'), p.recipientsFolded && !f.fold
      ? T('recipientsFolded', number(p.recipients), number(p.recipientsFolded)) : T('recipientsN', number(p.recipients)), p.recipients);
    fact('alerts-pv-communes', T('pvCommunes'), p.communes.map((c) => nfc(c.name)).join(', ') || '—', p.communes.length);
    fact('alerts-pv-characters', T('pvCharacters'), number(m.characters), m.characters);
    fact('alerts-pv-encoding', T('pvEncoding'), `${m.encoding} — ${word('encodings', m.encoding)}`, m.encoding);
    fact('alerts-pv-segments', T('pvSegments'), T('segmentsEach', number(m.segments), number(m.perSegment)), m.segments);
    if (p.recipientsFolded && !f.fold) {
      const mf = p.messageFolded;
      fact('alerts-pv-folded', T('pvFolded'), T('foldedEach', number(mf.characters), mf.encoding, number(mf.segments)), mf.segments);
    }
    // Several rounds: what one round costs, and what all of them do if the alert runs to its expiry.
    const several = p.rounds > 1;
    fact('alerts-pv-rounds', T('pvRounds'), p.repeatEveryMinutes ? T('roundsEvery', number(p.rounds), number(p.repeatEveryMinutes)) : T('roundsOne'), p.rounds);
    if (several) fact('alerts-pv-per-round', T('pvPerRound'), T('totalN', number(p.segmentsPerRound)), p.segmentsPerRound);
    fact('alerts-pv-total', T('pvTotal'), several ? T('totalRounds', number(p.totalSegments), number(p.rounds), number(p.segmentsPerRound)) : T('totalN', number(p.totalSegments)),
      p.totalSegments);
    fact('alerts-pv-time', T(several ? 'pvTimeRound' : 'pvTime'), p.estimatedSeconds == null
      ? T('timeUnlimited')
      : T('timeAt', duration(p.estimatedSeconds), number(p.maxSegmentsPerSecond, 1)), p.estimatedSeconds ?? 'unlimited');
    const warnings = [];
    if (p.ends) {
      const ends = [T(p.msgType === 'Cancel' ? 'pvEndsCancel' : 'pvEndsUpdate', p.ends.id, nfc(p.ends.headline))];
      if (p.ends.queuedWithdrawn) ends.push(T('pvEndsWithdrawn', number(p.ends.queuedWithdrawn), p.ends.id));
      warnings.push(el('p', { id: 'alerts-pv-ends', class: 'pick-hint', 'data-ends': p.ends.id, 'data-msgtype': p.msgType }, ends.join(' ')));
    }
    if (f.stale) warnings.push(el('p', { id: 'alerts-pv-stale', class: 'pick-hint' }, T('stale')));
    const perPerson = f.fold ? p.messageFolded.segments : p.message.segments;
    if (p.longMessage) warnings.push(el('p', { id: 'alerts-pv-long', class: 'warn', 'data-segments': perPerson },
      T('longMessage', number(perPerson), number(LONG_SEGMENTS), number(p.maxSegmentsPerMessage))));
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
  function composeFrom(a, msgType) {
    const s = st;
    if (!s?.sender) return;
    const f = newForm();
    const cancel = msgType === 'Cancel';
    const sameTemplate = !cancel && a.templateId != null && templatesFor(msgType).some((x) => x.id === a.templateId);
    Object.assign(f, {
      msgType, references: a.id, status: a.status, category: a.category, event: nfc(a.event), urgency: a.urgency,
      severity: a.severity, certainty: a.certainty,
      headline: cancel ? `${STRINGS.vi.sms.cancelHeadline}${nfc(a.headline)}`.slice(0, 200) : nfc(a.headline),
      instruction: cancel ? '' : nfc(a.instruction), description: cancel ? '' : nfc(a.description),
      templateId: sameTemplate ? String(a.templateId) : onlyTemplate(msgType),
      fold: a.fold, communes: a.communes.map((c) => c.code), picking: false,
      riskLevel: cancel || a.riskLevel == null ? '' : String(a.riskLevel),
      repeat: cancel || a.repeatEveryMinutes == null ? '' : String(a.repeatEveryMinutes),   // an update keeps the cadence
      expires: cancel ? '' : localInput(a.expires),
    });
    for (const c of a.communes) learn(c.code, c.name);
    stopDrawing(s);
    clearTimeout(s.pollTimer);
    s.form = f;
    s.tab = 'compose';
    say(s, null);
    render({ force: true });
    drawMap();
    $('#alerts-headline')?.focus();
  }

  // ------------------------------------------------------------ alerts: list, detail, progress, SMS log, approval
  async function loadAlerts(s) {
    const q = new URLSearchParams({ limit: '30' });
    if (s.stateFilter) q.set('state', s.stateFilter);
    if (s.user.scope?.kind === 'commune') q.set('commune', s.user.scope.code);
    const list = await fetchJson(`/api/alerts?${q}`);
    if (st !== s) return;
    s.alerts = list;
    for (const a of list) for (const c of a.communes) learn(c.code, c.name);
  }

  /**
   * A Cancel is shown as the cancellation it is ("Đã hủy cảnh báo #N"), never as an active hazard alert: its state
   * "active" only means its messages are still going out.
   */
  const stateBadge = (a) => (a.msgType === 'Cancel'
    ? el('span', { class: 'alert-state st-cancel', 'data-state': a.state, 'data-cancels': a.references }, T('cancelsBadge', a.references))
    : el('span', { class: `alert-state st-${a.state}`, 'data-state': a.state }, word('states', a.state)));
  const sentOf = (p) => p.sent + p.delivered;

  function progressBar(p, id) {
    const bar = el('div', { class: 'sms-bar', id, role: 'img', 'aria-label': T('progressLabel', number(sentOf(p)), number(p.total)) });
    for (const k of PROGRESS) {
      const n = p[k] ?? 0;
      if (!n || !p.total) continue;
      const seg = el('span', { class: `seg seg-${k}`, title: `${word('progress', k)}: ${number(n)}` });
      seg.style.width = `${(100 * n) / p.total}%`;
      bar.append(seg);
    }
    return bar;
  }

  function listView(s) {
    const filter = el('select', { id: 'alerts-state-filter', 'aria-label': T('stateFilter') },
      el('option', { value: '' }, T('allStates')), ...STATES.map((x) => el('option', { value: x, selected: x === s.stateFilter }, word('states', x))));
    filter.addEventListener('change', async () => {
      s.stateFilter = filter.value;
      try { await loadAlerts(s); } catch (err) { say(s, t('loadError', err.message), true); }
      render();
    });
    const head = el('div', { class: 'row' }, filter,
      el('button', { type: 'button', id: 'alerts-refresh', class: 'link-button inline', onclick: () => loadTab(s) }, T('refresh')));
    if (!s.alerts) return el('div', {}, head, el('p', { class: 'muted' }, t('loading')));
    if (!s.alerts.length) return el('div', {}, head, el('p', { id: 'alerts-none', class: 'muted' }, T('noAlerts')));
    return el('div', {}, head, el('ul', { id: 'alerts-list', class: 'aid-list' }, ...s.alerts.map((a) => {
      const names3 = a.communes.slice(0, 3).map((c) => nfc(c.name)).join(', ') + (a.communes.length > 3 ? T('andMore', a.communes.length - 3) : '');
      const cancel = a.msgType === 'Cancel';
      return el('li', { class: 'alerts-item', 'data-alert': a.id, 'data-state': a.state, 'data-msgtype': a.msgType },
        el('div', { class: 'row' },
          el('button', { type: 'button', class: 'link-button inline alerts-open', onclick: () => openAlert(a.id) }, `#${a.id} · ${nfc(a.headline)}`),
          stateBadge(a)),
        el('p', { class: 'muted small' }, [
          a.status !== 'Actual' ? word('statuses', a.status).toLocaleUpperCase(locale()) : null,
          a.msgType === 'Update' ? T('updatesN', a.references) : null,
          cancel ? null : word('severities', a.severity), names3, dateTime(a.createdAt)].filter(Boolean).join(' · ')),
        a.progress.total ? el('div', { class: 'row small' }, progressBar(a.progress),
          el('span', { class: 'muted' }, T('sentOfTotal', number(sentOf(a.progress)), number(a.progress.total)))) : null);
    })));
  }

  async function openAlert(id, { keepMessage = false } = {}) {
    const s = st;
    if (!s) return;
    id = Number(id);
    clearTimeout(s.pollTimer);
    if (s.alertId !== id) { s.log = null; s.logStatus = ''; }
    s.alertId = id;
    s.tab = 'list';
    if (!keepMessage) say(s, null);
    if (s.detail?.id !== id) s.detail = null;
    if (panel.hidden) { setOpen(true); return; }
    render({ force: true });
    const r = await api(`/api/alerts/${id}`);
    if (st !== s || s.alertId !== id) return;
    if (!r.ok) { say(s, problemOf(r), true); render(); return; }
    s.detail = r.data;
    for (const c of r.data.communes) learn(c.code, c.name);
    await loadLog(s, false);
    if (st !== s || s.alertId !== id) return;
    render({ force: true });
    drawMap();
    schedulePoll(s);
  }

  function leaveAlert() {
    const s = st;
    if (!s) return;
    clearTimeout(s.pollTimer);
    s.alertId = null;
    s.detail = null;
    s.log = null;
    say(s, null);
    render({ force: true });
    drawMap();
    loadAlerts(s).then(() => render()).catch(() => {});
  }

  const live = (a) => a && (a.state === 'active' || a.state === 'awaiting_approval' || a.progress.queued > 0);

  /** Every 2 s while the alert is open and can still change; its state every 10 s; paused while the tab is hidden. */
  function schedulePoll(s) {
    clearTimeout(s.pollTimer);
    if (st !== s || !visible('list') || !live(s.detail) || s.alertId !== s.detail.id) return;
    s.pollTimer = setTimeout(() => poll(s, s.alertId), POLL_MS);
  }

  async function poll(s, id) {
    if (st !== s || s.alertId !== id) return;
    if (document.hidden) { schedulePoll(s); return; }
    s.pollCount++;
    const whole = s.pollCount % 5 === 0;
    const r = await api(whole ? `/api/alerts/${id}` : `/api/alerts/${id}/progress`);
    if (st !== s || s.alertId !== id || !s.detail) return;
    if (r.ok) {
      const before = JSON.stringify(s.detail.progress);
      const state = s.detail.state;
      if (whole) s.detail = r.data; else s.detail.progress = r.data;
      const changed = before !== JSON.stringify(s.detail.progress);
      if (state !== s.detail.state) render({ force: true });
      else if (changed) {
        renderProgress();
        if (s.log && s.log.length <= PAGE) { await loadLog(s, false); if (st === s && s.alertId === id) renderLog(); }
      }
    }
    schedulePoll(s);
  }

  async function loadLog(s, more) {
    const a = s.detail;
    if (!a) return;
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (s.logStatus) q.set('status', s.logStatus);
    if (more && s.log?.length) q.set('afterId', String(s.log[s.log.length - 1].id));
    const r = await api(`/api/alerts/${a.id}/messages?${q}`);
    if (st !== s || s.detail?.id !== a.id) return;
    if (!r.ok) { say(s, problemOf(r), true); return; }
    s.log = more ? [...(s.log ?? []), ...r.data] : r.data;
    s.logMore = r.data.length === PAGE;
  }

  function detailView(s) {
    const back = el('button', { type: 'button', id: 'alerts-back', class: 'link-button inline', onclick: leaveAlert }, T('back'));
    const a = s.detail;
    if (!a || a.id !== s.alertId) return el('div', {}, back, el('p', { class: 'muted' }, t('loading')));
    const facts = [];
    const fact = (label, ...value) => facts.push(el('dt', {}, label), el('dd', {}, ...value));
    const cancel = a.msgType === 'Cancel';
    fact(T('event'), nfc(a.event));
    if (!cancel) {   // a cancellation warns of nothing: no severity to show
      fact(T('severity'), word('severities', a.severity));
      fact(T('urgency'), word('urgencies', a.urgency));
      fact(T('certainty'), word('certainties', a.certainty));
    }
    fact(T('category'), word('categories', a.category));
    fact(T('validity'), T('fromTo', dateTime(a.effective), dateTime(a.expires)));
    fact(T('communes'), a.communes.map((c) => nfc(c.name)).join(', '));
    if (a.circle?.lat != null) fact(word('modes', 'circle'), T('circleText', number(a.circle.radiusKm, 1), a.circle.lat.toFixed(4), a.circle.lon.toFixed(4)));
    else if (a.area) fact(word('modes', 'polygon'), T('areaText', a.area[0].length - 1));
    fact(T('createdBy'), `${nfc(a.createdBy)} · ${dateTime(a.createdAt)}`);
    if (a.approvedBy) fact(T('approvedBy'), `${nfc(a.approvedBy)} · ${dateTime(a.approvedAt)}`);
    if (a.templateRef) fact(T('registration'), nfc(a.templateRef));
    if (a.repeatEveryMinutes) fact(T('repeat'), T('repeatText', number(a.repeatEveryMinutes), a.nextRoundAt ? dateTime(a.nextRoundAt) : '—'));
    if (a.riskLevel) fact(T('riskLevel'), T('riskN', a.riskLevel));
    if (a.references) fact(T(cancel ? 'cancels' : 'updates'), el('button', { type: 'button', class: 'link-button inline', onclick: () => openAlert(a.references) }, T('alertN', a.references)));
    if (a.endedAt) fact(T('ended'), `${endedText(a)} · ${dateTime(a.endedAt)}`);
    refs.progress = el('section', { id: 'alerts-progress-box' });
    refs.log = el('section', { id: 'alerts-log-box' });
    const parts = [back,
      el('h3', { id: 'alerts-detail-title' }, `#${a.id} — ${nfc(a.headline)}`),
      el('p', { class: 'badges' }, stateBadge(a),
        a.status !== 'Actual' ? [' ', el('span', { class: 'alert-state st-test' }, word('statuses', a.status))] : null,
        a.msgType === 'Update' ? [' ', el('span', { class: 'alert-state' }, T('updatesN', a.references))] : null),
      el('p', { class: 'muted small' }, T('smsText')),
      el('p', { id: 'alerts-detail-text', class: 'sms-text' }, nfc(a.fold ? a.bodyFolded : a.body)),
      el('dl', { class: 'facts' }, ...facts),
      refs.progress];
    const mine = a.createdBy === s.user.userName;
    if (a.state === 'awaiting_approval') {
      if (!s.sender) parts.push(el('p', { class: 'pick-hint' }, T('awaitingOther')));
      else if (mine) parts.push(el('p', { id: 'alerts-awaiting-own', class: 'pick-hint' }, T('awaitingOwn')));
      else {
        const reason = el('input', { id: 'alerts-reject-reason', maxlength: 200, autocomplete: 'off', placeholder: T('rejectReason'), 'aria-label': T('rejectReason') });
        parts.push(el('div', { id: 'alerts-approval', class: 'card' },
          el('p', {}, T('approvalAsk')),
          el('div', { class: 'actions' },
            el('button', { type: 'button', id: 'alerts-approve', class: 'danger', onclick: (e) => { e.currentTarget.disabled = true; decide(a, 'approve'); } }, T('approve'))),
          reason,
          el('div', { class: 'actions small' },
            el('button', { type: 'button', id: 'alerts-reject', onclick: (e) => { e.currentTarget.disabled = true; decide(a, 'reject', { reason: reason.value.trim() || null }); } }, T('reject')))));
      }
    }
    const ended = ['cancelled', 'superseded'].includes(a.endedReason);
    if (s.sender && a.msgType !== 'Cancel' && a.state !== 'rejected' && !ended) {
      parts.push(el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'alerts-update', onclick: () => composeFrom(a, 'Update') }, T('update')),
        el('button', { type: 'button', id: 'alerts-cancel-alert', onclick: () => composeFrom(a, 'Cancel') }, T('cancelAlert'))));
    }
    parts.push(refs.log);
    const view = el('div', { id: 'alerts-detail', 'data-alert': a.id, 'data-state': a.state }, ...parts);
    renderProgress(view);
    renderLog();
    return view;
  }

  function endedText(a) {
    const reason = nfc(a.endedReason);
    if (reason.startsWith('rejected')) return T('rejectedBecause', reason.replace(/^rejected:\s*/, '') || '—');
    return word('endedReasons', reason);
  }

  function renderProgress() {
    const s = st;
    const a = s?.detail;
    const box = refs.progress;
    if (!a || !box) return;
    const p = a.progress;
    for (const k of ['total', ...PROGRESS]) box.dataset[k] = String(p[k] ?? 0);
    box.dataset.rounds = String(p.rounds);
    const counts = el('ul', { id: 'alerts-progress', class: 'counts' },
      el('li', { 'data-kind': 'total' }, T('total', number(p.total))),
      ...PROGRESS.filter((k) => k === 'sent' || k === 'queued' || k === 'delivered' || p[k]).map((k) =>
        el('li', { 'data-kind': k }, el('i', { class: `sw seg-${k}` }), `${word('progress', k)}: ${number(p[k])}`)));
    put(box, 
      el('h4', {}, T('progressTitle'), p.rounds > 1 ? ` ${T('roundsSoFar', number(p.rounds))}` : ''),
      p.total ? progressBar(p, 'alerts-progress-bar') : el('p', { class: 'muted small' }, a.state === 'awaiting_approval' ? T('notYet') : T('noMessages')),
      counts,
      p.notSentReason ? el('p', { id: 'alerts-not-sent', class: 'warn', role: 'alert' }, sayApi(p.notSentReason)) : null,
      live(a) ? el('p', { class: 'muted small' }, T('liveNote')) : null);
  }

  function renderLog() {
    const s = st;
    const box = refs.log;
    if (!s?.detail || !box) return;
    const filter = el('select', { id: 'alerts-log-status', 'aria-label': T('logFilter') }, el('option', { value: '' }, T('allStatuses')),
      ...SMS_STATUSES.map((x) => el('option', { value: x, selected: x === s.logStatus }, word('smsStatuses', x))));
    filter.addEventListener('change', async () => { s.logStatus = filter.value; await loadLog(s, false); renderLog(); });
    const rows = (s.log ?? []).map((m) => el('tr', { 'data-id': m.id, 'data-status': m.status },
      el('td', {}, nfc(m.phone)), el('td', {}, word('smsStatuses', m.status), m.folded ? el('span', { class: 'muted' }, ` · ${T('foldedShort')}`) : null),
      el('td', { class: 'num' }, number(m.round)), el('td', { class: 'num' }, number(m.segments)), el('td', { class: 'num' }, number(m.attempts)),
      el('td', { class: 'small' }, m.errorCode ? `${m.errorCode}${m.errorMessage ? ` ${nfc(m.errorMessage)}` : ''}` : ''),
      el('td', { class: 'small' }, dateTime(m.updatedAt))));
    put(box, 
      el('div', { class: 'row' }, el('h4', {}, T('log')), filter),
      s.log == null ? el('p', { class: 'muted' }, t('loading'))
        : rows.length ? el('div', { class: 'table-wrap' }, el('table', { id: 'alerts-log' },
          el('thead', {}, el('tr', {}, ...['colPhone', 'colStatus', 'colRound', 'colSegments', 'colAttempts', 'colError', 'colUpdated'].map((k) => el('th', { scope: 'col' }, T(k))))),
          el('tbody', {}, ...rows)))
          : el('p', { id: 'alerts-log-none', class: 'muted small' }, T('noMessages')),
      s.logMore ? el('div', { class: 'actions small' }, el('button', { type: 'button', id: 'alerts-log-more',
        onclick: async () => { await loadLog(s, true); renderLog(); } }, T('more'))) : null);
  }

  async function decide(a, action, body = {}) {
    const s = st;
    const r = await call(`/api/alerts/${a.id}/${action}`, 'POST', body);
    if (st !== s) return;
    if (r.ok) {
      s.detail = r.data;
      say(s, T(action === 'reject' ? 'rejected' : r.data.progress?.gatewayConfigured === false ? 'approvedNotSent' : 'approved', a.id));
    } else say(s, problemOf(r), true);
    render({ force: true });
    schedulePoll(s);
  }

  // ------------------------------------------------------------ subscribers of the communes one acts for
  async function loadSubs(s, more = false) {
    const u = s.subs;
    if (!u.commune) return;
    const q = new URLSearchParams({ commune: u.commune, limit: String(PAGE) });
    if (more && u.list?.length) q.set('afterId', String(u.list[u.list.length - 1].id));
    const commune = u.commune;
    const r = await api(`/api/subscribers?${q}`);
    if (st !== s || u.commune !== commune) return;
    if (!r.ok) { u.list = []; say(s, problemOf(r), true); return; }
    u.list = more ? [...(u.list ?? []), ...r.data] : r.data;
    u.more = r.data.length === PAGE;
  }

  function subsView(s) {
    const u = s.subs;
    const parts = [];
    // which commune
    if (s.scope) {
      const select = el('select', { id: 'alerts-sub-commune' }, ...s.scope.map((c) => el('option', { value: c.code, selected: c.code === u.commune }, c.name)));
      select.addEventListener('change', async () => {
        u.commune = select.value;
        u.list = null; u.lookup = null; u.importResult = null; u.importErrors = null; u.formMessage = null;
        render();
        await loadSubs(s);
        render();
      });
      parts.push(el('label', { for: 'alerts-sub-commune' }, T('commune')), select);
    } else {
      const search = el('input', { id: 'alerts-sub-search', type: 'search', autocomplete: 'off', value: u.search, placeholder: T('searchCommunes'), 'aria-label': T('searchCommunes') });
      const results = el('ul', { id: 'alerts-sub-search-results', class: 'alerts-communes' }, ...(u.searchResults ?? []).map((c) => el('li', {},
        el('button', { type: 'button', class: 'link-button inline', onclick: async () => {
          u.commune = c.code; learn(c.code, c.name); u.searchResults = null; u.list = null; render(); await loadSubs(s); render();
        } }, `${nfc(c.name)} (${nfc(c.provinceName)})`))));
      search.addEventListener('input', () => {
        u.search = search.value;
        clearTimeout(s.searchTimer);
        s.searchTimer = setTimeout(async () => {
          const q = u.search.normalize('NFC').trim();
          if (q.length < 2) return;
          const r = await api(`/api/communes?limit=10&q=${encodeURIComponent(q)}`);
          if (st !== s || u.search.normalize('NFC').trim() !== q) return;
          u.searchResults = r.ok ? r.data : [];
          put(results, ...u.searchResults.map((c) => el('li', {}, el('button', { type: 'button', class: 'link-button inline', onclick: async () => {
            u.commune = c.code; learn(c.code, c.name); u.searchResults = null; u.list = null; render(); await loadSubs(s); render();
          } }, `${nfc(c.name)} (${nfc(c.provinceName)})`))));
        }, 300);
      });
      parts.push(el('label', { for: 'alerts-sub-search' }, T('commune')), search, results,
        u.commune ? el('p', { class: 'small' }, el('strong', {}, nameOf(u.commune))) : null);
    }
    // one number, wherever it is subscribed
    const lookup = el('input', { id: 'alerts-sub-lookup', type: 'tel', autocomplete: 'off', value: u.lookupText, placeholder: T('lookupPlaceholder'), 'aria-label': T('lookup') });
    lookup.addEventListener('input', () => { u.lookupText = lookup.value; });
    const lookupForm = el('form', { id: 'alerts-sub-lookup-form', class: 'inline-form' }, lookup, el('button', { type: 'submit' }, T('lookupButton')));
    lookupForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!u.lookupText.trim()) { u.lookup = null; render(); return; }
      const r = await api(`/api/subscribers?phone=${encodeURIComponent(u.lookupText.trim())}`);
      if (st !== s) return;
      if (r.ok) { u.lookup = r.data; say(s, null); } else { u.lookup = null; say(s, problemOf(r), true); }
      render();
    });
    parts.push(lookupForm);
    if (u.lookup) {
      parts.push(el('div', { id: 'alerts-lookup-result', class: 'card' },
        el('div', { class: 'row' }, el('h4', {}, T('lookupResult')),
          el('button', { type: 'button', class: 'link-button inline', onclick: () => { u.lookup = null; u.lookupText = ''; render(); } }, t('close'))),
        u.lookup.length ? el('ul', { class: 'aid-list' }, ...u.lookup.map((x) => subscriberItem(s, x, false)))
          : el('p', { class: 'muted small' }, T('lookupNone'))));
    }
    if (!u.commune) return el('div', { id: 'alerts-subs-view' }, ...parts);

    parts.push(addForm(s), importForm(s));
    const list = u.list;
    parts.push(el('h3', {}, T('subscribersOf', nameOf(u.commune))));
    if (!list) parts.push(el('p', { class: 'muted' }, t('loading')));
    else if (!list.length) parts.push(el('p', { id: 'alerts-subs-none', class: 'muted' }, T('noSubscribers')));
    else {
      parts.push(el('ul', { id: 'alerts-subs', class: 'aid-list' }, ...list.map((x) => subscriberItem(s, x, true))));
      if (u.more) parts.push(el('div', { class: 'actions small' }, el('button', { type: 'button', id: 'alerts-subs-more',
        onclick: async () => { await loadSubs(s, true); render(); } }, T('more'))));
    }
    return el('div', { id: 'alerts-subs-view' }, ...parts);
  }

  function addForm(s) {
    const u = s.subs;
    const f = u.form;
    const bind = (node, key) => {
      const read = () => { f[key] = node.type === 'checkbox' ? node.checked : node.value; };
      node.addEventListener('input', read);
      node.addEventListener('change', read);
      return node;
    };
    const form = el('form', { id: 'alerts-sub-form', class: 'stack card', novalidate: true },
      el('h4', {}, T('addTitle', nameOf(u.commune))),
      el('label', { for: 'alerts-sub-phone' }, T('phone')),
      bind(el('input', { id: 'alerts-sub-phone', type: 'tel', inputmode: 'tel', autocomplete: 'off', maxlength: 30, value: f.phone,
        placeholder: '0912 345 678', 'aria-invalid': u.formMessage?.error ? 'true' : null }), 'phone'),
      el('label', { class: 'check' }, bind(el('input', { type: 'checkbox', id: 'alerts-sub-test', checked: f.test }), 'test'), ' ', T('testGroup')),
      el('label', { class: 'check' }, bind(el('input', { type: 'checkbox', id: 'alerts-sub-folded', checked: f.folded }), 'folded'), ' ', T('prefersFolded')),
      el('label', { for: 'alerts-sub-note' }, T('note')),
      bind(el('input', { id: 'alerts-sub-note', maxlength: 200, autocomplete: 'off', value: f.note }), 'note'),
      el('p', { class: 'muted small' }, T('consentNote')),
      u.formMessage ? el('p', { id: 'alerts-sub-message', class: u.formMessage.error ? 'form-error' : 'aid-ok', role: u.formMessage.error ? 'alert' : 'status' },
        u.formMessage.text) : null,
      el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'alerts-sub-add', disabled: u.busy }, T('add'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (u.busy) return;
      u.busy = true;
      const commune = u.commune;
      const r = await call('/api/subscribers', 'POST', { phone: f.phone, communes: [commune], prefersFolded: f.folded, testGroup: f.test, note: f.note.trim() || null });
      if (st !== s) return;
      u.busy = false;
      if (r.ok) {
        u.formMessage = { text: T(r.status === 201 ? 'added' : 'merged', nfc(r.data.phone), nameOf(commune)) };
        u.form = { phone: '', test: false, folded: false, note: '' };
        await loadSubs(s);
      } else u.formMessage = { text: problemOf(r), error: true };
      render();
      if (!r.ok) $('#alerts-sub-phone')?.focus();
    });
    return form;
  }

  function importForm(s) {
    const u = s.subs;
    const file = el('input', { id: 'alerts-import-file', type: 'file', accept: '.csv,text/csv' });
    const form = el('form', { id: 'alerts-import', class: 'stack card' },
      el('h4', {}, T('importTitle')),
      el('p', { class: 'muted small' }, T('importHint')),
      file,
      el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'alerts-import-submit', disabled: u.importing }, u.importing ? T('importing') : T('importButton'))));
    if (u.importErrors) {
      form.append(el('div', { id: 'alerts-import-errors', class: 'form-error', role: 'alert' },
        el('p', {}, T('importRefused')),
        el('ul', {}, ...u.importErrors.slice(0, 50).map((x) => el('li', {}, rowText(x)))),
        u.importErrors.length > 50 ? el('p', { class: 'small' }, T('andMoreRows', u.importErrors.length - 50)) : null));
    }
    if (u.importResult) {
      const x = u.importResult;
      form.append(el('div', { id: 'alerts-import-result', class: 'aid-ok', role: 'status', 'data-created': x.created, 'data-updated': x.updated,
        'data-skipped': x.optedOutNotAdded.length },
      el('p', {}, T('importDone', number(x.rows), number(x.created), number(x.updated))),
      x.optedOutNotAdded.length ? el('div', { class: 'warn' }, el('p', {}, T('importSkipped', number(x.optedOutNotAdded.length))),
        el('ul', { class: 'small' }, ...x.optedOutNotAdded.map((o) => el('li', {}, T('row', o.row, sayApi(o.problem)))))) : null,
      x.notes.length ? el('ul', { class: 'muted small' }, ...x.notes.map((n) => el('li', {}, sayApi(n)))) : null));
    }
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const chosen = file.files?.[0];
      if (!chosen || u.importing) { if (!chosen) { u.importErrors = [T('importChoose')]; u.importResult = null; render(); } return; }
      u.importing = true;
      u.importErrors = null;
      u.importResult = null;
      render();
      let r;
      try { r = await api('/api/subscribers/import', { method: 'POST', body: await chosen.arrayBuffer(), contentType: 'text/csv' }); }
      catch (err) { r = { ok: false, status: 0, problem: { detail: err.message } }; }
      if (st !== s) return;
      u.importing = false;
      if (r.ok) { u.importResult = r.data; await loadSubs(s); }
      else if (r.status === 400) u.importErrors = r.problem?.errors ? Object.values(r.problem.errors).flat() : [nfc(r.problem?.detail || 'HTTP 400')];
      else u.importErrors = [problemOf(r)];
      render();
    });
    return form;
  }

  function subscriberItem(s, x, inCommune) {
    const u = s.subs;
    const flag = (id, key, label) => {
      const box = el('input', { type: 'checkbox', class: `alerts-sub-${id}`, checked: x[key] });
      box.addEventListener('change', () => patch(x, { [key]: box.checked }));
      return el('label', { class: 'check small' }, box, ' ', label);
    };
    const log = u.logs.get(x.id);
    const others = x.communes.filter((c) => c !== u.commune);
    return el('li', { class: 'alerts-sub', 'data-id': x.id, 'data-phone': x.phone, 'data-opted-out': String(x.optedOut) },
      el('div', { class: 'row' }, el('strong', { class: 'alerts-sub-phone' }, nfc(x.phone)),
        x.optedOut ? el('span', { class: 'alert-state st-rejected' }, T('optedOutBadge')) : null),
      x.optedOut ? el('p', { class: 'warn small' }, T('optedOutText', x.optedOutAt ? dateTime(x.optedOutAt) : '—')) : null,
      el('p', { class: 'muted small' }, [T('consent', word('consentSources', x.consentSource), nfc(x.consentBy ?? '—'), dateTime(x.consentAt)),
        (inCommune ? others : x.communes).length ? T(inCommune ? 'alsoIn' : 'inCommunes', (inCommune ? others : x.communes).map(nameOf).join(', ')) : null,
        x.note ? nfc(x.note) : null].filter(Boolean).join(' · ')),
      el('div', { class: 'row wrap' }, flag('test', 'testGroup', T('testGroup')), flag('folded', 'prefersFolded', T('prefersFolded'))),
      el('div', { class: 'actions small' },
        inCommune ? el('button', { type: 'button', class: 'alerts-sub-remove', onclick: () => removeFromCommune(x) }, T('removeFromCommune')) : null,
        el('button', { type: 'button', class: 'alerts-sub-log', 'aria-expanded': String(Boolean(log)), onclick: () => toggleLog(x) }, log ? T('hideLog') : T('showLog'))),
      log ? el('ul', { class: 'alerts-sub-messages small' }, ...(log.length ? log.map((m) => el('li', { 'data-status': m.status },
        `${T('alertN', m.alertId)} · ${T('roundN', m.round)} · ${word('smsStatuses', m.status)} · ${dateTime(m.updatedAt)}`,
        m.errorCode ? ` · ${m.errorCode}` : '')) : [el('li', { class: 'muted' }, T('noMessages'))])) : null);
  }

  function replaceSubscriber(s, dto) {
    const u = s.subs;
    if (u.list) u.list = u.list.map((x) => (x.id === dto.id ? dto : x));
    if (u.lookup) u.lookup = u.lookup.map((x) => (x.id === dto.id ? dto : x));
  }

  async function patch(x, body) {
    const s = st;
    const r = await call(`/api/subscribers/${x.id}`, 'PATCH', body);
    if (st !== s) return;
    if (r.ok) { replaceSubscriber(s, r.data); say(s, T('savedNumber', nfc(r.data.phone))); } else say(s, problemOf(r), true);
    render();
  }

  async function removeFromCommune(x) {
    const s = st;
    const code = s.subs.commune;
    const r = await call(`/api/subscribers/${x.id}/communes/${encodeURIComponent(code)}`, 'DELETE', undefined);
    if (st !== s) return;
    if (r.ok) {
      s.subs.list = s.subs.list?.filter((y) => y.id !== x.id) ?? null;
      if (s.subs.lookup) replaceSubscriber(s, r.data);
      say(s, T('removed', nfc(x.phone), nameOf(code)));
    } else say(s, problemOf(r), true);
    render();
  }

  async function toggleLog(x) {
    const s = st;
    const u = s.subs;
    if (u.logs.has(x.id)) { u.logs.delete(x.id); render(); return; }
    const r = await api(`/api/subscribers/${x.id}/messages?limit=50`);
    if (st !== s) return;
    if (r.ok) u.logs.set(x.id, r.data); else say(s, problemOf(r), true);
    render();
  }

  // ------------------------------------------------------------ rendering
  function renderToggle() {
    const label = st?.sender === false ? T('toggleSubscribers') : T('toggle');
    toggleLabel.textContent = label;
    toggle.setAttribute('aria-label', label);      // phones show only "SMS"
    toggle.title = label;
  }

  function renderMessage() {
    const s = st;
    put(msgBox, ...(s?.message ? [el('p', { id: 'alerts-message', class: s.message.error ? 'form-error' : 'aid-ok',
      role: s.message.error ? 'alert' : 'status' }, s.message.text)] : []));
  }

  const tabsOf = (s) => (s.sender ? ['compose', 'list', 'subscribers'] : ['list', 'subscribers']);

  /** Rebuilds the panel; the composer is rebuilt only when forced (so nothing disturbs typing). */
  function render({ force = false } = {}) {
    renderToggle();
    const s = st;
    if (!s || panel.hidden) return;
    put(headBox, 
      el('h2', { id: 'alerts-title' }, s.sender ? T('title') : T('toggleSubscribers')),
      el('button', { type: 'button', class: 'close', id: 'alerts-close', 'aria-label': t('close'), onclick: () => setOpen(false) }, '×'));
    put(tabsBox, ...tabsOf(s).map((tab) => el('button', { type: 'button', role: 'tab', id: `alerts-tab-${tab}`,
      'aria-selected': String(s.tab === tab), onclick: () => selectTab(tab) }, word('tabs', tab))));
    renderMessage();
    if (s.tab === 'compose' && !force && bodyBox.querySelector('#alerts-form')) return;
    put(bodyBox, view(s));
    setCursor();
  }

  function view(s) {
    if (!s.loaded && !s.message) return el('p', { class: 'muted' }, t('loading'));
    switch (s.tab) {
      case 'compose': return composeView(s);
      case 'list': return s.alertId != null ? detailView(s) : listView(s);
      default: return subsView(s);
    }
  }

  return {
    start, stop, handleClick,
    render() { render({ force: true }); drawMap(); },
    close() { if (st && !panel.hidden) setOpen(false); },
    open: (id) => openAlert(id),
    get tab() { return st?.tab ?? null; },
    get form() { return st?.form ? { ...st.form } : null; },
    get painted() { return [...painted]; },
  };
}

// @ts-check
// SMS alerts in the web map, loaded by map/main.js only once someone signs in (anonymous visitors download neither
// the code nor the strings): the header button and the panel, its tabs and messages (this module); the alerts with
// live progress and approval (progress.js); the subscribers of the communes one acts for (subscribers.js); the
// targets on the map (map.js). The composer (composer.js) is loaded only for alert senders (/api/auth/me
// alertSender). All API text goes to the page through textContent only (el() makes text nodes).

import { $, el, nfc } from '../shared/dom.js';
import { t, useStrings, useProblems } from '../shared/i18n.js';
import { getJson } from '../shared/api.js';
import { app, T, word, put, learn, fold, fetchJson } from './state.js';
import { initMap, drawMap, paintedCodes } from './map.js';
import { loadAlerts, listView, openAlert, detailView } from './progress.js';
import { newSubs, loadSubs, subsView } from './subscribers.js';

/** @typedef {import('./state.js').State} State */

const OPEN_KEY = 'coordination.alertsOpen';
const ALERTS_STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
const ALERTS_PROBLEMS = { vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url) };

/**
 * Loads what the alerts screens need before they render: their strings (Vietnamese too whatever the page's
 * language: a cancellation's headline is sent in Vietnamese), problem texts and the API's codes.
 */
export async function loadAlertsStrings() {
  const [, , enums] = await Promise.all([useStrings(ALERTS_STRINGS, ['vi']), useProblems(ALERTS_PROBLEMS), getJson('/api/enums')]);
  app.enums = enums;
}

/**
 * @param {{ map: any, mapReady: Promise<unknown>, fitBox?: Function, bounds?: Function, onOpen?: () => void }} ctx
 * Returns { start(user), stop(), handleClick(e), render(), close() } and read-only hooks for tests.
 */
export function initAlerts(ctx) {
  app.ctx = ctx;
  app.map = ctx.map;
  app.mapReady = ctx.mapReady;

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
  app.panel = panel;
  initMap();

  // ------------------------------------------------------------ start / stop / open
  async function start(/** @type {import('../shared/session.js').User} */ user) {
    if (app.st?.user.userName === user.userName && app.st.user.alertSender === user.alertSender) return;
    stop();
    /** @type {State} */
    const s = app.st = {
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
      if (app.st === s) s.message = { text: t('loadError', /** @type {Error} */ (err).message), error: true };
    }
    if (app.st !== s) return;
    s.loaded = true;
    s.subs.commune ??= s.scope?.[0]?.code ?? null;
    render({ force: true });
    if (!panel.hidden) loadTab(s);
  }

  function stop() {
    const s = app.st;
    if (!s) return;
    app.st = null;
    clearTimeout(s.pollTimer);
    clearTimeout(s.searchTimer);
    app.composer?.stopDrawing(s);
    toggle.hidden = true;
    panel.hidden = true;
    localStorage.removeItem(OPEN_KEY);
    delete document.body.dataset.alerts;
    put(bodyBox);
    drawMap();
  }

  function setOpen(/** @type {boolean} */ open, { remember = true } = {}) {
    const s = app.st;
    if (!s) return;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) { document.body.dataset.alerts = 'open'; ctx.onOpen?.(); } else delete document.body.dataset.alerts;
    if (remember) localStorage.setItem(OPEN_KEY, open ? '1' : '0');
    if (!open) { app.composer?.stopDrawing(s); clearTimeout(s.pollTimer); }
    render({ force: true });
    drawMap();
    if (open && s.loaded) loadTab(s);
  }

  /** The communes the user acts for, with names: one commune, a defense area, a province; null for all (admin). */
  async function loadScope(/** @type {State} */ s) {
    const scope = s.user.scope;
    /** @type {{ code: string, name: string }[] | null} */
    let list = null;
    if (scope?.kind === 'commune') list = [{ code: scope.code, name: nfc(scope.name ?? scope.code) }];
    else if (scope?.kind === 'defense_area') {
      const area = await fetchJson(`/api/defense-areas/${encodeURIComponent(scope.code)}`);
      const all = await fetchJson(`/api/communes?province=${encodeURIComponent(area.provinceCode)}&limit=5000`);
      const codes = new Set(area.communes);
      list = all.filter((/** @type {{ code: string }} */ c) => codes.has(c.code));
    } else if (scope?.kind === 'province') {
      list = await fetchJson(`/api/communes?province=${encodeURIComponent(scope.code)}&limit=5000`);
    }
    if (app.st !== s) return;
    if (list) {
      for (const c of list) learn(c.code, c.name);
      s.scope = list.map((c) => ({ code: c.code, name: nfc(c.name), key: fold(c.name) }))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    }
  }

  /** The composer's code, the gateway and the templates: for alert senders only. */
  async function loadComposer(/** @type {State} */ s) {
    const [composer, gateway, templates] = await Promise.all([import('./composer.js'), fetchJson('/api/sms/gateway'), fetchJson('/api/sms-templates')]);
    app.composer = composer;
    if (app.st !== s) return;
    s.gateway = gateway;
    s.templates = templates;
  }

  async function loadTab(/** @type {State | null} */ s) {
    if (!s || app.st !== s) return;
    try {
      if (s.tab === 'list') {
        if (s.alertId != null) await openAlert(s.alertId, { keepMessage: true });
        else { await loadAlerts(s); render(); }
      }
      if (s.tab === 'subscribers' && s.subs.commune && !s.subs.list) { await loadSubs(s); render(); }
    } catch (err) {
      if (app.st === s) { s.message = { text: t('loadError', /** @type {Error} */ (err).message), error: true }; render(); }
    }
    drawMap();
  }

  function selectTab(/** @type {string} */ tab) {
    const s = app.st;
    if (!s) return;
    app.composer?.stopDrawing(s);
    clearTimeout(s.pollTimer);
    s.tab = tab;
    s.message = null;
    if (tab === 'list') { s.alertId = null; s.detail = null; }
    render({ force: true });
    loadTab(s);
  }

  // ------------------------------------------------------------ rendering
  function renderToggle() {
    const label = app.st?.sender === false ? T('toggleSubscribers') : T('toggle');
    toggleLabel.textContent = label;
    toggle.setAttribute('aria-label', label);      // phones show only "SMS"
    toggle.title = label;
  }

  function renderMessage() {
    const s = app.st;
    put(msgBox, ...(s?.message ? [el('p', { id: 'alerts-message', class: s.message.error ? 'form-error' : 'aid-ok',
      role: s.message.error ? 'alert' : 'status' }, s.message.text)] : []));
  }

  const tabsOf = (/** @type {State} */ s) => (s.sender ? ['compose', 'list', 'subscribers'] : ['list', 'subscribers']);

  /** Rebuilds the panel; the composer is rebuilt only when forced (so nothing disturbs typing). */
  function render({ force = false } = {}) {
    renderToggle();
    const s = app.st;
    if (!s || panel.hidden) return;
    put(headBox,
      el('h2', { id: 'alerts-title' }, s.sender ? T('title') : T('toggleSubscribers')),
      el('button', { type: 'button', class: 'close', id: 'alerts-close', 'aria-label': t('close'), onclick: () => setOpen(false) }, '×'));
    put(tabsBox, ...tabsOf(s).map((tab) => el('button', { type: 'button', role: 'tab', id: `alerts-tab-${tab}`,
      'aria-selected': String(s.tab === tab), onclick: () => selectTab(tab) }, word('tabs', tab))));
    renderMessage();
    if (s.tab === 'compose' && !force && bodyBox.querySelector('#alerts-form')) return;
    put(bodyBox, view(s));
    app.composer?.setCursor();
  }

  function view(/** @type {State} */ s) {
    if (!s.loaded && !s.message) return el('p', { class: 'muted' }, t('loading'));
    switch (s.tab) {
      case 'compose': return app.composer && s.sender ? app.composer.composeView(s) : el('p', { class: 'muted' }, T('notSender'));
      case 'list': return s.alertId != null ? detailView(s) : listView(s);
      default: return subsView(s);
    }
  }

  Object.assign(app, { render, drawMap, renderMessage, setOpen, loadTab });

  return {
    start, stop,
    /** Map clicks while composing (pick communes, place the polygon's points or the circle's centre). */
    handleClick: (/** @type {any} */ e) => app.composer?.handleClick(e) ?? false,
    render() { render({ force: true }); drawMap(); },
    close() { if (app.st && !panel.hidden) setOpen(false); },
    open: (/** @type {number} */ id) => openAlert(id),
    get tab() { return app.st?.tab ?? null; },
    get form() { return app.st?.form ? { ...app.st.form } : null; },
    get painted() { return paintedCodes(); },
  };
}


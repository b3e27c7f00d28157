// @ts-check
// The alerts, for every signed-in official: the list, an alert's detail with live progress (polled while it can
// still change) and its SMS log, approval by a second sender (two-person rule). Update and Cancel go to the
// composer (composer.js, loaded for alert senders only). All API text goes to the page through textContent only.

import { el, nfc } from '../shared/dom.js';
import { t, locale } from '../shared/i18n.js';
import { api } from '../shared/api.js';
import { dateTime } from '../shared/format.js';
import { app, S, T, word, number, put, visible, learn, say, problemOf, call, fetchJson } from './state.js';
import { endedText } from './text.js';

/** @typedef {import('./state.js').State} State */
/** @typedef {import('./text.js').Alert} Alert */
/** @typedef {import('./text.js').Progress} Progress */

/** The alert states a list is filtered by (the API's AlertState; GET /api/enums does not list them). */
const STATES = ['awaiting_approval', 'active', 'ended', 'rejected'];
/** The counts of a progress (ProgressDto members), in the order the bar draws them. */
const PROGRESS = ['delivered', 'sent', 'queued', 'failed', 'optedOut', 'withdrawn'];
const POLL_MS = 2000;
const PAGE = 50;

export async function loadAlerts(s) {
  const q = new URLSearchParams({ limit: '30' });
  if (s.stateFilter) q.set('state', s.stateFilter);
  if (s.user.scope?.kind === 'commune') q.set('commune', s.user.scope.code);
  const list = await fetchJson(`/api/alerts?${q}`);
  if (app.st !== s) return;
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

export function listView(s) {
  const filter = el('select', { id: 'alerts-state-filter', 'aria-label': T('stateFilter') },
    el('option', { value: '' }, T('allStates')), ...STATES.map((x) => el('option', { value: x, selected: x === s.stateFilter }, word('states', x))));
  filter.addEventListener('change', async () => {
    s.stateFilter = filter.value;
    try { await loadAlerts(s); } catch (err) { say(s, t('loadError', err.message), true); }
    app.render();
  });
  const head = el('div', { class: 'row' }, filter,
    el('button', { type: 'button', id: 'alerts-refresh', class: 'link-button inline', onclick: () => app.loadTab(s) }, T('refresh')));
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

export async function openAlert(id, { keepMessage = false } = {}) {
  const s = app.st;
  if (!s) return;
  id = Number(id);
  clearTimeout(s.pollTimer);
  if (s.alertId !== id) { s.log = null; s.logStatus = ''; }
  s.alertId = id;
  s.tab = 'list';
  if (!keepMessage) say(s, null);
  if (s.detail?.id !== id) s.detail = null;
  if (app.panel.hidden) { app.setOpen(true); return; }
  app.render({ force: true });
  const r = await api(`/api/alerts/${id}`);
  if (app.st !== s || s.alertId !== id) return;
  if (!r.ok) { say(s, problemOf(r), true); app.render(); return; }
  s.detail = r.data;
  for (const c of r.data.communes) learn(c.code, c.name);
  await loadLog(s, false);
  if (app.st !== s || s.alertId !== id) return;
  app.render({ force: true });
  app.drawMap();
  schedulePoll(s);
}

function leaveAlert() {
  const s = app.st;
  if (!s) return;
  clearTimeout(s.pollTimer);
  s.alertId = null;
  s.detail = null;
  s.log = null;
  say(s, null);
  app.render({ force: true });
  app.drawMap();
  loadAlerts(s).then(() => app.render()).catch(() => {});
}

const live = (a) => a && (a.state === 'active' || a.state === 'awaiting_approval' || a.progress.queued > 0);

/** Every 2 s while the alert is open and can still change; its state every 10 s; paused while the tab is hidden. */
export function schedulePoll(s) {
  clearTimeout(s.pollTimer);
  if (app.st !== s || !visible('list') || !live(s.detail) || s.alertId !== s.detail.id) return;
  s.pollTimer = setTimeout(() => poll(s, s.alertId), POLL_MS);
}

async function poll(s, id) {
  if (app.st !== s || s.alertId !== id) return;
  if (document.hidden) { schedulePoll(s); return; }
  s.pollCount++;
  const whole = s.pollCount % 5 === 0;
  const r = await api(whole ? `/api/alerts/${id}` : `/api/alerts/${id}/progress`);
  if (app.st !== s || s.alertId !== id || !s.detail) return;
  if (r.ok) {
    const before = JSON.stringify(s.detail.progress);
    const state = s.detail.state;
    if (whole) s.detail = r.data; else s.detail.progress = r.data;
    const changed = before !== JSON.stringify(s.detail.progress);
    if (state !== s.detail.state) app.render({ force: true });
    else if (changed) {
      renderProgress();
      if (s.log && s.log.length <= PAGE) { await loadLog(s, false); if (app.st === s && s.alertId === id) renderLog(); }
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
  if (app.st !== s || s.detail?.id !== a.id) return;
  if (!r.ok) { say(s, problemOf(r), true); return; }
  s.log = more ? [...(s.log ?? []), ...r.data] : r.data;
  s.logMore = r.data.length === PAGE;
}

export function detailView(s) {
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
  if (a.endedAt) fact(T('ended'), `${endedText(a.endedReason, S())} · ${dateTime(a.endedAt)}`);
  app.refs.progress = el('section', { id: 'alerts-progress-box' });
  app.refs.log = el('section', { id: 'alerts-log-box' });
  const parts = [back,
    el('h3', { id: 'alerts-detail-title' }, `#${a.id} — ${nfc(a.headline)}`),
    el('p', { class: 'badges' }, stateBadge(a),
      a.status !== 'Actual' ? [' ', el('span', { class: 'alert-state st-test' }, word('statuses', a.status))] : null,
      a.msgType === 'Update' ? [' ', el('span', { class: 'alert-state' }, T('updatesN', a.references))] : null),
    el('p', { class: 'muted small' }, T('smsText')),
    el('p', { id: 'alerts-detail-text', class: 'sms-text' }, nfc(a.fold ? a.bodyFolded : a.body)),
    el('dl', { class: 'facts' }, ...facts),
    app.refs.progress];
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
      el('button', { type: 'button', id: 'alerts-update', onclick: () => app.composer?.composeFrom(a, 'Update') }, T('update')),
      el('button', { type: 'button', id: 'alerts-cancel-alert', onclick: () => app.composer?.composeFrom(a, 'Cancel') }, T('cancelAlert'))));
  }
  parts.push(app.refs.log);
  const view = el('div', { id: 'alerts-detail', 'data-alert': a.id, 'data-state': a.state }, ...parts);
  renderProgress();
  renderLog();
  return view;
}

export function renderProgress() {
  const s = app.st;
  const a = s?.detail;
  const box = app.refs.progress;
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
    // The API gives a reason only while messages wait for a gateway that is not configured.
    p.notSentReason && !p.gatewayConfigured ? el('p', { id: 'alerts-not-sent', class: 'warn', role: 'alert' }, S().api?.notConfigured ?? '') : null,
    live(a) ? el('p', { class: 'muted small' }, T('liveNote')) : null);
}

export function renderLog() {
  const s = app.st;
  const box = app.refs.log;
  if (!s?.detail || !box) return;
  const filter = el('select', { id: 'alerts-log-status', 'aria-label': T('logFilter') }, el('option', { value: '' }, T('allStatuses')),
    ...app.enums.smsStatuses.map((x) => el('option', { value: x, selected: x === s.logStatus }, word('smsStatuses', x))));
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
  const s = app.st;
  const r = await call(`/api/alerts/${a.id}/${action}`, 'POST', body);
  if (app.st !== s) return;
  if (r.ok) {
    s.detail = r.data;
    say(s, T(action === 'reject' ? 'rejected' : r.data.progress?.gatewayConfigured === false ? 'approvedNotSent' : 'approved', a.id));
  } else say(s, problemOf(r), true);
  app.render({ force: true });
  schedulePoll(s);
}
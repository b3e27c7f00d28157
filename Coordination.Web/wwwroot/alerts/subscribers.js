// @ts-check
// The SMS subscribers of the communes one acts for (any signed-in official): the list of a commune, one number
// wherever it is subscribed, adding a number, a CSV import, the test-group and không-dấu flags, removal from a
// commune, and a number's SMS log. Refusals are worded by code (state.js). All API text goes to the page through
// textContent only.

import { $, el, nfc } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { api, call as callApi } from '../shared/api.js';
import { rowProblemTexts } from '../shared/problems.js';
import { dateTime } from '../shared/format.js';
import { app, T, word, number, put, learn, nameOf, say, problemOf, call } from './state.js';

/** @typedef {import('./state.js').State} State */
/** @typedef {import('./state.js').Subscriber} Subscriber */

const PAGE = 50;

/** The subscribers part of a fresh view. */
export function newSubs() {
  return { commune: null, list: null, more: false, lookup: null, lookupText: '', search: '', searchResults: null,
    form: { phone: '', test: false, folded: false, note: '' }, formMessage: null, importResult: null, importErrors: null,
    importing: false, logs: new Map(), busy: false };
}

export async function loadSubs(s, more = false) {
  const u = s.subs;
  if (!u.commune) return;
  const q = new URLSearchParams({ commune: u.commune, limit: String(PAGE) });
  if (more && u.list?.length) q.set('afterId', String(u.list[u.list.length - 1].id));
  const commune = u.commune;
  const r = await api(`/api/subscribers?${q}`);
  if (app.st !== s || u.commune !== commune) return;
  if (!r.ok) { u.list = []; say(s, problemOf(r), true); return; }
  u.list = more ? [...(u.list ?? []), ...r.data] : r.data;
  u.more = r.data.length === PAGE;
}

export function subsView(s) {
  const u = s.subs;
  const parts = [];
  // which commune
  if (s.scope) {
    const select = el('select', { id: 'alerts-sub-commune' }, ...s.scope.map((c) => el('option', { value: c.code, selected: c.code === u.commune }, c.name)));
    select.addEventListener('change', async () => {
      u.commune = select.value;
      u.list = null; u.lookup = null; u.importResult = null; u.importErrors = null; u.formMessage = null;
      app.render();
      await loadSubs(s);
      app.render();
    });
    parts.push(el('label', { for: 'alerts-sub-commune' }, T('commune')), select);
  } else {
    const search = el('input', { id: 'alerts-sub-search', type: 'search', autocomplete: 'off', value: u.search, placeholder: T('searchCommunes'), 'aria-label': T('searchCommunes') });
    const results = el('ul', { id: 'alerts-sub-search-results', class: 'alerts-communes' }, ...(u.searchResults ?? []).map((c) => el('li', {},
      el('button', { type: 'button', class: 'link-button inline', onclick: async () => {
        u.commune = c.code; learn(c.code, c.name); u.searchResults = null; u.list = null; app.render(); await loadSubs(s); app.render();
      } }, `${nfc(c.name)} (${nfc(c.provinceName)})`))));
    search.addEventListener('input', () => {
      u.search = search.value;
      clearTimeout(s.searchTimer);
      s.searchTimer = setTimeout(async () => {
        const q = u.search.normalize('NFC').trim();
        if (q.length < 2) return;
        const r = await api(`/api/communes?limit=10&q=${encodeURIComponent(q)}`);
        if (app.st !== s || u.search.normalize('NFC').trim() !== q) return;
        u.searchResults = r.ok ? r.data : [];
        put(results, ...u.searchResults.map((c) => el('li', {}, el('button', { type: 'button', class: 'link-button inline', onclick: async () => {
          u.commune = c.code; learn(c.code, c.name); u.searchResults = null; u.list = null; app.render(); await loadSubs(s); app.render();
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
    if (!u.lookupText.trim()) { u.lookup = null; app.render(); return; }
    const r = await api(`/api/subscribers?phone=${encodeURIComponent(u.lookupText.trim())}`);
    if (app.st !== s) return;
    if (r.ok) { u.lookup = r.data; say(s, null); } else { u.lookup = null; say(s, problemOf(r), true); }
    app.render();
  });
  parts.push(lookupForm);
  if (u.lookup) {
    parts.push(el('div', { id: 'alerts-lookup-result', class: 'card' },
      el('div', { class: 'row' }, el('h4', {}, T('lookupResult')),
        el('button', { type: 'button', class: 'link-button inline', onclick: () => { u.lookup = null; u.lookupText = ''; app.render(); } }, t('close'))),
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
      onclick: async () => { await loadSubs(s, true); app.render(); } }, T('more'))));
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
    if (app.st !== s) return;
    u.busy = false;
    if (r.ok) {
      u.formMessage = { text: T(r.status === 201 ? 'added' : 'merged', nfc(r.data.phone), nameOf(commune)) };
      u.form = { phone: '', test: false, folded: false, note: '' };
      await loadSubs(s);
    } else u.formMessage = { text: problemOf(r, { phone: f.phone }), error: true };
    app.render();
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
      el('ul', {}, ...u.importErrors.slice(0, 50).map((x) => el('li', {}, x))),
      u.importErrors.length > 50 ? el('p', { class: 'small' }, T('andMoreRows', u.importErrors.length - 50)) : null));
  }
  if (u.importResult) {
    const x = u.importResult;
    form.append(el('div', { id: 'alerts-import-result', class: 'aid-ok', role: 'status', 'data-created': x.created, 'data-updated': x.updated,
      'data-skipped': x.optedOutNotAdded.length },
    el('p', {}, T('importDone', number(x.rows), number(x.created), number(x.updated))),
    x.optedOutNotAdded.length ? el('div', { class: 'warn' }, el('p', {}, T('importSkipped', number(x.optedOutNotAdded.length))),
      el('ul', { class: 'small' }, ...x.optedOutNotAdded.map((o) => el('li', {}, T('row', o.row, T('optedOutBadge')))))) : null,
    x.notes.length ? el('ul', { class: 'muted small' }, ...x.notes.map((n) => el('li', { lang: 'en' }, nfc(n)))) : null));
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen || u.importing) { if (!chosen) { u.importErrors = [T('importChoose')]; u.importResult = null; app.render(); } return; }
    u.importing = true;
    u.importErrors = null;
    u.importResult = null;
    app.render();
    const r = await callApi('/api/subscribers/import', { method: 'POST', body: await chosen.arrayBuffer(), contentType: 'text/csv' });
    if (app.st !== s) return;
    u.importing = false;
    if (r.ok) { u.importResult = r.data; await loadSubs(s); }
    else u.importErrors = rowProblemTexts(r) ?? [problemOf(r)];
    app.render();
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
  const s = app.st;
  const r = await call(`/api/subscribers/${x.id}`, 'PATCH', body);
  if (app.st !== s) return;
  if (r.ok) { replaceSubscriber(s, r.data); say(s, T('savedNumber', nfc(r.data.phone))); } else say(s, problemOf(r), true);
  app.render();
}

async function removeFromCommune(x) {
  const s = app.st;
  const code = s.subs.commune;
  const r = await call(`/api/subscribers/${x.id}/communes/${encodeURIComponent(code)}`, 'DELETE', undefined);
  if (app.st !== s) return;
  if (r.ok) {
    s.subs.list = s.subs.list?.filter((y) => y.id !== x.id) ?? null;
    if (s.subs.lookup) replaceSubscriber(s, r.data);
    say(s, T('removed', nfc(x.phone), nameOf(code)));
  } else say(s, problemOf(r), true);
  app.render();
}

async function toggleLog(x) {
  const s = app.st;
  const u = s.subs;
  if (u.logs.has(x.id)) { u.logs.delete(x.id); app.render(); return; }
  const r = await api(`/api/subscribers/${x.id}/messages?limit=50`);
  if (app.st !== s) return;
  if (r.ok) u.logs.set(x.id, r.data); else say(s, problemOf(r), true);
  app.render();
}
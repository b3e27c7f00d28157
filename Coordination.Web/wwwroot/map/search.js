// @ts-check
// Search by name (#search, #results): a combobox of communes and then hamlets, diacritics optional, former names included.

import { $, el, nfc } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { getJson } from '../shared/api.js';
import { kindLabel } from '../communes/panel.js';

/** GET /api/communes?q= (or a hamlet of /api/hamlets/search: point set). @typedef {{ code: string, name: string, kind?: string, provinceName?: string, match?: string, formerName?: string, point?: [number, number], communeName?: string }} Candidate */

const input = $('#search');
const list = $('#results');
/** @type {Candidate[]} last candidates shown */
let results = [];
let active = -1;           // keyboard-highlighted candidate
/** @type {ReturnType<typeof setTimeout> | 0} */
let searchTimer = 0;
/** @type {AbortController | null} */
let searchAbort = null;
/** @type {Promise<Candidate[]> | null} the search in flight for the current text */
let pending = null;
/** @type {(code: string, point?: [number, number]) => void} */
let onChoose = () => {};

function showList(/** @type {boolean} */ show) {
  list.hidden = !show;
  input.setAttribute('aria-expanded', String(show));
}

function renderResults(/** @type {'loading' | undefined} */ state = undefined) {
  if (state === 'loading' && !results.length) {
    list.replaceChildren(el('li', { class: 'empty' }, t('searching')));
  } else if (!results.length) {
    list.replaceChildren(el('li', { class: 'empty' }, t('noResults')));
  } else {
    list.replaceChildren(...results.map((r, i) => el('li', {
      // a hamlet names its commune in data-commune: data-code is for communes only
      id: `result-${i}`, role: 'option', 'data-code': r.point ? null : r.code, 'data-commune': r.point ? r.code : null, 'aria-selected': String(i === active),
      onmousedown: (/** @type {Event} */ e) => e.preventDefault(),       // keep focus in the box
      onclick: () => choose(i),
    },
    el('span', { class: 'name' }, nfc(r.name)),
    el('span', { class: 'sub' }, [r.point ? t('hamletOf', nfc(r.communeName)) : kindLabel(r.kind), nfc(r.provinceName)].filter(Boolean).join(' · ')),
    r.match === 'formerName' && r.formerName ? el('span', { class: 'former' }, `(${t('formerName', nfc(r.formerName))})`) : null)));
  }
  if (active >= 0) input.setAttribute('aria-activedescendant', `result-${active}`);
  else input.removeAttribute('aria-activedescendant');
  showList(true);
}

function search() {
  clearTimeout(searchTimer);
  const q = input.value.normalize('NFC').trim();
  searchAbort?.abort();
  if (q.length < 2) { results = []; active = -1; showList(false); pending = null; return null; }
  searchAbort = new AbortController();
  renderResults('loading');
  const text = input.value;
  const signal = searchAbort.signal;
  // hamlets after the communes; a hamlet search that fails leaves the communes
  const hamlets = getJson(`/api/hamlets/search?limit=6&q=${encodeURIComponent(q)}`, signal).catch(() => []);
  pending = Promise.all([getJson(`/api/communes?limit=12&q=${encodeURIComponent(q)}`, signal), hamlets])
    .then(([found, near]) => {
      if (input.value !== text) return results;
      results = [...found, ...near.map((/** @type {any} */ h) => ({ code: h.communeCode, name: h.name, communeName: h.communeName, provinceName: h.provinceName, point: [h.lon, h.lat] }))];
      active = -1; renderResults();
      return results;
    })
    .catch((err) => { if (err.name !== 'AbortError') { results = []; renderResults(); } return results; });
  return pending;
}

function choose(/** @type {number} */ i) {
  const r = results[i];
  if (!r) return;
  input.value = nfc(r.name);
  showList(false);
  onChoose(r.code, r.point);
}

/** Wires the search box; chosen(code, point) when a candidate is picked (point: a hamlet's). */
export function initSearch(/** @type {(code: string, point?: [number, number]) => void} */ chosen) {
  onChoose = chosen;
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 250);
  });
  input.addEventListener('keydown', async (/** @type {KeyboardEvent} */ e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!results.length) return;
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : -1) + results.length) % results.length;
      renderResults();
      $(`#result-${active}`)?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (searchTimer) { const p = search(); if (p) await p; }   // typed faster than the debounce
      else if (pending) await pending;
      choose(active >= 0 ? active : 0);
    } else if (e.key === 'Escape') {
      showList(false);
    }
  });
  input.addEventListener('focus', () => { if (results.length) renderResults(); });
  input.addEventListener('blur', () => setTimeout(() => showList(false), 150));
  // On a slow link the box is drawn seconds before the scripts run: what was typed meanwhile is searched now.
  if (input.value.trim().length >= 2) search();
}

/** Re-renders an open list (language change). */
export function renderSearch() { if (!list.hidden) renderResults(); }

// @ts-check
// Citizens' help reports (CUU/SOS by SMS) for those who act for the commune: the open ones, oldest first, with how
// long they have waited and the number to call back; each marked handled, a duplicate of another, or turned into an
// aid request (the filing form, prefilled from the report). Loaded with the lists (state.js loadHelp), refreshed by
// the live feed ("help.reported").

import { el, nfc } from '../shared/dom.js';
import { t, fmt, lang } from '../shared/i18n.js';
import { ago, dateTime } from '../shared/format.js';
import { S, aidProblem, number } from './words.js';
import { A, hooks, isLeader, loadHelp } from './state.js';
import { call, say, startFiling } from './actions.js';

/** @typedef {{ id: number, communeCode: string, communeName: string, hamletId: number | null, hamletName: string | null,
 *   lon: number | null, lat: number | null, place: string | null, people: number | null, what: string | null, text: string,
 *   phone: string, status: string, createdAt: string }} HelpReport */

/** Where the report is: the registry's hamlet, else the place as written; the commune too for those above it. */
const whereOf = (/** @type {HelpReport} */ r) => [r.hamletName ?? r.place, isLeader() ? null : r.communeName].filter(Boolean).map((x) => nfc(x)).join(', ');

export function helpList(s) {
  /** @type {HelpReport[]} */
  const list = s.help ?? [];
  return el('div', {},
    el('h3', {}, t('helpOpen')),
    el('p', { class: 'muted small' }, t('helpHint')),
    el('ul', { id: 'help-reports', class: 'aid-list' },
      ...(list.length ? list.map((r) => helpCard(s, r, list)) : [el('li', { class: 'muted', id: 'help-none' }, t('helpNone'))])));
}

function helpCard(s, /** @type {HelpReport} */ r, /** @type {HelpReport[]} */ list) {
  const others = list.filter((x) => x.id !== r.id && x.communeCode === r.communeCode);
  const where = whereOf(r);
  return el('li', { class: 'aid-request help-report', 'data-help-report': r.id },
    el('div', { class: 'row' },
      el('strong', {}, fmt(S().helpTitle, r.id)),
      el('time', { datetime: r.createdAt, class: 'muted help-age', title: dateTime(r.createdAt) }, ago(r.createdAt, lang))),
    el('p', { class: 'help-facts' }, r.people != null ? fmt(S().helpPeople, number(r.people)) : t('helpPeopleUnknown'), where ? ` · ${where}` : ''),
    el('p', { class: 'help-text' }, `«${nfc(r.text)}»`),
    el('p', {}, t('helpCallBack'), ' ', el('a', { href: `tel:${r.phone}`, class: 'help-phone' }, r.phone)),
    s.helpDuplicate === r.id ? duplicatePicker(s, r, others)
      : el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary help-handled', onclick: () => handle(r, 'handled') }, t('helpHandled')),
        others.length ? el('button', { type: 'button', class: 'help-duplicate', onclick: () => { s.helpDuplicate = r.id; hooks.render(); } }, t('helpDuplicate')) : null,
        el('button', { type: 'button', class: 'help-convert', onclick: () => convert(r) }, t('helpConvert'))));
}

/** Which open report of the same commune this one repeats. */
function duplicatePicker(s, /** @type {HelpReport} */ r, /** @type {HelpReport[]} */ others) {
  const select = el('select', { class: 'help-duplicate-of', 'aria-label': t('helpDuplicateOf') },
    ...others.map((o) => el('option', { value: String(o.id) }, [fmt(S().helpTitle, o.id), whereOf(o), ago(o.createdAt, lang)].filter(Boolean).join(' · '))));
  return el('div', { class: 'stack' },
    el('label', {}, t('helpDuplicateOf'), select),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'primary help-duplicate-confirm', onclick: () => handle(r, 'duplicate', Number(select.value)) }, t('helpDuplicateConfirm')),
      el('button', { type: 'button', onclick: () => { s.helpDuplicate = null; hooks.render(); } }, t('cancel'))));
}

async function handle(/** @type {HelpReport} */ r, /** @type {string} */ outcome, /** @type {number | null} */ duplicateOf = null) {
  const s = A.st;
  const res = await call(`/api/help-reports/${r.id}/handle`, duplicateOf == null ? { outcome } : { outcome, duplicateOf });
  if (A.st !== s) return;
  s.helpDuplicate = null;
  say(s, res.ok ? fmt(S().helpDone[outcome], r.id, duplicateOf ?? '') : aidProblem(res), !res.ok);
  try { await loadHelp(s); } catch { /* the list stays as it was; the message says what happened */ }
  hooks.render();
}

/** The filing form, prefilled from the report; sent to /api/help-reports/{id}/convert (actions.js submitFiling). */
function convert(/** @type {HelpReport} */ r) {
  const facts = [r.people != null ? fmt(S().helpPeople, number(r.people)) : null, r.what ? nfc(r.what) : null].filter(Boolean).join(', ');
  startFiling({
    communeCode: r.communeCode, helpReportId: r.id, hamlet: nfc(r.hamletName ?? r.place ?? fmt(S().helpTitle, r.id)), hamletId: r.hamletId,
    lon: r.lon, lat: r.lat, urgency: 'life_threatening', description: facts ? `${fmt(S().helpTitle, r.id)}: ${facts}` : fmt(S().helpTitle, r.id),
  });
}

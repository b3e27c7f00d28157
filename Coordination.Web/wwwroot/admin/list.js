// @ts-check
// The admin page's table of users.

import { $, el, nfc } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { call } from '../shared/api.js';
import { problemText } from '../shared/problems.js';
import { dateTime } from '../shared/format.js';
import { session, roleLabel, scopeKindLabel } from '../shared/session.js';
import { edit, resetForm, renderCreated, showError, forgetCreated } from './editor.js';

/**
 * GET /api/admin/users: one user.
 * @typedef {{ id: string, userName: string, displayName: string, role: string,
 *   scope?: { kind: string, code: string, name?: string } | null, alertSender?: boolean, lockedOutUntil?: string | null, phone?: string | null }} AdminUser
 */

/** @type {AdminUser[]} */
let users = [];
/** Whether the table has users to re-render. */
export const hasUsers = () => users.length > 0;

/** Loads and shows the users (administrators only). */
export async function load() {
  const signedInAdmin = session.user?.role === 'admin';
  $('#admin-only').hidden = signedInAdmin;
  $('#admin-body').hidden = !signedInAdmin;
  $('#admin-error').hidden = true;
  if (!signedInAdmin) {
    users = [];
    $('#users tbody').replaceChildren();
    resetForm();
    forgetCreated();
    renderCreated();
    return;
  }
  const r = await call('/api/admin/users');
  if (!r.ok) { showError($('#admin-error'), problemText(r)); return; }
  users = r.data;
  renderUsers();
}

function scopeText(scope) {
  if (!scope) return '—';
  return `${scopeKindLabel(scope.kind)}: ${nfc(scope.name || scope.code)} (${nfc(scope.code)})`;
}

export function renderUsers() {
  const rows = users.map((u) => el('tr', { 'data-id': u.id, 'data-user': u.userName },
    el('td', {}, nfc(u.userName)),
    el('td', {}, nfc(u.displayName)),
    el('td', {}, roleLabel(u.role)),
    el('td', {}, scopeText(u.scope)),
    el('td', {}, u.alertSender ? t('yes') : t('no')),
    el('td', {}, u.lockedOutUntil ? dateTime(u.lockedOutUntil) : '—'),
    el('td', {}, el('button', { type: 'button', class: 'link-button', onclick: () => edit(u) }, t('edit')))));
  $('#users tbody').replaceChildren(...(rows.length ? rows
    : [el('tr', {}, el('td', { colspan: 7, class: 'muted' }, t('noUsers')))]));
}


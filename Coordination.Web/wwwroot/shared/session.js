// @ts-check
// The signed-in session (restored from the HttpOnly cookie) and its header widget: the sign-in button and dialog,
// or the user, an admin link and the sign-out button.

import { $, el, nfc } from './dom.js';
import { t, word, onLanguage } from './i18n.js';
import { api, onUnauthorized, resetAntiforgery, primeAntiforgery, setQueueUser } from './api.js';
import { problemText } from './problems.js';
import { dateTime } from './format.js';

/**
 * The signed-in user as GET /api/auth/me returns it.
 * @typedef {{ id?: string, userName: string, displayName?: string, role: string,
 *   scope?: { kind: string, code: string, name?: string } | null, alertSender?: boolean }} User
 */
/** @typedef {{ restored: boolean, ended?: boolean }} How */

export const ROLES = ['commune_leader', 'defense_commander', 'province_operator', 'admin'];
/** The scope kind each role carries (none for admin), as the API requires. */
export const SCOPE_OF_ROLE = /** @type {Record<string, string | null>} */ ({ commune_leader: 'commune', defense_commander: 'defense_area', province_operator: 'province', admin: null });
export const roleLabel = (/** @type {string} */ role) => word('roles', role);
export const scopeKindLabel = (/** @type {string} */ kind) => word('scopeKinds', kind);

/** @type {((user: User | null, how: How) => void)[]} */
const sessionListeners = [];
export const session = {
  /** @type {User | null} */
  user: null,
  /** fn(user, { restored }) after sign-in, sign-out and the start-up check. */
  onChange(/** @type {(user: User | null, how: How) => void} */ fn) { sessionListeners.push(fn); },
};

/** @param {User | null} user @param {How} how */
function setUser(user, how) {
  session.user = user;
  setQueueUser(user?.userName ?? null);
  resetAntiforgery();               // the antiforgery token is bound to the identity
  document.body.dataset.auth = user ? 'signed-in' : 'anonymous';
  renderAuth();
  for (const fn of sessionListeners) fn(user, how);
  if (user) primeAntiforgery();
}

// The auth cookie is HttpOnly, so the page keeps a hint that it signed in: anonymous visitors then skip
// GET /api/auth/me, whose 401 the browser would log as a console error on every page load.
const SESSION_HINT = 'coordination.signedIn';

/** Restores the session from the cookie (GET /api/auth/me) when this browser signed in before. */
export async function restoreSession() {
  let user = null;
  if (localStorage.getItem(SESSION_HINT)) {
    try {
      const res = await fetch('/api/auth/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (res.ok) user = await res.json();
      else if (res.status === 401) localStorage.removeItem(SESSION_HINT);
    } catch { /* offline or API down: anonymous for now */ }
  }
  setUser(user, { restored: true });
  return user;
}

/** @param {string} userName @param {string} password */
async function signIn(userName, password) {
  const r = await api('/api/auth/login', { method: 'POST', body: { userName, password } });
  if (r.ok) {
    localStorage.setItem(SESSION_HINT, '1');
    setUser(r.data, { restored: false });
  }
  return r;
}

/** The server no longer knows the cookie (expired, or the user was changed): anonymous again. */
function sessionEnded() {
  if (!session.user) return;
  localStorage.removeItem(SESSION_HINT);
  setUser(null, { restored: false, ended: true });
}
onUnauthorized(sessionEnded);

export async function signOut() {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
  localStorage.removeItem(SESSION_HINT);
  setUser(null, { restored: false });
}

/**
 * Until when a 423 locks the account: the problem's `lockedUntil` fact when the API sends it. Until it does, the
 * one time stamp of its detail ("… locked until 2026-11-23 11:05 UTC."): a date read from the text, not its words.
 * @param {import('./api.js').Problem} p
 */
export function lockedUntil(p) {
  if (typeof p.lockedUntil === 'string') return p.lockedUntil;
  const m = /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?\s*UTC/.exec(p.detail ?? '');
  return m ? `${m[1]}T${m[2]}:00Z` : null;
}

/** The sign-in failure in words: wrong credentials, locked out (until when), rate-limited (for how long). */
function signInError(/** @type {import('./api.js').ApiResult} */ r) {
  if (r.status === 401) return t('badCredentials');
  if (r.status === 423) {
    const until = lockedUntil(r.problem ?? {});
    return until ? t('lockedOutUntil', dateTime(until)) : t('lockedOut');
  }
  if (r.status === 429) return r.retryAfter ? t('tooManyAttempts', r.retryAfter) : t('tooManyAttemptsLater');
  return problemText(r);
}

// ---------------------------------------------------------------- header widget and sign-in dialog
/** @type {HTMLDialogElement | null} */
let dialog = null;

/** Puts the sign-in button (or the signed-in user and a sign-out button) into #auth. */
export function mountAuth({ adminLink = true } = {}) {
  const host = $('#auth');
  if (!host) return;
  host.dataset.adminLink = String(adminLink);
  dialog = buildDialog();
  document.body.append(dialog);
  onLanguage(renderAuth);
  renderAuth();
}

function renderAuth() {
  const host = $('#auth');
  if (!host) return;
  const user = session.user;
  if (!user) {
    host.replaceChildren(el('button', { id: 'signin', type: 'button', class: 'bar-button', onclick: openDialog }, t('signIn')));
    return;
  }
  const role = roleLabel(user.role);
  host.replaceChildren(...[
    el('span', { id: 'who', title: t('signedInAs', nfc(user.displayName), role) },
      el('span', { id: 'user-name' }, nfc(user.displayName || user.userName)),
      el('span', { id: 'user-role' }, role)),
    user.role === 'admin' && host.dataset.adminLink === 'true'
      ? el('a', { id: 'admin-link', class: 'bar-button', href: '/admin.html' }, t('adminLink')) : null,
    el('button', { id: 'signout', type: 'button', class: 'bar-button', title: t('signedInAs', nfc(user.displayName), role),
      onclick: () => signOut() }, t('signOut')),
  ].filter(Boolean));
}

function buildDialog() {
  const error = el('p', { id: 'signin-error', class: 'form-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', id: 'signin-submit', 'data-i18n': 'signIn' }, t('signIn'));
  const form = el('form', { method: 'dialog', id: 'signin-form' },
    el('h2', { 'data-i18n': 'signInTitle' }, t('signInTitle')),
    el('label', { for: 'signin-user', 'data-i18n': 'userName' }, t('userName')),
    el('input', { id: 'signin-user', name: 'userName', autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'none' }),
    el('label', { for: 'signin-password', 'data-i18n': 'password' }, t('password')),
    el('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    error,
    el('div', { class: 'actions' },
      submit,
      el('button', { type: 'button', id: 'signin-cancel', 'data-i18n': 'cancel', onclick: () => d.close() }, t('cancel'))));
  form.addEventListener('submit', async (/** @type {Event} */ e) => {
    e.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    error.hidden = true;
    submit.textContent = t('signingIn');
    try {
      const r = await signIn(form.elements.userName.value.trim(), form.elements.password.value);
      if (r.ok) {
        form.reset();
        d.close();
      } else {
        error.textContent = signInError(r);
        error.hidden = false;
        form.elements.password.select();
      }
    } catch {
      error.textContent = problemText({ status: 0 });
      error.hidden = false;
    } finally {
      submit.disabled = false;
      submit.textContent = t('signIn');
    }
  });
  /** @type {HTMLDialogElement} */
  const d = el('dialog', { id: 'signin-dialog', 'aria-labelledby': 'signin-title' }, form);
  form.querySelector('h2').id = 'signin-title';
  d.addEventListener('close', () => { error.hidden = true; });
  return d;
}

function openDialog() {
  dialog?.showModal();
  dialog?.querySelector('input')?.focus();
}

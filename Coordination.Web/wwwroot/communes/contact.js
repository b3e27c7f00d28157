// @ts-check
// The duty contact (trực ban) of the selected commune: shown to everyone, edited by those who act for it.

import { $, el, nfc } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { call } from '../shared/api.js';
import { problemText } from '../shared/problems.js';
import { dateTime } from '../shared/format.js';
import { session } from '../shared/session.js';

/**
 * GET/PUT /api/communes/{code}/contact.
 * @typedef {{ dutyPhone?: string | null, dutyOfficer?: string | null, note?: string | null,
 *   updatedAt?: string, updatedBy?: string | null }} Contact
 * @typedef {{ code: string, props: import('./panel.js').CommuneProperties, state: 'loading' | 'ready' | 'none' | 'error',
 *   data: Contact | null, editing: boolean, message: { key?: string, text?: string, error?: boolean } | null }} ContactState
 */

/** @type {ContactState | null} */
let contact = null;

/** This screen's words for a refusal: a 403 here means the commune is not the user's. */
const refusal = (/** @type {import('../shared/api.js').ApiResult} */ r) => problemText(r, { statuses: { 403: t('forbidden') } });

/** Starts showing the contact of a newly selected commune (loads it). */
export function contactFor(/** @type {string} */ code, /** @type {import('./panel.js').CommuneProperties} */ props) {
  contact = { code, props, state: 'loading', data: null, editing: false, message: null };
  load(code);
}

/** The panel left the commune. */
export const forgetContact = () => { contact = null; };

/** Signed out: no more editing. */
export const stopEditing = () => { if (contact) contact.editing = false; };

async function load(/** @type {string} */ code) {
  const r = await call(`/api/communes/${encodeURIComponent(code)}/contact`);
  if (contact?.code !== code) return;
  contact.state = r.ok ? 'ready' : r.status === 404 ? 'none' : 'error';
  contact.data = r.ok ? r.data : null;
  if (!r.ok && r.status !== 404) contact.message = { text: refusal(r), error: true };
  renderContact();
}

/** Whether the signed-in user acts for this commune (the server decides; this only offers the button). */
function mayEdit(/** @type {import('./panel.js').CommuneProperties} */ props) {
  const user = session.user;
  if (!user) return false;
  if (user.role === 'admin') return true;
  const scope = user.scope;
  if (!scope) return false;
  if (scope.kind === 'commune') return scope.code === props.code;
  if (scope.kind === 'defense_area') return props.defenseArea != null && String(props.defenseArea.id) === String(scope.code);
  if (scope.kind === 'province') return scope.code === props.provinceCode;
  return false;
}

export function renderContact() {
  const box = $('#contact');
  const panelCode = $('#panel').dataset.code;
  if (!contact || contact.code !== panelCode || $('#detail').hidden) { box.hidden = true; return; }
  const c = contact;
  box.hidden = false;
  box.dataset.state = c.state;
  const d = c.data ?? {};
  const children = [el('h3', {}, t('contact'))];
  if (c.state === 'loading') children.push(el('p', { class: 'muted' }, t('loading')));
  else if (c.editing) children.push(contactForm(d));
  else {
    if (d.dutyPhone || d.dutyOfficer || d.note) {
      /** @type {Node[]} */
      const facts = [];
      const fact = (/** @type {string} */ id, /** @type {string} */ label, /** @type {Node | string | null} */ value) =>
        value && facts.push(el('dt', {}, label), el('dd', { id }, value));
      fact('contact-phone', t('dutyPhone'), d.dutyPhone
        ? el('a', { href: `tel:${String(d.dutyPhone).replace(/[^\d+]/g, '')}` }, nfc(d.dutyPhone)) : null);
      fact('contact-officer', t('dutyOfficer'), nfc(d.dutyOfficer));
      fact('contact-note', t('note'), nfc(d.note));
      children.push(el('dl', { class: 'facts' }, ...facts));
      if (d.updatedAt) {
        children.push(el('p', { class: 'muted', id: 'contact-updated' },
          d.updatedBy ? t('updated', dateTime(d.updatedAt), nfc(d.updatedBy)) : t('updatedAt', dateTime(d.updatedAt))));
      }
    } else if (c.state !== 'error') {
      children.push(el('p', { class: 'muted', id: 'contact-none' }, t('noContact')));
    }
    if (mayEdit(c.props) && c.state !== 'error') {
      children.push(el('button', { type: 'button', id: 'contact-edit', class: 'link-button',
        onclick: () => { c.editing = true; c.message = null; renderContact(); $('#contact-phone-input')?.focus(); } }, t('edit')));
    }
  }
  if (c.message) {
    children.push(el('p', { id: 'contact-message', class: c.message.error ? 'form-error' : 'muted',
      role: c.message.error ? 'alert' : 'status' }, c.message.key ? t(c.message.key) : c.message.text));
  }
  box.replaceChildren(...children);
}

/** @param {Contact} d */
function contactForm(d) {
  const c = /** @type {ContactState} */ (contact);
  const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {Node} */ control) => [el('label', { for: id }, label), control];
  const form = el('form', { id: 'contact-form', class: 'stack' },
    field('contact-phone-input', t('dutyPhone'),
      el('input', { id: 'contact-phone-input', name: 'dutyPhone', type: 'tel', autocomplete: 'off', maxlength: 20, value: nfc(d.dutyPhone) })),
    field('contact-officer-input', t('dutyOfficer'),
      el('input', { id: 'contact-officer-input', name: 'dutyOfficer', autocomplete: 'off', maxlength: 100, value: nfc(d.dutyOfficer) })),
    field('contact-note-input', t('note'), el('textarea', { id: 'contact-note-input', name: 'note', rows: 3, maxlength: 500 })),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'contact-save' }, t('save')),
      el('button', { type: 'button', id: 'contact-cancel',
        onclick: () => { c.editing = false; c.message = null; renderContact(); } }, t('cancel'))));
  form.elements.note.value = nfc(d.note);
  form.addEventListener('submit', async (/** @type {Event} */ e) => {
    e.preventDefault();
    const code = c.code;
    const save = form.querySelector('#contact-save');
    save.disabled = true;
    save.textContent = t('saving');
    const body = Object.fromEntries(['dutyPhone', 'dutyOfficer', 'note']
      .map((k) => [k, form.elements[k].value.trim() || null]));
    const r = await call(`/api/communes/${encodeURIComponent(code)}/contact`, { method: 'PUT', body });
    if (contact !== c) return;
    if (r.ok) {
      c.data = r.data ?? { ...body, updatedAt: new Date().toISOString() };
      c.state = 'ready';
      c.editing = false;
      c.message = { key: 'saved' };
    } else {
      c.message = { text: refusal(r), error: true };
    }
    if (c.editing) {
      save.disabled = false;
      save.textContent = t('save');
      const msg = el('p', { id: 'contact-message', class: 'form-error', role: 'alert' }, c.message.text);
      $('#contact-message')?.remove();
      $('#contact').append(msg);
      c.message = null;
    } else renderContact();
  });
  return form;
}

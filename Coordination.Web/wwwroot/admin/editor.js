// @ts-check
// The user editor of the admin page: create a user (role + scope; a generated password is shown once) or change
// one's display name, role, scope, the alert-sender grant and the mobile that may text commands. Validation messages go under their fields.

import { $, el, nfc } from '../shared/dom.js';
import { t, group } from '../shared/i18n.js';
import { call } from '../shared/api.js';
import { problemText, fieldError } from '../shared/problems.js';
import { ROLES, SCOPE_OF_ROLE, roleLabel } from '../shared/session.js';

const form = $('#user-form');
/** @type {import('./list.js').AdminUser | null} the user being edited, or null when creating */
let editing = null;
/** @type {{ key: string, userName: string, password?: string | null } | null} shown once after a create */
let createdNotice = null;

/** Forgets the notice of the last create (never leave a generated password on screen across a sign-out). */
export const forgetCreated = () => { createdNotice = null; };

export function fillRoles() {
  const select = form.elements.role;
  const value = select.value || 'commune_leader';
  select.replaceChildren(...ROLES.map((r) => el('option', { value: r }, roleLabel(r))));
  select.value = value;
}

/** The scope kind follows the role: its label and whether a code / the alert grant apply. */
export function syncScope() {
  const kind = SCOPE_OF_ROLE[form.elements.role.value];
  const code = form.elements.scopeCode;
  const label = $('#scope-label');
  label.textContent = kind ? group('scopeCodeFor')[kind] : `${t('scopeCode')} – ${t('noScope')}`;
  code.disabled = !kind;
  code.required = Boolean(kind);
  if (!kind) code.value = '';
  const alerts = form.elements.alertSender;
  alerts.disabled = !['province_operator', 'defense_commander'].includes(form.elements.role.value);
  if (alerts.disabled) alerts.checked = false;
}

export function resetForm() {
  editing = null;
  form.reset();
  form.elements.userName.readOnly = false;
  for (const n of form.querySelectorAll('.create-only')) n.hidden = false;
  $('#user-cancel').hidden = true;
  clearErrors();
  renderFormTitle();
  syncScope();
}

export function edit(user) {
  editing = user;
  createdNotice = null;
  renderCreated();
  clearErrors();
  form.elements.userName.value = nfc(user.userName);
  form.elements.userName.readOnly = true;
  form.elements.displayName.value = nfc(user.displayName);
  form.elements.password.value = '';
  for (const n of form.querySelectorAll('.create-only')) n.hidden = true;
  form.elements.role.value = user.role;
  syncScope();
  form.elements.scopeCode.value = nfc(user.scope?.code);
  form.elements.alertSender.checked = Boolean(user.alertSender) && !form.elements.alertSender.disabled;
  form.elements.phone.value = user.phone ?? '';
  $('#user-cancel').hidden = false;
  renderFormTitle();
  $('#user-editor').scrollIntoView({ block: 'start' });
  form.elements.displayName.focus();
}

export function renderFormTitle() {
  $('#editor-title').textContent = editing ? t('editUser', nfc(editing.userName)) : t('createUser');
  $('#user-submit').textContent = editing ? t('save') : t('create');
}

function clearErrors() {
  $('#form-error').hidden = true;
  for (const n of form.querySelectorAll('.field-error')) n.remove();
  for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
}

export function showError(node, text) {
  node.textContent = text;
  node.hidden = false;
}

/** Puts each validation message under its field (names compared case-insensitively), the rest in the form error. */
function showProblem(r) {
  const errors = r.problem?.errors;
  if (!errors) { showError($('#form-error'), problemText(r)); return; }
  const unplaced = [];
  for (const [name, messages] of Object.entries(errors)) {
    const field = [...form.elements].find((f) => f.name && f.name.toLowerCase() === name.toLowerCase());
    const target = field?.name === 'scopeKind' ? null : field;
    const text = fieldError(name, messages);
    if (target && !target.hidden) {
      target.setAttribute('aria-invalid', 'true');
      target.insertAdjacentElement('afterend', el('span', { class: 'field-error form-error', 'data-field': name }, text));
    } else unplaced.push(text);
  }
  showError($('#form-error'), [t('fixErrors'), ...unplaced].join(' '));
}


/** @type {() => Promise<void>} */
let saved = async () => {};

/** Wires the form (once); onSaved() after a create or a change (reloads the table). */
export function initEditor(/** @type {() => Promise<void>} */ onSaved) {
  saved = onSaved;
  form.elements.role.addEventListener('change', syncScope);
  $('#user-cancel').addEventListener('click', resetForm);
  form.addEventListener('submit', submit);
}

async function submit(e) {
  e.preventDefault();
  clearErrors();
  const f = form.elements;
  const role = f.role.value;
  const scopeKind = SCOPE_OF_ROLE[role];
  const body = {
    displayName: f.displayName.value.trim(),
    role,
    scopeKind,
    scopeCode: scopeKind ? f.scopeCode.value.trim() || null : null,
    alertSender: f.alertSender.checked,
    // The official's mobile, whose SMS commands act as them; emptied, it is removed.
    phone: f.phone.value.trim(),
  };
  const button = $('#user-submit');
  button.disabled = true;
  let r;
  try {
    r = editing
      ? await call(`/api/admin/users/${encodeURIComponent(editing.id)}`, { method: 'PUT', body })
      : await call('/api/admin/users', { method: 'POST',
        body: { userName: f.userName.value.trim(), password: f.password.value || null, ...body } });
  } finally {
    button.disabled = false;
  }
  if (!r.ok) { showProblem(r); return; }
  const user = r.data?.user ?? r.data;
  createdNotice = editing
    ? { key: 'updatedUser', userName: user.userName }
    : { key: 'created', userName: user.userName, password: r.data?.generatedPassword ?? null };
  resetForm();
  renderCreated();
  await saved();
}

/** After a create: the generated password, once (it is not kept anywhere in the page afterwards). */
export function renderCreated() {
  const box = $('#created');
  if (!createdNotice) { box.hidden = true; box.replaceChildren(); return; }
  box.hidden = false;
  box.replaceChildren(...[
    el('p', {}, t(createdNotice.key, nfc(createdNotice.userName))),
    createdNotice.password
      ? el('p', {}, t('generatedPassword', nfc(createdNotice.userName)), ' ',
        el('code', { id: 'generated-password' }, createdNotice.password))
      : null,
  ].filter(Boolean));
}


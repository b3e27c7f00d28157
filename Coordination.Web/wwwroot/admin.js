// User administration (role admin): list users, create one (role + scope; a generated password is shown once),
// change display name, role, scope and the alert-sender grant. Plain ES module; text through textContent only.

import {
  $, el, t, nfc, api, problemText, fieldError, dateTime, session, restoreSession, mountAuth, initLanguage, onLanguage,
  roleLabel, scopeKindLabel, ROLES, SCOPE_OF_ROLE, STRINGS, lang,
} from './common.js';

const form = $('#user-form');
let users = [];
let editing = null;        // the user being edited, or null when creating
let createdNotice = null;  // { userName, password } shown once after a create

// ---------------------------------------------------------------- list
async function load() {
  const signedInAdmin = session.user?.role === 'admin';
  $('#admin-only').hidden = signedInAdmin;
  $('#admin-body').hidden = !signedInAdmin;
  $('#admin-error').hidden = true;
  if (!signedInAdmin) {
    users = [];
    $('#users tbody').replaceChildren();
    resetForm();
    createdNotice = null;
    renderCreated();
    return;
  }
  const r = await api('/api/admin/users');
  if (!r.ok) { showError($('#admin-error'), problemText(r)); return; }
  users = r.data;
  renderUsers();
}

function scopeText(scope) {
  if (!scope) return '—';
  return `${scopeKindLabel(scope.kind)}: ${nfc(scope.name || scope.code)} (${nfc(scope.code)})`;
}

function renderUsers() {
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

// ---------------------------------------------------------------- form
function fillRoles() {
  const select = form.elements.role;
  const value = select.value || 'commune_leader';
  select.replaceChildren(...ROLES.map((r) => el('option', { value: r }, roleLabel(r))));
  select.value = value;
}

/** The scope kind follows the role: its label and whether a code / the alert grant apply. */
function syncScope() {
  const kind = SCOPE_OF_ROLE[form.elements.role.value];
  const code = form.elements.scopeCode;
  const label = $('#scope-label');
  label.textContent = kind ? STRINGS[lang].scopeCodeFor[kind] : `${t('scopeCode')} – ${t('noScope')}`;
  code.disabled = !kind;
  code.required = Boolean(kind);
  if (!kind) code.value = '';
  const alerts = form.elements.alertSender;
  alerts.disabled = !['province_operator', 'defense_commander'].includes(form.elements.role.value);
  if (alerts.disabled) alerts.checked = false;
}

function resetForm() {
  editing = null;
  form.reset();
  form.elements.userName.readOnly = false;
  for (const n of form.querySelectorAll('.create-only')) n.hidden = false;
  $('#user-cancel').hidden = true;
  clearErrors();
  renderFormTitle();
  syncScope();
}

function edit(user) {
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
  $('#user-cancel').hidden = false;
  renderFormTitle();
  $('#user-editor').scrollIntoView({ block: 'start' });
  form.elements.displayName.focus();
}

function renderFormTitle() {
  $('#editor-title').textContent = editing ? t('editUser', nfc(editing.userName)) : t('createUser');
  $('#user-submit').textContent = editing ? t('save') : t('create');
}

function clearErrors() {
  $('#form-error').hidden = true;
  for (const n of form.querySelectorAll('.field-error')) n.remove();
  for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
}

function showError(node, text) {
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

form.elements.role.addEventListener('change', syncScope);
$('#user-cancel').addEventListener('click', resetForm);

form.addEventListener('submit', async (e) => {
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
  };
  const submit = $('#user-submit');
  submit.disabled = true;
  let r;
  try {
    r = editing
      ? await api(`/api/admin/users/${encodeURIComponent(editing.id)}`, { method: 'PUT', body })
      : await api('/api/admin/users', { method: 'POST',
        body: { userName: f.userName.value.trim(), password: f.password.value || null, ...body } });
  } catch (err) {
    r = { ok: false, status: 0, problem: { detail: err.message } };
  } finally {
    submit.disabled = false;
  }
  if (!r.ok) { showProblem(r); return; }
  const user = r.data?.user ?? r.data;
  createdNotice = editing
    ? { key: 'updatedUser', userName: user.userName }
    : { key: 'created', userName: user.userName, password: r.data?.generatedPassword ?? null };
  resetForm();
  renderCreated();
  await load();
});

/** After a create: the generated password, once (it is not kept anywhere in the page afterwards). */
function renderCreated() {
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

// ---------------------------------------------------------------- start
onLanguage(() => {
  fillRoles();
  syncScope();
  renderFormTitle();
  if (users.length) renderUsers();
  renderCreated();
});
initLanguage('adminTitle');
mountAuth({ adminLink: false });
session.onChange(() => {
  createdNotice = null;   // never leave a generated password on screen across a sign-out
  load();
});
restoreSession();

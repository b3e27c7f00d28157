// @ts-check
// User administration (role admin): admin.html. The table (list.js) and the editor (editor.js); strings of the
// shared table and of this page only.

import { useStrings, useProblems, initLanguage, onLanguage, SHARED_STRINGS, SHARED_PROBLEMS } from '../shared/i18n.js';
import { session, restoreSession, mountAuth } from '../shared/session.js';
import { load, renderUsers, hasUsers } from './list.js';
import { initEditor, fillRoles, syncScope, renderFormTitle, renderCreated, forgetCreated } from './editor.js';

const ADMIN_STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
const ADMIN_PROBLEMS = { vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url) };
await Promise.all([useStrings(SHARED_STRINGS), useStrings(ADMIN_STRINGS), useProblems(SHARED_PROBLEMS), useProblems(ADMIN_PROBLEMS)]);

initEditor(load);
onLanguage(() => {
  fillRoles();
  syncScope();
  renderFormTitle();
  if (hasUsers()) renderUsers();
  renderCreated();
});
initLanguage('adminTitle');
mountAuth({ adminLink: false });
session.onChange(() => {
  forgetCreated();
  load();
});
restoreSession();

// @ts-check
// Strings per feature and language, loaded with the feature: each feature folder has strings.vi.json and
// strings.en.json (and problems.vi.json / problems.en.json, see problems.js); a feature registers them with
// useStrings() before it renders, and only the current language is fetched. Switching language fetches the other
// language of every feature loaded so far, then re-renders. Vietnamese is the default.
//
// A strings file is a JSON object: key → text with {0}, {1} … placeholders, or key → object of such texts (a
// group: labels per code, e.g. "aidUrgency": { "urgent": "Khẩn cấp" }). All loaded files of a language are merged
// into one table, so keys must be unique across features (or the same text).

import { useLanguage } from './format.js';
import { $, nfc } from './dom.js';

export { nfc };

/** @typedef {'vi' | 'en'} Lang */
/** @typedef {{ [key: string]: string | Table }} Table */
/** @typedef {{ vi: URL | string, en: URL | string }} Source  the two files of a feature */
/** @typedef {'strings' | 'problems'} Kind */

const LANG_KEY = 'coordination.lang';

/** @returns {Lang} */
function storedLanguage() {
  try { return globalThis.localStorage?.getItem(LANG_KEY) === 'en' ? 'en' : 'vi'; } catch { return 'vi'; }
}

/** The page's language. */
export let lang = storedLanguage();
useLanguage(lang);
/** @type {Lang | null} a language being switched to (its files are fetched for features that register meanwhile) */
let switching = null;

/** @type {Record<Kind, Record<Lang, Table>>} merged tables: one object per kind and language, filled as files arrive */
const tables = { strings: { vi: {}, en: {} }, problems: { vi: {}, en: {} } };
/** @type {{ kind: Kind, source: Source, loaded: Partial<Record<Lang, Promise<void>>> }[]} */
const registered = [];

/** The merged table of a kind and language (the same object for the page's life: files are merged into it). */
export const table = (/** @type {Kind} */ kind, /** @type {Lang} */ language = lang) => tables[kind][language];

/** @param {(typeof registered)[number]} entry @param {Lang} language */
function load(entry, language) {
  entry.loaded[language] ??= fetch(String(entry.source[language]), { headers: { Accept: 'application/json' } })
    .then((res) => { if (!res.ok) throw new Error(`HTTP ${res.status}`); return res.json(); })
    .then((data) => { Object.assign(tables[entry.kind][language], data); })
    .catch((err) => { delete entry.loaded[language]; throw err; });
  return entry.loaded[language];
}

/** @param {Kind} kind @param {Source} source @param {Lang[]} also */
async function use(kind, source, also) {
  let entry = registered.find((e) => e.kind === kind && String(e.source.vi) === String(source.vi));
  if (!entry) registered.push(entry = { kind, source, loaded: {} });
  const wanted = new Set([lang, ...also, ...(switching ? [switching] : [])]);
  await Promise.all([...wanted].map((l) => load(/** @type {(typeof registered)[number]} */ (entry), l)));
}

/**
 * Loads a feature's strings in the page's language (and keeps them for a language switch).
 * @param {Source} source
 * @param {Lang[]} [also]  other languages the feature needs whatever the page's (a text sent in Vietnamese)
 */
export const useStrings = (source, also = []) => use('strings', source, also);
/** Loads a feature's problem texts (problems.<lang>.json: code → template, see problems.js). */
export const useProblems = (/** @type {Source} */ source) => use('problems', source, []);

/** The strings every page uses: the app's name, sign-in, roles, generic refusals. */
export const SHARED_STRINGS = {
  vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url),
};

/** The problem texts every page needs: the codes every capability shares (Kernel's CommonProblems). */
export const SHARED_PROBLEMS = {
  vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url),
};

/**
 * Fills {0}, {1} … in a text.
 * @param {unknown} text
 * @param {...unknown} args
 */
export const fmt = (text, ...args) => String(text ?? '').replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));

/**
 * A text of a table by key, {0}… filled; the key itself when missing (visible, never a crash).
 * @param {Table} strings
 * @param {string} key
 * @param {unknown[]} [args]
 */
export function lookup(strings, key, args = []) {
  const value = strings[key];
  return fmt(typeof value === 'string' ? value : key, ...args);
}

/** The text of a key in the page language. */
export const t = (/** @type {string} */ key, /** @type {unknown[]} */ ...args) => lookup(tables.strings[lang], key, args);

/**
 * The label of a code in a group ("aidUrgency", "urgent"), else the code.
 * @param {string} group
 * @param {string | number | null | undefined} key
 */
export function word(group, key) {
  const g = tables.strings[lang][group];
  const value = typeof g === 'object' && key != null ? g[String(key)] : undefined;
  return typeof value === 'string' ? value : nfc(key);
}

/** A group of the current language's strings (labels by code), empty when missing. */
export function group(/** @type {string} */ name) {
  const g = tables.strings[lang][name];
  return /** @type {Record<string, string>} */ (typeof g === 'object' ? g : {});
}

/** The Intl locale of the page language. */
export const locale = () => (lang === 'vi' ? 'vi-VN' : 'en-GB');

/** @type {(() => void)[]} */
const languageListeners = [];
/** Called after every language change (and once by initLanguage at start). */
export const onLanguage = (/** @type {() => void} */ fn) => { languageListeners.push(fn); };

let titleKey = 'title';

/** Fills every data-i18n* element of the page, lets the page re-render what it built itself, then sets html[lang]. */
export function applyLanguage() {
  document.title = t(titleKey);
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(/** @type {HTMLElement} */ (node).dataset.i18n ?? '');
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    /** @type {HTMLInputElement} */ (node).placeholder = t(/** @type {HTMLElement} */ (node).dataset.i18nPlaceholder ?? '');
  }
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(/** @type {HTMLElement} */ (node).dataset.i18nLabel ?? ''));
  const button = $('#lang');
  if (button) {
    button.textContent = t('switchLang');
    button.lang = lang === 'vi' ? 'en' : 'vi';
    button.setAttribute('aria-label', t('switchLangLabel'));
  }
  for (const fn of languageListeners) fn();
  // Last: a test (or a screen reader) that waits for the new language sees the whole page in it.
  document.documentElement.lang = lang;
}

/** Switches language once the other language's files of every loaded feature are here. */
export async function setLanguage(/** @type {Lang} */ next) {
  if (next === lang) return;
  switching = next;
  try {
    await Promise.all(registered.map((e) => load(e, next)));
  } finally {
    switching = null;
  }
  lang = next;
  useLanguage(next);
  try { localStorage.setItem(LANG_KEY, lang); } catch { /* private mode: this page only */ }
  applyLanguage();
}

/** Wires the #lang button and fills the page (call once the page's strings are loaded). */
export function initLanguage(/** @type {string} */ pageTitleKey = 'title') {
  titleKey = pageTitleKey;
  $('#lang')?.addEventListener('click', () => {
    setLanguage(lang === 'vi' ? 'en' : 'vi').catch((err) => console.warn('language:', err.message));
  });
  applyLanguage();
}

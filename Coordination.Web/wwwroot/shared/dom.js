// @ts-check
// DOM helpers. All API text goes to the page through text nodes (el) or textContent, never parsed as HTML.

/** Unicode NFC (Vietnamese text may arrive decomposed); '' for null. */
export const nfc = (/** @type {unknown} */ s) => (s == null ? '' : String(s).normalize('NFC'));

/**
 * The first element matching a selector (typed loosely: pages know what their ids are).
 * @param {string} sel
 * @returns {any}
 */
export const $ = (sel) => document.querySelector(sel);

/**
 * Builds an element; string children become text nodes (never parsed as HTML). Attributes: `class`, `on<event>`
 * handlers, true → present, null/false → absent.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children  nodes, strings (as text), nested arrays; null, false and '' are skipped
 * @returns {any}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, v);
  }
  for (const c of /** @type {any[]} */ (children).flat(Infinity)) {
    if (c != null && c !== '' && c !== false) node.append(typeof c === 'string' ? nfc(c) : c);
  }
  return node;
}

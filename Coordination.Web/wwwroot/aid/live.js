// @ts-check
// Live updates: the notifications stream (server-sent events), catching up on what was missed, toasts, and a
// refresh of what a notification may have changed.

import { $, el } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { api } from '../shared/api.js';
import { textOf, word } from './words.js';
import { A, hooks } from './state.js';
import { panel, toasts } from './shell.js';
import { openRequest, refresh, setOpen } from './actions.js';

export function setLive(s, state) {
  s.live = state;
  document.body.dataset.live = state;
  const dot = $('#aid-live');
  if (dot) { dot.dataset.state = state; dot.title = word('aidLive', state); $('#aid-live-text').textContent = word('aidLive', state); }
}

export function connect(s) {
  if (A.st !== s) return;
  const es = new EventSource('/api/notifications/stream');
  s.es = es;
  setLive(s, 'connecting');
  es.addEventListener('open', () => { if (A.st === s && s.es === es) { setLive(s, 'open'); catchUp(s); } });
  es.addEventListener('notification', (e) => {
    if (A.st !== s) return;
    let n;
    try { n = JSON.parse(e.data); } catch { return; }
    receive(s, n, true);
  });
  es.addEventListener('error', () => {
    if (A.st !== s || s.es !== es) return;
    if (es.readyState !== EventSource.CLOSED) { setLive(s, 'connecting'); return; }   // the browser reconnects by itself
    // Refused (e.g. the session ended, or the server went away): check, then connect again.
    setLive(s, 'closed');
    clearTimeout(s.retry);
    s.retry = setTimeout(async () => {
      if (A.st !== s) return;
      const ok = await catchUp(s);
      if (A.st === s && ok !== 401) connect(s);
    }, 5000);
  });
}

/** Notifications missed between the list and the stream (or while disconnected). Returns the status. */
export async function catchUp(s) {
  let r;
  try { r = await api(`/api/notifications?after=${s.lastId}`); } catch { return 0; }
  if (A.st !== s) return r.status;
  if (r.ok) for (const n of r.data ?? []) receive(s, n, true);
  return r.status;
}

export function receive(s, n, live) {
  if (!n?.id || s.seen.has(n.id)) return;
  s.seen.add(n.id);
  s.feed.unshift(n);
  s.feed.sort((a, b) => b.id - a.id);
  s.feed.length = Math.min(s.feed.length, 30);
  s.lastId = Math.max(s.lastId, n.id);
  if (n.pledgeId && n.requestId) s.pledgeRequest.set(n.pledgeId, n.requestId);
  if (!live) return;
  toast(n);
  if (panel.hidden) s.unseen++;
  hooks.renderToggle();
  hooks.renderFeed();
  scheduleRefresh(s);
}


export function toast(n) {
  const text = textOf(n);
  const node = el('div', { class: 'toast', role: 'status', 'data-notification': n.id, 'data-kind': n.kind },
    n.requestId
      ? el('button', { type: 'button', class: 'toast-text', onclick: () => { setOpen(true); openRequest(n.requestId, { fly: true }); node.remove(); } }, text)
      : el('span', { class: 'toast-text' }, text),
    el('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => node.remove() }, '×'));
  toasts.append(node);
  while (toasts.children.length > 4) toasts.firstElementChild.remove();
  setTimeout(() => node.remove(), 12000);
}

export function scheduleRefresh(s) {
  clearTimeout(s.refreshTimer);
  s.refreshTimer = setTimeout(() => refresh(s), 150);
}

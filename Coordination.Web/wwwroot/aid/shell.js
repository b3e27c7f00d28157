// @ts-check
// Mutual aid's place in the page: the header button (left of the SMS alerts button), the left-hand panel and the
// toasts, created when the aid modules load (only once someone signs in).

import { $, el } from '../shared/dom.js';
import { hooks } from './state.js';

export const badge = el('span', { id: 'aid-badge', class: 'badge', hidden: true });
export const toggleLabel = el('span', {});
export const toggle = el('button', { id: 'aid-toggle', type: 'button', class: 'bar-button', hidden: true,
  'aria-controls': 'aid', 'aria-expanded': 'false', onclick: () => hooks.setOpen(panel.hidden) }, toggleLabel, badge);
$('#bar').insertBefore(toggle, $('#alerts-toggle') ?? $('#lang'));     // always left of the SMS alerts button
export const headBox = el('div', { class: 'aid-head' });
export const tabsBox = el('div', { id: 'aid-tabs', role: 'tablist' });
export const msgBox = el('div', { id: 'aid-message-box' });
export const bodyBox = el('div', { id: 'aid-body' });
export const feedBox = el('section', { id: 'aid-feed-box' });
export const panel = el('aside', { id: 'aid', hidden: true, 'aria-labelledby': 'aid-title' }, headBox, tabsBox, msgBox, bodyBox, feedBox);
document.body.append(panel);
export const toasts = el('div', { id: 'toasts', 'aria-live': 'polite' });
document.body.append(toasts);

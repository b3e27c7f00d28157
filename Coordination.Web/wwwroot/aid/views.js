// @ts-check
// Mutual aid's panel: tabs, requests, a request's lines, pledges and suggestions, the asks to the commune, the
// command's table, inventory, agreements and the filing form. All API text goes through text nodes (el()).

import { el, nfc } from '../shared/dom.js';
import { t, fmt, lang, locale } from '../shared/i18n.js';
import { dateTime, coordinates, ago } from '../shared/format.js';
import { HAZARDS, S, URGENCIES, aidProblem, amount, day, fieldText, number, ofType, textOf, typeName, unitOf, urgencyRank, word } from './words.js';
import { A, INCOMING_ORDER, PILLARS, filingCommune, isLeader, loadAgreements, loadMatches, mayActFor, nameOf, requestIdOf } from './state.js';
import { helpList } from './help.js';
import { badge, bodyBox, feedBox, headBox, msgBox, panel, tabsBox, toggleLabel } from './shell.js';
import { drawDraft, drawMap } from './layers.js';
import { addLine, ask, call, changeLine, confirmThen, dispatchPledge, leaveRequest, loadTab, movePledge, moveRequest, openRequest, saveInventory, say, setOpen, signAgreement, startFiling, startPicking, stopPicking, submitFiling, chooseHamlet } from './actions.js';

export function renderToggle() {
  toggleLabel.textContent = t('aidToggle');
  const n = A.st?.unseen ?? 0;
  badge.hidden = n === 0;
  badge.textContent = n === 0 ? '' : n > 99 ? '99+' : String(n);
}

/** Rebuilds the panel; the filing form is rebuilt only when forced (so live refreshes do not disturb typing). */
export function render({ force = false } = {}) {
  renderToggle();
  const s = A.st;
  if (!s) return;
  if (panel.hidden) return;
  headBox.replaceChildren(
    el('h2', { id: 'aid-title' }, t('aidTitle')),
    el('span', { id: 'aid-live', 'data-state': s.live, title: word('aidLive', s.live) },
      el('i', { class: 'dot' }), el('span', { id: 'aid-live-text', class: 'sr' }, word('aidLive', s.live))),
    el('button', { type: 'button', class: 'close', id: 'aid-close', 'aria-label': t('close'), onclick: () => setOpen(false) }, '×'));
  const tabs = isLeader() ? ['requests', 'help', 'incoming', 'inventory', 'agreements'] : ['area', 'help'];
  // The command's table needs room for its columns: the panel widens while it is shown.
  panel.dataset.wide = String(s.tab === 'area' && s.requestId == null && !s.filing);
  tabsBox.replaceChildren(...tabs.map((tab) => {
    const pending = tab === 'incoming' ? s.incoming.filter((p) => p.status === 'requested').length : tab === 'help' ? (s.help ?? []).length : 0;
    return el('button', { type: 'button', role: 'tab', id: `aid-tab-${tab}`, 'aria-selected': String(s.tab === tab),
      onclick: () => selectTab(tab) },
    tab === 'area' ? word('aidAreaTitle', s.user.role) : word('aidTabs', tab),
    pending ? el('span', { class: 'badge' }, String(pending)) : null);
  }));
  const confirming = s.confirming;
  msgBox.replaceChildren(...(s.message ? [el('p', { id: 'aid-message', class: s.message.error ? 'form-error' : 'aid-ok',
    role: s.message.error ? 'alert' : 'status' }, s.message.text)] : []),
  ...(confirming ? [el('div', { id: 'aid-confirm', class: 'pick-hint', role: 'alertdialog', 'aria-labelledby': 'aid-confirm-text' },
    el('p', { id: 'aid-confirm-text' }, confirming.text),
    el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'aid-confirm-yes', class: 'primary', onclick: () => { s.confirming = null; confirming.run(); } }, t('aidConfirmYes')),
      el('button', { type: 'button', id: 'aid-confirm-no', onclick: () => { s.confirming = null; render(); } }, t('cancel'))))] : []));
  // A confirmation or an error is seen where it is said (on a phone the sheet may be scrolled down).
  const said = s.message ?? confirming;
  if (said && s.lastSaid !== said) msgBox.scrollIntoView?.({ block: 'nearest' });
  s.lastSaid = said;
  if (!(s.filing && !force && bodyBox.querySelector('#aid-form'))) bodyBox.replaceChildren(panelBody(s));
  renderFeed();
}

export function selectTab(tab) {
  const s = A.st;
  stopPicking();
  s.tab = tab;
  s.filing = null;
  drawDraft();
  if (s.requestId != null) { s.requestId = null; A.ctx.restoreRings(); drawMap(); }
  say(s, null);
  render({ force: true });
  loadTab(s);
}

export function panelBody(s) {
  if (!s.loaded && !s.message) return el('p', { class: 'muted' }, t('loading'));
  if (s.filing) return filingForm(s);
  if (s.requestId != null) return requestDetail(s);
  switch (s.tab) {
    case 'incoming': return incomingList(s);
    case 'help': return helpList(s);
    case 'inventory': return inventoryView(s);
    case 'agreements': return agreementsView(s);
    case 'area': return areaTable(s);
    default: return requestList(s);
  }
}

export function renderFeed() {
  const s = A.st;
  if (!s || panel.hidden) return;
  feedBox.replaceChildren(
    el('h3', {}, t('aidFeed')),
    el('ul', { id: 'aid-feed' }, ...(s.feed.length ? s.feed.slice(0, 8).map((n) => el('li', { 'data-notification': n.id, 'data-kind': n.kind },
      el('time', { datetime: n.createdAt, class: 'muted' }, dateTime(n.createdAt)), ' ', textOf(n)))
      : [el('li', { class: 'muted' }, t('aidNoFeed'))])));
}

export const urgencyBadge = (u) => el('span', { class: `urg urg-${u}` }, word('aidUrgency', u));
export const summary = (r, id) => el('p', { id, class: 'aid-summary', 'data-summary': r.summary }, word('aidSummary', r.summary));

// ---- the leader's requests
export function requestCard(s, r) {
  return el('li', { class: 'aid-request', 'data-request': r.id, 'data-urgency': r.urgency },
    el('div', { class: 'row' },
      el('button', { type: 'button', class: 'link-button inline aid-open', onclick: () => openRequest(r.id, { fly: true }) },
        `${t('aidRequestTitle', r.id)} · ${nfc(r.hamlet)}`),
      urgencyBadge(r.urgency)),
    summary(r, null),
    el('p', { class: 'muted small' }, r.lines.map((l) => cardLine(r, l)).join(' · ')));
}

/** "Thuyền, xuồng: cam kết 5/6, đã đến 5, còn thiếu 1 chiếc" — what arrived and what is missing, not only what was promised. */
export function cardLine(r, l) {
  const parts = [`${S().aidStages.pledged.toLocaleLowerCase(locale())} ${number(l.pledged)}/${amount(l.quantity, l)}`];
  if (l.inTransit > 0) parts.push(`${S().aidStages.inTransit.toLocaleLowerCase(locale())} ${number(l.inTransit)}`);
  if (l.arrived > 0) parts.push(`${S().aidStages.arrived.toLocaleLowerCase(locale())} ${number(l.arrived)}`);
  if (r.status === 'open' && l.missing > 0) parts.push(t('aidOutstanding', amount(l.missing, l)));
  return `${typeName(l)}: ${parts.join(', ')}`;
}

export function requestList(s) {
  const list = s.ownIds.map((id) => s.requests.get(id)).filter(Boolean);
  const open = list.filter((r) => r.status === 'open' || r.status === 'draft');
  const closed = list.filter((r) => !open.includes(r));
  return el('div', {},
    el('div', { class: 'actions' }, el('button', { type: 'button', id: 'aid-new', class: 'primary', onclick: startFiling }, t('aidNew'))),
    el('h3', {}, t('aidOpenRequests')),
    el('ul', { id: 'aid-requests', class: 'aid-list' }, ...(open.length ? open.map((r) => requestCard(s, r))
      : [el('li', { class: 'muted' }, t('aidNoRequests'))])),
    closed.length ? el('details', {}, el('summary', {}, `${t('aidClosedRequests')} (${closed.length})`),
      el('ul', { class: 'aid-list' }, ...closed.map((r) => requestCard(s, r)))) : null);
}

// ---- one request: lines, pledges, suggestions, actions
export function stage(label, level, n, quantity, key) {
  return el('span', { class: `stage lvl-${level}`, 'data-stage': key, 'data-level': level },
    `${label}: ${word('aidLevel', level)} (${number(n)}/${number(quantity)})`);
}

export function pledgeItem(s, r, p) {
  const line = r.lines.find((l) => l.id === p.lineId) ?? A.types.get(p.resourceType);
  const type = A.types.get(p.resourceType);
  const qty = p.quantityAccepted != null ? `${number(p.quantityAccepted)}/${amount(p.quantityRequested, line)}` : amount(p.quantityRequested, line);
  const buttons = [];
  const btn = (action, body) => el('button', { type: 'button', class: `aid-${action}`,
    onclick: () => (action === 'dispatch' ? dispatchPledge(s, p, line, r) : movePledge(p, action, body, line)) }, word('aidPledgeActions', action));
  if (mayActFor(r.communeCode, r.provinceCode)) {
    if (p.status === 'requested' || p.status === 'accepted') buttons.push(btn('cancel'));
    if (p.status === 'dispatched') buttons.push(btn('arrive'));
    if (p.status === 'arrived' && type && !type.returnable) buttons.push(btn('consume'));
  }
  if (mayActFor(p.donorCode, null)) {
    if (p.status === 'requested') buttons.push(btn('accept'), btn('decline'));
    if (p.status === 'accepted') buttons.push(btn('dispatch'));
    if (p.status === 'arrived' && type?.returnable) buttons.push(btn('return'));
  }
  return el('li', { class: 'aid-pledge', 'data-pledge': p.id, 'data-status': p.status, 'data-donor': p.donorCode },
    el('div', { class: 'row' }, el('strong', {}, nfc(p.donorName)), el('span', { class: `pstatus ps-${p.status}` }, word('aidPledgeStatus', p.status))),
    el('p', { class: 'small' }, ofType(qty, line), p.onBehalf ? ` · ${t('aidOnBehalf', nfc(p.requestedByName ?? p.requestedBy))}` : '', p.note ? ` · ${nfc(p.note)}` : ''),
    buttons.length ? el('div', { class: 'actions small' }, ...buttons) : null);
}

export function requestDetail(s) {
  const r = s.requests.get(s.requestId);
  const back = el('button', { type: 'button', id: 'aid-back', class: 'link-button inline', onclick: leaveRequest }, t('aidBack'));
  if (!r) return el('div', {}, back, el('p', { class: 'muted' }, t('loading')));
  const mine = mayActFor(r.communeCode, r.provinceCode);
  const parts = [back,
    el('h3', { id: 'aid-request-title' }, `${t('aidRequestTitle', r.id)} — ${nfc(r.communeName)}`),
    el('p', { class: 'meta' }, urgencyBadge(r.urgency), ' ',
      [word('aidHazard', r.hazard), nfc(r.hamlet), r.neededBy ? t('aidNeededByText', dateTime(r.neededBy)) : null,
        t('aidFiledAgo', ago(r.openedAt ?? r.createdAt))].filter(Boolean).join(' · ')),
    summary(r, 'aid-request-summary')];
  if (r.description) parts.push(el('p', { class: 'aid-description' }, nfc(r.description)));
  if (r.possibleDuplicateOf) parts.push(el('p', { class: 'muted small' }, t('aidDuplicateOf', r.possibleDuplicateOf)));
  if (r.escalatedAt) parts.push(el('p', { id: 'aid-escalated', class: 'aid-flag' }, t('aidEscalated', dateTime(r.escalatedAt), nfc(r.escalatedByName ?? r.escalatedBy))));
  const missing = r.status === 'open' ? r.lines.filter((l) => l.missing > 0) : [];
  if (missing.length) {
    parts.push(el('p', { id: 'aid-request-missing', class: 'aid-flag' },
      t('aidStillMissing', missing.map((l) => ofType(amount(l.missing, l), l)).join(', '))));
  }
  const amendable = mine && (r.status === 'open' || r.status === 'draft');
  parts.push(el('h4', {}, t('aidLinesTitle')),
    el('ul', { id: 'aid-lines', class: 'aid-list' }, ...r.lines.map((l) => lineItem(s, r, l, amendable))));
  if (amendable) parts.push(addLineForm(s, r));
  parts.push(el('h4', {}, t('aidPledgesTitle')),
    el('ul', { id: 'aid-pledges', class: 'aid-list' }, ...(r.pledges.length ? r.pledges.map((p) => pledgeItem(s, r, p))
      : [el('li', { class: 'muted' }, t('aidNoPledges'))])));
  if (mine && r.status === 'open') parts.push(matchesSection(s, r));
  if (mine) {
    const actions = [];
    if (r.status === 'draft') actions.push(el('button', { type: 'button', id: 'aid-open-request', onclick: () => moveRequest(r, 'open') }, t('aidOpenRequest')));
    if (r.status === 'open') actions.push(el('button', { type: 'button', id: 'aid-close-request', onclick: () => moveRequest(r, 'close') }, t('aidCloseRequest')));
    if (r.status === 'open' || r.status === 'draft') actions.push(el('button', { type: 'button', id: 'aid-cancel-request', onclick: () => moveRequest(r, 'cancel') }, t('aidCancelRequest')));
    if (!isLeader() && r.status === 'open' && !r.escalatedAt) {
      actions.push(el('button', { type: 'button', id: 'aid-escalate', class: 'primary',
        onclick: () => confirmThen(s, t('aidConfirmEscalate', r.id, nfc(r.communeName)), () => moveRequest(r, 'escalate')) }, t('aidEscalate')));
    }
    if (actions.length) parts.push(el('div', { class: 'actions wrap' }, ...actions));
  }
  return el('div', { id: 'aid-request', 'data-request': r.id, 'data-status': r.status, 'data-summary': r.summary }, ...parts);
}

/** A line with its stages: what is promised, what is on the road now, what has arrived, what nobody has promised yet. */
export function lineItem(s, r, l, amendable) {
  const editing = amendable && s.lineEdit?.id === l.id;
  const head = [el('strong', {}, typeName(l)), ` — ${amount(l.quantity, l)}`];
  if (editing) {
    const input = el('input', { type: 'number', class: 'aid-line-qty', min: 1, step: 1, inputmode: 'numeric', value: s.lineEdit.value,
      'aria-label': t('aidQty') });
    input.addEventListener('input', () => { s.lineEdit.value = input.value; });
    head.push(el('div', { class: 'actions small' }, input,
      el('button', { type: 'button', class: 'aid-save-line primary', onclick: () => changeLine(s, r, l, s.lineEdit.value) }, t('save')),
      el('button', { type: 'button', class: 'aid-cancel-line', onclick: () => { s.lineEdit = null; render(); } }, t('cancel'))));
  } else if (amendable) {
    head.push(' ', el('button', { type: 'button', class: 'link-button inline aid-edit-line',
      onclick: () => { s.lineEdit = { id: l.id, value: String(l.quantity) }; render(); } }, t('aidEditLine')));
  }
  return el('li', { 'data-line': l.id, 'data-type': l.resourceType, 'data-pledged': l.pledgedStatus, 'data-missing': l.missing }, ...head,
    el('div', { class: 'stages' },
      stage(S().aidStages.pledged, l.pledgedStatus, l.pledged, l.quantity, 'pledged'),
      l.inTransit > 0 ? stage(S().aidStages.inTransit, l.inTransitStatus, l.inTransit, l.quantity, 'inTransit') : null,
      stage(S().aidStages.arrived, l.arrivedStatus, l.arrived, l.quantity, 'arrived'),
      l.asked ? el('span', { class: 'stage muted' }, t('aidAwaiting', amount(l.asked, l))) : null));
}

export function addLineForm(s, r) {
  const f = s.newLine?.request === r.id ? s.newLine : (s.newLine = { request: r.id, type: '', qty: '' });
  const used = new Set(r.lines.map((l) => l.resourceType));
  const type = el('select', { id: 'aid-new-line-type', 'aria-label': t('aidType') },
    ...typeOptions(f.type).map((o) => { if (o.tagName === 'OPTGROUP') for (const x of [...o.children]) if (used.has(x.value)) x.remove(); return o; }));
  type.addEventListener('change', () => { f.type = type.value; });
  const qty = el('input', { id: 'aid-new-line-qty', type: 'number', min: 1, step: 1, inputmode: 'numeric', value: f.qty, 'aria-label': t('aidQty') });
  qty.addEventListener('input', () => { f.qty = qty.value; });
  return el('div', { id: 'aid-add-line-form', class: 'aid-line' }, type, qty,
    el('button', { type: 'button', id: 'aid-add-line-submit', onclick: () => addLine(s, r, f) }, t('aidAddToRequest')));
}

export function matchesSection(s, r) {
  const m = s.matches.get(r.id);
  const section = el('section', { id: 'aid-matches' },
    el('div', { class: 'row' }, el('h4', {}, t('aidSuggestions')),
      el('button', { type: 'button', id: 'aid-refresh-matches', class: 'link-button inline',
        onclick: async () => { await loadMatches(s, r.id); render(); } }, t('aidRefreshMatches'))));
  if (!isLeader()) {
    const box = el('input', { type: 'checkbox', id: 'aid-include-affected', checked: s.includeAffected });
    box.addEventListener('change', async () => { s.includeAffected = box.checked; await loadMatches(s, r.id); render(); });
    section.append(el('label', { class: 'check' }, box, ' ', t('aidIncludeAffected')));
  }
  if (!m) { section.append(el('p', { class: 'muted' }, t('loading'))); return section; }
  if (m.error) { section.append(el('p', { class: 'form-error' }, m.error)); return section; }
  for (const lm of m.list) {
    const line = r.lines.find((l) => l.id === lm.lineId) ?? A.types.get(lm.resourceType);
    const rows = lm.outstanding > 0 ? lm.suggestions.map((x) => {
      const qty = x.suggestedQuantity > 0 ? x.suggestedQuantity : Math.min(x.available, lm.outstanding);
      return el('li', { class: 'aid-suggestion', 'data-donor': x.donorCode, 'data-tier': x.tier, 'data-affected': String(x.affected) },
        el('div', {}, el('span', { class: `tier tier-${x.tier}` }, word('aidTiers', x.tier)), ' ', el('strong', {}, nfc(x.donorName))),
        el('p', { class: 'reason small' }, nfc(lang === 'vi' ? x.reasonVi : x.reasonEn)),
        qty > 0 ? el('button', { type: 'button', class: 'aid-ask', onclick: (e) => { e.currentTarget.disabled = true; ask(r, line, x, qty); } },
          fmt(x.affected ? S().aidAskAnyway : S().aidAsk, amount(qty, line))) : null);
    }) : [];
    section.append(el('div', { class: 'aid-match', 'data-line': lm.lineId },
      el('h5', {}, typeName(line), ' — ', lm.outstanding > 0 ? t('aidOutstanding', amount(lm.outstanding, line)) : t('aidCovered')),
      lm.outstanding > 0 ? (rows.length ? el('ol', { class: 'aid-suggestions' }, ...rows) : el('p', { class: 'muted small' }, t('aidNoSuggestions'))) : null,
      lm.excluded.length ? el('p', { class: 'muted small aid-excluded' }, t('aidExcluded',
        lm.excluded.map((x) => `${nfc(x.donorName)} (${nfc(lang === 'vi' ? x.reasonVi.split(' · ').pop() : x.reasonEn.split(' · ').pop())})`).join('; '))) : null));
  }
  return section;
}

// ---- asks addressed to the leader's commune
export function incomingList(s) {
  if (!s.incoming.length) return el('p', { id: 'aid-incoming-none', class: 'muted' }, t('aidIncomingNone'));
  const out = el('div', { id: 'aid-incoming' });
  for (const status of INCOMING_ORDER) {
    const list = s.incoming.filter((p) => p.status === status);
    if (!list.length) continue;
    out.append(el('h3', {}, word('aidIncomingGroups', status)),
      el('ul', { class: 'aid-list' }, ...list.map((p) => incomingItem(s, p))));
  }
  return out;
}

export function incomingItem(s, p) {
  const r = s.requests.get(requestIdOf(s, p));
  const line = r?.lines.find((l) => l.id === p.lineId) ?? A.types.get(p.resourceType);
  const type = A.types.get(p.resourceType);
  const actions = [];
  if (p.status === 'requested') {
    const input = el('input', { type: 'number', class: 'aid-accept-qty', min: 1, max: p.quantityRequested, step: 1, inputmode: 'numeric',
      value: s.acceptQty.get(p.id) ?? p.quantityRequested, 'aria-label': t('aidAcceptQty') });
    input.addEventListener('input', () => s.acceptQty.set(p.id, input.value));
    actions.push(el('label', { class: 'qty' }, t('aidAcceptQty'), ' ', input),
      el('button', { type: 'button', class: 'aid-accept primary', onclick: () => {
        // A bad entry is refused here in words; it never becomes "all that was asked".
        const raw = String(input.value).trim();
        const q = /^\d+$/.test(raw) ? Number(raw) : NaN;
        if (!(q >= 1 && q <= p.quantityRequested)) {
          say(s, fmt(S().aidAcceptInvalid, amount(p.quantityRequested, line)), true);
          render();
          return;
        }
        movePledge(p, 'accept', { quantity: q }, line);
      } }, word('aidPledgeActions', 'accept')),
      el('button', { type: 'button', class: 'aid-decline', onclick: () => movePledge(p, 'decline', {}, line) }, word('aidPledgeActions', 'decline')));
  } else if (p.status === 'accepted') {
    actions.push(el('button', { type: 'button', class: 'aid-dispatch primary', onclick: () => dispatchPledge(s, p, line, r) }, word('aidPledgeActions', 'dispatch')));
  } else if (p.status === 'arrived' && type?.returnable) {
    actions.push(el('button', { type: 'button', class: 'aid-return', onclick: () => movePledge(p, 'return', {}, line) }, word('aidPledgeActions', 'return')));
  }
  const qty = p.quantityAccepted != null ? `${number(p.quantityAccepted)}/${amount(p.quantityRequested, line)}` : amount(p.quantityRequested, line);
  return el('li', { class: 'aid-incoming', 'data-pledge': p.id, 'data-status': p.status, 'data-request': r?.id ?? '' },
    el('p', {}, el('strong', {}, t('aidIncomingAsk', r ? nfc(r.communeName) : '…', qty, typeName(line)))),
    el('p', { class: 'muted small' },
      r ? el('button', { type: 'button', class: 'link-button inline', onclick: () => openRequest(r.id, { fly: true }) },
        t('aidIncomingFor', nfc(r.hamlet), word('aidUrgency', r.urgency), r.id)) : null,
      ` · ${ago(p.createdAt)}`, p.note ? ` · ${nfc(p.note)}` : ''),
    actions.length ? el('div', { class: 'actions wrap small' }, ...actions) : null);
}

// ---- the command's screen: every open request of the area, most urgent and oldest first
export function areaTable(s) {
  const list = s.listIds.map((id) => s.requests.get(id)).filter((r) => r && r.status === 'open')
    .sort((a, b) => urgencyRank(a.urgency) - urgencyRank(b.urgency)
      || new Date(a.openedAt ?? a.createdAt).getTime() - new Date(b.openedAt ?? b.createdAt).getTime() || a.id - b.id);
  if (!list.length) return el('p', { id: 'aid-area-none', class: 'muted' }, t('aidNoRequests'));
  const lifeThreatening = list.filter((r) => r.urgency === 'life_threatening').length;
  const count = el('p', { id: 'aid-area-count', class: 'aid-flag' }, t('aidAreaCount', list.length),
    lifeThreatening ? ` · ${t('aidAreaLifeThreatening', lifeThreatening)}` : '');
  const head = ['aidColUrgency', 'aidColCommune', 'aidColHamlet', 'aidColUnmet', 'aidColAge', 'aidColStatus'].map((k) => el('th', { scope: 'col' }, t(k)));
  return el('div', {}, count, el('div', { class: 'table-wrap' }, el('table', { id: 'aid-area' },
    el('thead', {}, el('tr', {}, ...head)),
    el('tbody', {}, ...list.map((r) => {
      const unmet = r.lines.filter((l) => l.quantity > l.pledged).map((l) => `${amount(l.quantity - l.pledged, l)} ${typeName(l).toLocaleLowerCase(locale())}`);
      const row = el('tr', { 'data-request': r.id, 'data-urgency': r.urgency, tabindex: 0, onclick: () => openRequest(r.id, { fly: true }),
        onkeydown: (e) => { if (e.key === 'Enter') openRequest(r.id, { fly: true }); } },
      el('td', {}, urgencyBadge(r.urgency)),
      el('td', {}, nfc(r.communeName)),
      el('td', {}, nfc(r.hamlet)),
      el('td', { class: 'unmet' }, unmet.length ? unmet.join(', ') : t('aidNothingUnmet')),
      el('td', {}, ago(r.openedAt ?? r.createdAt)),
      el('td', {}, word('aidSummary', r.summary), r.escalatedAt ? ' ↑' : ''));
      return row;
    })))));
}

// ---- inventory
export function typeOptions(selected, { blank = true } = {}) {
  const groups = PILLARS.map((pillar) => el('optgroup', { label: word('aidPillars', pillar) },
    ...[...A.types.values()].filter((x) => x.pillar === pillar).map((x) =>
      el('option', { value: x.code, selected: x.code === selected }, `${typeName(x)} (${unitOf(x)})`))));
  return [blank ? el('option', { value: '' }, t('aidChooseType')) : null, ...groups].filter(Boolean);
}

export function inventoryView(s) {
  if (!s.inventory) return el('p', { class: 'muted' }, t('loading'));
  const rows = [];
  for (const pillar of PILLARS) {
    rows.push(el('tr', { class: 'pillar' }, el('th', { colspan: 5, scope: 'rowgroup' }, word('aidPillars', pillar))));
    for (const x of [...A.types.values()].filter((y) => y.pillar === pillar)) {
      const item = s.inventory.get(x.code);
      const input = el('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', class: 'aid-onhand', 'aria-label': `${t('aidOnHand')}: ${typeName(x)}`,
        value: s.inventoryEdits.get(x.code) ?? item?.onHand ?? 0 });
      input.addEventListener('input', () => s.inventoryEdits.set(x.code, input.value));
      const save = el('button', { type: 'button', class: 'aid-save-row', onclick: () => saveInventory(s, x, input.value) }, t('save'));
      rows.push(el('tr', { 'data-type': x.code },
        el('th', { scope: 'row' }, typeName(x), el('span', { class: 'muted small' }, ` (${unitOf(x)})`)),
        el('td', {}, input),
        el('td', { class: 'num reserved' }, number(item?.reserved ?? 0)),
        el('td', { class: 'num available' }, number(item?.available ?? 0)),
        el('td', {}, save)));
    }
  }
  return el('div', {}, el('h3', {}, t('aidInventoryTitle')),
    el('div', { class: 'table-wrap' }, el('table', { id: 'aid-inventory' },
      el('thead', {}, el('tr', {}, el('th', {}, t('aidType')), el('th', {}, t('aidOnHand')), el('th', {}, t('aidReserved')),
        el('th', {}, t('aidAvailable')), el('th', {}))),
      el('tbody', {}, ...rows))));
}

export function agreementsView(s) {
  if (!s.agreements) return el('p', { class: 'muted' }, t('loading'));
  const own = s.commune;
  const list = el('ul', { id: 'aid-agreements', class: 'aid-list' }, ...(s.agreements.length ? s.agreements.map((a) => {
    const side = a.communeA === own ? 'a' : a.communeB === own ? 'b' : null;
    const signedOwn = side === 'a' ? a.signedABy : side === 'b' ? a.signedBBy : true;
    const sig = (code, by, name) => (by ? t('aidSignedBy', nameOf(code), nfc(name ?? by)) : t('aidNotSigned', nameOf(code)));
    return el('li', { 'data-agreement': a.id, 'data-active': String(a.active) },
      el('div', { class: 'row' }, el('strong', {}, t('aidAgreementTitle', a.id, nameOf(a.communeA), nameOf(a.communeB))),
        el('span', { class: a.active ? 'pstatus ps-accepted' : 'pstatus' }, a.active ? t('aidActive') : t('aidNotActive'))),
      el('p', { class: 'small muted' }, a.validTo ? t('aidValidityTo', day(a.validFrom), day(a.validTo)) : t('aidValidity', day(a.validFrom)),
        ' · ', sig(a.communeA, a.signedABy, a.signedAByName), ' · ', sig(a.communeB, a.signedBBy, a.signedBByName)),
      el('ul', { class: 'small' }, ...a.lines.map((l) => {
        const x = A.types.get(l.resourceType);
        return el('li', {}, t('aidLends', nameOf(l.lenderCode), ofType(amount(l.maxQuantity, x), x)));
      })),
      side && !signedOwn ? el('div', { class: 'actions small' }, el('button', { type: 'button', class: 'aid-sign primary',
        onclick: () => signAgreement(s, a, side) }, t('aidSign', nameOf(own)))) : null);
  }) : [el('li', { class: 'muted' }, t('aidNoAgreements'))]));
  return el('div', {}, el('h3', {}, t('aidAgreementsTitle')), list, agreementForm(s));
}

export function agreementForm(s) {
  const f = s.agreementForm ??= { partner: '', lender: 'partner', type: '', max: '', contactOwn: '', contactPartner: '', validFrom: '', validTo: '', errors: null };
  const bind = (node, key) => { node.addEventListener('input', () => { f[key] = node.value; }); node.addEventListener('change', () => { f[key] = node.value; }); return node; };
  const partner = bind(el('select', { id: 'aid-ag-partner', name: 'partner' }, el('option', { value: '' }, '—'),
    ...(s.ring1 ?? []).map((n) => el('option', { value: n.code, selected: n.code === f.partner }, nfc(n.name)))), 'partner');
  const lender = bind(el('select', { id: 'aid-ag-lender' },
    el('option', { value: 'partner', selected: f.lender === 'partner' }, t('aidPartner')),
    el('option', { value: 'own', selected: f.lender === 'own' }, nameOf(s.commune))), 'lender');
  const type = bind(el('select', { id: 'aid-ag-type' }, ...typeOptions(f.type)), 'type');
  const max = bind(el('input', { id: 'aid-ag-max', type: 'number', min: 1, step: 1, value: f.max }), 'max');
  const field = (id, label, control) => [el('label', { for: id }, label), control];
  const form = el('form', { id: 'aid-agreement-form', class: 'stack card' },
    el('h4', {}, t('aidPropose')),
    ...field('aid-ag-partner', t('aidPartner'), partner),
    ...field('aid-ag-lender', t('aidLender'), lender),
    ...field('aid-ag-type', t('aidType'), type),
    ...field('aid-ag-max', t('aidMaxQty'), max),
    ...field('aid-ag-contact-own', t('aidContactOwn'), bind(el('input', { id: 'aid-ag-contact-own', maxlength: 200, value: f.contactOwn }), 'contactOwn')),
    ...field('aid-ag-contact-partner', t('aidContactPartner'), bind(el('input', { id: 'aid-ag-contact-partner', maxlength: 200, value: f.contactPartner }), 'contactPartner')),
    ...field('aid-ag-from', t('aidValidFrom'), bind(el('input', { id: 'aid-ag-from', type: 'date', value: f.validFrom }), 'validFrom')),
    ...field('aid-ag-to', t('aidValidTo'), bind(el('input', { id: 'aid-ag-to', type: 'date', value: f.validTo }), 'validTo')),
    f.errors ? el('p', { class: 'form-error', role: 'alert' }, f.errors) : null,
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'aid-ag-submit' }, t('aidProposeSubmit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    f.errors = null;
    const missing = [!f.partner && t('aidNeedPartner'), !f.type && t('aidNeedType'), !/^\d+$/.test(String(f.max).trim()) && t('aidNeedMax')].filter(Boolean);
    if (missing.length) { f.errors = missing.join(' '); render(); return; }
    const res = await call('/api/agreements', {
      communeA: s.commune, communeB: f.partner, contactA: f.contactOwn.trim() || null, contactB: f.contactPartner.trim() || null,
      validFrom: f.validFrom || null, validTo: f.validTo || null,
      lines: [{ lenderCode: f.lender === 'own' ? s.commune : f.partner, resourceType: f.type || null, maxQuantity: /^\d+$/.test(f.max) ? Number(f.max) : null }],
    });
    if (A.st !== s) return;
    if (res.ok) {
      s.agreementForm = null;
      say(s, t('aidProposed', res.data.id));
      await loadAgreements(s).catch(() => {});
    } else f.errors = aidProblem(res);
    render();
  });
  return form;
}

// ---- the filing form
/** The commune's registered hamlets as a list: choosing one sets the name and the point. */
function hamletPicker(f) {
  if (!f.registry?.length) return [];
  const select = el('select', { id: 'aid-hamlet-pick' },
    el('option', { value: '' }, t('aidHamletChoose')),
    ...f.registry.map((h) => el('option', { value: h.id, selected: h.id === f.hamletId }, nfc(h.properties.name))));
  select.addEventListener('change', () => chooseHamlet(f.registry.find((h) => String(h.id) === select.value) ?? null));
  return [el('label', { for: 'aid-hamlet-pick' }, t('aidHamletRegistry')), select];
}

/** The hamlet's name as text: typing another name leaves the registry's hamlet (free text, e.g. one not yet registered). */
function hamletText(f, invalid) {
  const input = el('input', { id: 'aid-hamlet', maxlength: 100, autocomplete: 'off', value: f.hamlet, 'aria-invalid': invalid });
  input.addEventListener('input', () => {
    f.hamlet = input.value;
    const chosen = f.registry?.find((h) => h.id === f.hamletId);
    if (chosen && nfc(chosen.properties.name) !== input.value.normalize('NFC').trim()) {
      f.hamletId = null;
      const pick = /** @type {HTMLSelectElement | null} */ (document.querySelector('#aid-hamlet-pick'));
      if (pick) pick.value = '';
    }
  });
  return input;
}

export function filingForm(s) {
  const f = s.filing;
  const errors = f.errors ?? {};
  const used = new Set();
  const fe = (key) => {
    const list = Object.keys(errors).filter((k) => k.toLowerCase() === key.toLowerCase());
    list.forEach((k) => used.add(k));
    return list.map((k) => el('p', { class: 'field-error form-error', 'data-field': k }, f.local?.[k] ?? fieldText(k, errors[k])));
  };
  const invalid = (key) => (Object.keys(errors).some((k) => k.toLowerCase() === key.toLowerCase()) ? 'true' : null);
  const bind = (node, key) => { node.addEventListener('input', () => { f[key] = node.value; }); node.addEventListener('change', () => { f[key] = node.value; }); return node; };
  const field = (id, label, control, key) => [el('label', { for: id }, label), control, ...fe(key)];

  const point = el('p', { id: 'aid-point', class: f.lon != null ? 'aid-ok' : 'muted', 'data-set': String(f.lon != null) },
    f.lon != null ? t('aidPointSet', coordinates(f.lat, f.lon)) : t('aidNoPoint'));
  const pick = el('button', { type: 'button', id: 'aid-pick', class: 'link-button inline', 'aria-invalid': invalid('location'),
    onclick: () => (s.picking ? (stopPicking(), render({ force: true })) : startPicking()) }, s.picking ? t('cancel') : t('aidPick'));

  const lines = f.lines.map((l, i) => {
    const type = el('select', { name: 'resourceType', 'aria-label': t('aidType'), 'aria-invalid': invalid(`lines[${i}].resourceType`) }, ...typeOptions(l.type));
    type.addEventListener('change', () => { l.type = type.value; });
    const qty = el('input', { name: 'quantity', type: 'number', min: 1, step: 1, inputmode: 'numeric', value: l.qty, 'aria-label': t('aidQty'),
      'aria-invalid': invalid(`lines[${i}].quantity`) });
    qty.addEventListener('input', () => { l.qty = qty.value; });
    return el('div', { class: 'aid-line', 'data-index': i }, type, qty,
      f.lines.length > 1 ? el('button', { type: 'button', class: 'remove', 'aria-label': t('aidRemoveLine'), title: t('aidRemoveLine'),
        onclick: () => { f.lines.splice(i, 1); f.errors = {}; render({ force: true }); } }, '×') : null,
      ...fe(`lines[${i}].resourceType`), ...fe(`lines[${i}].quantity`));
  });

  const form = el('form', { id: 'aid-form', class: 'stack', novalidate: true },
    el('h3', {}, f.helpReportId ? fmt(S().helpConvertTitle, f.helpReportId) : t('aidFileTitle'), ' — ', nameOf(filingCommune(s))),
    el('label', {}, t('aidPoint')), point,
    el('div', { class: 'row' }, pick),
    s.picking ? el('p', { id: 'aid-pick-hint', class: 'pick-hint', role: 'status' }, fmt(S().aidPicking, nameOf(filingCommune(s)))) : null,
    f.pickError ? el('p', { id: 'aid-pick-error', class: 'form-error', role: 'alert' }, f.pickError) : null,
    ...fe('location'),
    ...hamletPicker(f),
    ...field('aid-hamlet', t('aidHamlet'), hamletText(f, invalid('hamlet')), 'hamlet'),
    ...field('aid-hazard', t('aidHazardLabel'), bind(el('select', { id: 'aid-hazard', 'aria-invalid': invalid('hazard') },
      ...HAZARDS.map((h) => el('option', { value: h, selected: h === f.hazard }, word('aidHazard', h)))), 'hazard'), 'hazard'),
    ...field('aid-urgency', t('aidUrgencyLabel'), bind(el('select', { id: 'aid-urgency', 'aria-invalid': invalid('urgency') },
      ...URGENCIES.map((u) => el('option', { value: u, selected: u === f.urgency }, word('aidUrgency', u)))), 'urgency'), 'urgency'),
    ...field('aid-needed-by', t('aidNeededBy'), bind(el('input', { id: 'aid-needed-by', type: 'datetime-local', value: f.neededBy, 'aria-invalid': invalid('neededBy') }), 'neededBy'), 'neededBy'),
    ...field('aid-description', t('aidDescription'), bind(el('textarea', { id: 'aid-description', rows: 3, maxlength: 2000, 'aria-invalid': invalid('description') }), 'description'), 'description'),
    el('fieldset', { id: 'aid-lines-input' }, el('legend', {}, t('aidLinesTitle')), ...lines,
      el('button', { type: 'button', id: 'aid-add-line', class: 'link-button inline',
        onclick: () => { f.lines.push({ type: '', qty: '' }); render({ force: true }); } }, t('aidAddLine')),
      ...fe('lines')));
  form.querySelector('#aid-description').value = f.description;
  const rest = Object.keys(errors).filter((k) => !used.has(k));
  if (rest.length || f.error) {
    form.append(el('p', { id: 'aid-form-error', class: 'form-error', role: 'alert' },
      [f.error, ...rest.map((k) => fieldText(k, errors[k]))].filter(Boolean).join(' ')));
  }
  if (f.duplicateOf != null) {
    form.append(el('div', { id: 'aid-duplicate', class: 'pick-hint', role: 'alert', tabindex: -1 },
      el('p', {}, t('aidDuplicate', f.duplicateOf || '?')),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'aid-confirm-duplicate', onclick: () => { f.duplicateOf = null; submitFiling(true); } }, t('aidDuplicateConfirm')),
        f.duplicateOf ? el('button', { type: 'button', id: 'aid-amend-duplicate', class: 'primary', onclick: () => openRequest(f.duplicateOf, { fly: true }) },
          t('aidAmendInstead', f.duplicateOf)) : null)));
  }
  form.append(el('div', { class: 'actions' },
    el('button', { type: 'submit', id: 'aid-submit', disabled: f.sending }, f.sending ? t('aidSending') : t('aidSubmit')),
    el('button', { type: 'button', id: 'aid-cancel-form', onclick: () => { stopPicking(); s.filing = null; drawDraft(); render({ force: true }); } }, t('cancel'))));
  form.addEventListener('submit', (e) => { e.preventDefault(); submitFiling(false); });
  return form;
}

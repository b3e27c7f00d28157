// @ts-check
// Which communes the signed-in user acts for, by the API's rules (README "Who may do what"): a commune leader for
// its commune, a commander for the communes of its defense area, an operator for its province, an administrator for
// all. The web offers an action only where the API would allow it; the API still decides.

import { getJson } from './api.js';
import { session } from './session.js';

/** @type {{ id: string, codes: Set<string> } | null} a commander's defense area, once loaded */
let area = null;
let areaToken = 0;
/** @type {(() => void)[]} */
const listeners = [];

/** fn() once the user's communes are known (a commander's area arrives after sign-in). */
export const onScope = (/** @type {() => void} */ fn) => { listeners.push(fn); };

session.onChange(async (user) => {
  const token = ++areaToken;
  area = null;
  if (user?.role === 'defense_commander' && user.scope?.kind === 'defense_area' && user.scope.code) {
    try {
      const a = await getJson(`/api/defense-areas/${encodeURIComponent(user.scope.code)}`);
      if (token !== areaToken) return;
      area = { id: String(a.id), codes: new Set(a.communes) };
    } catch (err) { console.warn('defense area:', /** @type {Error} */ (err).message); return; }
  }
  for (const fn of listeners) fn();
});

/** Whether the signed-in user acts for the commune (provinceCode: the commune's province, for an operator). */
/** @param {string | number | null | undefined} code @param {string | number | null} [provinceCode] */
export function actsFor(code, provinceCode) {
  const user = session.user;
  if (!user || code == null) return false;
  const scope = user.scope;
  switch (user.role) {
    case 'admin': return true;
    case 'commune_leader': return scope?.kind === 'commune' && scope.code === String(code);
    case 'defense_commander': return area != null && area.codes.has(String(code));
    case 'province_operator': return scope?.kind === 'province' && provinceCode != null && scope.code === String(provinceCode);
    default: return false;
  }
}

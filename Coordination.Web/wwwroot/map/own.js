// @ts-check
// The signed-in user's own area: outlined on the map (feature-state `own`, legend #legend-own); on sign-in, and
// on a restored session with nothing open, the map goes there.

import { $ } from '../shared/dom.js';
import { getJson } from '../shared/api.js';
import { keepTiles } from '../shared/offline.js';
import { mapReady, setOwn, bounds, fitBox, provinceBounds, codeOf, FONT, GLYPHS } from './view.js';

/** @type {string[]} */
let ownCodes = [];
let ownToken = 0;

/** The communes outlined as the user's own. */
export const ownArea = () => [...ownCodes];

/**
 * Outlines the user's communes; goes there on sign-in, or on restore when `idle()` (nothing selected).
 * @param {import('../shared/session.js').User | null} user
 * @param {{ restored: boolean }} how
 * @param {{ idle: () => boolean, select: (code: string) => void }} page
 */
export async function showOwnArea(user, { restored }, page) {
  const token = ++ownToken;
  await mapReady;
  setOwn(ownCodes, []);
  ownCodes = [];
  $('#legend-own').hidden = true;
  const scope = user?.scope;
  if (!scope?.code) return;
  const go = !restored || page.idle();
  try {
    if (scope.kind === 'commune') {
      markOwn([scope.code]);
      if (go) page.select(scope.code);
    } else if (scope.kind === 'defense_area') {
      const area = await getJson(`/api/defense-areas/${encodeURIComponent(scope.code)}`);
      if (token !== ownToken) return;
      markOwn(area.communes);
      if (go) {
        const features = await Promise.all(area.communes.map((/** @type {string} */ c) => getJson(`/api/communes/${encodeURIComponent(c)}`)));
        if (token === ownToken) fitBox(bounds(features.map((f) => f.geometry)));
      }
    } else if (scope.kind === 'province' && go) {
      const communes = await getJson(`/api/communes?province=${encodeURIComponent(scope.code)}&limit=5000`);
      if (token !== ownToken) return;
      fitBox(await provinceBounds(communes.map((/** @type {{ code: string }} */ c) => Number(c.code))));
    }
  } catch (err) {
    console.warn('own area:', /** @type {Error} */ (err).message);
  }
}

/** The tiles of the user's own communes and their ring 1, zoom 8 to 14, kept by the service worker for offline use. */
async function keepOwnTiles(/** @type {string[]} */ codes) {
  try {
    if (!navigator.serviceWorker) return;
    const box = await getJson(`/api/communes/extent?rings=1&codes=${codes.map(encodeURIComponent).join(',')}`);
    // the glyph ranges of Vietnamese names (Latin, Latin Extended, Latin Extended Additional), so labels draw offline
    const glyphs = [...FONT.regular, ...FONT.bold].flatMap((font) => ['0-255', '256-511', '768-1023', '7680-7935', '8192-8447']
      .map((range) => GLYPHS.replace('{fontstack}', encodeURIComponent(font)).replace('{range}', range)));
    keepTiles(box, glyphs);
  } catch (err) { console.warn('offline tiles:', /** @type {Error} */ (err).message); }
}

function markOwn(/** @type {string[]} */ codes) {
  keepOwnTiles(codes);
  const next = codes.map(codeOf);
  setOwn(ownCodes, next);
  ownCodes = next;
  $('#legend-own').hidden = ownCodes.length === 0;
}

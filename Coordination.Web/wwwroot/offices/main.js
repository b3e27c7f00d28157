// @ts-check
// Offices, hazard zones and active floods on the map (layer.js), the office panel with shelters (panel.js) and the
// floods a commune declares and closes (floods.js): loaded for everyone once the map library has arrived, as the
// layers are public. The entry of the feature: its strings and problem texts, and the wiring of the three parts.

import { useStrings, useProblems } from '../shared/i18n.js';
import { session } from '../shared/session.js';
import { initLayers } from './layer.js';
import { initPanel } from './panel.js';
import { initSeats } from './seats.js';

export { initFloods } from './floods.js';

export const OFFICES_STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
const OFFICES_PROBLEMS = { vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url) };

/** Loads the strings of offices and floods (before the page renders). */
export const loadOfficesStrings = () => useStrings(OFFICES_STRINGS);
// Only a signed-in user changes offices or floods, so only then can the API refuse something: their problem texts
// come with the sign-in (an anonymous visitor never downloads them).
const loadProblems = () => useProblems(OFFICES_PROBLEMS).catch((err) => console.warn('offices problems:', err.message));
session.onChange((user) => { if (user) loadProblems(); });
if (session.user) loadProblems();   // this module arrives after the map library: the user may have signed in already

/**
 * Wires the three layers, their toggles and the office panel into the map page.
 * @param {{ map: any, mapReady: Promise<unknown>, config?: any, fitPoints: (points: number[][]) => void,
 *   flyToPoint: (point: number[]) => void, selectCommune: (code: string) => void, leaveCommune: () => void,
 *   leaveFlood?: () => void }} ctx
 */
export function initOffices(ctx) {
  /** @type {ReturnType<typeof initPanel> | null} */
  let panel = null;
  const layers = initLayers(ctx, { keepOffices: () => panel?.keepOffices() ?? false, crosshair: () => panel?.crosshair() ?? false });
  const p = panel = initPanel(ctx, layers);
  initSeats({ map: ctx.map, mapReady: ctx.mapReady, basemap: Boolean(ctx.config?.basemapStyleUrl) }).catch((err) => console.warn('seats:', err.message));

  /** After a flood was declared or closed: the layer again, and the offices too when an extent changed their exposure. */
  function floodsChanged({ exposure = false } = {}) {
    if (layers.on.floods) layers.loadFloods(); else layers.setLayer('floods', true);   // a declared flood is shown at once
    if (exposure) {
      layers.offices.reset();
      if (layers.on.offices) layers.offices.ensure();
      p.refresh();
    }
  }

  return {
    open: p.open, close: p.close, handleClick: p.handleClick, setLayer: layers.setLayer, openFromUrl: p.openFromUrl,
    showCommuneOffices: p.showCommuneOffices, hideCommuneOffices: p.hideCommuneOffices, floodsChanged,
    render() { p.render(); layers.renderLegend(); p.renderCommuneOffices(); },
    get current() { return p.current; },
    get picking() { return p.picking; },
    get placing() { return p.placing; },
    get layers() { return { ...layers.on }; },
    loaded: () => ({ offices: layers.offices.cache.size, zones: layers.zones.cache.size, floods: layers.floods.list.length }),
  };
}

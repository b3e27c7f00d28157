// @ts-check
// The web map page (index.html): communes from vector tiles, the commune panel, search by name; offices, hazard
// zones and active floods (offices/, once MapLibre has arrived); hamlets (lazy); mutual aid and SMS alerts, loaded only once someone signs in
// (an anonymous visitor downloads neither their code nor their strings). Native ES modules, no bundler: the web
// host fingerprints every import (StaticAssets). All API text goes to the page through textContent only.

import { useStrings, useProblems, initLanguage, onLanguage, lang, SHARED_STRINGS, SHARED_PROBLEMS } from '../shared/i18n.js';
import { getJson } from '../shared/api.js';
import { session, restoreSession, mountAuth } from '../shared/session.js';
import { map, mapCreated, mapReady, config, bounds, fitBox, fitPoints, flyToPoint, paintSelection, onMapClick, onCommuneClick, codeOf } from './view.js';
import { initSearch, renderSearch } from './search.js';
import { showOwnArea, ownArea } from './own.js';
import { initOffline, onReplayed } from '../shared/offline.js';
import { select, clearSelection, leaveCommune, renderPanel, selected, setPanelHooks } from '../communes/panel.js';
import { renderContact, stopEditing } from '../communes/contact.js';

const MAP_STRINGS = { vi: new URL('./strings.vi.json', import.meta.url), en: new URL('./strings.en.json', import.meta.url) };
const COMMUNE_STRINGS = { vi: new URL('../communes/strings.vi.json', import.meta.url), en: new URL('../communes/strings.en.json', import.meta.url) };

const MAP_PROBLEMS = { vi: new URL('./problems.vi.json', import.meta.url), en: new URL('./problems.en.json', import.meta.url) };
const COMMUNE_PROBLEMS = { vi: new URL('../communes/problems.vi.json', import.meta.url), en: new URL('../communes/problems.en.json', import.meta.url) };

await Promise.all([
  ...[SHARED_STRINGS, MAP_STRINGS, COMMUNE_STRINGS].map((s) => useStrings(s)),
  ...[SHARED_PROBLEMS, MAP_PROBLEMS, COMMUNE_PROBLEMS].map((s) => useProblems(s)),
]);

const selectAndFly = (/** @type {string} */ code) => select(code, { fly: true });
onCommuneClick((code) => select(code));
// A hamlet found by name opens its commune and centres the hamlet.
initSearch((code, point) => (point ? select(code).then(() => flyToPoint(point)) : selectAndFly(code)));

// ---------------------------------------------------------------- hamlets (lazy: a commune opened, or zoomed in)
/** @type {any} */
let hamlets = null;
/** @type {Promise<any> | null} */
let hamletsLoading = null;
function loadHamlets() {
  hamletsLoading ??= import('../hamlets/main.js').then(async (m) => {
    await m.initHamlets({ get map() { return map; }, mapReady, flyToPoint, basemap: Boolean(config.basemapStyleUrl) });
    hamlets = m;
    return m;
  }).catch((err) => { hamletsLoading = null; throw err; });
  return hamletsLoading;
}
mapReady.then(() => {
  const zoomedIn = () => { if (map.getZoom() >= 10.5) loadHamlets().catch((err) => console.warn('hamlets:', err.message)); };
  map.on('zoomend', zoomedIn);
  zoomedIn();
});

// ---------------------------------------------------------------- offices, hazard zones, active floods
/** @type {any} */
let aid = null;
/** @type {any} */
let alerts = null;
// Offices and floods draw on the map: their code comes once MapLibre has arrived (search, the panel and the lists
// do not wait for either, and on a slow link they do not share its bandwidth).
/** @type {any} */
let offices = null;
/** @type {any} */
let floods = null;
mapCreated.then(() => import('../offices/main.js')).then(async ({ initOffices, initFloods, loadOfficesStrings }) => {
  await loadOfficesStrings();
  offices = initOffices({
    map, mapReady, config, fitPoints, flyToPoint,
    selectCommune: selectAndFly,
    leaveCommune,
    leaveFlood: () => floods?.close({ keepPanel: true }),
  });
  floods = initFloods({
    map, mapReady, fitBox, bounds,
    selectCommune: selectAndFly,
    leaveCommune,
    closeOffice: () => offices.close({ keepPanel: true }),
    floodsChanged: (/** @type {unknown} */ what) => offices.floodsChanged(what),
  });
  // a commune opened before the map came gets its offices and floods now
  const open = selected();
  if (open) { offices.showCommuneOffices(open.code, open.feature.properties?.provinceCode, open.feature.properties ?? {}); floods.showCommune(open.code, open.feature.properties ?? {}); }
  offices.openFromUrl();
  offices.render();
  floods.render();
}).catch((err) => console.warn('offices:', err.message));
setPanelHooks({
  beforeSelect() { offices?.close({ keepPanel: true }); floods?.close({ keepPanel: true }); },
  showCommune(code, props) {
    offices?.showCommuneOffices(code, props.provinceCode, props);
    floods?.showCommune(code, props);
    loadHamlets().then((h) => { if (selected()?.code === code) h.showCommune(code, props); }).catch((err) => console.warn('hamlets:', err.message));
  },
  hideCommune() { offices?.hideCommuneOffices(); floods?.hideCommune(); hamlets?.hideCommune(); },
});
// An office under the pointer (or picking a fallback) wins over the commune beneath it; aid and alerts first.
onMapClick((e) => hamlets?.handleClick(e) || alerts?.handleClick(e) || aid?.handleClick(e) || floods?.handleClick(e) || offices?.handleClick(e));

// ---------------------------------------------------------------- mutual aid (lazy: anonymous visitors never load it)
/** @type {Promise<any> | null} */
let aidLoading = null;
/** @type {Map<string, Promise<any>>} */
const ringCache = new Map();
/** Neighbours (rings 1–2) of a commune, cached: mutual aid shades them around the selected request. */
const neighboursOf = (/** @type {string} */ code) => {
  if (!ringCache.has(code)) ringCache.set(code, getJson(`/api/communes/${encodeURIComponent(code)}/neighbours?rings=2`)
    .catch((err) => { ringCache.delete(code); throw err; }));
  return /** @type {Promise<any>} */ (ringCache.get(code));
};

function loadAid() {
  aidLoading ??= import('../aid/main.js').then(async (m) => {
    await m.loadAidStrings();
    aid = m.initAid({
      map, mapReady, fitBox, bounds, fitPoints,
      onOpen: () => alerts?.close(),       // one left-hand panel at a time
      selectCommune: selectAndFly,
      /** Shades a commune and its neighbours by ring (as a selection does), without opening its panel. */
      async showRings(/** @type {string} */ code) {
        const data = await neighboursOf(codeOf(code));
        await mapReady;
        paintSelection(data);
      },
      /** Back to the rings of the commune in the panel, if any. */
      restoreRings() { mapReady.then(() => paintSelection(selected()?.neighbours)); },
    });
    return aid;
  }).catch((err) => { aidLoading = null; throw err; });
  return aidLoading;
}

// ---------------------------------------------------------------- SMS alerts (lazy like mutual aid)
/** @type {Promise<any> | null} */
let alertsLoading = null;

function loadAlerts() {
  alertsLoading ??= import('../alerts/main.js').then(async (m) => {
    await m.loadAlertsStrings();
    await mapCreated;   // the composer draws the communes it alerts
    alerts = m.initAlerts({ map, mapReady, fitBox, bounds, onOpen: () => aid?.close() });
    return alerts;
  }).catch((err) => { alertsLoading = null; throw err; });
  return alertsLoading;
}

// ---------------------------------------------------------------- language and session
onLanguage(() => {
  renderPanel();
  offices?.render();
  floods?.render();
  aid?.render();
  alerts?.render();
  hamlets?.render();
  renderSearch();
});
initLanguage('title');
mountAuth();
// Without a link: the service worker's copies, the offline banner and the replay of what was queued meanwhile.
initOffline();
onReplayed(() => aid?.replayed());
session.onChange((user, how) => {
  if (!user) stopEditing();
  renderContact();
  offices?.render();
  floods?.render();
  hamlets?.render();
  showOwnArea(user, how, { idle: () => !selected() && offices?.current == null, select: selectAndFly });
  if (user) loadAid().then((a) => { if (session.user === user) a.start(user); }).catch((err) => console.warn('mutual aid:', err.message));
  else aid?.stop();
  if (user) loadAlerts().then((a) => { if (session.user === user) a.start(user); }).catch((err) => console.warn('alerts:', err.message));
  else alerts?.stop();
});
restoreSession();

// Hooks for tests and the console.
mapCreated.then(() => { /** @type {any} */ (window).coordinationMap = map; });
/** @type {any} */ (window).coordination = {
  select, clearSelection, ready: mapReady, session,
  get map() { return map; },
  get offices() { return offices; },
  get floods() { return floods; },
  get lang() { return lang; },
  get own() { return ownArea(); },
  get aid() { return aid; },
  get hamlets() { return hamlets; },
  get alerts() { return alerts; },
};

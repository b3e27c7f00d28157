// @ts-check
// Point layers loaded by the area in view once the map is zoomed in (hamlets, the People's Committee seats): each box
// of the view, rounded outwards so that nearby views reuse it, is asked for once; a failed one is asked again later.

/**
 * Calls load(bbox) for each new box of the view from half a zoom step before minZoom, now and after every move.
 * @param {any} map @param {number} minZoom
 * @param {number} perDegree the box is rounded outwards to 1/perDegree of a degree
 * @param {string} what named in the console when a load fails
 * @param {(bbox: string) => Promise<void>} load
 */
export function loadInView(map, minZoom, perDegree, what, load) {
  /** @type {Set<string>} boxes loaded or loading */
  const boxes = new Set();
  const r = (/** @type {number} */ v, /** @type {boolean} */ up) => (up ? Math.ceil(v * perDegree) : Math.floor(v * perDegree)) / perDegree;
  async function ensure() {
    if (map.getZoom() < minZoom - 0.5) return;
    const b = map.getBounds();
    const key = [r(b.getWest(), false), r(b.getSouth(), false), r(b.getEast(), true), r(b.getNorth(), true)].join(',');
    if (boxes.has(key)) return;
    boxes.add(key);
    try {
      await load(key);
    } catch (err) {
      boxes.delete(key);
      console.warn(`${what}:`, /** @type {Error} */ (err).message);
    }
  }
  map.on('moveend', ensure);
  ensure();
}

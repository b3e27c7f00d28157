// @ts-check
// The People's Committee seats (trụ sở UBND) as labelled points from zoom 11, whether or not the offices layer is on:
// where the commune's command sits is what a citizen or a neighbour looks for first. Loaded by the area in view
// from the offices API (the boundaries' tiles know nothing of offices: the dependency rule), in the app's glyphs.

import { getJson } from '../shared/api.js';
import { FONT } from '../map/view.js';
import { loadInView } from '../map/inview.js';

export const SEAT_MIN_ZOOM = 11;

/** @param {{ map: any, mapReady: Promise<unknown>, basemap: boolean }} ctx */
export async function initSeats(ctx) {
  await ctx.mapReady;
  const { map } = ctx;
  /** @type {Map<number, any>} */
  const seats = new Map();
  map.addSource('seats', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: 'seats-dot', type: 'circle', source: 'seats', minzoom: SEAT_MIN_ZOOM,
    paint: { 'circle-radius': 4.5, 'circle-color': '#7f1010', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } });
  if (!ctx.basemap) {
    map.addLayer({ id: 'seat-labels', type: 'symbol', source: 'seats', minzoom: SEAT_MIN_ZOOM,
      layout: { 'text-field': ['get', 'name'], 'text-font': FONT.bold, 'text-size': 11, 'text-anchor': 'top', 'text-offset': [0, 0.7],
        'text-max-width': 9, 'text-optional': true },
      paint: { 'text-color': '#7f1010', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 } });
  }
  loadInView(map, SEAT_MIN_ZOOM, 10, 'seats', async (bbox) => {
    const fc = await getJson(`/api/offices?kind=people_committee&bbox=${bbox}`);
    for (const f of fc.features ?? []) seats.set(f.id, { type: 'Feature', id: f.id, geometry: f.geometry, properties: { name: f.properties.name } });
    map.getSource('seats')?.setData({ type: 'FeatureCollection', features: [...seats.values()] });
  });
}

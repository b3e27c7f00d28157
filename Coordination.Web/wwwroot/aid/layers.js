// @ts-check
// Mutual aid on the map: requests as circles by urgency, pledges as arrows donor → requester by status, the draft
// point of a request being filed. Circles and lines only (no glyphs are served), arrows included.

const URGENCY_COLOUR = ['match', ['get', 'urgency'], 'life_threatening', '#b71c1c', 'urgent', '#ef6c00', '#f2b300'];
const PLEDGE_COLOUR = ['match', ['get', 'status'], 'requested', '#5b6773', 'accepted', '#ef6c00', 'dispatched', '#1565c0', '#2e7d32'];

import { map, mapReady } from '../map/view.js';
import { empty } from './words.js';
import { A, LIVE, commune, requestIdOf } from './state.js';

mapReady.then(() => {
  map.addSource('aid-pledges', { type: 'geojson', data: empty() });
  map.addSource('aid-requests', { type: 'geojson', data: empty() });
  map.addSource('aid-draft', { type: 'geojson', data: empty() });
  const isLine = ['==', ['geometry-type'], 'LineString'];
  const asked = ['==', ['get', 'status'], 'requested'];
  map.addLayer({ id: 'aid-pledges-asked', type: 'line', source: 'aid-pledges',
    filter: ['all', isLine, asked, ['!', ['get', 'head']]],
    layout: { 'line-cap': 'butt', 'line-join': 'round' },
    paint: { 'line-color': PLEDGE_COLOUR, 'line-width': 2.5, 'line-dasharray': [2, 1.5] } });
  map.addLayer({ id: 'aid-pledges-line', type: 'line', source: 'aid-pledges',
    filter: ['all', isLine, ['any', ['get', 'head'], ['!', asked]]],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': PLEDGE_COLOUR, 'line-width': 3.5 } });
  map.addLayer({ id: 'aid-pledges-donor', type: 'circle', source: 'aid-pledges', filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 5, 'circle-color': PLEDGE_COLOUR, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } });
  map.addLayer({ id: 'aid-requests', type: 'circle', source: 'aid-requests',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, ['case', ['get', 'selected'], 8, 5], 12, ['case', ['get', 'selected'], 13, 9]],
      'circle-color': URGENCY_COLOUR,
      'circle-stroke-color': ['case', ['get', 'selected'], '#111', '#fff'],
      'circle-stroke-width': ['case', ['get', 'selected'], 3, 2],
    } });
  map.addLayer({ id: 'aid-draft', type: 'circle', source: 'aid-draft',
    paint: { 'circle-radius': 8, 'circle-color': '#fff', 'circle-stroke-color': '#b71c1c', 'circle-stroke-width': 3 } });
  map.on('zoomend', () => { if (A.st?.arrows?.length) drawArrows(A.st); });
  map.on('mouseenter', 'aid-requests', () => { if (!A.st?.picking) map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'aid-requests', () => { if (!A.st?.picking) map.getCanvas().style.cursor = ''; });
});

export function drawDraft() {
  const f = A.st?.filing;
  const data = f?.lon != null ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [f.lon, f.lat] }, properties: {} }] } : empty();
  mapReady.then(() => map.getSource('aid-draft')?.setData(data));
}

/**
 * An arrow from `from` to the request circle at `to`, in Web Mercator at the current zoom (rebuilt when the zoom
 * changes): the line stops at the circle's edge, where a two-segment head about 14 px long points at it.
 */
export function arrow(from, to) {
  const a = maplibregl.MercatorCoordinate.fromLngLat(from), b = maplibregl.MercatorCoordinate.fromLngLat(to);
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy);
  if (!len) return null;
  const px = 1 / (512 * 2 ** map.getZoom());             // one CSS pixel in Mercator units
  const ux = -dx / len, uy = -dy / len;                   // from the request back towards the donor
  const gap = Math.min(len / 3, 11 * px), h = Math.min(len / 3, 14 * px), angle = 0.45;
  const lngLat = (x, y) => { const p = new maplibregl.MercatorCoordinate(x, y).toLngLat(); return [p.lng, p.lat]; };
  const tx = b.x + ux * gap, ty = b.y + uy * gap;
  const wing = (sign) => {
    const c = Math.cos(sign * angle), sn = Math.sin(sign * angle);
    return lngLat(tx + h * (ux * c - uy * sn), ty + h * (ux * sn + uy * c));
  };
  const tip = lngLat(tx, ty);
  return { line: [from, tip], head: [wing(1), tip, wing(-1)] };
}

export async function drawMap() {
  const s = A.st;
  if (!s) return;
  const shown = new Map();
  const add = (r) => { if (r && (r.status === 'open' || r.status === 'draft' || r.id === s.requestId)) shown.set(r.id, r); };
  for (const id of [...s.ownIds, ...s.listIds]) add(s.requests.get(id));
  for (const p of s.incoming) add(s.requests.get(requestIdOf(s, p)));
  if (s.requestId != null) add(s.requests.get(s.requestId));
  const pledges = new Map();     // pledge id → [request, pledge]
  for (const r of shown.values()) for (const p of r.pledges ?? []) if (LIVE.has(p.status)) pledges.set(p.id, [r, p]);
  for (const p of s.incoming) {
    const r = s.requests.get(requestIdOf(s, p));
    if (r) pledges.set(p.id, [r, p]);    // the donor's list is the fresher one
  }
  const donorCodes = [...new Set([...pledges.values()].map(([, p]) => p.donorCode))];
  const donors = new Map((await Promise.all(donorCodes.map((c) => commune(c).catch(() => null)))).filter(Boolean).map((d) => [d.code, d]));
  await mapReady;
  if (A.st !== s) return;
  const requestFeatures = [...shown.values()].map((r) => ({
    type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: { id: r.id, urgency: r.urgency, status: r.status, commune: r.communeCode, selected: r.id === s.requestId },
  }));
  const arrows = [];
  for (const [r, p] of pledges.values()) {
    const from = donors.get(p.donorCode)?.labelPoint;
    if (!from || p.donorCode === r.communeCode) continue;     // own stock travels no distance
    arrows.push({ from, to: [r.lon, r.lat], props: { pledge: p.id, request: r.id, donor: p.donorCode, status: p.status } });
  }
  s.arrows = arrows;
  map.getSource('aid-requests')?.setData({ type: 'FeatureCollection', features: requestFeatures });
  drawArrows(s);
  s.drawn = { requests: requestFeatures.map((f) => f.properties), pledges: arrows.map((x) => x.props) };
}

/** Pledges as arrows donor → requester: a line, a two-segment head, a dot at the donor's end. */
export function drawArrows(s) {
  const features = [];
  for (const { from, to, props } of s.arrows ?? []) {
    const shape = arrow(from, to);
    if (!shape) continue;
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: shape.line }, properties: { ...props, head: false } });
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: shape.head }, properties: { ...props, head: true } });
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: from }, properties: props });
  }
  map.getSource('aid-pledges')?.setData({ type: 'FeatureCollection', features });
}

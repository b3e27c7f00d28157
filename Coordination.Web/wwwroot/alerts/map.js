// @ts-check
// Alert targets on the map: the composer's communes and drawn shape, or the open alert's communes and area, in a
// colour of their own (app.css --alert), apart from every legend colour; and the legend entry while some are drawn.

import { $, el } from '../shared/dom.js';
import { app, T, visible, empty } from './state.js';
import { circleRing } from './text.js';

/** Alert targets have a colour of their own (app.css --alert), apart from every legend colour (the corner contact's purple). */
const COLOUR = getComputedStyle(document.documentElement).getPropertyValue('--alert').trim() || '#e6007e';

/** @type {string[]} communes drawn as targets */
let painted = [];
// The legend (index.html) gets an entry for alert targets, shown while some are drawn.
const legendLabel = el('span', {});
const legendItem = el('li', { id: 'legend-alerts', hidden: true }, el('i', { class: 'sw alert-target' }), legendLabel);
$('#legend ul')?.append(legendItem);

/** Adds the layers of alert targets to the map (once, when the feature starts). */
export function initMap() {
  app.mapReady.then(() => {
  const on = ['boolean', ['feature-state', 'alert'], false];
  app.map.addLayer({ id: 'alerts-communes-fill', type: 'fill', source: 'communes', 'source-layer': 'communes',
    paint: { 'fill-color': COLOUR, 'fill-opacity': ['case', on, 0.35, 0] } });
  app.map.addLayer({ id: 'alerts-communes-line', type: 'line', source: 'communes', 'source-layer': 'communes',
    paint: { 'line-color': COLOUR, 'line-width': 2.5, 'line-opacity': ['case', on, 1, 0] } });
  app.map.addSource('alerts-draw', { type: 'geojson', data: empty() });
  app.map.addLayer({ id: 'alerts-draw-fill', type: 'fill', source: 'alerts-draw', filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': COLOUR, 'fill-opacity': 0.12 } });
  app.map.addLayer({ id: 'alerts-draw-line', type: 'line', source: 'alerts-draw', filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': COLOUR, 'line-width': 2.5, 'line-dasharray': [2, 1] } });
  app.map.addLayer({ id: 'alerts-draw-points', type: 'circle', source: 'alerts-draw', filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 5, 'circle-color': '#fff', 'circle-stroke-color': COLOUR, 'circle-stroke-width': 2.5 } });
  app.map.on('dblclick', (e) => {
    const f = app.st?.form;
    if (!f || !f.drawing || f.mode !== 'polygon' || !visible('compose')) return;
    e.preventDefault();
    app.composer?.finishPolygon();
  });
});
}

/** What the map shows: the composer's targets and shape, or the open alert's communes and area. */
export function drawMap() {
  const s = app.st;
  let codes = [];
  const features = [];
  const point = (/** @type {number[]} */ c) => features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } });
  if (s && visible('compose') && s.form) {
    const f = s.form;
    if (f.mode === 'communes') codes = f.communes;
    else codes = f.preview && !f.stale ? f.preview.communes.map((c) => c.code) : [];
    if (f.mode === 'polygon' && f.polygon.length) {
      if (f.closed) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...f.polygon, f.polygon[0]]] } });
      else if (f.polygon.length > 1) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: f.polygon } });
      f.polygon.forEach(point);
    }
    if (f.mode === 'circle' && f.circle) {
      point([f.circle.lon, f.circle.lat]);
      const r = Number(f.radiusKm);
      if (r > 0) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [circleRing(f.circle, r)] } });
    }
  } else if (s && visible('list') && s.detail && s.alertId === s.detail.id) {
    const a = s.detail;
    codes = a.communes.map((c) => c.code);
    if (a.area) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: a.area } });
    if (a.circle?.lat != null) {
      point([a.circle.lon, a.circle.lat]);
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [circleRing(a.circle, a.circle.radiusKm)] } });
    }
  }
  app.mapReady.then(() => {
    const next = new Set(codes);
    for (const code of painted) if (!next.has(code)) app.map.removeFeatureState({ source: 'communes', sourceLayer: 'communes', id: Number(code) }, 'alert');
    for (const code of next) app.map.setFeatureState({ source: 'communes', sourceLayer: 'communes', id: Number(code) }, { alert: true });
    painted = [...next];
    app.map.getSource('alerts-draw')?.setData({ type: 'FeatureCollection', features });
    legendLabel.textContent = T('legendTargets');
    legendItem.hidden = painted.length === 0 && features.length === 0;
  });
}

export const paintedCodes = () => [...painted];

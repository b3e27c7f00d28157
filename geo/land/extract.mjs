// Cuts the land around Vietnam out of Natural Earth's 1:10m land (public domain; the world-atlas npm package's
// TopoJSON) into geo/data/land-vn.geojson.gz: the ground under the communes — coastline, the neighbours' land, the
// islands — that ships with the app and needs no basemap or internet.
//
//   cd geo/land && npm install --no-save world-atlas@2.0.2 topojson-client@3.1.0 && node extract.mjs
//
// Polygons are clipped to the box below (Sutherland–Hodgman against each side; the import makes them valid) and
// coordinates rounded to 1e-4° (~11 m, far below the 1:10m source's precision).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const BOX = { west: 95, south: 3, east: 123, north: 27 };
const topology = JSON.parse(fs.readFileSync(require.resolve('world-atlas/land-10m.json'), 'utf8'));
const land = feature(topology, topology.objects.land);

/** Clips a closed ring to one side of the box. */
function clipSide(ring, inside, cross) {
  const out = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i], b = ring[(i + 1) % ring.length];
    const ia = inside(a), ib = inside(b);
    if (ia) out.push(a);
    if (ia !== ib) out.push(cross(a, b));
  }
  return out;
}
const lerp = (a, b, t) => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
function clipRing(ring) {
  let r = ring.slice(0, -1);
  r = clipSide(r, (p) => p[0] >= BOX.west, (a, b) => lerp(a, b, (BOX.west - a[0]) / (b[0] - a[0])));
  r = clipSide(r, (p) => p[0] <= BOX.east, (a, b) => lerp(a, b, (BOX.east - a[0]) / (b[0] - a[0])));
  r = clipSide(r, (p) => p[1] >= BOX.south, (a, b) => lerp(a, b, (BOX.south - a[1]) / (b[1] - a[1])));
  r = clipSide(r, (p) => p[1] <= BOX.north, (a, b) => lerp(a, b, (BOX.north - a[1]) / (b[1] - a[1])));
  const rounded = [];
  for (const p of r) {
    const q = [Math.round(p[0] * 1e4) / 1e4, Math.round(p[1] * 1e4) / 1e4];
    const last = rounded[rounded.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) rounded.push(q);
  }
  if (rounded.length < 3) return null;
  rounded.push(rounded[0]);
  return rounded.length >= 4 ? rounded : null;
}

const polygons = [];
for (const f of land.features) {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const poly of polys) {
    const rings = poly.map(clipRing).filter(Boolean);
    if (rings.length && rings[0]) polygons.push(rings);
  }
}
const out = {
  type: 'FeatureCollection',
  source: 'Natural Earth 1:10m land (public domain), via world-atlas 2.0.2; clipped to ' + JSON.stringify(BOX),
  features: [{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: polygons } }],
};
const target = new URL('../data/land-vn.geojson.gz', import.meta.url);
fs.writeFileSync(target, zlib.gzipSync(JSON.stringify(out), { level: 9 }));
console.log(`land: ${polygons.length} polygons, ${polygons.reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0)} positions, ${fs.statSync(target).size} B`);

// Builds the map's label glyphs from a Debian font, so labels need nothing from the internet (nor the device's
// fonts): signed distance fields in MapLibre's glyph PBF format, wwwroot/_glyphs/{fontstack}/{start}-{end}.pbf.
//
//   node glyphs.mjs            (the csproj runs it when this file or the font changes)
//
// Fonts: DejaVu Sans Book and Bold (Debian's fonts-dejavu-core, installed by scripts/prereqs.sh when missing; they
// cover every Vietnamese letter as one precomposed code point, which is what NFC names use).
// Only the code points a Vietnamese or English label can use are built (Basic Latin, Latin-1, Latin Extended-A/B,
// the combining marks, Latin Extended Additional, general punctuation): ~250 glyphs per font instead of ~6,000,
// so a label costs a phone a few tens of KB, not a megabyte. Other ranges are answered empty by the web host.
//
// The field follows MapLibre's conventions (the glyphs its servers make with FreeType): 24 px em, a 3 px border
// around each glyph, distances up to 8 px encoded as 255 − 255·(d/8 + 0.25), d signed (negative inside), so the
// outline sits at 191. Distances are exact (to the glyph's flattened outline), inside by the non-zero rule.

import fs from 'node:fs';
import path from 'node:path';
import opentype from 'opentype.js';

const FONT_DIR = process.env.GLYPH_FONT_DIR || '/usr/share/fonts/truetype/dejavu';
const OUT = path.join(path.dirname(new URL(import.meta.url).pathname), 'wwwroot', '_glyphs');
export const FONTS = { 'DejaVu Sans Book': 'DejaVuSans.ttf', 'DejaVu Sans Bold': 'DejaVuSans-Bold.ttf' };
const SIZE = 24, BORDER = 3, RADIUS = 8, CUTOFF = 0.25;
/** The ranges built: [first, last] code point (inclusive), each within one 256 block. */
const WANTED = [[0x20, 0x7e], [0xa0, 0xa0], [0xb0, 0xb0], [0xb7, 0xb7],
  // Latin-1: only the letters Vietnamese uses (À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý and their small forms)
  [0xc0, 0xc3], [0xc8, 0xca], [0xcc, 0xcd], [0xd2, 0xd5], [0xd9, 0xda], [0xdd, 0xdd],
  [0xe0, 0xe3], [0xe8, 0xea], [0xec, 0xed], [0xf2, 0xf5], [0xf9, 0xfa], [0xfd, 0xfd],
  // Latin Extended-A/B: only Vietnamese's Ă ă Đ đ Ĩ ĩ Ũ ũ Ơ ơ Ư ư (the whole blocks would triple the cost)
  [0x102, 0x103], [0x110, 0x111], [0x128, 0x129], [0x168, 0x169], [0x1a0, 0x1a1], [0x1af, 0x1b0],
  [0x300, 0x323], [0x1ea0, 0x1ef9], [0x2010, 0x2026]];

// ---------------------------------------------------------------- protobuf (glyphs.proto), by hand: five field kinds
const varint = (/** @type {number[]} */ out, /** @type {number} */ v) => { while (v > 127) { out.push((v & 127) | 128); v = Math.floor(v / 128); } out.push(v); };
const key = (/** @type {number[]} */ out, /** @type {number} */ field, /** @type {number} */ wire) => varint(out, field * 8 + wire);
const uint = (/** @type {number[]} */ out, /** @type {number} */ field, /** @type {number} */ v) => { key(out, field, 0); varint(out, v); };
const sint = (/** @type {number[]} */ out, /** @type {number} */ field, /** @type {number} */ v) => uint(out, field, v >= 0 ? v * 2 : -v * 2 - 1);
const bytes = (/** @type {number[]} */ out, /** @type {number} */ field, /** @type {ArrayLike<number>} */ b) => { key(out, field, 2); varint(out, b.length); for (let i = 0; i < b.length; i++) out.push(b[i]); };
const text = (/** @type {number[]} */ out, /** @type {number} */ field, /** @type {string} */ s) => bytes(out, field, new TextEncoder().encode(s));

/** One glyph message: id, bitmap, width, height, left, top, advance. */
function glyphMessage(/** @type {{ id: number, bitmap: Uint8Array, width: number, height: number, left: number, top: number, advance: number }} */ g) {
  /** @type {number[]} */
  const m = [];
  uint(m, 1, g.id);
  if (g.bitmap.length) bytes(m, 2, g.bitmap);
  uint(m, 3, g.width); uint(m, 4, g.height); sint(m, 5, g.left); sint(m, 6, g.top); uint(m, 7, g.advance);
  return m;
}

/** glyphs { stacks: fontstack { name, range, glyphs* } } */
export function encodeRange(/** @type {string} */ name, /** @type {string} */ range, /** @type {any[]} */ glyphs) {
  /** @type {number[]} */
  const stack = [];
  text(stack, 1, name);
  text(stack, 2, range);
  for (const g of glyphs) bytes(stack, 3, glyphMessage(g));
  /** @type {number[]} */
  const out = [];
  bytes(out, 1, stack);
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------- outline → segments → signed distance field
/** The glyph's outline as straight segments in pixels (y up), curves flattened finely enough for a 24 px field. */
function segments(/** @type {any} */ glyph, /** @type {number} */ scale) {
  /** @type {number[][]} */
  const segs = [];
  let x0 = 0, y0 = 0, sx = 0, sy = 0;
  const line = (/** @type {number} */ x, /** @type {number} */ y) => { if (x !== x0 || y !== y0) segs.push([x0, y0, x, y]); x0 = x; y0 = y; };
  const steps = 8;
  for (const c of glyph.path.commands) {
    const X = (/** @type {number} */ v) => v * scale, Y = (/** @type {number} */ v) => v * scale;
    if (c.type === 'M') { x0 = sx = X(c.x); y0 = sy = Y(c.y); }
    else if (c.type === 'L') line(X(c.x), Y(c.y));
    else if (c.type === 'Q') {
      const [ax, ay, bx, by, cx, cy] = [x0, y0, X(c.x1), Y(c.y1), X(c.x), Y(c.y)];
      for (let i = 1; i <= steps; i++) { const t = i / steps, u = 1 - t; line(u * u * ax + 2 * u * t * bx + t * t * cx, u * u * ay + 2 * u * t * by + t * t * cy); }
    } else if (c.type === 'C') {
      const [ax, ay, bx, by, dx, dy, ex, ey] = [x0, y0, X(c.x1), Y(c.y1), X(c.x2), Y(c.y2), X(c.x), Y(c.y)];
      for (let i = 1; i <= steps; i++) {
        const t = i / steps, u = 1 - t;
        line(u * u * u * ax + 3 * u * u * t * bx + 3 * u * t * t * dx + t * t * t * ex, u * u * u * ay + 3 * u * u * t * by + 3 * u * t * t * dy + t * t * t * ey);
      }
    } else if (c.type === 'Z') line(sx, sy);
  }
  return segs;
}

/** Distance from a point to a segment. */
function toSegment(/** @type {number} */ px, /** @type {number} */ py, /** @type {number[]} */ s) {
  const [ax, ay, bx, by] = s, dx = bx - ax, dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
  const x = ax + t * dx - px, y = ay + t * dy - py;
  return Math.sqrt(x * x + y * y);
}

/** Non-zero winding number of the outline around a point. */
function winding(/** @type {number} */ px, /** @type {number} */ py, /** @type {number[][]} */ segs) {
  let w = 0;
  for (const [ax, ay, bx, by] of segs) {
    if (ay <= py) { if (by > py && (bx - ax) * (py - ay) - (px - ax) * (by - ay) > 0) w++; }
    else if (by <= py && (bx - ax) * (py - ay) - (px - ax) * (by - ay) < 0) w--;
  }
  return w;
}

/** One glyph in MapLibre's terms, or null when the font lacks the code point. */
export function renderGlyph(/** @type {any} */ font, /** @type {number} */ codePoint) {
  const glyph = font.charToGlyph(String.fromCodePoint(codePoint));
  if (!glyph || glyph.index === 0) return null;
  const scale = SIZE / font.unitsPerEm;
  const ascender = Math.round(font.ascender * scale);
  const advance = Math.round(glyph.advanceWidth * scale);
  const segs = segments(glyph, scale);
  if (!segs.length) return { id: codePoint, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: -ascender, advance };
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [ax, ay, bx, by] of segs) { minX = Math.min(minX, ax, bx); maxX = Math.max(maxX, ax, bx); minY = Math.min(minY, ay, by); maxY = Math.max(maxY, ay, by); }
  const left = Math.floor(minX), top = Math.ceil(maxY);
  const width = Math.ceil(maxX) - left, height = top - Math.floor(minY);
  const w = width + 2 * BORDER, h = height + 2 * BORDER;
  const bitmap = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    const py = top + BORDER - j - 0.5;
    for (let i = 0; i < w; i++) {
      const px = left - BORDER + i + 0.5;
      let d = Infinity;
      for (const s of segs) { const e = toSegment(px, py, s); if (e < d) d = e; }
      if (winding(px, py, segs) !== 0) d = -d;
      bitmap[j * w + i] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / RADIUS + CUTOFF))));
    }
  }
  return { id: codePoint, bitmap, width, height, left, top: top - ascender, advance };
}

/** Builds every wanted range of every font into OUT; returns the files written. */
export function build(/** @type {string} */ out = OUT) {
  /** @type {string[]} */
  const written = [];
  for (const [name, file] of Object.entries(FONTS)) {
    const buffer = fs.readFileSync(path.join(FONT_DIR, file));
    const font = opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
    /** @type {Map<number, any[]>} */
    const blocks = new Map();
    for (const [first, last] of WANTED)
      for (let cp = first; cp <= last; cp++) {
        const g = renderGlyph(font, cp);
        if (!g) continue;
        const start = cp - (cp % 256);
        if (!blocks.has(start)) blocks.set(start, []);
        blocks.get(start)?.push(g);
      }
    const dir = path.join(out, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [start, glyphs] of blocks) {
      const range = `${start}-${start + 255}`;
      const target = path.join(dir, `${range}.pbf`);
      fs.writeFileSync(target, encodeRange(name, range, glyphs));
      written.push(target);
    }
  }
  fs.writeFileSync(path.join(out, '.stamp'), new Date().toISOString());
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const t = Date.now();
  const files = build();
  const size = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  console.log(`glyphs: ${files.length} ranges, ${(size / 1024).toFixed(0)} KB, ${Date.now() - t} ms`);
}

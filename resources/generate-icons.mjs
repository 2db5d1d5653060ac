#!/usr/bin/env node
// Draws the app icon and the tray icons as PNGs with Node built-ins only (zlib for the IDAT stream).
// Run `node resources/generate-icons.mjs` after changing a shape or colour; the PNGs are committed.
//
// Tray icons: tray-<state>-<panel>.png (16 px) and tray-<state>-<panel>@2x.png (32 px). <panel> is the
// theme of the panel the icon sits on: a dark glyph for a light panel, a light glyph for a dark one.
// Electron picks the @2x file by itself on high-density screens.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT_DIR = dirname(fileURLToPath(import.meta.url));
const STATES = ['stopped', 'running', 'working', 'paused', 'failure'];
const GLYPH = { light: [32, 33, 36], dark: [240, 240, 242] };
const ACCENT = { working: [46, 160, 67], paused: [210, 153, 34], failure: [229, 83, 75] };

// ── PNG encoding ────────────────────────────────────────────────────────────
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** rgba: Float32Array of premultiplied-free RGBA in 0..1, row-major. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let i = 0; i < size * 4; i++) raw[row + 1 + i] = Math.round(Math.min(1, Math.max(0, rgba[y * size * 4 + i])) * 255);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ── drawing: shapes are signed distance functions in a 16-unit design space ──
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, width) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2;
function segment(ax, ay, bx, by, width) {
  return (x, y) => {
    const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - dx * t, py - dy * t) - width / 2;
  };
}
function roundedRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r), qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}
const union = (...shapes) => (x, y) => Math.min(...shapes.map((s) => s(x, y)));
const minus = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y));

/** Paints layers ({shape, color, alpha}) over a transparent canvas, 4x4 supersampled. */
function render(size, layers, designSize = 16) {
  const rgba = new Float32Array(size * size * 4);
  const scale = designSize / size;
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (const { shape, color, alpha = 1 } of layers) {
        let coverage = 0;
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            const x = (px + (sx + 0.5) / samples) * scale, y = (py + (sy + 0.5) / samples) * scale;
            if (shape(x, y) <= 0) coverage++;
          }
        }
        const srcA = (coverage / (samples * samples)) * alpha;
        if (srcA === 0) continue;
        const [cr, cg, cb] = typeof color === 'function' ? color(px / size, py / size) : color;
        const outA = srcA + a * (1 - srcA);
        r = (cr / 255 * srcA + r * a * (1 - srcA)) / outA;
        g = (cg / 255 * srcA + g * a * (1 - srcA)) / outA;
        b = (cb / 255 * srcA + b * a * (1 - srcA)) / outA;
        a = outA;
      }
      rgba.set([r, g, b, a], (py * size + px) * 4);
    }
  }
  return rgba;
}

// ── the glyph: two tasks feeding a third, the app's task graph in miniature ──
const NODE_A = [4, 4], NODE_B = [4, 12], NODE_C = [12, 8];
const edges = union(segment(...NODE_A, ...NODE_C, 1.4), segment(...NODE_B, ...NODE_C, 1.4));
const sources = union(circle(...NODE_A, 2.4), circle(...NODE_B, 2.4));
const sink = circle(...NODE_C, 3);
const badgeHole = circle(13, 3, 3.6);
const badge = circle(13, 3, 2.6);
const pauseBars = union(roundedRect(10, 5, 12, 11, 0.4), roundedRect(13, 5, 15, 11, 0.4)); // whole pixels at 1x

function trayLayers(state, panel) {
  const glyph = GLYPH[panel];
  const accent = ACCENT[state];
  switch (state) {
    case 'stopped':
      return [{ shape: union(edges, sources, minus(sink, circle(...NODE_C, 1.6))), color: glyph, alpha: 0.55 }];
    case 'running':
      return [{ shape: union(edges, sources, sink), color: glyph }];
    case 'working':
      return [{ shape: union(edges, sources), color: glyph }, { shape: sink, color: accent }];
    case 'paused':
      return [{ shape: minus(union(edges, sources), circle(...NODE_C, 3.6)), color: glyph }, { shape: pauseBars, color: accent }];
    case 'failure':
      return [{ shape: minus(union(edges, sources, sink), badgeHole), color: glyph }, { shape: badge, color: accent }];
    default:
      throw new Error(`unknown tray state ${state}`);
  }
}

function appIconLayers() {
  // Same graph on a rounded tile; drawn in a 16-unit space, scaled up, with margins macOS expects.
  const tile = roundedRect(1, 1, 15, 15, 3.2);
  const gradient = (_x, y) => [Math.round(36 + 18 * y), Math.round(52 + 20 * y), Math.round(88 + 30 * y)];
  const inset = (shape) => (x, y) => shape((x - 8) * 1.45 + 8, (y - 8) * 1.45 + 8) / 1.45;
  return [
    { shape: tile, color: gradient },
    { shape: inset(union(edges, sources)), color: [236, 240, 246] },
    { shape: inset(sink), color: ACCENT.working },
  ];
}

function write(name, size, layers) {
  writeFileSync(join(OUT_DIR, name), encodePng(size, render(size, layers)));
  console.log(`wrote resources/${name} (${size}x${size})`);
}

for (const state of STATES) {
  for (const panel of ['light', 'dark']) {
    write(`tray-${state}-${panel}.png`, 16, trayLayers(state, panel));
    write(`tray-${state}-${panel}@2x.png`, 32, trayLayers(state, panel));
  }
}
write('icon.png', 512, appIconLayers());

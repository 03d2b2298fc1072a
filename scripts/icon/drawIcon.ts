/**
 * `npx tsx scripts/icon/drawIcon.ts`: draws the marketplace icon, media/icon.png (128×128 RGBA), a
 * quota gauge: a dark rounded square, a grey 270° track and an orange arc filled to two thirds.
 * Kept so the icon can be redrawn without an image editor; the PNG itself is committed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
/** Samples per pixel side: 4×4 sub-pixels give smooth edges without an anti-aliasing library. */
const SUPERSAMPLE = 4;
const BACKGROUND = [0x26, 0x25, 0x23] as const;
const TRACK = [0x5a, 0x57, 0x52] as const;
const ARC = [0xd9, 0x77, 0x57] as const;
const OUT_FILE = path.resolve(__dirname, '..', '..', 'media', 'icon.png');

type Rgb = readonly [number, number, number];

/** The colour at a point of the 128×128 square, or undefined outside the rounded square. */
function colourAt(x: number, y: number): Rgb | undefined {
  const corner = 26;
  const cx = Math.min(Math.max(x, corner), SIZE - corner);
  const cy = Math.min(Math.max(y, corner), SIZE - corner);
  if (Math.hypot(x - cx, y - cy) > corner) return undefined;
  const dx = x - SIZE / 2;
  const dy = y - SIZE / 2;
  const radius = Math.hypot(dx, dy);
  if (radius < 11) return ARC;
  if (radius < 36 || radius > 50) return BACKGROUND;
  // Clockwise from straight down: the gauge opens at the bottom, 45° either side.
  const fromBottom = (Math.atan2(-dx, dy) * 180) / Math.PI;
  const sweep = (fromBottom + 360) % 360;
  if (sweep < 45 || sweep > 315) return BACKGROUND;
  return sweep - 45 <= 270 * (2 / 3) ? ARC : TRACK;
}

function pixels(): Buffer {
  const rowBytes = 1 + SIZE * 4;
  const raw = Buffer.alloc(rowBytes * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * rowBytes] = 0; // filter type None
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const colour = colourAt(x + (sx + 0.5) / SUPERSAMPLE, y + (sy + 0.5) / SUPERSAMPLE);
          if (!colour) continue;
          sum[0]! += colour[0];
          sum[1]! += colour[1];
          sum[2]! += colour[2];
          sum[3]! += 1;
        }
      }
      const covered = sum[3]!;
      const at = y * rowBytes + 1 + x * 4;
      raw[at] = covered ? Math.round(sum[0]! / covered) : 0;
      raw[at + 1] = covered ? Math.round(sum[1]! / covered) : 0;
      raw[at + 2] = covered ? Math.round(sum[2]! / covered) : 0;
      raw[at + 3] = Math.round((255 * covered) / SUPERSAMPLE ** 2);
    }
  }
  return raw;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function png(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels(), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

fs.writeFileSync(OUT_FILE, png());
console.log(`${path.relative(process.cwd(), OUT_FILE)}: ${fs.statSync(OUT_FILE).size} bytes`);

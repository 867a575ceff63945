import { deflateSync } from 'node:zlib';
import type { SeededRandom } from './seeded-random';

const WIDTH = 360;
const HEIGHT = 120;

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A handwritten-looking scribble as a greyscale PNG, the same every time for the same seed: the
 * demo's custody events need real signature images for the timeline and the PDF.
 */
export function demoSignaturePng(random: SeededRandom): Buffer {
  const pixels = new Uint8Array(WIDTH * HEIGHT).fill(255);
  const ink = (x: number, y: number) => {
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px >= 0 && px < WIDTH && py >= 0 && py < HEIGHT) pixels[py * WIDTH + px] = 30;
      }
    }
  };
  const loops = random.int(3, 6);
  const phase = random.next() * Math.PI;
  const slant = 0.3 + random.next() * 0.4;
  for (let t = 0; t <= 1; t += 0.0005) {
    const x = 20 + t * (WIDTH - 40) + Math.sin(t * loops * 2 * Math.PI + phase) * 14 * slant;
    const y = HEIGHT / 2 + Math.sin(t * loops * 2 * Math.PI * 1.7 + phase) * 30 * (1 - t * 0.5) + Math.cos(t * 9) * 6;
    ink(x, y);
  }
  const raw = Buffer.alloc((WIDTH + 1) * HEIGHT);
  for (let row = 0; row < HEIGHT; row += 1) {
    raw[row * (WIDTH + 1)] = 0; // filter: none
    raw.set(pixels.subarray(row * WIDTH, (row + 1) * WIDTH), row * (WIDTH + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

import type { RgbImage } from './png-decode';

/**
 * A baseline JPEG encoder (ITU T.81): YCbCr with 4:2:0 chroma, the AAN floating-point DCT, and
 * the standard quantisation and Huffman tables of Annex K. It is what a print of a photo needs
 * and no more (no progressive mode, no optimised tables), in plain TypeScript, because the
 * server must not depend on a native image library that downloads its binaries at install.
 */

/** Zig-zag position k → natural (row * 8 + column) position. */
const ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63];

const LUMA_QUANT = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99];
const CHROMA_QUANT = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, ...new Array<number>(32).fill(99)];

const DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_LUMA_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
  0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
  0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
];
const AC_CHROMA_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const AC_CHROMA_VALUES = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
  0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
  0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
  0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
];

/** The AAN DCT leaves each coefficient scaled by these; folding them into the divisors undoes it. */
const AAN_SCALE = [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379];

interface HuffmanTable {
  readonly codes: Uint16Array;
  readonly lengths: Uint8Array;
}

function huffmanTable(bits: readonly number[], values: readonly number[]): HuffmanTable {
  const codes = new Uint16Array(256);
  const lengths = new Uint8Array(256);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length += 1) {
    for (let count = 0; count < (bits[length - 1] ?? 0); count += 1) {
      const value = values[k] ?? 0;
      codes[value] = code;
      lengths[value] = length;
      code += 1;
      k += 1;
    }
    code <<= 1;
  }
  return { codes, lengths };
}

const DC_LUMA = huffmanTable(DC_LUMA_BITS, DC_VALUES);
const DC_CHROMA = huffmanTable(DC_CHROMA_BITS, DC_VALUES);
const AC_LUMA = huffmanTable(AC_LUMA_BITS, AC_LUMA_VALUES);
const AC_CHROMA = huffmanTable(AC_CHROMA_BITS, AC_CHROMA_VALUES);

/** IJG's quality scaling of a base table (natural order), 1–100. */
function qualityTable(base: readonly number[], quality: number): Uint8Array {
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return Uint8Array.from(base, (value) => Math.min(255, Math.max(1, Math.floor((value * scale + 50) / 100))));
}

function divisors(table: Uint8Array): Float32Array {
  const out = new Float32Array(64);
  for (let row = 0; row < 8; row += 1) {
    for (let column = 0; column < 8; column += 1) {
      const index = row * 8 + column;
      out[index] = 1 / ((table[index] ?? 1) * (AAN_SCALE[row] ?? 1) * (AAN_SCALE[column] ?? 1) * 8);
    }
  }
  return out;
}

/** A growing byte buffer that writes entropy-coded bits with 0xFF stuffing. */
class ByteSink {
  bytes: Uint8Array;
  length = 0;
  private bitBuffer = 0;
  private bitCount = 0;
  constructor(initial: number) {
    this.bytes = new Uint8Array(initial);
  }
  /** Makes room for `count` more bytes, so the writes after it need no check of their own. */
  reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }
  word(value: number): void {
    this.byte((value >> 8) & 0xff);
    this.byte(value & 0xff);
  }
  array(values: ArrayLike<number>): void {
    for (let index = 0; index < values.length; index += 1) this.byte(values[index] ?? 0);
  }
  /** Up to 16 bits at a time; the caller has reserved room (a block needs well under 1 kB). */
  bits(value: number, count: number): void {
    let buffer = (this.bitBuffer << count) | (value & ((1 << count) - 1));
    let held = this.bitCount + count;
    const bytes = this.bytes;
    while (held >= 8) {
      held -= 8;
      const byte = (buffer >> held) & 0xff;
      bytes[this.length++] = byte;
      if (byte === 0xff) bytes[this.length++] = 0;
    }
    buffer &= (1 << held) - 1;
    this.bitBuffer = buffer;
    this.bitCount = held;
  }
  flushBits(): void {
    this.reserve(2);
    if (this.bitCount > 0) this.bits(0x7f, 8 - this.bitCount);
  }
}

/** Forward DCT (Arai, Agui and Nakajima) in place on an 8×8 block, rows then columns. */
function forwardDct(data: Float32Array): void {
  for (let pass = 0; pass < 2; pass += 1) {
    const step = pass === 0 ? 1 : 8;
    const stride = pass === 0 ? 8 : 1;
    for (let line = 0; line < 8; line += 1) {
      const o = line * stride;
      const d0 = data[o] ?? 0;
      const d1 = data[o + step] ?? 0;
      const d2 = data[o + 2 * step] ?? 0;
      const d3 = data[o + 3 * step] ?? 0;
      const d4 = data[o + 4 * step] ?? 0;
      const d5 = data[o + 5 * step] ?? 0;
      const d6 = data[o + 6 * step] ?? 0;
      const d7 = data[o + 7 * step] ?? 0;
      const tmp0 = d0 + d7;
      const tmp7 = d0 - d7;
      const tmp1 = d1 + d6;
      const tmp6 = d1 - d6;
      const tmp2 = d2 + d5;
      const tmp5 = d2 - d5;
      const tmp3 = d3 + d4;
      const tmp4 = d3 - d4;
      let tmp10 = tmp0 + tmp3;
      const tmp13 = tmp0 - tmp3;
      let tmp11 = tmp1 + tmp2;
      let tmp12 = tmp1 - tmp2;
      data[o] = tmp10 + tmp11;
      data[o + 4 * step] = tmp10 - tmp11;
      const z1 = (tmp12 + tmp13) * 0.707106781;
      data[o + 2 * step] = tmp13 + z1;
      data[o + 6 * step] = tmp13 - z1;
      tmp10 = tmp4 + tmp5;
      tmp11 = tmp5 + tmp6;
      tmp12 = tmp6 + tmp7;
      const z5 = (tmp10 - tmp12) * 0.382683433;
      const z2 = 0.5411961 * tmp10 + z5;
      const z4 = 1.306562965 * tmp12 + z5;
      const z3 = tmp11 * 0.707106781;
      const z11 = tmp7 + z3;
      const z13 = tmp7 - z3;
      data[o + 5 * step] = z13 + z2;
      data[o + 3 * step] = z13 - z2;
      data[o + step] = z11 + z4;
      data[o + 7 * step] = z11 - z4;
    }
  }
}

function bitLength(value: number): number {
  return 32 - Math.clz32(value < 0 ? -value : value);
}

/** The block's quantised coefficients in zig-zag order. */
const zigzagged = new Int32Array(64);
const ZIGZAG_INDEX = Int32Array.from(ZIGZAG);

/** DCT, quantisation and Huffman coding of one block; returns the block's DC for the next one's prediction. */
function encodeBlock(sink: ByteSink, block: Float32Array, divisor: Float32Array, previousDc: number, dc: HuffmanTable, ac: HuffmanTable): number {
  forwardDct(block);
  sink.reserve(1024);
  for (let k = 0; k < 64; k += 1) {
    const index = ZIGZAG_INDEX[k] ?? 0;
    const value = (block[index] ?? 0) * (divisor[index] ?? 0);
    zigzagged[k] = value > 0 ? (value + 0.5) | 0 : (value - 0.5) | 0;
  }
  const dcValue = zigzagged[0] ?? 0;
  const difference = dcValue - previousDc;
  const dcBits = bitLength(difference);
  sink.bits(dc.codes[dcBits] ?? 0, dc.lengths[dcBits] ?? 0);
  if (dcBits > 0) sink.bits(difference < 0 ? difference + (1 << dcBits) - 1 : difference, dcBits);
  let last = 63;
  while (last > 0 && zigzagged[last] === 0) last -= 1;
  let run = 0;
  for (let k = 1; k <= last; k += 1) {
    const value = zigzagged[k] ?? 0;
    if (value === 0) {
      run += 1;
      continue;
    }
    while (run >= 16) {
      sink.bits(ac.codes[0xf0] ?? 0, ac.lengths[0xf0] ?? 0);
      run -= 16;
    }
    const size = bitLength(value);
    const symbol = (run << 4) | size;
    sink.bits(ac.codes[symbol] ?? 0, ac.lengths[symbol] ?? 0);
    sink.bits(value < 0 ? value + (1 << size) - 1 : value, size);
    run = 0;
  }
  if (last < 63) sink.bits(ac.codes[0] ?? 0, ac.lengths[0] ?? 0);
  return dcValue;
}

/** A 16×16 chroma plane averaged 2×2 into one 8×8 block. */
function subsample(plane: Float32Array, block: Float32Array): void {
  for (let row = 0; row < 8; row += 1) {
    for (let column = 0; column < 8; column += 1) {
      const at = row * 32 + column * 2;
      block[row * 8 + column] = ((plane[at] ?? 0) + (plane[at + 1] ?? 0) + (plane[at + 16] ?? 0) + (plane[at + 17] ?? 0)) / 4;
    }
  }
}

function writeHuffmanTable(sink: ByteSink, id: number, bits: readonly number[], values: readonly number[]): void {
  sink.byte(id);
  sink.array(bits);
  sink.array(values);
}

/** Encodes RGB pixels as a baseline JFIF JPEG at the given quality (1–100). */
export function encodeJpeg(image: RgbImage, quality = 82): Uint8Array {
  const { width, height, rgb } = image;
  const lumaTable = qualityTable(LUMA_QUANT, quality);
  const chromaTable = qualityTable(CHROMA_QUANT, quality);
  const lumaDivisors = divisors(lumaTable);
  const chromaDivisors = divisors(chromaTable);
  const sink = new ByteSink(Math.max(4096, (width * height) >> 1));

  sink.word(0xffd8);
  sink.word(0xffe0);
  sink.word(16);
  sink.array([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  sink.word(0xffdb);
  sink.word(132);
  sink.byte(0);
  for (let k = 0; k < 64; k += 1) sink.byte(lumaTable[ZIGZAG[k] ?? 0] ?? 1);
  sink.byte(1);
  for (let k = 0; k < 64; k += 1) sink.byte(chromaTable[ZIGZAG[k] ?? 0] ?? 1);
  sink.word(0xffc0);
  sink.word(17);
  sink.byte(8);
  sink.word(height);
  sink.word(width);
  sink.array([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  sink.word(0xffc4);
  sink.word(2 + 4 * 17 + 12 + 162 + 12 + 162);
  writeHuffmanTable(sink, 0x00, DC_LUMA_BITS, DC_VALUES);
  writeHuffmanTable(sink, 0x10, AC_LUMA_BITS, AC_LUMA_VALUES);
  writeHuffmanTable(sink, 0x01, DC_CHROMA_BITS, DC_VALUES);
  writeHuffmanTable(sink, 0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES);
  sink.word(0xffda);
  sink.word(12);
  sink.array([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 0x3f, 0]);

  // One MCU is 16×16 pixels: four luma blocks and one block each of Cb and Cr averaged 2×2.
  const y16 = new Float32Array(256);
  const cb16 = new Float32Array(256);
  const cr16 = new Float32Array(256);
  const block = new Float32Array(64);
  let dcY = 0;
  let dcCb = 0;
  let dcCr = 0;
  for (let top = 0; top < height; top += 16) {
    for (let left = 0; left < width; left += 16) {
      const inside = left + 16 <= width;
      for (let row = 0; row < 16; row += 1) {
        const rowStart = Math.min(height - 1, top + row) * width;
        for (let column = 0; column < 16; column += 1) {
          // Past the right or bottom edge, the last pixel repeats (what decoders crop away).
          const at = (rowStart + (inside ? left + column : Math.min(width - 1, left + column))) * 3;
          const r = rgb[at] ?? 0;
          const g = rgb[at + 1] ?? 0;
          const b = rgb[at + 2] ?? 0;
          const index = row * 16 + column;
          y16[index] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          cb16[index] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          cr16[index] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let quadrant = 0; quadrant < 4; quadrant += 1) {
        const offset = (quadrant >> 1) * 128 + (quadrant & 1) * 8;
        for (let row = 0; row < 8; row += 1) for (let column = 0; column < 8; column += 1) block[row * 8 + column] = y16[offset + row * 16 + column] ?? 0;
        dcY = encodeBlock(sink, block, lumaDivisors, dcY, DC_LUMA, AC_LUMA);
      }
      subsample(cb16, block);
      dcCb = encodeBlock(sink, block, chromaDivisors, dcCb, DC_CHROMA, AC_CHROMA);
      subsample(cr16, block);
      dcCr = encodeBlock(sink, block, chromaDivisors, dcCr, DC_CHROMA, AC_CHROMA);
    }
  }
  sink.flushBits();
  sink.word(0xffd9);
  return sink.bytes.slice(0, sink.length);
}

/** Pixels as 8-bit RGBA, row after row, with no padding: what jpeg-js and pngjs read and write. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** The size that fits within maxWidth × maxHeight keeping the aspect ratio; never larger than the image. */
export function fittedSize(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Lays transparent pixels on white paper, in place: a JPEG has no alpha, and a print's
 * background is white, not the black that dropping alpha would leave.
 */
export function onWhite(image: RgbaImage): RgbaImage {
  const { data } = image;
  for (let at = 0; at < data.length; at += 4) {
    const alpha = data[at + 3] ?? 255;
    if (alpha === 255) continue;
    for (let channel = 0; channel < 3; channel += 1) data[at + channel] = Math.round(((data[at + channel] ?? 0) * alpha + 255 * (255 - alpha)) / 255);
    data[at + 3] = 255;
  }
  return image;
}

/**
 * Shrinks by averaging each target pixel's source area (a box filter): for reduction, which is
 * all a print needs, it keeps the detail a nearest-pixel pick would alias away.
 */
export function downscale(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width >= image.width && height >= image.height) return image;
  const out = new Uint8Array(width * height * 4);
  const xStarts = new Uint32Array(width + 1);
  for (let x = 0; x <= width; x += 1) xStarts[x] = Math.min(image.width, Math.round((x * image.width) / width));
  const sums = new Float64Array(width * 3);
  for (let y = 0; y < height; y += 1) {
    const top = Math.floor((y * image.height) / height);
    const bottom = Math.max(top + 1, Math.min(image.height, Math.floor(((y + 1) * image.height) / height)));
    sums.fill(0);
    for (let sy = top; sy < bottom; sy += 1) {
      const row = sy * image.width * 4;
      for (let x = 0; x < width; x += 1) {
        const from = xStarts[x] ?? 0;
        const to = Math.max(from + 1, xStarts[x + 1] ?? 0);
        let r = 0;
        let g = 0;
        let b = 0;
        for (let sx = from; sx < to; sx += 1) {
          const at = row + sx * 4;
          r += image.data[at] ?? 0;
          g += image.data[at + 1] ?? 0;
          b += image.data[at + 2] ?? 0;
        }
        sums[x * 3] = (sums[x * 3] ?? 0) + r;
        sums[x * 3 + 1] = (sums[x * 3 + 1] ?? 0) + g;
        sums[x * 3 + 2] = (sums[x * 3 + 2] ?? 0) + b;
      }
    }
    for (let x = 0; x < width; x += 1) {
      const area = (bottom - top) * Math.max(1, (xStarts[x + 1] ?? 0) - (xStarts[x] ?? 0));
      const at = (y * width + x) * 4;
      out[at] = Math.round((sums[x * 3] ?? 0) / area);
      out[at + 1] = Math.round((sums[x * 3 + 1] ?? 0) / area);
      out[at + 2] = Math.round((sums[x * 3 + 2] ?? 0) / area);
      out[at + 3] = 255;
    }
  }
  return { width, height, data: out };
}

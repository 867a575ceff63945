import { writeFile } from 'node:fs/promises';
import zxing from '@zxing/library';

/**
 * A video file for Chromium's fake camera (--use-file-for-fake-video-capture) that shows one
 * barcode, as a label held in front of a laptop's webcam would. The code is drawn by ZXing's own
 * writer, so the app's reader meets a real symbol, not a picture of one made by hand. This
 * release of @zxing/library writes 2-D codes only (QR, Data Matrix, Aztec); QR is what the
 * readers on asset labels most often meet besides Code 128.
 */
export interface BarcodeVideo {
  readonly width: number;
  readonly height: number;
}

/** The symbol as rows of dark (true) and light modules, scaled to `size` pixels with a quiet zone. */
function qrModules(text: string, size: number): boolean[][] {
  const { BarcodeFormat, EncodeHintType, MultiFormatWriter } = zxing;
  const hints = new Map<typeof EncodeHintType.MARGIN, number>([[EncodeHintType.MARGIN, 4]]);
  const matrix = new MultiFormatWriter().encode(text, BarcodeFormat.QR_CODE, size, size, hints);
  return Array.from({ length: matrix.getHeight() }, (_, y) => Array.from({ length: matrix.getWidth() }, (__, x) => matrix.get(x, y)));
}

/**
 * YUV4MPEG2 (the format Chromium's fake capture reads): a text header, then per frame the line
 * "FRAME", the full-size luma plane and the two chroma planes at half width and height (4:2:0).
 * A grey scene with a white label: luma carries the picture, chroma stays neutral (128).
 */
export function y4mOfBarcode(text: string, video: BarcodeVideo = { width: 1280, height: 720 }, frames = 2): Buffer {
  const { width, height } = video;
  const label = qrModules(text, Math.floor(Math.min(width, height) * 0.75));
  const top = Math.floor((height - label.length) / 2);
  const left = Math.floor((width - (label[0]?.length ?? 0)) / 2);
  const luma = Buffer.alloc(width * height, 96);
  label.forEach((row, y) => row.forEach((dark, x) => luma.writeUInt8(dark ? 16 : 235, (top + y) * width + left + x)));
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

export async function writeBarcodeVideo(file: string, text: string): Promise<void> {
  await writeFile(file, y4mOfBarcode(text));
}

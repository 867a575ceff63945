import { writeFile } from 'node:fs/promises';
import zxing from '@zxing/library';
import bwipjs from 'bwip-js/node';

/**
 * A video file for Chromium's fake camera (--use-file-for-fake-video-capture) that shows one
 * barcode, as a label held in front of a laptop's webcam would. The symbol is encoded by an
 * independent encoder (bwip-js for Code 128, the linear code on most asset labels; ZXing's own
 * writer for QR), so the app's reader meets a real symbol, not a picture of one made by hand.
 */
export type Symbology = 'code128' | 'qr';

export interface BarcodeVideo {
  readonly width: number;
  readonly height: number;
}

/** Rows of dark (true) and light modules, already scaled to pixels, without a quiet zone. */
type Label = boolean[][];

function qrLabel(text: string, size: number): Label {
  const { BarcodeFormat, EncodeHintType, MultiFormatWriter } = zxing;
  const hints = new Map<typeof EncodeHintType.MARGIN, number>([[EncodeHintType.MARGIN, 4]]);
  const matrix = new MultiFormatWriter().encode(text, BarcodeFormat.QR_CODE, size, size, hints);
  return Array.from({ length: matrix.getHeight() }, (_, y) => Array.from({ length: matrix.getWidth() }, (__, x) => matrix.get(x, y)));
}

/**
 * Code 128 as bar and space widths (bwip-js `raw`: `sbs` alternates bar, space, bar… in modules),
 * drawn `moduleWidth` pixels per module with ten modules of quiet zone on each side.
 */
function code128Label(text: string, moduleWidth: number, barHeight: number): Label {
  const [symbol] = bwipjs.raw('code128', text, '');
  if (!symbol || !('sbs' in symbol)) throw new Error(`bwip-js did not encode ${text} as Code 128`);
  const quiet = Array.from({ length: 10 * moduleWidth }, () => false);
  const row = [...quiet, ...symbol.sbs.flatMap((modules, i) => Array.from({ length: modules * moduleWidth }, () => i % 2 === 0)), ...quiet];
  return Array.from({ length: barHeight }, () => row);
}

/**
 * YUV4MPEG2 (the format Chromium's fake capture reads): a text header, then per frame the line
 * "FRAME", the full-size luma plane and the two chroma planes at half width and height (4:2:0).
 * A grey scene with a white label: luma carries the picture, chroma stays neutral (128).
 */
export function y4mOfBarcode(text: string, symbology: Symbology, video: BarcodeVideo = { width: 1280, height: 720 }, frames = 2): Buffer {
  const { width, height } = video;
  const label = symbology === 'qr' ? qrLabel(text, Math.floor(Math.min(width, height) * 0.75)) : code128Label(text, 4, Math.floor(height * 0.4));
  const labelWidth = label[0]?.length ?? 0;
  if (labelWidth > width) throw new Error(`the ${symbology} label for ${text} is ${labelWidth} px wide; the video is ${width}`);
  const top = Math.floor((height - label.length) / 2);
  const left = Math.floor((width - labelWidth) / 2);
  const luma = Buffer.alloc(width * height, 96);
  label.forEach((row, y) => row.forEach((dark, x) => luma.writeUInt8(dark ? 16 : 235, (top + y) * width + left + x)));
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

export async function writeBarcodeVideo(file: string, text: string, symbology: Symbology): Promise<void> {
  await writeFile(file, y4mOfBarcode(text, symbology));
}

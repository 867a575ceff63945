/**
 * A 12-megapixel photo (4000×3000) through the door's photo pipeline, in Chromium, where the
 * app resizes it: decode, resize to 2048 px, JPEG re-compression, thumbnail, EXIF read and
 * SHA-256. Prints time and bytes per photo and writes tests/bench/results/photo-pipeline.json;
 * asserts nothing. Needs Chromium (RECLAIM_CHROMIUM, else /usr/bin/chromium).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const RUNS = Number(process.env.BENCH_RUNS ?? 8);

const bundle = await build({
  stdin: {
    contents: "import { preparePhoto } from './renderer/features/capture/photo-pipeline'; Object.assign(globalThis, { preparePhoto });",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'iife',
  write: false,
  target: 'es2022',
});
const script = bundle.outputFiles[0]?.text ?? '';

// Served from localhost: WebCrypto (the SHA-256) needs a secure context.
const server = createServer((request, response) => {
  if (request.url === '/pipeline.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
  else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/pipeline.js"></script>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({ executablePath: process.env.RECLAIM_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(url);
  const figures = await page.evaluate(async (runs: number) => {
    // A photo-like 12 MP JPEG: gradients plus per-pixel noise, so it compresses like a real scene.
    const width = 4000;
    const height = 3000;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const gradient = context.createLinearGradient(0, 0, width, height);
    gradient.addColorStop(0, '#2a4d69');
    gradient.addColorStop(1, '#e7c59a');
    context.fillStyle = gradient;
    context.fillRect(0, 0, width, height);
    const noise = context.getImageData(0, 0, width, height);
    let seed = 42;
    for (let i = 0; i < noise.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const jitter = (seed % 41) - 20;
      noise.data[i] = Math.max(0, Math.min(255, (noise.data[i] ?? 0) + jitter));
      noise.data[i + 1] = Math.max(0, Math.min(255, (noise.data[i + 1] ?? 0) + jitter));
      noise.data[i + 2] = Math.max(0, Math.min(255, (noise.data[i + 2] ?? 0) + jitter));
    }
    context.putImageData(noise, 0, 0);
    const original = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    const file = new File([original], 'IMG_0001.jpg', { type: 'image/jpeg', lastModified: Date.now() });
    const prepare = (globalThis as unknown as { preparePhoto: (file: File) => Promise<{ blob: Blob; thumbnail: Blob | null; width: number; height: number }> }).preparePhoto;
    const samples: number[] = [];
    let last: { blob: Blob; thumbnail: Blob | null; width: number; height: number } | null = null;
    for (let i = 0; i < runs + 1; i += 1) {
      const started = performance.now();
      last = await prepare(file);
      // The first run warms the decoder and the JIT; it is not counted.
      if (i > 0) samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    return {
      inputPixels: width * height,
      inputBytes: original.size,
      outputWidth: last?.width ?? 0,
      outputHeight: last?.height ?? 0,
      outputBytes: last?.blob.size ?? 0,
      thumbnailBytes: last?.thumbnail?.size ?? 0,
      runs,
      medianMs: Number((samples[Math.floor(samples.length / 2)] ?? 0).toFixed(1)),
      worstMs: Number((samples.at(-1) ?? 0).toFixed(1)),
    };
  }, RUNS);
  const result = { case: '12-megapixel JPEG through preparePhoto (Chromium)', ...figures, ratio: Number((figures.outputBytes / figures.inputBytes).toFixed(3)), at: new Date().toISOString() };
  console.log(
    `12 MP photo: ${(figures.inputBytes / 1e6).toFixed(2)} MB in → ${figures.outputWidth}×${figures.outputHeight}, ${(figures.outputBytes / 1e6).toFixed(2)} MB out + ${(figures.thumbnailBytes / 1e3).toFixed(1)} kB thumbnail; median ${figures.medianMs} ms, worst ${figures.worstMs} ms over ${figures.runs} runs`,
  );
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/photo-pipeline.json', `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
  server.close();
}

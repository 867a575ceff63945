/**
 * Verifying custody bundles with `npm run verify` (scripts/verify-bundle.ts: yauzl, bounded), each
 * case in its own process so its peak memory is its own (the kernel's high-water mark, read by a
 * preloaded exit hook):
 *  - a genuine bundle of 10,000 events (50 jobs, 1,000 items, 5 devices, 50 photos of 1 MiB):
 *    verify time and peak RSS, and the same verification in this process, without start-up;
 *  - zips that expand to 1 GiB: one entry of zeros with an honest header, the same with a header
 *    that lies about the size, and 1,024 entries of 1 MiB each: refused, with time and peak RSS
 *    (issue 13's target: under 5 s and under 256 MB);
 *  - the verifier before issue 13 (v1: the whole zip unpacked in memory) on the same 1 GiB zip,
 *    from this repository's history, for the before figure;
 *  - the command's start-up alone (a 22-byte empty zip), to read the others against.
 * Writes tests/bench/results/custody-verify.json; asserts nothing about time.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { readBundleZipFile } from '../../scripts/bundle-zip-reader';
import { verifyCustodyBundle } from '../../shared/trust/verify-bundle';
import { genuineBundle, makeOrganisation } from '../fixtures/custody-bundle';
import { subtle } from '../fixtures/custody-chain';
import { rawZip } from '../fixtures/raw-zip';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const root = resolve('.');
const mb = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

/**
 * Prints the process's peak RSS (kilobytes) on the way out, whatever the exit code: VmHWM, the
 * high-water mark of its own address space. getrusage's maxRSS would not do: it survives exec,
 * so a child forked from this (large) bench process would report the bench's size.
 */
const peakHook = `data:text/javascript,import{readFileSync}from"node:fs";process.on("exit",()=>{let kb=process.resourceUsage().maxRSS;try{kb=Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1])}catch{}process.stderr.write("PEAK_RSS_KB "+kb+"\\n")})`;

interface Run {
  readonly exitCode: number | null;
  readonly ms: number;
  readonly peakRssMb: number | null;
  readonly firstLine: string;
  readonly timedOut: boolean;
}

function runVerifier(script: string, args: readonly string[], cwd = root, timeoutMs = 120_000): Promise<Run> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', peakHook, script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const peak = /PEAK_RSS_KB (\d+)/.exec(stderr);
      const firstLine = (stdout.split('\n')[0] ?? '').slice(0, 160) || (stderr.split('\n').find((line) => line && !line.startsWith('PEAK_RSS_KB')) ?? '').slice(0, 160);
      done({ exitCode, ms: Math.round(performance.now() - started), peakRssMb: peak ? Math.round(Number(peak[1]) / 102.4) / 10 : null, firstLine, timedOut });
    });
  });
}

/** 1 GiB of zeros deflated, streamed so the bench itself never holds it. */
async function deflatedZeros(size: number): Promise<{ compressed: Uint8Array; crc: number }> {
  const chunk = new Uint8Array(MiB);
  let crc = 0;
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const finished = new Promise<void>((resolveDone, reject) => {
    deflate.on('end', resolveDone);
    deflate.on('error', reject);
  });
  for (let written = 0; written < size; written += MiB) {
    crc = crc32(chunk, crc);
    if (!deflate.write(chunk)) await new Promise<void>((drained) => deflate.once('drain', drained));
  }
  deflate.end();
  await finished;
  return { compressed: new Uint8Array(Buffer.concat(parts)), crc };
}

/** The verifier as it was before issue 13, taken from this repository's history. */
function oldVerifier(dir: string): string | null {
  try {
    const removed = execFileSync('git', ['log', '-1', '--format=%H', '-S', 'unzipSync(new Uint8Array(readFileSync(file)))', '--', 'scripts/verify-bundle.ts'], { cwd: root, encoding: 'utf8' }).trim();
    if (!removed) return null;
    const tree = join(dir, 'old-verifier');
    mkdirSync(tree, { recursive: true });
    const archive = execFileSync('git', ['archive', `${removed}~1`, 'scripts/verify-bundle.ts', 'shared'], { cwd: root, maxBuffer: 256 * MiB });
    execFileSync('tar', ['-x', '-C', tree], { input: archive });
    symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
    writeFileSync(join(tree, 'package.json'), '{"type":"module"}\n');
    return tree;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reclaim-bench-verify-'));
  const figures: Record<string, unknown>[] = [];
  try {
    const org = await makeOrganisation({ rotated: true });
    const building = performance.now();
    const big = await genuineBundle(org, { jobs: 50, itemsPerJob: 20, laterEventsPerJob: 199, devices: 5, photosPerJob: 1, photoSize: MiB, otherLeaves: 2000 });
    const buildMs = Math.round(performance.now() - building);
    const bigPath = join(dir, 'ten-thousand-events.zip');
    await writeFile(bigPath, big.zip);
    const fingerprint = org.current.fingerprint;

    const empty = join(dir, 'empty.zip');
    await writeFile(empty, rawZip([]));
    const startup = await runVerifier('scripts/verify-bundle.ts', [empty, '--org-key', fingerprint]);
    figures.push({ case: 'start-up alone (an empty zip, refused)', exitCode: startup.exitCode, ms: startup.ms, peakRssMb: startup.peakRssMb });

    const cli = await runVerifier('scripts/verify-bundle.ts', [bigPath, '--org-key', fingerprint]);
    figures.push({ case: `genuine bundle: ${big.events.length} events, ${mb(big.zip.length)} MB zip, 50 photos of 1 MiB`, exitCode: cli.exitCode, verdict: cli.firstLine.slice(0, 40), ms: cli.ms, peakRssMb: cli.peakRssMb });

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const started = performance.now();
    const verdict = await verifyCustodyBundle(subtle, await readBundleZipFile(bigPath), { fingerprint });
    const inProcessMs = Math.round(performance.now() - started);
    clearInterval(sampler);
    figures.push({ case: `the same ${big.events.length} events verified in this process (no start-up)`, status: verdict.status, ms: inProcessMs, eventsPerSecond: Math.round((big.events.length / inProcessMs) * 1000), rssGrowthMb: mb(peak - baseline) });

    const zeros = await deflatedZeros(GiB);
    const bombs: [string, Uint8Array][] = [
      [`1 GiB of zeros in one entry, honest header (${mb(zeros.compressed.length)} MB zip)`, rawZip([{ name: `evidence/${'0'.repeat(64)}`, data: new Uint8Array(0), method: 8, compressed: zeros.compressed, declaredSize: GiB, crc: zeros.crc }])],
      ['1 GiB of zeros in one entry whose header says 1 MiB', rawZip([{ name: `evidence/${'1'.repeat(64)}`, data: new Uint8Array(0), method: 8, compressed: zeros.compressed, declaredSize: MiB, crc: zeros.crc }])],
    ];
    const small = await deflatedZeros(MiB);
    bombs.push([
      '1 GiB of zeros in 1,024 entries of 1 MiB',
      rawZip(Array.from({ length: 1024 }, (_, index) => ({ name: `evidence/${index.toString(16).padStart(64, '0')}`, data: new Uint8Array(0), method: 8, compressed: small.compressed, declaredSize: MiB, crc: small.crc }))),
    ]);
    let honestBomb = '';
    for (const [name, bytes] of bombs) {
      const path = join(dir, `bomb-${figures.length}.zip`);
      await writeFile(path, bytes);
      honestBomb ||= path;
      const run = await runVerifier('scripts/verify-bundle.ts', [path, '--org-key', fingerprint]);
      figures.push({ case: `${name}: refused`, zipKb: Math.round(bytes.length / 1024), exitCode: run.exitCode, verdict: run.firstLine, ms: run.ms, peakRssMb: run.peakRssMb, target: 'under 5 s, under 256 MB' });
    }

    const old = oldVerifier(dir);
    if (old) {
      const run = await runVerifier(join(old, 'scripts/verify-bundle.ts'), [honestBomb], old);
      figures.push({ case: 'BEFORE: the v1 verifier (whole zip unpacked in memory) on the honest 1 GiB zip', exitCode: run.exitCode, timedOut: run.timedOut, verdict: run.firstLine, ms: run.ms, peakRssMb: run.peakRssMb });
    } else {
      figures.push({ case: 'BEFORE: the v1 verifier could not be taken from git history here', issueFigure: 'a 50 kB zip made it use 1.9 GB of memory and 17 s before refusing it (issue 13)' });
    }
    console.log(`(building the ${big.events.length}-event bundle took ${buildMs} ms)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const figure of figures) console.log(JSON.stringify(figure));
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/custody-verify.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
  console.log('Wrote tests/bench/results/custody-verify.json');
}

await main();

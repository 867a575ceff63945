import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs Electronegativity over electron/ and fails on any high-severity finding. Findings that
 * are false positives are silenced next to the code with an `eng-disable` comment that says why.
 * The CLI itself exits 0 whatever it finds, hence this wrapper.
 */
const dir = mkdtempSync(join(tmpdir(), 'reclaim-eng-'));
const report = join(dir, 'electronegativity.csv');
try {
  const run = spawnSync(
    process.execPath,
    [join('node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'), '-i', 'electron', '-r', '-e', '40.0.0', '-s', 'high', '-v', 'false', '-o', report],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`electronegativity exited with ${run.status}`);
  }
  // The CSV keeps every finding whatever -s says; its second column is the severity.
  const findings = readFileSync(report, 'utf8').trim().split(/\r?\n/).slice(1).filter((line) => line.trim() !== '');
  const rows = findings.filter((line) => line.split(',')[1] === '"HIGH"');
  console.info(`Electronegativity: ${findings.length} finding(s) below high severity to review:\n${findings.filter((line) => !rows.includes(line)).join('\n')}`);
  if (rows.length > 0) {
    process.stderr.write(`Electronegativity: ${rows.length} high-severity finding(s) in electron/:\n${rows.join('\n')}\n`);
    process.exitCode = 1;
  } else {
    console.info('Electronegativity: no high-severity finding in electron/.');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// @ts-check
/**
 * Step 1 of `npm start`, in plain JavaScript because it must run before anything from
 * node_modules can: on a fresh clone without `npm install`, tsx itself is missing and the user
 * would otherwise see only a module-not-found trace. Exits 1 with a sentence saying what to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const STEP = '[1/4]';
const started = performance.now();
const root = process.cwd();
const require = createRequire(path.join(root, 'package.json'));
const installHint = 'run npm install (where Electron cannot be downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install)';

/** @param {string} file */
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** @param {string} message */
function stop(message) {
  console.error(`${STEP} Install check failed: ${message}`);
  process.exit(1);
}

/** ">=20.19" → whether this Node.js satisfies it; other range forms are not used by this project. */
function nodeSatisfies(/** @type {string} */ range) {
  const wanted = /^>=\s*(\d+)(?:\.(\d+))?/.exec(range);
  if (!wanted) return true;
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const wantMajor = Number(wanted[1]);
  const wantMinor = Number(wanted[2] ?? 0);
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

const pkg = readJson(path.join(root, 'package.json'));
if (!nodeSatisfies(pkg.engines?.node ?? '')) {
  stop(`Reclaim needs Node.js ${pkg.engines.node}, and this is ${process.versions.node}: install a newer Node.js, then run npm install.`);
}
if (!existsSync(path.join(root, 'node_modules'))) stop(`the dependencies are not installed: ${installHint}.`);

// A pulled commit that changed package-lock.json leaves node_modules behind; say so before a build fails obscurely.
const lock = readJson(path.join(root, 'package-lock.json'));
const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
/** @type {string[]} */
const missing = [];
/** @type {string[]} */
const different = [];
for (const name of names) {
  const locked = lock.packages?.[`node_modules/${name}`]?.version;
  const manifest = path.join(root, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) {
    missing.push(name);
    continue;
  }
  const installed = readJson(manifest).version;
  if (locked && installed !== locked) different.push(`${name} ${installed} installed, ${locked} locked`);
}
if (missing.length > 0 || different.length > 0) {
  const parts = [
    ...(missing.length > 0 ? [`not installed: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`] : []),
    ...(different.length > 0 ? [`not as package-lock.json says: ${different.slice(0, 3).join('; ')}${different.length > 3 ? ` and ${different.length - 3} more` : ''}`] : []),
  ];
  stop(`node_modules does not match package-lock.json (${parts.join('; ')}): ${installHint}.`);
}

// The embedded database is a native module: after a Node.js upgrade it must be rebuilt.
try {
  const Database = require('better-sqlite3');
  new Database(':memory:').close();
} catch (error) {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  stop(`the SQLite module does not load in Node.js ${process.versions.node} (${reason}): run npm rebuild better-sqlite3.`);
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${STEP} Install checked: Node.js ${process.versions.node}, ${names.length} packages as package-lock.json says (${seconds} s)`);

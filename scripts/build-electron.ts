import { build, type BuildOptions } from 'esbuild';

/**
 * Bundles the main process and the preload into CommonJS files. The preload must be a single
 * file: a sandboxed preload can require nothing but 'electron'.
 */
const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'info',
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs' }),
]);

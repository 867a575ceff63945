// @ts-check
/**
 * `npm start` in one Node.js process: the install check first, in plain JavaScript because it
 * must run before anything from node_modules can (it exits with what to run when the install is
 * broken), then tsx's loader and the TypeScript start script. The tsx command would start two
 * more Node.js processes, seconds each on a busy laptop.
 */
import './check-install.mjs';

const { register } = await import('tsx/esm/api');
register();
await import('./start.ts');

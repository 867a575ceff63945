import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * What a build was made from, so `npm start` can skip a build whose inputs have not changed.
 * The fingerprint covers every file of the input folders and files (the lockfile stands for
 * node_modules), by path and content, so an edit, a new file or a deleted one all change it.
 */
export async function inputsFingerprint(inputs: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const files = (await Promise.all(inputs.map((input) => filesUnder(input)))).flat().sort();
  for (const file of files) {
    hash.update(file).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

async function filesUnder(input: string): Promise<string[]> {
  if (!existsSync(input)) return [];
  const entries = await readdir(input, { withFileTypes: true, recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') return null;
    throw error;
  });
  if (entries === null) return [input];
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name).split(path.sep).join('/'));
}

const Stamp = z.object({ fingerprint: z.string(), modules: z.number().int().nonnegative() });
export type BuildStamp = z.infer<typeof Stamp>;

/** The stamp an earlier build left, or null when there is none or it is unreadable. */
export async function readStamp(file: string): Promise<BuildStamp | null> {
  try {
    return Stamp.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

export async function writeStamp(file: string, stamp: BuildStamp): Promise<void> {
  await writeFile(file, `${JSON.stringify(stamp, null, 2)}\n`);
}

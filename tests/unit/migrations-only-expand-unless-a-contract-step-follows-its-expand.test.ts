import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Rolling upgrades (README "Migrations"): while instances of the previous release still serve,
 * the database already has the new schema, so a migration may only add (expand). Dropping or
 * renaming a column or table, or demanding NOT NULL of rows the old code writes without the
 * column, breaks those instances. Such a statement is allowed only in a contract step, which names
 * the expand step it follows (a comment `contract step: follows NNNN_name`); that expand step must
 * be an earlier migration, so it shipped in an earlier release and every instance reads the new
 * shape before the old one goes.
 *
 * Migrations before CUTOFF shipped before the rule: 0009 renamed a column (see the README).
 */
const CUTOFF = '0010';
const folder = join(import.meta.dirname, '../../server/store/migrations');

/** The code without its comments, so a comment that mentions "drop column" is not a statement. */
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const destructive: [RegExp, string][] = [
  [/\.renameColumn\(/, 'renames a column'],
  [/\.renameTo\(/, 'renames a table'],
  [/\.dropColumn\(/, 'drops a column'],
  [/\.dropTable\(/, 'drops a table'],
  [/\.setNotNull\(/, 'makes an existing column NOT NULL'],
  [/\bdrop\s+(table|column)\b/i, 'drops a table or column (SQL)'],
  [/\brename\s+(column|to)\b/i, 'renames a table or column (SQL)'],
  [/\bset\s+not\s+null\b/i, 'makes an existing column NOT NULL (SQL)'],
];

/** What in a migration's code breaks the previous release's instances, one entry per statement. */
export function destructiveStatements(code: string): string[] {
  const found: string[] = [];
  for (const statement of withoutComments(code).split(/\.execute\(/)) {
    for (const [pattern, what] of destructive) if (pattern.test(statement)) found.push(what);
    const addsToExisting = (/\.alterTable\(/.test(statement) && /\.addColumn\(/.test(statement)) || /\balter\s+table\b[\s\S]*\badd\s+column\b/i.test(statement);
    const notNull = /\.notNull\(\)/.test(statement) || /\bnot\s+null\b/i.test(statement);
    const hasDefault = /\.defaultTo\(/.test(statement) || /\bdefault\b/i.test(statement);
    if (addsToExisting && notNull && !hasDefault) found.push('adds a NOT NULL column without a default to an existing table');
  }
  return found;
}

/** The expand step a contract step names, if it is marked as one. */
export function expandStepNamed(code: string): string | null {
  return /contract step: follows (\d{4}_[a-z0-9_]+)/.exec(code)?.[1] ?? null;
}

const migrations = readdirSync(folder)
  .filter((file) => /^\d{4}_.+\.ts$/.test(file))
  .map((file) => ({ name: file.replace(/\.ts$/, ''), code: readFileSync(join(folder, file), 'utf8') }))
  .sort((a, b) => a.name.localeCompare(b.name));

describe('migrations after the cutoff', () => {
  it('only add, unless a contract step follows an earlier expand step', () => {
    const checked = migrations.filter((migration) => migration.name >= CUTOFF);
    expect(checked.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const migration of checked) {
      const found = destructiveStatements(migration.code);
      if (found.length === 0) continue;
      const expand = expandStepNamed(migration.code);
      if (expand === null) problems.push(`${migration.name} ${found.join(', ')}, and is not marked "contract step: follows <expand migration>"`);
      else if (!migrations.some((other) => other.name === expand && other.name < migration.name)) problems.push(`${migration.name} is a contract step of ${expand}, which is not an earlier migration`);
    }
    expect(problems).toEqual([]);
  });

  it('are all registered, in order, in the migration list', () => {
    const index = readFileSync(join(folder, 'index.ts'), 'utf8');
    const registered = [...index.matchAll(/^\s*'(\d{4}_[a-z0-9_]+)':/gm)].map((match) => match[1]);
    expect(registered).toEqual(migrations.map((migration) => migration.name));
  });
});

describe('the check', () => {
  it('finds the rename that shipped in 0009, before the rule', () => {
    const sealed = migrations.find((migration) => migration.name === '0009_sealed_office_keys');
    expect(destructiveStatements(sealed?.code ?? '')).toEqual(['renames a column']);
  });

  it('finds each kind of destructive statement, in Kysely and in SQL, and lets additions through', () => {
    const cases: [string, string[]][] = [
      [`await db.schema.alterTable('jobs').dropColumn('notes').execute();`, ['drops a column']],
      [`await db.schema.dropTable('visits').execute();`, ['drops a table']],
      [`await db.schema.alterTable('jobs').renameTo('work_orders').execute();`, ['renames a table']],
      [`await db.schema.alterTable('jobs').alterColumn('due', (c) => c.setNotNull()).execute();`, ['makes an existing column NOT NULL']],
      [`await db.schema.alterTable('jobs').addColumn('region', 'text', (c) => c.notNull()).execute();`, ['adds a NOT NULL column without a default to an existing table']],
      [`await sql\`ALTER TABLE jobs DROP COLUMN notes\`.execute(db);`, ['drops a table or column (SQL)']],
      [`await sql\`alter table jobs rename column a to b\`.execute(db);`, ['renames a table or column (SQL)']],
      [`await sql\`alter table jobs add column region text not null\`.execute(db);`, ['adds a NOT NULL column without a default to an existing table']],
      [`await db.schema.alterTable('jobs').addColumn('region', 'text', (c) => c.notNull().defaultTo('')).execute();`, []],
      [`await sql\`alter table jobs add column region text not null default ''\`.execute(db);`, []],
      [`await db.schema.alterTable('jobs').addColumn('region', 'text').execute();`, []],
      [`await db.schema.createTable('regions').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).execute();`, []],
      [`// once this drops column notes\n/* and renames to x */\nawait db.schema.createIndex('a').on('jobs').column('b').execute();`, []],
    ];
    for (const [code, expected] of cases) expect(destructiveStatements(code), code).toEqual(expected);
  });

  it('reads the contract marker', () => {
    expect(expandStepNamed(`/** contract step: follows 0020_custody_event_columns (the export reads columns since) */`)).toBe('0020_custody_event_columns');
    expect(expandStepNamed(`/** drops the old column */`)).toBeNull();
  });
});

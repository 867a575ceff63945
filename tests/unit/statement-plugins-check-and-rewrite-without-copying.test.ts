import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { InListAsArrayOnPostgres } from '../../server/store/in-list-as-array';
import { NulInTextError, RefuseNulInText } from '../../server/store/text-without-nul';

/**
 * The two Kysely plugins every PostgreSQL statement passes through (SQLite's pass the first).
 * They read the statement's tree instead of copying it, so they must still find what they look
 * for wherever it sits: a NUL in any bound value, an `in` list in any clause.
 */
interface Tables {
  notes: { id: string; job_id: string; text: string; data: unknown };
  jobs: { id: string; status: string };
}

function compilerOnly(): Kysely<Tables> {
  return new Kysely<Tables>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    plugins: [new RefuseNulInText(), new InListAsArrayOnPostgres()],
  });
}

describe('RefuseNulInText', () => {
  const db = compilerOnly();

  it.each([
    ['the last row of a multi-row insert', () => db.insertInto('notes').values([
      { id: 'a', job_id: 'j', text: 'fine', data: null },
      { id: 'b', job_id: 'j', text: 'gate\u0000code', data: null },
    ])],
    ['an in list', () => db.selectFrom('jobs').select('id').where('id', 'in', ['a', 'b\u0000'])],
    ['a subquery in a where clause', () => db.selectFrom('jobs').select('id').where('id', 'in', db.selectFrom('notes').select('job_id').where('text', '=', 'x\u0000'))],
    ['a raw sql parameter', () => sql`select ${'a\u0000'}`],
    ['an array parameter, as the unnest inserts send them', () => sql`select * from unnest(${['ok', null, 'b\u0000']}::text[])`],
    ['a key of a JSON value', () => db.insertInto('notes').values({ id: 'a', job_id: 'j', text: 't', data: { ['k\u0000']: 1 } })],
    ['a value deep in a JSON value', () => db.updateTable('notes').set({ data: { list: [{ text: 'x\u0000' }] } }).where('id', '=', 'a')],
  ])('refuses a NUL in %s', (_where, statement) => {
    expect(() => statement().compile(db)).toThrow(NulInTextError);
  });

  it('hands a clean statement on as it is, without a copy', () => {
    const plugin = new RefuseNulInText();
    const node = db.insertInto('notes').values({ id: 'a', job_id: 'j', text: 'no NUL here', data: { bytes: Buffer.from([0, 1]) } }).toOperationNode();
    expect(plugin.transformQuery({ node, queryId: { queryId: 'clean' } })).toBe(node);
  });
});

describe('InListAsArrayOnPostgres', () => {
  const db = compilerOnly();

  it('sends an in list as one array parameter, and a not in as <> all', () => {
    const query = db.selectFrom('jobs').select('id').where('id', 'in', ['a', 'b', 'c']).where('status', 'not in', ['closed']).compile();
    expect(query.sql).toBe('select "id" from "jobs" where "id" = any($1) and "status" <> all($2)');
    expect(query.parameters).toEqual([['a', 'b', 'c'], ['closed']]);
  });

  it('finds a list nested in a subquery', () => {
    const query = db.selectFrom('jobs').select('id').where('id', 'in', db.selectFrom('notes').select('job_id').where('id', 'in', ['n1', 'n2'])).compile();
    expect(query.sql).toContain('where "id" = any($1)');
    expect(query.sql).toContain('"id" in (select');
  });

  it('leaves a statement without a list as it is, without a copy', () => {
    const plugin = new InListAsArrayOnPostgres();
    const node = db.insertInto('notes').values([{ id: 'a', job_id: 'j', text: 'in (1, 2)', data: { operator: 'in' } }]).toOperationNode();
    expect(plugin.transformQuery({ node, queryId: { queryId: 'plain' } })).toBe(node);
  });
});

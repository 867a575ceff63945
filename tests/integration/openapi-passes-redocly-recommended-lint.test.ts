import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Generated clients learn from the OpenAPI document what every operation can answer, so the
 * document passes Redocly's recommended ruleset (the lint API teams run in CI): each operation
 * names its error answers as problem+json, has an operationId and a summary, and the document
 * says where the API is served.
 */
let server: TestServer;
let document: unknown;
beforeAll(async () => {
  server = await startTestServer({ demo: false });
  document = (await server.api('/api/v1/openapi.json')).body;
});
afterAll(() => server.close());

/**
 * Findings accepted, each with its reason. The project has not chosen a licence yet; the document
 * will name one when it does.
 */
const accepted: Readonly<Record<string, string>> = {
  'info-license': 'the project has no licence yet',
};

it("passes Redocly's recommended lint with no error and no warning", async () => {
  const config = await createConfig({ extends: ['recommended'] });
  const findings = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  const unexpected = findings
    .filter((finding) => !(finding.ruleId in accepted))
    .map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message} at ${finding.location[0]?.pointer ?? '?'}`);
  expect(unexpected).toEqual([]);
});

const ProblemResponse = z.object({ $ref: z.string().regex(/^#\/components\/responses\/\w+$/) });
const Operation = z.looseObject({
  operationId: z.string().min(1),
  responses: z.record(z.string(), z.unknown()),
});
const Document = z.looseObject({
  servers: z.array(z.object({ url: z.string() })).min(1),
  paths: z.record(z.string(), z.record(z.string(), Operation)),
  components: z.looseObject({ responses: z.record(z.string(), z.looseObject({ content: z.record(z.string(), z.unknown()) })) }),
});

it('gives every operation its 4xx answers as problem+json, and every documented answer is used', () => {
  const parsed = Document.parse(document);
  const used = new Set<string>();
  for (const [path, methods] of Object.entries(parsed.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const errors = Object.entries(operation.responses).filter(([status]) => /^[45]\d\d$/.test(status));
      expect(errors.some(([status]) => status.startsWith('4')), `${method} ${path} lists no 4xx answer`).toBe(true);
      for (const [, response] of errors) used.add(ProblemResponse.parse(response).$ref.split('/').at(-1) ?? '');
      // Every operation whose input can be wrong says 400, and every one can fail inside with 500.
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '500']));
    }
  }
  for (const [name, response] of Object.entries(parsed.components.responses)) {
    expect(used.has(name), `${name} is documented but no operation answers it`).toBe(true);
    expect(Object.keys(response.content)).toEqual(['application/problem+json']);
  }
});

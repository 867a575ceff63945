import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { actions, callers, roleMatrix, scopeMeanings, scopes, type ActionRule } from '../../shared/auth/role-matrix';

/** The README's "Who may do what" table, as the matrix the server enforces renders it. */
function matrixTable(): string {
  const header = `| action | what it allows | ${callers.join(' | ')} |`;
  const rule = `|---|---|${callers.map(() => '---').join('|')}|`;
  const rows = actions.map((action) => {
    const entry: ActionRule = roleMatrix[action];
    return `| \`${action}\` | ${entry.summary} | ${callers.map((caller) => entry[caller] ?? '—').join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

function scopeList(): string {
  return scopes.map((scope) => `- **${scope}**: ${scopeMeanings[scope]}`).join('\n');
}

it('prints the role matrix in the README exactly as the server enforces it', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  if (process.env.PRINT_ROLE_MATRIX) console.log(`${matrixTable()}\n\n${scopeList()}`);
  expect(readme).toContain(matrixTable());
  expect(readme).toContain(scopeList());
});

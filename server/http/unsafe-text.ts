import { Stream } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { problems } from './problem';

/**
 * Control characters have no place in anything a person typed: NUL cannot be stored by
 * PostgreSQL at all, and the others end up in CSV files, PDFs and logs where they hide or forge
 * content. Text must also be well-formed Unicode: a lone surrogate would be silently replaced on
 * its way into the database. Multi-line text (notes, statements, a CSV file) keeps TAB, LF and CR.
 */
const controlInLine = /[\u0000-\u001f\u007f-\u009f]/;
const controlInText = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Half a surrogate pair: a high one not followed by a low one, or a low one not after a high one. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnsafeText {
  /** Where the text is, as a form would name it: query.q, body.customer.name. */
  readonly path: string;
  readonly message: string;
}

/** A field name as it can be shown in a problem: short, without the characters it is refused for. */
function printable(key: string): string {
  const shown = key.slice(0, 40).replace(/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/g, '?');
  return key.length > 40 ? `${shown}…` : shown;
}

function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function problemIn(text: string, multiLine: boolean): string | null {
  const control = (multiLine ? controlInText : controlInLine).exec(text);
  if (control?.[0] === '\u0000') return 'contains the NUL character (U+0000). Remove it';
  if (control) return `contains the control character ${codePoint(control[0])}. Remove it`;
  if (loneSurrogate.test(text)) return 'is not valid Unicode (it holds half of a surrogate pair). Correct the text';
  return null;
}

/** A value met on the walk, with the way back to the root for naming it. */
interface Visit {
  readonly value: unknown;
  readonly key: string;
  readonly parent: Visit | null;
}

/** The path of a visit, shortened in the middle when a body is nested absurdly deep. */
function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at; at = at.parent) keys.push(at.key);
  keys.reverse();
  if (keys.length <= 12) return keys.join('.');
  return [...keys.slice(0, 4), `…(${keys.length - 10} levels)…`, ...keys.slice(-6)].join('.');
}

/**
 * The first string in `value` (nested objects and arrays, keys included) that holds a control
 * character or is not well-formed, or null. Walks with its own stack, and names the path only
 * when it finds something, so a body nested 10,000 deep costs a loop, not the call stack or a
 * path string per level. Keys never hold line breaks; values may when multiLine.
 */
export function findUnsafeText(value: unknown, where: string, multiLine: boolean): UnsafeText | null {
  const pending: Visit[] = [{ value, key: where, parent: null }];
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    const current = visit.value;
    if (typeof current === 'string') {
      const message = problemIn(current, multiLine);
      if (message) return { path: pathOf(visit), message };
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1) pending.push({ value: current[index], key: String(index), parent: visit });
    } else if (current !== null && typeof current === 'object') {
      // Parsed JSON and query objects are walked (a query parser's objects have a prototype of
      // their own); streams and buffers are bytes, not text.
      if (ArrayBuffer.isView(current) || current instanceof Stream || current instanceof Date) continue;
      for (const [key, inner] of Object.entries(current)) {
        const message = problemIn(key, false);
        if (message) return { path: pathOf({ value: key, key: printable(key), parent: visit }), message: `has a field name that ${message}` };
        pending.push({ value: inner, key: printable(key), parent: visit });
      }
    }
  }
  return null;
}

/**
 * Routes whose body is refused record by record instead of whole: a sync push carries many
 * changes, and one pasted control character must cost that change alone, never wedge the
 * laptop's outbox (server/sync/push.ts refuses it with a reason).
 */
const bodyCheckedPerRecord: ReadonlySet<string> = new Set(['/api/v1/sync/push']);

/**
 * Refuses unsafe text in the path parameters, the query and a JSON or text body with 400, before
 * any handler runs: nothing of it reaches the database, a CSV writer, or a streamed export that
 * would otherwise have to break off after answering 200.
 */
export function refuseUnsafeText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found =
      findUnsafeText(request.params, 'params', false) ??
      findUnsafeText(request.query, 'query', false) ??
      (bodyCheckedPerRecord.has(request.routeOptions.url ?? '') ? null : findUnsafeText(request.body, 'body', true));
    if (!found) return;
    const path = found.path.replace(/^body\.?/, '');
    throw problems.validation(`Check the request: ${found.path} ${found.message} and send the request again.`, [{ path, message: found.message }]);
  });
}

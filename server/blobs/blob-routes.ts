import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { ProblemError, problems } from '../http/problem';
import { nowIso } from '../context';
import { blobAccess } from './blob-access';
import { BlobHashMismatchError, BlobTooLargeError, MAX_BLOB_BYTES } from './blob-store';

const BlobParams = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a blob is named by 64 lower-case hex digits (SHA-256)') });
const BlobStored = z.object({ sha256: z.string(), size: z.number().int(), created: z.boolean() });

/** Photos and signatures are images; a customer receipt is a PDF made on the laptop. */
export const blobContentTypes = ['application/octet-stream', 'image/jpeg', 'image/png', 'image/webp', 'image/*', 'application/pdf'] as const;

/** One answer for "not stored" and "not yours": a name alone must not confirm a customer's photo exists. */
function notYours(): ProblemError {
  return problems.notFound('The server has no file by this name that you may see.');
}

function tooLarge(): ProblemError {
  return new ProblemError(413, 'payload_too_large', `A file may be at most ${MAX_BLOB_BYTES / 1024 / 1024} MiB.`);
}

export function registerBlobRoutes(api: ApiRouter, context: ServerContext): void {
  const { blobs } = context;

  api.route({
    method: 'PUT',
    url: '/api/v1/blobs/:sha256',
    summary: 'Upload a photo or signature by its SHA-256; sending the same bytes again is a no-op',
    tag: 'blobs',
    action: 'blobs.upload',
    problems: [422],
    params: BlobParams,
    binaryBody: { contentTypes: blobContentTypes },
    response: { status: 201, description: 'Stored for you (201), or you had sent these bytes before (200)', schema: BlobStored },
    handler: async ({ params, principal, request, reply }) => {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > MAX_BLOB_BYTES) throw tooLarge();
      if (!(request.body instanceof Readable)) {
        throw problems.validation('Send the file bytes as application/octet-stream, an image type or application/pdf.');
      }
      try {
        // The store checks the bytes hash to the name before anything else, so only someone who
        // holds the bytes gets this far; whether another user sent them first is not told.
        await blobs.put(params.sha256, request.body);
        const size = (await blobs.size(params.sha256)) ?? 0;
        const created = await blobAccess(context.store.db).recordUpload(params.sha256, principal.userId, nowIso(context));
        reply.code(created ? 201 : 200);
        return reply.type('application/json; charset=utf-8').send(JSON.stringify({ sha256: params.sha256, size, created }));
      } catch (error) {
        if (error instanceof BlobTooLargeError) throw tooLarge();
        if (error instanceof BlobHashMismatchError) {
          throw new ProblemError(422, 'validation', error.message, [{ path: 'sha256', message: 'does not match the bytes sent' }]);
        }
        throw error;
      }
    },
  });

  api.route({
    method: 'HEAD',
    url: '/api/v1/blobs/:sha256',
    summary: 'Whether the server has this blob for you (200) or not (404: not stored, or not yours to read)',
    tag: 'blobs',
    action: 'blobs.read',
    params: BlobParams,
    response: { status: 200, description: 'The blob exists and you may read it', binary: true },
    handler: async ({ params, principal, reply }) => {
      if (!(await blobAccess(context.store.db).mayRead(params.sha256, principal))) throw notYours();
      const size = await blobs.size(params.sha256);
      if (size === null) throw notYours();
      return reply.code(200).header('content-length', size).type('application/octet-stream').send();
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/blobs/:sha256',
    summary: 'Download a blob by its SHA-256: its uploader, agents on a job whose records name it, and the office',
    tag: 'blobs',
    action: 'blobs.read',
    params: BlobParams,
    response: { status: 200, description: 'The bytes', binary: true },
    handler: async ({ params, principal, reply }) => {
      if (!(await blobAccess(context.store.db).mayRead(params.sha256, principal))) throw notYours();
      const size = await blobs.size(params.sha256);
      if (size === null) throw notYours();
      // Content-addressed, but never cached (cache-control: no-store, see sendSecurityHeaders):
      // a photo of a customer's home or a signature must not outlive sign-out in a browser's cache.
      return reply
        .code(200)
        .header('content-length', size)
        .header('etag', `"${params.sha256}"`)
        .type('application/octet-stream')
        .send(await blobs.open(params.sha256));
    },
  });
}

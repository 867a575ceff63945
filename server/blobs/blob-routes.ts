import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { ProblemError, problems } from '../http/problem';
import { BlobHashMismatchError, BlobTooLargeError, MAX_BLOB_BYTES } from './blob-store';

const BlobParams = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a blob is named by 64 lower-case hex digits (SHA-256)') });
const BlobStored = z.object({ sha256: z.string(), size: z.number().int(), created: z.boolean() });

export const blobContentTypes = ['application/octet-stream', 'image/jpeg', 'image/png', 'image/webp', 'image/*'] as const;

function tooLarge(): ProblemError {
  return new ProblemError(413, 'payload_too_large', `A file may be at most ${MAX_BLOB_BYTES / 1024 / 1024} MiB.`);
}

export function registerBlobRoutes(api: ApiRouter, context: ServerContext): void {
  const { blobs } = context;

  api.route({
    method: 'PUT',
    url: '/api/v1/blobs/:sha256',
    summary: 'Upload a photo or signature by its SHA-256; uploading one that exists is a no-op',
    tag: 'blobs',
    action: 'blobs.upload',
    params: BlobParams,
    binaryBody: { contentTypes: blobContentTypes },
    response: { status: 201, description: 'Stored (201), or already there (200)', schema: BlobStored },
    handler: async ({ params, request, reply }) => {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > MAX_BLOB_BYTES) throw tooLarge();
      if (!(request.body instanceof Readable)) {
        throw problems.validation('Send the file bytes as application/octet-stream or an image type.');
      }
      try {
        const outcome = await blobs.put(params.sha256, request.body);
        const size = (await blobs.size(params.sha256)) ?? 0;
        reply.code(outcome === 'stored' ? 201 : 200);
        return reply.type('application/json; charset=utf-8').send(JSON.stringify({ sha256: params.sha256, size, created: outcome === 'stored' }));
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
    summary: 'Whether the server has this blob (200) or not (404)',
    tag: 'blobs',
    action: 'blobs.read',
    params: BlobParams,
    response: { status: 200, description: 'The blob exists', binary: true },
    handler: async ({ params, reply }) => {
      const size = await blobs.size(params.sha256);
      if (size === null) throw problems.notFound('The server does not have this file yet.');
      return reply.code(200).header('content-length', size).type('application/octet-stream').send();
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/blobs/:sha256',
    summary: 'Download a blob by its SHA-256',
    tag: 'blobs',
    action: 'blobs.read',
    params: BlobParams,
    response: { status: 200, description: 'The bytes', binary: true },
    handler: async ({ params, reply }) => {
      const size = await blobs.size(params.sha256);
      if (size === null) throw problems.notFound('The server does not have this file.');
      // Content-addressed: the bytes behind a name never change, so clients may cache forever.
      return reply
        .code(200)
        .header('content-length', size)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('etag', `"${params.sha256}"`)
        .type('application/octet-stream')
        .send(await blobs.open(params.sha256));
    },
  });
}

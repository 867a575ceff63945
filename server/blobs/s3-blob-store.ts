import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { blobKey, spoolVerified, type BlobStore } from './blob-store';

export interface S3BlobStoreConfig {
  readonly bucket: string;
  /** An S3-compatible endpoint (MinIO, Ceph, R2, s3rver); absent means AWS itself. */
  readonly endpoint?: string | undefined;
  /** Defaults to AWS_REGION, then us-east-1 (most S3-compatible servers ignore it). */
  readonly region?: string | undefined;
  /** Key prefix inside the bucket, e.g. "reclaim/blobs/". */
  readonly prefix?: string | undefined;
  /** Explicit credentials (tests); otherwise the SDK's chain: AWS_ACCESS_KEY_ID/…, profiles, roles. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** Where uploads are spooled while their hash is checked; the OS temp folder by default. */
  readonly spoolDir?: string | undefined;
}

/** The S3 settings from RECLAIM_S3_* (credentials come from the SDK's own AWS_* variables). */
export function s3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): S3BlobStoreConfig | null {
  const bucket = env.RECLAIM_S3_BUCKET?.trim();
  if (!bucket) return null;
  return {
    bucket,
    endpoint: env.RECLAIM_S3_ENDPOINT?.trim() || undefined,
    region: env.RECLAIM_S3_REGION?.trim() || undefined,
    prefix: env.RECLAIM_S3_PREFIX?.trim() || undefined,
  };
}

function isMissing(error: unknown): boolean {
  return error instanceof NotFound || (error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey'));
}

/**
 * Photos in an S3-compatible bucket, so several server instances share them and the servers
 * themselves keep no state on disk. An object is written only after its bytes were spooled
 * and hashed here, so a key in the bucket always names exactly its content.
 */
export function s3BlobStore(config: S3BlobStoreConfig): BlobStore {
  const client = new S3Client({
    region: config.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    ...(config.credentials ? { credentials: { ...config.credentials } } : {}),
    // The content hash is checked here before upload; many S3-compatible servers reject the
    // SDK's newer default checksum headers, so send them only where the API demands them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const keyOf = (hash: string) => `${config.prefix ?? ''}${blobKey(hash)}`;
  const spoolDir = config.spoolDir ?? join(tmpdir(), 'reclaim-blob-spool');

  const size = async (hash: string): Promise<number | null> => {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: keyOf(hash) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  };

  return {
    kind: 's3',
    size,
    async open(hash) {
      const object = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: keyOf(hash) }));
      if (!(object.Body instanceof Readable)) throw new Error(`The bucket answered without a body for ${hash}.`);
      return object.Body;
    },
    async put(hash, body) {
      await mkdir(spoolDir, { recursive: true });
      const spool = join(spoolDir, `${randomUUID()}.part`);
      const bytes = await spoolVerified(body, spool, hash);
      try {
        if ((await size(hash)) !== null) return 'existed';
        await client.send(
          new PutObjectCommand({
            Bucket: config.bucket,
            Key: keyOf(hash),
            Body: createReadStream(spool),
            ContentLength: bytes,
            ContentType: 'application/octet-stream',
          }),
        );
        return 'stored';
      } finally {
        await rm(spool, { force: true });
      }
    },
  };
}

import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { registerAuthRoutes } from './auth/auth-routes';
import { registerBlobRoutes } from './blobs/blob-routes';
import { registerCustodyRoutes } from './custody/custody-routes';
import { registerDispatchRoutes } from './dispatch/dispatch-routes';
import { registerRegionPackRoutes } from './regions/region-pack-routes';
import type { ServerContext } from './context';
import { createApiRouter } from './http/api-router';
import { allowAppOrigins } from './http/cors';
import { answerClientError } from './http/client-error-answers';
import { answerErrorsAsProblems, answerFrameworkError } from './http/error-answers';
import { refuseUnsafeText } from './http/unsafe-text';
import { defaultRequestLimits, MAX_HEADER_BYTES, MAX_PARAM_LENGTH, timeoutCheckIntervalMs } from './security/request-limits';
import { registerServiceRoutes } from './http/service-routes';
import { registerJobRoutes } from './jobs/job-routes';
import { registerUserRoutes } from './jobs/user-routes';
import { registerSyncRoutes } from './sync/sync-routes';
import { answerWithAppPage, serveWebApp } from './web-app';
import { sendSecurityHeaders } from './security/security-headers';
import { registerAdminRoutes } from './admin/admin-routes';
import { recordWrites } from './supervise/audit-log';
import { registerSuperviseRoutes } from './supervise/supervise-routes';
import { registerClientRequirementsRoutes } from './clients/client-requirements-routes';
import { registerPersonalPropertyRoutes } from './visits/personal-property-routes';
import { registerCustomerReceiptRoutes } from './visits/customer-receipt-routes';
import { registerTrustRoutes } from './trust/trust-routes';

type ContentTypeParser = (request: FastifyRequest, payload: IncomingMessage, done: (error: Error | null, body?: unknown) => void) => void;

export interface AppOptions {
  readonly appDir?: string | undefined;
  readonly origins: () => ReadonlySet<string>;
  readonly logger: boolean;
  /**
   * Load balancers or proxies (addresses or CIDRs) whose X-Forwarded-For is believed, so sign-in
   * throttling and the audit log see the client's address, not the balancer's. None by default.
   */
  readonly trustProxy?: readonly string[] | undefined;
}

/** Wires the HTTP surface: problem answers, CORS, the API routes and optionally the web app. */
export async function buildApp(context: ServerContext, options: AppOptions): Promise<FastifyInstance> {
  // A push batch of 200 notes of 5,000 characters is ~1 MB of JSON; leave head-room.
  const limits = context.requestLimits ?? defaultRequestLimits;
  const app = Fastify({
    logger: options.logger,
    bodyLimit: 8 * 1024 * 1024,
    // Node reads at most this much header; past it, answerClientError says 431 (or 414).
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(60_000, limits.requestTimeoutMs),
      connectionsCheckingInterval: timeoutCheckIntervalMs(limits),
    },
    requestTimeout: limits.requestTimeoutMs,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // Closing drops every connection, idle or not: a client cut off mid-body would otherwise
    // hold shutdown until Node's request timeout. Pushes are transactional and idempotent, so
    // a request cut by shutdown is simply retried.
    forceCloseConnections: true,
    ...(options.trustProxy?.length ? { trustProxy: [...options.trustProxy] } : {}),
  });
  app.decorateRequest('principal', null);
  answerErrorsAsProblems(app, options.appDir ? answerWithAppPage : undefined);
  allowAppOrigins(app, options.origins);
  await sendSecurityHeaders(app);
  // Blob bodies are streamed to disk by the blob store, never buffered in memory.
  const passStream: ContentTypeParser = (_request, payload, done) => done(null, payload);
  app.addContentTypeParser('application/octet-stream', passStream);
  app.addContentTypeParser(/^image\/[\w.+-]+$/, passStream);
  // A customer receipt made on the laptop.
  app.addContentTypeParser('application/pdf', passStream);
  refuseUnsafeText(app);

  recordWrites(app, context);
  const api = createApiRouter(app, context);
  registerServiceRoutes(api, context);
  registerAuthRoutes(api, context);
  registerUserRoutes(api, context);
  registerJobRoutes(api, context);
  registerDispatchRoutes(app, api, context);
  registerSyncRoutes(api, context);
  registerBlobRoutes(api, context);
  registerAdminRoutes(api, context);
  registerCustodyRoutes(api, context);
  registerRegionPackRoutes(api, context);
  registerSuperviseRoutes(api, context);
  registerClientRequirementsRoutes(api, context);
  registerPersonalPropertyRoutes(api, context);
  registerCustomerReceiptRoutes(api, context);
  registerTrustRoutes(api, context);

  if (options.appDir) await serveWebApp(app, options.appDir);
  return app;
}

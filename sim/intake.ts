import type { IncomingMessage } from 'node:http';
import {
  invalidKeyMessage,
  readCredentials,
  supportedVersions,
  type ApiVersion,
  type Credentials,
  type Principal,
} from './auth';
import type { Exchange } from './exchange';
import type { SimState } from './state';

/** A request that passed size, auth, version and JSON checks. */
export interface Intake {
  readonly rawBody: Buffer;
  readonly body: Readonly<Record<string, unknown>>;
  readonly principal: Principal;
  readonly credentials: Credentials;
  readonly version: ApiVersion;
}

type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'too_large' | 'client_gone' };

/** Reads the whole body; over `maxBytes` it keeps draining (so the client can read the 413) but keeps nothing. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > maxBytes;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(tooLarge ? { ok: false, reason: 'too_large' } : { ok: true, body: Buffer.concat(chunks) }),
    );
    // A client that hangs up mid-upload is not a simulator error: nothing to answer.
    req.on('error', () => resolve({ ok: false, reason: 'client_gone' }));
    req.on('close', () => {
      if (!req.complete) resolve({ ok: false, reason: 'client_gone' });
    });
  });
}

/**
 * Runs the checks every route shares, answering the failures itself; undefined means "already
 * answered". A GET (`hasBody: false`) skips the JSON checks and gets an empty body.
 */
export async function intake(state: SimState, ex: Exchange, hasBody = true): Promise<Intake | undefined> {
  const credentials = readCredentials(ex.req.headers);
  const principal = credentials && state.keys.lookup(credentials.key);
  const isRevoked = principal !== undefined && state.revokedKeys.has(principal.key);
  if (principal && !isRevoked) ex.setPrincipal(principal);
  state.stats.key(ex.record, principal?.key);

  // Size first: the real 413 comes from the CDN, before the API sees the key.
  const read = await readBody(ex.req, state.config.maxBodyBytes);
  if (!read.ok && read.reason === 'client_gone') {
    ex.finish('client_closed');
    return undefined;
  }
  if (!read.ok) {
    ex.sendError(413, {
      type: 'request_too_large',
      message: 'Request exceeds the maximum allowed number of bytes.',
    });
    return undefined;
  }
  if (!credentials) {
    ex.sendError(401, { type: 'authentication_error', message: 'x-api-key header is required' });
    return undefined;
  }
  if (!principal || isRevoked) {
    ex.sendError(401, { type: 'authentication_error', message: invalidKeyMessage(credentials) });
    return undefined;
  }
  const version = ex.req.headers['anthropic-version'];
  if (version === undefined) {
    ex.sendError(400, { type: 'invalid_request_error', message: 'anthropic-version: header is required' });
    return undefined;
  }
  if (!(supportedVersions as readonly string[]).includes(String(version))) {
    ex.sendError(400, {
      type: 'invalid_request_error',
      message: `anthropic-version: "${String(version)}" is not a valid version`,
    });
    return undefined;
  }
  let body: unknown = {};
  if (hasBody)
    try {
      body = JSON.parse(read.body.toString('utf8'));
    } catch {
      ex.sendError(400, { type: 'invalid_request_error', message: 'The request body is not valid JSON.' });
      return undefined;
    }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    ex.sendError(400, { type: 'invalid_request_error', message: 'The request body must be a JSON object.' });
    return undefined;
  }
  return {
    rawBody: read.body,
    body: body as Readonly<Record<string, unknown>>,
    principal,
    credentials,
    version: version as ApiVersion,
  };
}

#!/usr/bin/env node
// A reverse proxy that checks AWS Signature Version 4 before forwarding a request to a local S3 or
// SQS server (none of which checks signatures). Written from AWS's documented algorithm, apart
// from any signer under test, so that a wrongly signed request fails with the error AWS would
// give. Only node:crypto and node:http.
//
//   node sigv4-proxy.js --upstream http://127.0.0.1:PORT [--port 0] [--name fauxqs]
//        [--credentials-file FILE] [--region us-east-1] [--services s3,sqs] [--max-skew-seconds 900]
//        [--s3-slowdown every=N,burst=M[,after=K]] [--sqs-throttle every=N,burst=M[,after=K]]
//        (N, M, K requests; or with an ms suffix, milliseconds)
//
// FILE has one "ACCESS_KEY_ID SECRET_ACCESS_KEY" pair a line; without it the pair comes from
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints "sigv4-proxy listening on http://127.0.0.1:PORT"
// once it accepts connections, then one line per request: the verdict and the operation
// (op=PutObject, op=SendMessageBatch, ...), never a secret; the benchmark counts these lines.
//
// Fault injection, for the tests of throttling end to end: --s3-slowdown answers correctly signed
// S3 requests with 503 SlowDown (S3's XML error body) in bursts, --sqs-throttle answers SQS ones
// with 400 ThrottlingException (the JSON protocol's), instead of forwarding them (logged as FAULT
// lines): every=N,burst=M[,after=K] refuses the first M of every N such requests after the first
// K; with an ms suffix the same counts time, the first M ms of every N ms.
//
// The verification is a pure function (verifyRequest) of the request, the credentials and the
// time, exported for sigv4-proxy.test.js, which runs AWS's test suite through it.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const HEX64 = /^[0-9a-f]{64}$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

// ---------------------------------------------------------------------------------------------
// Canonicalization (AWS General Reference, "Create a canonical request for Signature Version 4")

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

// Percent-encodes every byte outside A-Za-z0-9-_.~ (RFC 3986) with upper-case hex; text is a
// string (taken as UTF-8) or a Buffer of raw bytes.
export function uriEncode(text, keepSlash = false) {
  let out = '';
  for (const byte of Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if ((byte < 0x80 && UNRESERVED.test(ch)) || (keepSlash && ch === '/')) out += ch;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const HEX_DIGIT = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

// Decodes %XX escapes to raw bytes (a Buffer), leaving malformed escapes as they are; '+' stays '+'.
export function uriDecode(text) {
  const raw = Buffer.from(text, 'utf8');
  const bytes = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25 && i + 2 < raw.length && HEX_DIGIT(raw[i + 1]) && HEX_DIGIT(raw[i + 2])) {
      bytes.push(parseInt(raw.toString('latin1', i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(raw[i]);
    }
  }
  return Buffer.from(bytes);
}

// S3: the key as sent, each segment decoded then encoded once; never normalized (a key may hold
// "//" or "."). Every other service: the path normalized (RFC 3986 dot segments, repeated slashes)
// and each segment encoded as it came on the wire, so that an escaped byte is encoded twice.
export function canonicalUri(path, s3) {
  if (path === '') path = '/';
  if (s3) return path.split('/').map((seg) => uriEncode(uriDecode(seg))).join('/');
  const segments = path.split('/');
  const out = [];
  for (const seg of segments) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const last = segments[segments.length - 1];
  const trailing = out.length > 0 && (last === '' || last === '.' || last === '..');
  return '/' + out.map((seg) => uriEncode(seg)).join('/') + (trailing ? '/' : '');
}

// Parameters decoded then encoded (RFC 3986), "k=" for a bare key, sorted by name then value.
export function canonicalQuery(query, skip = () => false) {
  if (!query) return '';
  const pairs = [];
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    if (skip(uriDecode(name).toString('utf8'))) continue;
    pairs.push([uriEncode(uriDecode(name)), uriEncode(uriDecode(value))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

// Values of one header in the order received, each trimmed with inner runs of spaces collapsed,
// joined with ','. Returns undefined when the request has no such header.
function canonicalHeaderValue(headers, name) {
  const values = headers
    .filter(([k]) => k.toLowerCase() === name)
    .map(([, v]) => String(v).trim().replace(/\s+/g, ' '));
  return values.length ? values.join(',') : undefined;
}

export function buildCanonicalRequest({ method, path, query, headers, signedHeaders, payloadHash, s3, skipQuery }) {
  const lines = [method, canonicalUri(path, s3), canonicalQuery(query, skipQuery)];
  for (const name of signedHeaders) lines.push(`${name}:${canonicalHeaderValue(headers, name) ?? ''}`);
  lines.push('', signedHeaders.join(';'), payloadHash);
  return lines.join('\n');
}

const sha256Hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data, 'utf8').digest();

export function signingKey(secret, date, region, service) {
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

export function buildStringToSign(amzDate, scope, canonicalRequest) {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
}

export function signatureOf(secret, scopeParts, stringToSign) {
  const [date, region, service] = scopeParts;
  return crypto.createHmac('sha256', signingKey(secret, date, region, service)).update(stringToSign, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Verification

function splitTarget(target) {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

function queryParams(query) {
  const params = new Map();
  for (const piece of query ? query.split('&') : []) {
    const eq = piece.indexOf('=');
    const name = uriDecode(eq < 0 ? piece : piece.slice(0, eq)).toString('utf8');
    if (!params.has(name)) params.set(name, uriDecode(eq < 0 ? '' : piece.slice(eq + 1)).toString('utf8'));
  }
  return params;
}

function headerValue(headers, name) {
  const found = headers.find(([k]) => k.toLowerCase() === name);
  return found ? String(found[1]).trim() : undefined;
}

function parseAmzDate(text) {
  const m = AMZ_DATE.exec(text ?? '');
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(ms) ? undefined : ms;
}

function formatAmzDate(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// An SQS Query-protocol call (form-encoded Action=...), told apart from S3 without a credential.
function isQueryProtocol(headers, body) {
  return (headerValue(headers, 'content-type') ?? '').includes('x-www-form-urlencoded') && /(^|&)Action=/.test(body?.toString('latin1') ?? '');
}

// The protocol the answer must speak: SQS JSON (X-Amz-Target), SQS Query, or S3.
export function protocolOf(headers, service) {
  if (headerValue(headers, 'x-amz-target') !== undefined) return 'sqs-json';
  if (service === 'sqs') return 'sqs-query';
  if (service && service !== 's3') return 'sqs-query';
  return 's3';
}

function parseAuthorizationHeader(value) {
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  const fields = new Map();
  for (const part of (space < 0 ? '' : value.slice(space + 1)).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return { algorithm, credential: fields.get('Credential'), signedHeaders: fields.get('SignedHeaders'), signature: fields.get('Signature') };
}

const reject = (status, code, message, extra = {}) => ({ ok: false, status, code, message, ...extra });

// Checks one request. request: { method, target ("/path?query" as on the wire), headers: [[name,
// value], ...] in the order received, body: Buffer }. options: { credentials: Map(accessKeyId ->
// secret), now: ms since epoch, region (undefined: any), services (Set; undefined: any),
// maxSkewSeconds }. Returns { ok: true, accessKeyId, service, canonicalRequest, stringToSign } or
// { ok: false, status, code, message, service?, accessKeyId?, canonicalRequest?, stringToSign? }.
export function verifyRequest(request, options) {
  const { method, target, headers } = request;
  const body = request.body ?? Buffer.alloc(0);
  const { credentials, now, region, services, maxSkewSeconds = 900 } = options;
  const { path, query } = splitTarget(target);
  const params = queryParams(query);
  const authorization = headerValue(headers, 'authorization');
  const presigned = params.has('X-Amz-Algorithm');

  // 1. Which credential, scope, signed headers and signature the client claims.
  let algorithm, credential, signedHeaderText, signature, amzDateText;
  if (authorization !== undefined && presigned) {
    return reject(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified');
  }
  if (authorization !== undefined) {
    ({ algorithm, credential, signedHeaders: signedHeaderText, signature } = parseAuthorizationHeader(authorization));
    amzDateText = headerValue(headers, 'x-amz-date');
  } else if (presigned) {
    algorithm = params.get('X-Amz-Algorithm');
    credential = params.get('X-Amz-Credential');
    signedHeaderText = params.get('X-Amz-SignedHeaders');
    signature = params.get('X-Amz-Signature');
    amzDateText = params.get('X-Amz-Date');
  } else if (protocolOf(headers, isQueryProtocol(headers, request.body) ? 'sqs' : undefined) === 's3') {
    return reject(403, 'AccessDenied', 'Access Denied (an anonymous request: no Authorization header and no X-Amz-Signature)');
  } else {
    return reject(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token (no Authorization header and no X-Amz-Signature)');
  }
  const claimedService = credential?.split('/')[3];
  if (algorithm !== ALGORITHM) {
    return reject(400, 'AuthorizationHeaderMalformed', `Unsupported signing algorithm '${algorithm}'; expected ${ALGORITHM}`, { service: claimedService });
  }
  if (!credential || !signedHeaderText || !signature) {
    return reject(400, 'AuthorizationHeaderMalformed', 'The authorization is malformed: Credential, SignedHeaders and Signature are all required', { service: claimedService });
  }
  const scopeParts = credential.split('/');
  if (scopeParts.length !== 5 || scopeParts[4] !== 'aws4_request' || scopeParts.slice(0, 4).some((p) => p === '')) {
    return reject(400, 'AuthorizationHeaderMalformed', `The credential '${credential}' is malformed; expected "<key>/<YYYYMMDD>/<region>/<service>/aws4_request"`, { service: claimedService });
  }
  const [accessKeyId, scopeDate, scopeRegion, service] = scopeParts;
  const s3 = service === 's3';
  const who = { service, accessKeyId };

  // 2. The credential scope: a known key, this region, a served service, the request's own date.
  const secret = credentials.get(accessKeyId);
  if (secret === undefined) {
    return reject(403, s3 ? 'InvalidAccessKeyId' : 'InvalidClientTokenId', 'The AWS Access Key Id you provided does not exist in our records.', who);
  }
  if (region !== undefined && scopeRegion !== region) {
    return reject(s3 ? 400 : 403, s3 ? 'AuthorizationHeaderMalformed' : 'SignatureDoesNotMatch', `Credential should be scoped to a valid region: the region '${scopeRegion}' is wrong; expecting '${region}'`, who);
  }
  if (services !== undefined && !services.has(service)) {
    return reject(s3 ? 400 : 403, s3 ? 'AuthorizationHeaderMalformed' : 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}' is not served here (${[...services].join(', ')})`, who);
  }
  let requestMs;
  if (amzDateText !== undefined) {
    requestMs = parseAmzDate(amzDateText);
  } else if (!presigned && headerValue(headers, 'date') !== undefined) {
    const parsed = Date.parse(headerValue(headers, 'date'));
    if (!Number.isNaN(parsed)) {
      requestMs = parsed;
      amzDateText = formatAmzDate(parsed);
    }
  }
  if (requestMs === undefined) {
    return reject(403, s3 ? 'AccessDenied' : 'IncompleteSignature', 'AWS authentication requires a valid Date or x-amz-date header (YYYYMMDDTHHMMSSZ)', who);
  }
  if (scopeDate !== amzDateText.slice(0, 8)) {
    return reject(s3 ? 400 : 403, s3 ? 'AuthorizationHeaderMalformed' : 'SignatureDoesNotMatch', `Invalid credential date '${scopeDate}': it is not the date of the request (${amzDateText})`, who);
  }
  if (presigned) {
    const expires = Number(params.get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800) {
      return reject(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be a whole number of seconds from 1 to 604800', who);
    }
    if (now > requestMs + expires * 1000) return reject(403, 'AccessDenied', 'Request has expired', who);
    if (requestMs - now > maxSkewSeconds * 1000) {
      return reject(403, s3 ? 'RequestTimeTooSkewed' : 'SignatureDoesNotMatch', 'Request is not yet valid', who);
    }
  } else if (Math.abs(now - requestMs) > maxSkewSeconds * 1000) {
    return reject(403, s3 ? 'RequestTimeTooSkewed' : 'SignatureDoesNotMatch', `The difference between the request time (${amzDateText}) and the server time (${formatAmzDate(now)}) is more than ${maxSkewSeconds} s`, who);
  }

  if (s3 && !presigned && headerValue(headers, 'x-amz-content-sha256') === undefined) {
    return reject(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', who);
  }

  // 3. Signed headers: lower-case, sorted, present; host always; x-amz-date when it carries the time;
  // for S3 every x-amz-* header the request has (S3 refuses unsigned ones).
  const signedHeaders = signedHeaderText.split(';').map((h) => h.trim().toLowerCase());
  const sorted = [...signedHeaders].sort();
  if (signedHeaders.join(';') !== sorted.join(';') || signedHeaders.some((h) => h === '') || new Set(signedHeaders).size !== signedHeaders.length) {
    return reject(403, 'SignatureDoesNotMatch', `SignedHeaders '${signedHeaderText}' must be lower-case, sorted, without duplicates`, who);
  }
  if (!signedHeaders.includes('host')) {
    return reject(403, 'SignatureDoesNotMatch', "The host header must be signed ('host' missing from SignedHeaders)", who);
  }
  if (!presigned && headerValue(headers, 'x-amz-date') !== undefined && !signedHeaders.includes('x-amz-date')) {
    return reject(403, 'SignatureDoesNotMatch', "x-amz-date is present but not signed", who);
  }
  const missing = signedHeaders.filter((h) => canonicalHeaderValue(headers, h) === undefined);
  if (missing.length) {
    return reject(403, 'SignatureDoesNotMatch', `Signed header(s) not present in the request: ${missing.join(', ')}`, who);
  }
  if (s3) {
    const unsigned = [...new Set(headers.map(([k]) => k.toLowerCase()))].filter((h) => h.startsWith('x-amz-') && !signedHeaders.includes(h));
    if (unsigned.length) {
      return reject(403, 'AccessDenied', `There were headers present in the request which were not signed: ${unsigned.join(', ')}`, who);
    }
  }

  // 4. The payload hash the client signed, checked against the body it sent.
  const declared = headerValue(headers, 'x-amz-content-sha256');
  let payloadHash;
  if (declared !== undefined) {
    if (declared.startsWith('STREAMING-')) {
      return reject(400, 'NotImplemented', `x-amz-content-sha256 '${declared}' (chunked signing) is not verified by this proxy; send the body's SHA-256 or UNSIGNED-PAYLOAD`, who);
    }
    if (declared === 'UNSIGNED-PAYLOAD' && s3) {
      payloadHash = declared;
    } else if (HEX64.test(declared)) {
      if (declared !== sha256Hex(body)) {
        return reject(400, s3 ? 'XAmzContentSHA256Mismatch' : 'SignatureDoesNotMatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", who);
      }
      payloadHash = declared;
    } else {
      return reject(400, 'InvalidArgument', `x-amz-content-sha256 must be the payload's SHA-256 in lower-case hex${s3 ? ' or UNSIGNED-PAYLOAD' : ''}`, who);
    }
  } else if (s3 && presigned) {
    payloadHash = 'UNSIGNED-PAYLOAD';
  } else {
    payloadHash = body.length ? sha256Hex(body) : EMPTY_SHA256;
  }

  // 5. Recompute and compare in constant time.
  const canonicalRequest = buildCanonicalRequest({
    method, path, query, headers, signedHeaders, payloadHash, s3,
    skipQuery: presigned ? (name) => name === 'X-Amz-Signature' : undefined,
  });
  const scope = scopeParts.slice(1).join('/');
  const stringToSign = buildStringToSign(amzDateText, scope, canonicalRequest);
  const expected = signatureOf(secret, scopeParts.slice(1), stringToSign);
  const provided = Buffer.from(signature.toLowerCase());
  if (provided.length !== expected.length || !crypto.timingSafeEqual(provided, Buffer.from(expected))) {
    return reject(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      ...who, canonicalRequest, stringToSign, signatureProvided: signature,
    });
  }
  return { ok: true, ...who, canonicalRequest, stringToSign, signature: expected };
}

// Signs a request with the same canonicalization: for the tests' tampered variants and the load
// client (bench-put.js). Returns the Authorization header value.
export function signRequest({ method, target, headers, payloadHash, accessKeyId, secret, region, service, amzDate }) {
  const { path, query } = splitTarget(target);
  const signedHeaders = [...new Set(headers.map(([k]) => k.toLowerCase()))].sort();
  const canonicalRequest = buildCanonicalRequest({ method, path, query, headers, signedHeaders, payloadHash, s3: service === 's3' });
  const scopeParts = [amzDate.slice(0, 8), region, service, 'aws4_request'];
  const stringToSign = buildStringToSign(amzDate, scopeParts.join('/'), canonicalRequest);
  const signature = signatureOf(secret, scopeParts, stringToSign);
  return `${ALGORITHM} Credential=${accessKeyId}/${scopeParts.join('/')}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
}

// ---------------------------------------------------------------------------------------------
// Error bodies in each protocol's own shape

const xmlEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function errorResponse(verdict, protocol, requestId) {
  if (protocol === 'sqs-json') {
    return {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${verdict.code};Sender`, 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${verdict.code}`, message: verdict.message }),
    };
  }
  if (protocol === 'sqs-query') {
    return {
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: `<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>${xmlEscape(verdict.code)}</Code><Message>${xmlEscape(verdict.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  let extra = '';
  if (verdict.accessKeyId) extra += `<AWSAccessKeyId>${xmlEscape(verdict.accessKeyId)}</AWSAccessKeyId>`;
  if (verdict.stringToSign) extra += `<StringToSign>${xmlEscape(verdict.stringToSign)}</StringToSign><SignatureProvided>${xmlEscape(verdict.signatureProvided)}</SignatureProvided>`;
  if (verdict.canonicalRequest) extra += `<CanonicalRequest>${xmlEscape(verdict.canonicalRequest)}</CanonicalRequest>`;
  return {
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(verdict.code)}</Code><Message>${xmlEscape(verdict.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`,
  };
}

// ---------------------------------------------------------------------------------------------
// Operation names, for the log (path-style S3 addressing, as the tests and rawfeed use it)

export function operationOf(method, target, headers) {
  const amzTarget = headerValue(headers, 'x-amz-target');
  if (amzTarget !== undefined) return amzTarget.slice(amzTarget.lastIndexOf('.') + 1);
  const { path, query } = splitTarget(target);
  const params = queryParams(query);
  const segments = path.split('/').filter((seg) => seg !== '');
  if (segments.length === 0) return method === 'GET' ? 'ListBuckets' : `${method}Service`;
  if (segments.length === 1) {
    if (params.get('list-type') === '2') return 'ListObjectsV2';
    if (method === 'GET' && !params.size) return 'ListObjects';
    return { HEAD: 'HeadBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket', GET: 'GetBucket', POST: 'PostBucket' }[method] ?? method;
  }
  if (params.has('uploadId') || params.has('uploads')) return `${method}Multipart`;
  return { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject', POST: 'PostObject' }[method] ?? method;
}

// ---------------------------------------------------------------------------------------------
// Fault injection

// "every=N,burst=M[,after=K]" counts requests; "every=2000ms,burst=400ms[,after=200ms]" counts
// milliseconds since the service's first correctly signed request (every value in one unit).
// -> { every, burst, after, unit: 'requests' | 'ms' }; throws naming what is wrong.
export function parseFaultPlan(text, option) {
  const plan = { every: 0, burst: 0, after: 0 };
  const units = new Set();
  for (const part of String(text).split(',')) {
    const [key, value] = part.split('=');
    const m = /^(\d+)(ms)?$/.exec(value ?? '');
    if (!(key in plan) || !m) {
      throw new Error(`${option}: expected every=N,burst=M[,after=K] (requests) or with an ms suffix (time), not '${text}'`);
    }
    plan[key] = Number(m[1]);
    units.add(m[2] ? 'ms' : 'requests');
  }
  if (units.size !== 1) throw new Error(`${option}: use one unit for every value, not '${text}'`);
  if (plan.every < 1 || plan.burst < 1 || plan.burst > plan.every) {
    throw new Error(`${option}: need 1 <= burst <= every, not '${text}'`);
  }
  return { ...plan, unit: [...units][0] };
}

// Decides, request by request, whether to refuse it. By requests: the n-th correctly signed
// request of its service (from 1) is refused when it is among the first `burst` of every `every`
// after the first `after`. By time: when it arrives in the first `burst` ms of every `every` ms,
// counted from `after` ms past the service's first request; a burst shorter than a client's
// retry budget can then never exhaust its retries, which is what real SlowDown bursts look like.
export function faultDecider(plan, now = () => Date.now()) {
  let seen = 0;
  let first;
  return () => {
    if (!plan) return false;
    if (plan.unit === 'ms') {
      first ??= now();
      const t = now() - first;
      return t >= plan.after && (t - plan.after) % plan.every < plan.burst;
    }
    seen += 1;
    if (seen <= plan.after) return false;
    return (seen - plan.after - 1) % plan.every < plan.burst;
  };
}

const FAULTS = {
  s3: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  sqs: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
};

// ---------------------------------------------------------------------------------------------
// The proxy

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'content-length']);
const HEALTH_PATH = '/__sigv4-proxy/health';

const isLoopback = (host) => /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '[::1]' || host === 'localhost';

// Hides what could be a credential (a session token, a presigned signature) in logged targets.
const redactTarget = (target) => target.replace(/(X-Amz-(?:Security-Token|Signature|Credential)=)[^&]*/gi, '$1…');

export function readCredentialsFile(file) {
  const credentials = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [id, secret] = trimmed.split(/\s+/);
    if (!id || !secret) throw new Error(`${file}: expected "ACCESS_KEY_ID SECRET" on each line`);
    credentials.set(id, secret);
  }
  return credentials;
}

export function createProxy({ upstream, credentials, region, services, maxSkewSeconds = 900, maxBodyBytes = 64 << 20, name = 'sigv4-proxy', log = (line) => process.stdout.write(line + '\n'), now = () => Date.now(), faults = {} }) {
  const upstreamUrl = new URL(upstream);
  if (upstreamUrl.protocol !== 'http:' || !isLoopback(upstreamUrl.hostname)) {
    throw new Error(`upstream must be http:// on a loopback address, not ${upstream}`);
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let counter = 0;
  const refuse = { s3: faultDecider(faults.s3, now), sqs: faultDecider(faults.sqs, now) };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = `SIGV4PROXY${(++counter).toString(16).padStart(8, '0').toUpperCase()}`;
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const ms = () => (Number(process.hrtime.bigint() - started) / 1e6).toFixed(1);
    const logTarget = redactTarget(req.url);

    if (req.method === 'GET' && req.url === HEALTH_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', upstream: upstreamUrl.origin }));
      return;
    }

    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verdict = tooLarge
        ? reject(413, 'EntityTooLarge', `Body over ${maxBodyBytes} bytes`)
        : verifyRequest({ method: req.method, target: req.url, headers, body }, { credentials, now: now(), region, services, maxSkewSeconds });
      const protocol = protocolOf(headers, verdict.service ?? (isQueryProtocol(headers, body) ? 'sqs' : undefined));
      const op = operationOf(req.method, req.url, headers);
      if (!verdict.ok) {
        const { headers: errorHeaders, body: errorBody } = errorResponse(verdict, protocol, requestId);
        res.writeHead(verdict.status, { ...errorHeaders, 'content-length': Buffer.byteLength(errorBody) });
        res.end(req.method === 'HEAD' ? undefined : errorBody);
        log(`${name}: REJECT ${verdict.status} ${verdict.code} ${req.method} ${logTarget} service=${verdict.service ?? '-'} op=${op} key=${verdict.accessKeyId ?? '-'} reason=${JSON.stringify(verdict.message)}`);
        return;
      }
      const fault = FAULTS[verdict.service];
      if (fault && refuse[verdict.service]?.()) {
        const { headers: errorHeaders, body: errorBody } = errorResponse(fault, protocol, requestId);
        res.writeHead(fault.status, { ...errorHeaders, 'content-length': Buffer.byteLength(errorBody) });
        res.end(req.method === 'HEAD' ? undefined : errorBody);
        log(`${name}: FAULT ${fault.status} ${fault.code} ${req.method} ${logTarget} service=${verdict.service} op=${op}`);
        return;
      }

      const forwardHeaders = [];
      for (const [k, v] of headers) if (!HOP_BY_HOP.has(k.toLowerCase())) forwardHeaders.push(k, v);
      if (body.length || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
        forwardHeaders.push('Content-Length', String(body.length));
      }
      const upstreamReq = http.request({
        host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path: req.url, headers: forwardHeaders, agent,
      }, (upstreamRes) => {
        const back = [];
        for (let i = 0; i < upstreamRes.rawHeaders.length; i += 2) {
          const k = upstreamRes.rawHeaders[i];
          if (!HOP_BY_HOP.has(k.toLowerCase()) || k.toLowerCase() === 'content-length') back.push(k, upstreamRes.rawHeaders[i + 1]);
        }
        res.writeHead(upstreamRes.statusCode, upstreamRes.statusMessage, back);
        upstreamRes.pipe(res);
        upstreamRes.on('end', () => log(`${name}: ACCEPT ${req.method} ${logTarget} service=${verdict.service} op=${op} key=${verdict.accessKeyId} -> ${upstreamRes.statusCode} ${ms()}ms`));
      });
      upstreamReq.on('error', (err) => {
        log(`${name}: ACCEPT ${req.method} ${logTarget} service=${verdict.service} op=${op} key=${verdict.accessKeyId} -> upstream error ${err.code ?? err.message}`);
        if (res.headersSent) return res.destroy();
        const failure = errorResponse({ code: 'ServiceUnavailable', message: `upstream ${upstreamUrl.origin} failed: ${err.code ?? err.message}` }, protocol, requestId);
        res.writeHead(503, failure.headers);
        res.end(failure.body);
      });
      upstreamReq.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument '${argv[i]}'`);
    args[m[1]] = m[2] ?? argv[++i];
    if (args[m[1]] === undefined) throw new Error(`--${m[1]} needs a value`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const known = new Set(['upstream', 'port', 'host', 'name', 'credentials-file', 'region', 'services', 'max-skew-seconds', 'max-body-bytes', 's3-slowdown', 'sqs-throttle']);
  for (const k of Object.keys(args)) if (!known.has(k)) throw new Error(`unknown option --${k}`);
  if (!args.upstream) throw new Error('--upstream http://127.0.0.1:PORT is required');
  const host = args.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`--host must be a loopback address, not ${host}`);
  let credentials;
  const file = args['credentials-file'] ?? process.env.SIGV4_PROXY_CREDENTIALS_FILE;
  if (file) credentials = readCredentialsFile(file);
  else if (process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY) credentials = new Map([[process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY]]);
  else throw new Error('no credentials: give --credentials-file FILE or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  const region = (args.region ?? 'us-east-1') === '*' ? undefined : args.region ?? 'us-east-1';
  const services = (args.services ?? 's3,sqs') === '*' ? undefined : new Set((args.services ?? 's3,sqs').split(','));
  const name = args.name ? `sigv4-proxy[${args.name}]` : 'sigv4-proxy';
  const faults = {
    s3: args['s3-slowdown'] === undefined ? undefined : parseFaultPlan(args['s3-slowdown'], '--s3-slowdown'),
    sqs: args['sqs-throttle'] === undefined ? undefined : parseFaultPlan(args['sqs-throttle'], '--sqs-throttle'),
  };
  const server = createProxy({
    upstream: args.upstream, credentials, region, services, name, faults,
    maxSkewSeconds: Number(args['max-skew-seconds'] ?? 900), maxBodyBytes: Number(args['max-body-bytes'] ?? 64 << 20),
  });
  server.listen(Number(args.port ?? 0), host, () => {
    const { port } = server.address();
    process.stdout.write(`sigv4-proxy listening on http://${host}:${port} -> ${new URL(args.upstream).origin} (region ${region ?? 'any'}, services ${services ? [...services].join(',') : 'any'}, ${credentials.size} key(s)${faults.s3 ? `, S3 SlowDown ${args['s3-slowdown']}` : ''}${faults.sqs ? `, SQS throttling ${args['sqs-throttle']}` : ''})\n`);
  });
  const stop = () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 2000).unref();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`sigv4-proxy: ${err.message}\n`);
    process.exit(2);
  });
}

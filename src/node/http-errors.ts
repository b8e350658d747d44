/**
 * The server's one error handler: maps typed errors, JSON parse errors, body-size errors and
 * schema failures to the §7 body `{ "error": { "code", "message", "field" } }`. Nothing else
 * (no stack trace, no internal message) leaves the server.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, describeValue } from '../model/errors.js';
import { NodeError, fromInputError } from './errors.js';

interface AjvError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
  readonly data?: unknown;
}

/** Turns any error thrown while serving a request into a {@link NodeError}. */
export function toNodeError(error: unknown): NodeError {
  if (error instanceof NodeError) return error;
  if (error instanceof InputError) return fromInputError(error);
  const e = error as Partial<FastifyError> & { validation?: readonly AjvError[]; validationContext?: string };
  if (Array.isArray(e.validation) && e.validation.length > 0) return fromSchema(e.validation[0] as AjvError, e.validationContext ?? 'body');
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new NodeError(400, 'malformed_json', `request body is not valid JSON: ${e.message ?? ''}`.trim(), null);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new NodeError(413, 'too_large', 'request body is larger than this route allows', null);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new NodeError(400, 'bad_request', 'send the body as application/json', null);
    default:
      break;
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new NodeError(400, 'bad_request', e.message ?? 'bad request', null);
  return new NodeError(400, 'bad_request', 'internal error', null); // replaced by a 500 in the handler
}

/** Whether the error is an unexpected failure (answered 500, logged). */
export function isInternal(error: unknown): boolean {
  if (error instanceof NodeError || error instanceof InputError) return false;
  const e = error as Partial<FastifyError> & { validation?: unknown };
  if (e.validation !== undefined) return false;
  return !(typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500);
}

/** The Fastify error handler. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isInternal(error)) {
    request.log.error({ err: error }, 'internal error');
    void reply.code(500).send({ error: { code: 'internal', message: 'internal error', field: null } });
    return;
  }
  const e = toNodeError(error);
  void reply.code(e.status).send(e.body());
}

const AMOUNT_FIELDS = /(^|\.)(amount|reserve)$/;

function fromSchema(err: AjvError, context: string): NodeError {
  const base = err.instancePath.replace(/^\//, '').split('/').filter((p) => p !== '').map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  const prefix = context === 'body' ? '' : `${context}.`;
  const at = (path: string): string => `${prefix}${path}`;
  const received = err.data === undefined ? '' : ` (received ${describeValue(err.data)})`;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(err.params['additionalProperty']);
      const field = at(base === '' ? key : `${base}.${key}`);
      return new NodeError(400, 'unknown_key', `${field}: unknown key ${JSON.stringify(key)}`, field);
    }
    case 'required': {
      const key = String(err.params['missingProperty']);
      const field = at(base === '' ? key : `${base}.${key}`);
      return new NodeError(400, 'bad_request', `${field}: is required`, field);
    }
    case 'uniqueItems':
      return new NodeError(400, 'bad_request', `${at(base)}: repeats a member (items ${String(err.params['j'])} and ${String(err.params['i'])} are identical)${received}`, at(`${base}[${String(err.params['i'])}]`));
    default: {
      const field = at(base);
      if (AMOUNT_FIELDS.test(base)) {
        return new NodeError(400, 'bad_amount', `${field}: must be a decimal string of base units: digits only, no sign, exponent, fraction or leading zero${received}`, field);
      }
      return new NodeError(400, 'bad_request', `${field === '' ? context : field}: ${err.message ?? 'is invalid'}${received}`, field === '' ? null : field);
    }
  }
}

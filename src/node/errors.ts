/**
 * Errors of the market node. Every refusal is a {@link NodeError} carrying the HTTP status and
 * the §7 error body `{ "error": { "code", "message", "field" } }`; the server's one error
 * handler turns it (and parse, size and schema errors) into that body, never a stack trace.
 */
import { BundleAuctionError, InputError } from '../model/errors.js';

/** HTTP statuses the node answers refusals with (DESIGN.md §7). */
export type NodeErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429;

/** Machine-readable error codes, one per kind of refusal. */
export type NodeErrorCode =
  | 'malformed_json'
  | 'bad_request'
  | 'unknown_key'
  | 'bad_amount'
  | 'bad_signature'
  | 'forbidden'
  | 'not_found'
  | 'wrong_phase'
  | 'nonce_used'
  | 'not_final'
  | 'too_large'
  | 'over_cap'
  | 'rate_limited';

/** A refused request: status, code, message and the offending field (JSON path) or null. */
export class NodeError extends BundleAuctionError {
  override readonly name = 'NodeError';
  readonly status: NodeErrorStatus;
  readonly code: NodeErrorCode;
  readonly field: string | null;

  constructor(status: NodeErrorStatus, code: NodeErrorCode, message: string, field: string | null = null) {
    super(message, field === null ? {} : { path: field });
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** The §7 error body. */
  body(): { error: { code: NodeErrorCode; message: string; field: string | null } } {
    return { error: { code: this.code, message: this.shortMessage, field: this.field } };
  }
}

/** An {@link InputError} from the library as a 400 naming its path (`bad_amount` for amounts). */
export function fromInputError(error: InputError, prefix = ''): NodeError {
  const path = error.details.path;
  const field = path === undefined || path === '' ? (prefix === '' ? null : prefix) : prefix === '' ? path : `${prefix}.${path}`;
  const code = /amount|reserve|price/.test(path ?? '') ? 'bad_amount' : 'bad_request';
  const rule = error.details.rule ?? error.shortMessage;
  const received = error.details.received === undefined ? '' : ` (received ${error.details.received})`;
  return new NodeError(400, code, `${field === null ? '' : `${field}: `}${rule}${received}`, field);
}

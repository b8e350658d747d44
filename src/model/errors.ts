/**
 * Error types. Outcomes of solving are statuses, never exceptions; exceptions are for bad input,
 * bad usage and broken environments. Every error carries a one-line `shortMessage` that names
 * where the problem is, the rule broken and the value received.
 */

/** Details attached to an error: where it happened and what was wrong. */
export interface ErrorDetails {
  /** File or other source name, when known. */
  readonly source?: string;
  /** Position inside the source: a JSON path (`bids[3].amount`) or `line 12`. */
  readonly path?: string;
  /** The rule that was broken, e.g. "must be a non-negative integer". */
  readonly rule?: string;
  /** The offending value, already rendered for humans (truncated if long). */
  readonly received?: string;
}

/** Base of every error this library throws. */
export class BundleAuctionError extends Error {
  /** One line, suitable for a CLI's stderr. */
  readonly shortMessage: string;
  readonly details: ErrorDetails;
  override readonly name: string = 'BundleAuctionError';

  constructor(shortMessage: string, details: ErrorDetails = {}, options: { cause?: unknown } = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

/** Malformed instance, allocation, certificate or round: the CLI exits with code 2. */
export class InputError extends BundleAuctionError {
  override readonly name = 'InputError';

  constructor(details: ErrorDetails & { readonly rule: string }, options: { cause?: unknown } = {}) {
    super(formatInputMessage(details), details, options);
  }
}

/** Invalid options or arguments given to a library call or CLI command (exit code 2). */
export class UsageError extends BundleAuctionError {
  override readonly name = 'UsageError';
}

/** A backend or tool that cannot run here (missing optional dependency, crashed worker). */
export class BackendError extends BundleAuctionError {
  override readonly name = 'BackendError';
}

/** Renders a received value for an error message: JSON-ish, at most 60 characters. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'bigint') text = `${value}n`;
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function formatInputMessage(d: ErrorDetails & { readonly rule: string }): string {
  const where = [d.source, d.path].filter((p): p is string => p !== undefined && p !== '').join(': ');
  const received = d.received === undefined ? '' : ` (received ${d.received})`;
  return `${where === '' ? '' : `${where}: `}${d.rule}${received}`;
}

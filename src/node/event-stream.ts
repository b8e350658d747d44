/**
 * A client of the node's server-sent events (`GET /v1/events`, see `events.ts`): reads the
 * `text/event-stream` body with `fetch` and yields each event parsed. On a lost connection it
 * reconnects after the server's `retry` (default 2 s) until the signal aborts; every
 * reconnection yields a `hello` again, so a follower re-reads what it needs.
 */

/** One event as received: its type, id and parsed JSON data. */
export interface ReceivedEvent {
  readonly type: string;
  readonly id: string | null;
  readonly data: Record<string, unknown>;
}

/** Options of {@link followEvents}. */
export interface FollowEventsOptions {
  /** Stops the stream (and any wait to reconnect). */
  readonly signal: AbortSignal;
  /** Only this slot's events (`?slot=N`). */
  readonly slot?: number;
  /** Called when a connection fails or ends, before the wait to reconnect. */
  readonly onDisconnect?: (reason: string) => void;
}

/** Parses complete SSE frames out of `buffer`; returns the events and the unparsed rest. */
export function parseFrames(buffer: string): { events: { type: string; id: string | null; data: string }[]; rest: string; retry: number | null } {
  const events: { type: string; id: string | null; data: string }[] = [];
  let retry: number | null = null;
  const text = buffer.replace(/\r\n?/g, '\n');
  const frames = text.split('\n\n');
  const rest = frames.pop() ?? '';
  for (const frame of frames) {
    let type = 'message';
    let id: string | null = null;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
    }
    if (data.length > 0) events.push({ type, id, data: data.join('\n') });
  }
  return { events, rest, retry };
}

/** The node's events, across reconnections, until `signal` aborts. */
export async function* followEvents(baseUrl: string, options: FollowEventsOptions): AsyncGenerator<ReceivedEvent> {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/events${options.slot === undefined ? '' : `?slot=${options.slot}`}`;
  let retryMs = 2000;
  while (!options.signal.aborted) {
    try {
      const res = await fetch(url, { signal: options.signal, headers: { accept: 'text/event-stream' } });
      if (res.status !== 200 || res.body === null) throw new Error(`GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const parsed = parseFrames(buffer);
        buffer = parsed.rest;
        if (parsed.retry !== null) retryMs = parsed.retry;
        for (const e of parsed.events) {
          let data: Record<string, unknown>;
          try {
            data = JSON.parse(e.data) as Record<string, unknown>;
          } catch {
            continue;
          }
          yield { type: e.type, id: e.id, data };
        }
      }
      options.onDisconnect?.('the node closed the stream');
    } catch (error) {
      if (options.signal.aborted) return;
      options.onDisconnect?.(error instanceof Error ? error.message : String(error));
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, retryMs);
      options.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}

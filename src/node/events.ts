/**
 * The market's live events (the contract behind `GET /v1/events`): a small typed in-process
 * publisher. The market publishes phase changes, accepted bids (coalesced), accepted
 * allocations and published results; subscribers (the SSE route, followers) each get their own
 * bounded queue, delivered in order. A subscriber that falls behind by more than its queue is
 * dropped: publishing never waits for anyone.
 */

/** Data of each event type (amounts as decimal strings, addresses lower-case, times in ms). */
export interface MarketEventData {
  /** A slot's phase changed, as observed by the node's ticker. */
  readonly phase: { readonly slot: number; readonly phase: 'open' | 'challenge' | 'final'; readonly at: number };
  /** Bids or tickets were accepted; `bids` is the slot's count (coalesced, at most ~10/s per slot). */
  readonly bid: { readonly slot: number; readonly bids: number; readonly at: number };
  /** An allocation was accepted (the node's solver or an outside challenge); `seq` counts them per slot from 0. */
  readonly incumbent: { readonly slot: number; readonly value: string; readonly bound: string | null; readonly digest: string; readonly by: string; readonly seq: number; readonly at: number };
  /** A slot's result was published (`digest`: the result's digest; `value`: its allocation's value). */
  readonly final: { readonly slot: number; readonly digest: string; readonly value: string; readonly at: number };
}

/** An event type. */
export type MarketEventType = keyof MarketEventData;

/** One published event: its type, its id (a counter, monotonic per publisher from 1) and data. */
export type MarketEvent = { [K in MarketEventType]: { readonly type: K; readonly id: number; readonly data: MarketEventData[K] } }[MarketEventType];

/** Receives events in order; a returned promise holds back the next event until it settles. */
export type MarketEventListener = (event: MarketEvent) => void | Promise<void>;

/** Options of {@link MarketEvents.subscribe}; all optional. */
export interface SubscribeOptions {
  /** Only events of this slot. Default: all. */
  readonly slot?: number;
  /** Events waiting for the listener before it is dropped. Default {@link DEFAULT_QUEUE}. */
  readonly maxQueue?: number;
  /** Called once when the subscriber is dropped (queue overflow or a listener error). */
  readonly onDrop?: (reason: string) => void;
}

/** Default per-subscriber queue length. */
export const DEFAULT_QUEUE = 256;

interface Subscriber {
  readonly listener: MarketEventListener;
  readonly slot: number | undefined;
  readonly maxQueue: number;
  readonly onDrop: ((reason: string) => void) | undefined;
  readonly queue: MarketEvent[];
  running: boolean;
  active: boolean;
}

/** The market's event publisher. */
export class MarketEvents {
  private readonly subscribers = new Set<Subscriber>();
  private counter = 0;
  private dropped = 0;

  /** Id of the last published event (0 before the first). */
  get lastId(): number {
    return this.counter;
  }

  /** Subscribers now. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Subscribers dropped so far for falling behind or failing. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Subscribes a listener; returns the function that unsubscribes it (idempotent). */
  subscribe(listener: MarketEventListener, options: SubscribeOptions = {}): () => void {
    const sub: Subscriber = {
      listener, slot: options.slot, maxQueue: Math.max(1, options.maxQueue ?? DEFAULT_QUEUE), onDrop: options.onDrop,
      queue: [], running: false, active: true,
    };
    this.subscribers.add(sub);
    return () => {
      sub.active = false;
      sub.queue.length = 0;
      this.subscribers.delete(sub);
    };
  }

  /** Publishes an event to every matching subscriber; returns it. Never blocks, never throws. */
  publish<K extends MarketEventType>(type: K, data: MarketEventData[K]): MarketEvent {
    const event = { type, id: ++this.counter, data } as MarketEvent;
    for (const sub of this.subscribers) {
      if (sub.slot !== undefined && sub.slot !== data.slot) continue;
      if (sub.queue.length >= sub.maxQueue) {
        this.drop(sub, `more than ${sub.maxQueue} events waiting`);
        continue;
      }
      sub.queue.push(event);
      this.pump(sub);
    }
    return event;
  }

  /** Drops every subscriber (the node is closing). */
  closeAll(reason = 'closing'): void {
    for (const sub of [...this.subscribers]) this.drop(sub, reason, false);
  }

  private drop(sub: Subscriber, reason: string, count = true): void {
    if (!sub.active) return;
    sub.active = false;
    sub.queue.length = 0;
    this.subscribers.delete(sub);
    if (count) this.dropped++;
    try {
      sub.onDrop?.(reason);
    } catch {
      // a failing drop callback must not reach the publisher
    }
  }

  private pump(sub: Subscriber): void {
    if (sub.running) return;
    sub.running = true;
    void (async () => {
      try {
        while (sub.active && sub.queue.length > 0) {
          const event = sub.queue.shift() as MarketEvent;
          const pending = sub.listener(event);
          if (pending !== undefined) await pending;
        }
      } catch (error) {
        this.drop(sub, `listener failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        sub.running = false;
      }
    })();
  }
}

/** One event in `text/event-stream` framing: `event`, `id`, one-line JSON `data`. */
export function sseFrame(type: string, id: number, data: unknown): string {
  return `event: ${type}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

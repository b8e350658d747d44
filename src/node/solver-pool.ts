/**
 * Where the node's winner determination runs: a worker thread (the API stays responsive while
 * a 10,000-bid slot is solved) or, for tests, this thread.
 */
import { Worker } from 'node:worker_threads';
import { workerFile } from '../heuristics/worker-file.js';
import type { SolveAnswer, SolveJob } from './solver-protocol.js';

/** Runs solve jobs, one at a time. */
export interface NodeSolver {
  solve(job: Omit<SolveJob, 'id'>): Promise<SolveAnswer>;
  close(): Promise<void>;
}

/** Solves in this thread (tests; small markets). */
export class InlineSolver implements NodeSolver {
  private next = 0;

  async solve(job: Omit<SolveJob, 'id'>): Promise<SolveAnswer> {
    const { runJob } = await import('./solver-worker.js');
    return runJob({ ...job, id: this.next++ });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Solves on one persistent worker thread, restarted if it dies. */
export class WorkerSolver implements NodeSolver {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, (a: SolveAnswer) => void>();

  solve(job: Omit<SolveJob, 'id'>): Promise<SolveAnswer> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ensure().postMessage({ ...job, id });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    // Jobs in flight end as "solver closed" (not as the worker's exit code 1 from terminate()).
    for (const [id, resolve] of this.waiting) resolve({ id, ok: false, error: 'solver closed' });
    this.waiting.clear();
    if (w !== undefined) await w.terminate();
  }

  private ensure(): Worker {
    if (this.worker !== undefined) return this.worker;
    const w = new Worker(workerFile(import.meta.url, 'node/solver-worker.js'));
    w.unref();
    w.on('message', (a: SolveAnswer) => {
      const resolve = this.waiting.get(a.id);
      this.waiting.delete(a.id);
      resolve?.(a);
    });
    const fail = (why: string): void => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, resolve] of this.waiting) resolve({ id, ok: false, error: why });
      this.waiting.clear();
    };
    w.on('error', (e) => fail(`solver worker failed: ${e.message}`));
    w.on('exit', (code) => fail(`solver worker exited with code ${code}`));
    this.worker = w;
    return w;
  }
}

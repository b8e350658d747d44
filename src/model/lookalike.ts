/**
 * Ids are compared exactly (code unit by code unit). When an id names nothing, an id that
 * matches it up to case or Unicode compatibility form is almost always what was meant: these
 * helpers find it so an error can say so.
 */

/** Ids of one kind, indexed by their folded form (NFKC, lower case), built on first use. */
export class LookalikeIds {
  private folded: Map<string, string> | undefined;

  constructor(private readonly ids: () => Iterable<string>) {}

  /** An id that equals `id` up to case or Unicode form (but not exactly), if any. */
  near(id: string): string | undefined {
    if (this.folded === undefined) {
      this.folded = new Map();
      for (const known of this.ids()) if (!this.folded.has(foldId(known))) this.folded.set(foldId(known), known);
    }
    const hit = this.folded.get(foldId(id));
    return hit === id ? undefined : hit;
  }

  /** `" (rollup ids are exact: "Alpha" differs in case or Unicode form)"`, or `''`. */
  hint(id: string, kind: string): string {
    const near = this.near(id);
    return near === undefined ? '' : ` (${kind} ids are exact: ${JSON.stringify(near)} differs in case or Unicode form)`;
  }
}

/** The form two ids share when they differ only in case or Unicode normalisation. */
export function foldId(id: string): string {
  return id.normalize('NFKC').toLowerCase();
}

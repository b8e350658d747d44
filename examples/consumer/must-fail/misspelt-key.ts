/** Must not compile: `resrve` is not a key of a rollup (the suite checks the error names it). */
import { createInstance } from 'bundle-auction';

export const instance = createInstance({ rollups: [{ id: 'a', resrve: '100' }], bids: [] });

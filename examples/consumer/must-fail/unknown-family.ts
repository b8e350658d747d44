/** Must not compile: there is no family `bidder-intrest` (the suite checks the error names it). */
import { generateInstance } from 'bundle-auction';

export const instance = generateInstance('bidder-intrest', { rollups: 10, bids: 20 });

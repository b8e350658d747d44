/** Must not compile: tuning constants are not in the root export (they are in `bundle-auction/tuning`). */
import { TABU_SAMPLE } from 'bundle-auction';

export const sample = TABU_SAMPLE;

/** Seed for property tests: FC_SEED from the environment, else a fixed one (fast-check prints it on failure). */
export const PROPERTY_SEED = Number(process.env['FC_SEED'] ?? 20261124);

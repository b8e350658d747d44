/** Means with 95 % confidence intervals (Student's t), for sweeps over many markets. */

/** A sample's mean and its 95 % confidence interval. */
export interface Estimate {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (0 for n < 2). */
  readonly sd: number;
  /** mean ± t₀.₉₇₅(n−1)·sd/√n; both equal the mean for n < 2. */
  readonly low: number;
  readonly high: number;
}

/** t₀.₉₇₅ for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Two-sided 95 % Student t quantile for `df` degrees of freedom (table to 30, then 40/60/120 steps, then 1.96). */
export function t975(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T975[df - 1] ?? 1.96;
  if (df <= 40) return 2.021;
  if (df <= 60) return 2.0;
  if (df <= 120) return 1.98;
  return 1.96;
}

/** Mean, standard deviation and 95 % confidence interval of `xs`. */
export function estimate(xs: readonly number[]): Estimate {
  const n = xs.length;
  if (n === 0) return { n, mean: Number.NaN, sd: 0, low: Number.NaN, high: Number.NaN };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { n, mean, sd: 0, low: mean, high: mean };
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, low: mean - half, high: mean + half };
}

/**
 * Money is kept as integer minor units (hundredths: cents for USD) from the edge inward, so sums
 * are exact. Every currency is stored at two decimals: amounts enter the API with at most two.
 */
export type MinorUnits = number;

/** Largest expense amount, in major units (the API contract). */
export const MAX_EXPENSE_AMOUNT = 1_000_000;
/** Largest budget limit, in major units. */
export const MAX_BUDGET_LIMIT = 1_000_000_000;

/** True when `amount` is written with at most two decimals (19.99 yes, 0.005 no). */
export function hasAtMostTwoDecimals(amount: number): boolean {
  // k / 100 is the double closest to the decimal with k hundredths, which is exactly what parsing
  // that decimal gives; any other double (246273.3600007, 5e-133) fails the round trip.
  return Number.isFinite(amount) && Math.round(amount * 100) / 100 === amount;
}

export function toMinorUnits(amount: number): MinorUnits {
  return Math.round(amount * 100);
}

/** Integer / 100 yields the double closest to the two-decimal value, which JSON prints as such. */
export function toMajorUnits(units: MinorUnits): number {
  return units / 100;
}

/**
 * spent / limit (limit > 0) as a percentage floored to one decimal, so the level shown never
 * reaches a whole-number threshold that reachesThreshold has not: 99.995% shows as 99.9%, not 100%.
 * Computed on BigInt, exact for any integers (spent * 1000 can pass 2^53).
 */
export function percentUsed(spent: MinorUnits, limit: MinorUnits): number {
  const scaled = BigInt(spent) * 1000n;
  const divisor = BigInt(limit);
  // BigInt division truncates toward zero; flooring differs from it below zero.
  const tenths = scaled / divisor - (scaled % divisor < 0n ? 1n : 0n);
  return Number(tenths) / 10;
}

/** Whether spending reached `thresholdPercent` of the limit; integer arithmetic, no rounding. */
export function reachesThreshold(spent: MinorUnits, limit: MinorUnits, thresholdPercent: number): boolean {
  return spent * 100 >= limit * thresholdPercent;
}

export function formatMoney(units: MinorUnits, currency: string): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const major = Math.floor(abs / 100).toLocaleString('en-US');
  const minor = String(abs % 100).padStart(2, '0');
  return `${sign}${currency} ${major}.${minor}`;
}

/** The mixed-load fault test's plan and statistics (pure, unit tested). */
export const KIND_WEIGHTS = {
  offers_list: 12,
  offers_filter: 10,
  offer_one: 10,
  trade_start: 8,
  trade_paid: 7,
  trade_release: 6,
  chat: 8,
  chat_read: 6,
  balance: 10,
  history: 7,
  deposit_address: 6,
  withdrawal: 4,
  withdrawal_status: 6,
} as const;

export type Kind = keyof typeof KIND_WEIGHTS;

/** The item at index i (negative counts from the end); an empty slot is a bug of the caller, said loudly. */
export function at<T>(list: readonly T[], i: number): T {
  const item = list.at(i);
  if (item === undefined) throw new Error(`no item at index ${i} of a list of ${list.length}`);
  return item;
}

/** One cycle of kinds, each as often as its weight, interleaved (not in runs of one kind). */
export function mixedLoadPlan(weights: Record<Kind, number> = KIND_WEIGHTS): Kind[] {
  const cycle = (Object.entries(weights) as Array<[Kind, number]>).flatMap(([kind, w]) => Array<Kind>(w).fill(kind));
  // A stride coprime with the cycle's length visits every slot once, spreading each kind over the cycle.
  let stride = 37;
  while (gcd(stride, cycle.length) !== 1) stride++;
  return cycle.map((_, i) => at(cycle, (i * stride) % cycle.length));
}

/** The kind of the i-th request of the run (the plan repeated). */
export function pickKind(plan: Kind[], i: number): Kind {
  return at(plan, i % plan.length);
}

/** Nearest-rank percentile (q in 0..1) of unsorted values; 0 for none. */
export function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return at(sorted, Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1)));
}

export function median(values: number[]): number {
  return percentile(values, 0.5);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * JSON for Monero RPC with exact integers.
 *
 * monerod and monero-wallet-rpc write amounts as bare JSON numbers that can exceed 2^53
 * (a wallet balance above ~9,007 XMR already does). `JSON.parse` would silently round them.
 * Here every integer literal outside a string is first rewritten into a marked string token,
 * so no integer ever passes through a JS number on its way in:
 *   - fields named like amounts (see AMOUNT_KEYS, also elements of arrays under such keys)
 *     become `bigint`, always;
 *   - any other integer becomes a `number` when it is a safe integer, else a `bigint`
 *     (never a rounded number).
 * Requests are serialised with `bigint` values as raw integer literals.
 */

/** Keys whose integer values (or array elements) are atomic amounts (piconero) -> bigint. */
export const AMOUNT_KEYS: ReadonlySet<string> = new Set([
  'amount',
  'amounts',
  'amount_in',
  'amount_out',
  'amount_list',
  'balance',
  'unlocked_balance',
  'total_balance',
  'total_unlocked_balance',
  'change_amount',
  'fee',
  'fees',
  'fee_list',
  'fee_amount',
  'emission_amount',
  'reward',
  'block_reward',
  'base_fee',
  'spent_amount',
]);

function randomTag(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** Rewrites every integer literal outside strings into `"<marker><digits>"`. */
export function quoteIntegerLiterals(text: string, marker: string): string {
  // The marker starts with NUL, which must appear escaped inside a JSON string.
  // eslint-disable-next-line no-control-regex -- the NUL of the marker is what is being escaped
  const escMarker = marker.replace(/\u0000/g, '\\u0000');
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) {
          i += 2;
          continue;
        }
        i++;
        if (d === 34) break;
      }
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = j < n ? text[j] : '';
      if (next === '.' || next === 'e' || next === 'E') {
        // A non-integer number: leave it to JSON.parse.
        while (j < n && /[0-9eE+\-.]/.test(text.charAt(j))) j++;
        i = j;
        continue;
      }
      out += text.slice(last, i) + '"' + escMarker + text.slice(i, j) + '"';
      last = j;
      i = j;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

function reviveIntegers(value: unknown, key: string, marker: string): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(marker)) return value;
    const digits = value.slice(marker.length);
    if (AMOUNT_KEYS.has(key)) return BigInt(digits);
    const big = BigInt(digits);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(digits) : big;
  }
  if (Array.isArray(value)) {
    // Array elements inherit the array's key, so `"amounts": [..]` elements are amounts.
    for (let i = 0; i < value.length; i++) value[i] = reviveIntegers(value[i], key, marker);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) obj[k] = reviveIntegers(obj[k], k, marker);
    return obj;
  }
  return value;
}

/** Parses RPC JSON; amount fields become bigint, other integers number (or bigint if unsafe). */
export function parseRpcJson(text: string): unknown {
  let marker = `\u0000${randomTag()}:`;
  // Practically impossible, but never let a server string collide with the marker.
  while (text.includes(marker.slice(1))) marker = `\u0000${randomTag()}:`;
  return reviveIntegers(JSON.parse(quoteIntegerLiterals(text, marker)), '', marker);
}

/** JSON.stringify that writes bigint values as raw integer literals (exact, no quotes). */
export function stringifyRpcJson(value: unknown): string {
  const tag = randomTag();
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `\u0000${tag}:${v.toString()}` : v));
  if (text === undefined) throw new TypeError('value is not JSON-serialisable');
  return text.replace(new RegExp(`"\\\\u0000${tag}:(-?\\d+)"`, 'g'), '$1');
}

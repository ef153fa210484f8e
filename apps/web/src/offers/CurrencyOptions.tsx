import type { Catalog } from './catalog';

/** <option>s for a currency select: the ones with a market price first, then every other. */
export function CurrencyOptions({ catalog, include }: { catalog: Catalog; include?: string }) {
  const market = catalog.marketCurrencies;
  const rest = catalog.currencies.filter((c) => !market.includes(c));
  if (include && !catalog.currencies.includes(include)) rest.unshift(include);
  const option = (c: string) => (
    <option key={c} value={c}>
      {c}
      {catalog.currencyName(c) !== c ? ` · ${catalog.currencyName(c)}` : ''}
    </option>
  );
  if (!market.length) return <>{rest.map(option)}</>;
  return (
    <>
      <optgroup label="With a market price">{market.map(option)}</optgroup>
      {rest.length > 0 && <optgroup label="Other currencies (fixed price only)">{rest.map(option)}</optgroup>}
    </>
  );
}

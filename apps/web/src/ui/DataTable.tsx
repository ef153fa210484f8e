import type { ReactNode } from 'react';
import type { AsyncState } from '../app/hooks';
import { Empty, ErrorNotice, Loading } from './feedback';
import './ui.css';

export interface Column<Row> {
  /** The column header. */
  label: string;
  /** The cell's label on phones, where each row is a card (default: the header). */
  short?: string;
  cell: (row: Row) => ReactNode;
  /** A cell laid out by its content (no `.cell-value` wrapper). */
  bare?: boolean;
  className?: string;
}

/**
 * The list pages' table: a table on wide screens, a card per row on phones (ui.css reads each
 * cell's data-label), with an optional last column of actions.
 */
export function DataTable<Row extends { id: string }>({
  rows,
  columns,
  action,
  actionLabel = 'Action',
  className,
  testId,
  rowTestId,
}: {
  rows: Row[];
  columns: Column<Row>[];
  action?: (row: Row) => ReactNode;
  actionLabel?: string;
  className?: string;
  testId?: string;
  rowTestId?: string;
}) {
  return (
    <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c.label}>
              {c.label}
            </th>
          ))}
          {action && (
            <th scope="col">
              <span className="visually-hidden">{actionLabel}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid={rowTestId}>
            {columns.map((c) => (
              <td key={c.label} data-label={c.short ?? c.label} className={c.className}>
                {c.bare ? c.cell(row) : <div className="cell-value">{c.cell(row)}</div>}
              </td>
            ))}
            {action && <td className="cell-action">{action(row)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a loaded list shows while it loads, when it failed, when it is empty, else `children`. */
export function ListStates<Item>({
  state,
  items,
  empty,
  loadingLabel,
  children,
}: {
  state: Pick<AsyncState<unknown>, 'loading' | 'error' | 'data' | 'reload'>;
  items: Item[] | undefined;
  empty: ReactNode;
  loadingLabel?: string;
  children: (items: Item[]) => ReactNode;
}) {
  // A background reload keeps the list on screen; only a first load shows the spinner.
  if (state.loading && !state.data) return <Loading label={loadingLabel} />;
  if (state.error) return <ErrorNotice error={state.error} onRetry={() => void state.reload()} />;
  if (!items?.length) return typeof empty === 'string' ? <Empty title={empty} /> : empty;
  return children(items);
}

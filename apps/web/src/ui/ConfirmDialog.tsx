import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from './Button';
import { FormError } from './feedback';
import './ui.css';

/**
 * A modal confirmation for irreversible steps, on the native <dialog> element (focus trapped,
 * Escape closes, the rest of the page inert).
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Go back',
  danger = false,
  busy = false,
  error,
  onConfirm,
  onClose,
  confirmDisabled,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  error?: string;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      {open && (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            // React events bubble through portals and parent components: never let this submit
            // reach a form the dialog happens to be rendered in.
            e.stopPropagation();
            onConfirm();
          }}
        >
          <h2 id="dialog-title">{title}</h2>
          <div className="dialog-body">{children}</div>
          <FormError message={error} />
          <div className="dialog-actions">
            <Button variant="secondary" onClick={onClose} disabled={busy}>
              {cancelLabel}
            </Button>
            <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy} disabled={confirmDisabled}>
              {confirmLabel}
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}

import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import './ui.css';

interface FieldFrame {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  /** Extra content under the control (e.g. a computed total). */
  after?: ReactNode;
}

/** Text controls hand over what was typed (`onValue`) or, where the event matters, the event (`onChange`). */
interface Typed {
  onValue?: (typed: string) => void;
}

function Frame({ id, label, error, hint, after, children }: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {after}
      {error && (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ReactNode) {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function TextField({
  label,
  error,
  hint,
  after,
  id: givenId,
  onValue,
  onChange,
  ...input
}: FieldFrame & Typed & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} error={error} hint={hint} after={after}>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={onValue ? (e) => onValue(e.target.value) : onChange}
        {...input}
      />
    </Frame>
  );
}

export function TextArea({
  label,
  error,
  hint,
  after,
  id: givenId,
  onValue,
  onChange,
  ...input
}: FieldFrame & Typed & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} error={error} hint={hint} after={after}>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={onValue ? (e) => onValue(e.target.value) : onChange}
        {...input}
      />
    </Frame>
  );
}

export function SelectField({
  label,
  error,
  hint,
  after,
  id: givenId,
  children,
  ...select
}: FieldFrame & SelectHTMLAttributes<HTMLSelectElement>) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} error={error} hint={hint} after={after}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...select}>
        {children}
      </select>
    </Frame>
  );
}

/** A group of radio buttons shown as a segmented control. */
export function RadioGroup<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  error,
}: {
  legend: ReactNode;
  name: string;
  value: T;
  options: { value: NoInfer<T>; label: ReactNode }[];
  onChange: (value: NoInfer<T>) => void;
  error?: string;
}) {
  return (
    <fieldset className={`field radio-group${error ? ' field-invalid' : ''}`}>
      <legend>{legend}</legend>
      <div className="segmented">
        {options.map((o) => (
          <label key={o.value} className={value === o.value ? 'checked' : ''}>
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}

type TextInput = FieldFrame & Typed & InputHTMLAttributes<HTMLInputElement>;

/** A password input; `fresh` for a password being chosen (browsers then offer to generate one). */
export function PasswordField({ fresh, ...input }: TextInput & { fresh?: boolean }) {
  return <TextField type="password" autoComplete={fresh ? 'new-password' : 'current-password'} {...input} />;
}

/** A code from the authenticator app (6 digits; longer with `maxLength` where a recovery code is accepted too). */
export function OneTimeCodeField(input: TextInput) {
  return <TextField inputMode="numeric" autoComplete="one-time-code" maxLength={8} {...input} />;
}

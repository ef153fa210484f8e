import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import './ui.css';

interface FieldFrame {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  /** Extra content under the control (e.g. a computed total). */
  after?: ReactNode;
}

/** Text and select controls hand over the value (`onValue`) or, where the event matters, the event (`onChange`). */
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

/**
 * Splits a field's props into its Frame's and its control's: the control gets the id (given or
 * generated) and the ARIA wiring to the hint and the error.
 */
function useFrame<Rest extends object>({ label, error, hint, after, id: givenId, ...rest }: FieldFrame & { id?: string } & Rest) {
  const generated = useId();
  const id = givenId ?? generated;
  const control = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(id, error, hint), ...rest };
  return [{ id, label, error, hint, after }, control] as const;
}

/** The change handler of a text control: the typed text to `onValue`, else the event to `onChange`. */
function changeHandler<E extends { target: { value: string } }>(onValue?: (typed: string) => void, onChange?: (e: E) => void) {
  return onValue ? (e: E) => onValue(e.target.value) : onChange;
}

// TextField, TextArea and SelectField are alike on purpose: one each keeps its element's own attribute types; the shared
// part is useFrame, Frame and changeHandler.
export function TextField({ onValue, onChange, ...props }: FieldFrame & Typed & InputHTMLAttributes<HTMLInputElement>) {
  const [frame, input] = useFrame(props);
  return (
    <Frame {...frame}>
      <input {...input} onChange={changeHandler(onValue, onChange)} />
    </Frame>
  );
}

export function TextArea({ onValue, onChange, ...props }: FieldFrame & Typed & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const [frame, textarea] = useFrame(props);
  return (
    <Frame {...frame}>
      <textarea {...textarea} onChange={changeHandler(onValue, onChange)} />
    </Frame>
  );
}

export function SelectField({ onValue, onChange, ...props }: FieldFrame & Typed & SelectHTMLAttributes<HTMLSelectElement>) {
  const [frame, select] = useFrame(props);
  return (
    <Frame {...frame}>
      <select {...select} onChange={changeHandler(onValue, onChange)} />
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

import { TextField } from '../ui/Field';

/** The one "2FA code" field of every action that asks for a fresh second factor (release, selling). */
export function SecondFactorField({
  value,
  onChange,
  error,
  hint,
}: {
  value: string;
  onChange: (typed: string) => void;
  error?: string;
  hint: string;
}) {
  return (
    <TextField
      label="2FA code"
      name="totp_code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={24}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={hint}
    />
  );
}

import { OneTimeCodeField } from '../ui/Field';

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
  return <OneTimeCodeField label="2FA code" name="totp_code" maxLength={24} value={value} onValue={onChange} error={error} hint={hint} />;
}

import { useState, type FormEvent } from 'react';
import { api } from '../app/services';
import { useAction } from '../app/hooks';
import { splitErrors } from '../errors/messages';
import { MIN_PASSWORD } from '../auth/RegisterPage';
import { Button } from '../ui/Button';
import { PasswordField } from '../ui/Field';
import { FormError, Notice } from '../ui/feedback';
import { Card } from '../ui/layout';

export function PasswordSection({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const change = useAction(async () => {
    await api.auth.changePassword(current, next);
    setCurrent('');
    setNext('');
    setRepeat('');
    setDone(true);
    onChanged();
  });
  const server = splitErrors(change.error, ['current_password', 'new_password'], { password: 'new_password' });
  const errors = { ...server.fields, ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const problems: Record<string, string> = {};
    if (!current) problems.current_password = 'Enter your current password.';
    if (next.length < MIN_PASSWORD) problems.new_password = `Use at least ${MIN_PASSWORD} characters.`;
    if (repeat !== next) problems.repeat = 'The passwords do not match.';
    setLocal(problems);
    if (!Object.keys(problems).length) void change.run();
  };
  return (
    <Card title="Password" id="password">
      {done && <Notice kind="success">Password changed. Your other sessions were logged out.</Notice>}
      <form onSubmit={submit} noValidate className="form-narrow">
        <PasswordField label="Current password" value={current} onValue={setCurrent} error={errors.current_password} />
        <PasswordField
          label="New password"
          fresh
          value={next}
          onValue={setNext}
          error={errors.new_password}
          hint={`At least ${MIN_PASSWORD} characters.`}
        />
        <PasswordField label="Repeat new password" fresh value={repeat} onValue={setRepeat} error={errors.repeat} />
        <FormError message={server.form} />
        <Button type="submit" busy={change.busy}>
          Change password
        </Button>
      </form>
    </Card>
  );
}

import type { FormEvent, ReactNode } from 'react';
import { Button, type ButtonProps } from './Button';
import { RadioGroup, TextArea } from './Field';
import { FormError } from './feedback';
import './ui.css';

/** A form's submit handler: the page stays put (no browser submit), `run` does the work. */
export function onSubmitted(run: () => void) {
  return (e: FormEvent) => {
    e.preventDefault();
    run();
  };
}

/**
 * A choice among a few options plus a written text, then one button: the shape of leaving
 * feedback (rating + comment) and of resolving a dispute (outcome + note). `children` go between
 * the choice and the text (a field the choice needs).
 */
export function DecisionForm<Choice extends string>({
  legend,
  name,
  choice,
  onChoice,
  options,
  text,
  submit,
  onSubmit,
  formError,
  children,
}: {
  legend: ReactNode;
  name: string;
  choice: Choice;
  onChoice: (value: NoInfer<Choice>) => void;
  options: { value: NoInfer<Choice>; label: ReactNode }[];
  text: { label: string; rows: number; maxLength: number; value: string; onValue: (typed: string) => void; error?: string };
  submit: { label: string } & Pick<ButtonProps, 'variant' | 'busy'>;
  onSubmit: () => void;
  formError?: string;
  children?: ReactNode;
}) {
  const { label, ...button } = submit;
  return (
    <form onSubmit={onSubmitted(onSubmit)} noValidate>
      <RadioGroup legend={legend} name={name} value={choice} onChange={onChoice} options={options} />
      {children}
      <TextArea {...text} />
      <FormError message={formError} />
      <Button type="submit" {...button}>
        {label}
      </Button>
    </form>
  );
}

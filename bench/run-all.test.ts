import { describe, expect, it } from 'vitest';
import { judgeOutput } from './run-all.js';

const ledger = { name: 'ledger', movesMoney: true };
const gateway = { name: 'gateway', movesMoney: false };

describe('npm run bench: judging one benchmark', () => {
  it('passes a money-moving benchmark whose ledger verified', () => {
    const out =
      '{"bench":"ledger","op":"deposit","ops_per_s":100}\n{"bench":"ledger","verify_ok":true}\n{"bench":"ledger","verify_ok":true}\n';
    expect(judgeOutput(ledger, out, 0)).toMatchObject({ ok: true, verify_ok: true, lines: 3, problems: [] });
  });

  it('fails when the ledger did not verify, or a money-moving benchmark never said', () => {
    expect(judgeOutput(ledger, '{"verify_ok":true}\n{"verify_ok":false}\n', 0)).toMatchObject({
      ok: false,
      verify_ok: false,
      problems: ['the ledger did not verify'],
    });
    expect(judgeOutput(ledger, '{"bench":"ledger"}\n', 0)).toMatchObject({ ok: false, problems: ['no ledger verification reported'] });
  });

  it('fails on a non-zero exit or a line that is not JSON; a benchmark that moves no money needs no verification', () => {
    expect(judgeOutput(gateway, '{"bench":"gateway"}\n', 0)).toMatchObject({ ok: true, verify_ok: null });
    expect(judgeOutput(gateway, '{"bench":"gateway"}\n', 1)).toMatchObject({ ok: false, problems: ['exited with 1'] });
    expect(judgeOutput(gateway, 'Error: boom\n', 0).problems).toEqual(['not a JSON line: Error: boom']);
  });
});

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { exprCommand, parseInput } from './expr.command';

describe('idsync expr', () => {
  it('evaluates an Entra expression against the input object', () => {
    expect(exprCommand('Join(" ", [givenName], [sn])', '{"givenName":"Zoë","sn":"Ångström"}')).toBe('{"result":"Zoë Ångström"}');
    expect(exprCommand('NormalizeDiacritics(ToLower([givenName]))', '{"givenName":"Zoë"}')).toBe('{"result":"zoe"}');
    expect(exprCommand('[missing]', '{}')).toBe('{"result":null}');
  });

  it('reads arrays, numbers and nulls in the input, and refuses what is not an object', () => {
    expect(parseInput('{"groups":["a","b"],"n":3,"x":null}')).toEqual({ groups: ['a', 'b'], n: ['3'] });
    expect(() => parseInput('[1]')).toThrow(/JSON object/);
    expect(() => parseInput('{')).toThrow(/not JSON/);
  });

  it('runs as `npx idsync expr` and reports a syntax error with its position', () => {
    const bin = join(__dirname, '..', 'bin', 'idsync.js');
    expect(execFileSync(process.execPath, [bin, 'expr', 'ToUpper([cn])', '--input', '{"cn":"ada"}']).toString()).toBe('{"result":"ADA"}\n');
    let stderr = '';
    try {
      execFileSync(process.execPath, [bin, 'expr', 'Join(" ", [a]'], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      stderr = (e as { stderr: Buffer }).stderr.toString();
    }
    expect(JSON.parse(stderr).error).toMatchObject({ code: 'EXPRESSION.SYNTAX', message: expect.stringMatching(/^at \d+: expected/) });
  });
});

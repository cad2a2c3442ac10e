import { compileExpression, evaluate } from './compiler';
import { ExpressionEvaluationError } from './errors';
import { parseExpression } from './parser';

describe('compileExpression and evaluate', () => {
  it('a direct copy and a constant', () => {
    expect(compileExpression('[email]')({ email: ['a@example.org'] })).toBe('a@example.org');
    expect(compileExpression('[email]')({})).toBeNull();
    expect(compileExpression('[email]')({ email: [] })).toBeNull();
    expect(compileExpression('[proxy]')({ proxy: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(compileExpression('"x"')({})).toBe('x');
    expect(compileExpression('42')({})).toBe(42);
    expect(compileExpression('True')({})).toBe(true);
  });

  it('evaluate runs a parsed tree, compiling it once', () => {
    const ast = parseExpression('Append([userPrincipalName], ".test")');
    expect(evaluate(ast, { userPrincipalName: ['John.Doe@contoso.com'] })).toBe('John.Doe@contoso.com.test');
    expect(evaluate(ast, { userPrincipalName: ['x'] })).toBe('x.test');
  });

  it('finds attributes regardless of case, and never on the prototype', () => {
    const f = compileExpression('Join(" ", [GivenName], [SN])');
    expect(f({ givenName: ['Ada'], sn: ['Lovelace'] })).toBe('Ada Lovelace');
    expect(compileExpression('[constructor]')({})).toBeNull();
    expect(compileExpression('[__proto__]')({})).toBeNull();
  });

  it('reports the attributes it reads, and is reusable', () => {
    const f = compileExpression('IIF([a] = [b], ToLower([c]), [a])');
    expect(f.attributes).toEqual(['a', 'b', 'c']);
    expect(f.text).toBe('IIF([a] = [b], ToLower([c]), [a])');
    expect(f({ a: ['1'], b: ['1'], c: ['X'] })).toBe('x');
    expect(f({ a: ['1'], b: ['2'], c: ['X'] })).toBe('1');
  });

  it('turns DateTimes into Entra text at the boundary', () => {
    expect(compileExpression('CDate("2021-01-01T10:00:00Z")')({})).toBe('1/1/2021 10:00:00 AM');
  });

  it('an evaluation error names the innermost failing function and its position', () => {
    const f = compileExpression('ToLower(Join(".", CDate([hired]), "x"))');
    let error: unknown;
    try {
      f({ hired: ['someday'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionEvaluationError);
    expect(error).toMatchObject({ code: 'EXPRESSION.EVALUATION', position: 18, functionName: 'CDate', message: 'at 18: CDate: cannot read "someday" as a date' });
  });

  it('stays fast: a million evaluations do not re-parse', () => {
    const f = compileExpression('ToLower(Join(".", NormalizeDiacritics([givenName]), NormalizeDiacritics([sn])))');
    const attrs = { givenName: ['Zoë'], sn: ['Ångström'] };
    const started = Date.now();
    for (let i = 0; i < 100_000; i++) f(attrs);
    expect(f(attrs)).toBe('zoe.angstrom');
    // Generous bound: it guards against re-parsing per call, not against a slow machine.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

import { ExpressionSyntaxError } from './errors';
import { parseExpression } from './parser';

function syntaxError(text: string): ExpressionSyntaxError {
  try {
    parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${text}`);
}

describe('parseExpression', () => {
  it('parses a direct copy and a constant', () => {
    expect(parseExpression('[email]')).toEqual({ kind: 'attribute', name: 'email', position: 0 });
    expect(parseExpression('"x"')).toEqual({ kind: 'string', value: 'x', position: 0 });
  });

  it('parses nested calls with their positions', () => {
    expect(parseExpression('ToLower(Join(".", [givenName], [sn]))')).toEqual({
      kind: 'call',
      name: 'ToLower',
      position: 0,
      args: [
        {
          kind: 'call',
          name: 'Join',
          position: 8,
          args: [
            { kind: 'string', value: '.', position: 13 },
            { kind: 'attribute', name: 'givenName', position: 18 },
            { kind: 'attribute', name: 'sn', position: 31 },
          ],
        },
      ],
    });
  });

  it('reads \\" and \\\\ escapes in strings', () => {
    expect(parseExpression('"Company name: \\"Contoso\\""')).toMatchObject({ value: 'Company name: "Contoso"' });
    expect(parseExpression('"a\\\\b"')).toMatchObject({ value: 'a\\b' });
    expect(parseExpression('"\\d+"')).toMatchObject({ value: '\\d+' });
  });

  it('reads numbers, negative numbers, VBA hexadecimal, booleans and compare constants', () => {
    expect(parseExpression('DateAdd("d", -10, Now())')).toMatchObject({ args: [{}, { kind: 'number', value: -10 }, { kind: 'call', name: 'Now', args: [] }] });
    expect(parseExpression('BitAnd(&HF, &HF7)')).toMatchObject({ args: [{ value: 15, raw: '&HF' }, { value: 247 }] });
    expect(parseExpression('DateFromNum(129699324000000000)')).toMatchObject({ args: [{ kind: 'number', raw: '129699324000000000' }] });
    expect(parseExpression('CBool(True)')).toMatchObject({ args: [{ kind: 'boolean', value: true }] });
    expect(parseExpression('InStr("repEated","e",3,vbBinaryCompare)')).toMatchObject({ args: [{}, {}, {}, { kind: 'constant', name: 'vbBinaryCompare', value: 0 }] });
  });

  it('keeps omitted arguments, including a trailing one', () => {
    const ast = parseExpression('Replace([mail], "@contoso.com", , ,"", ,)');
    expect(ast).toMatchObject({ name: 'Replace' });
    expect(ast.kind === 'call' && ast.args.map((a) => a.kind)).toEqual(['attribute', 'string', 'omitted', 'omitted', 'string', 'omitted', 'omitted']);
  });

  it('parses comparisons inside IIF and across lines', () => {
    expect(parseExpression('IIF([country]="USA",[country],[department])')).toMatchObject({
      args: [{ kind: 'comparison', operator: '=', left: { name: 'country' }, right: { value: 'USA' } }, {}, {}],
    });
    const multiLine = 'Switch([Active], , \n  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), \n  "0", "False")';
    expect(parseExpression(multiLine)).toMatchObject({ name: 'Switch', args: [{}, { kind: 'omitted' }, {}, { name: 'IIF' }, {}, {}] });
    for (const op of ['<>', '<', '<=', '>', '>=']) expect(parseExpression(`CBool([a] ${op} "b")`)).toMatchObject({ args: [{ operator: op }] });
  });

  describe('syntax errors give the position and what was expected', () => {
    it('a missing comma', () => {
      const e = syntaxError('Join(",", [a] [b])');
      expect(e.message).toBe("at 14: expected ')' or ',', found [b]");
      expect(e).toMatchObject({ position: 14, expected: "')' or ','", code: 'EXPRESSION.SYNTAX' });
    });

    it('an unclosed call', () => {
      expect(syntaxError('Join(" ", [givenName]')).toMatchObject({ position: 21, message: "at 21: expected ')' or ',', found the end of the expression" });
    });

    it('an unclosed string', () => {
      expect(syntaxError('Append([a], "x)')).toMatchObject({ position: 15, message: `at 15: expected '"' to close the string opened at 12` });
    });

    it('an unclosed attribute', () => {
      expect(syntaxError('ToLower([mail)')).toMatchObject({ position: 14, message: "at 14: expected ']' to close the attribute opened at 8" });
      expect(syntaxError('[]')).toMatchObject({ position: 1, expected: 'an attribute name' });
    });

    it('an unexpected character', () => {
      expect(syntaxError('Append([a], #)').message).toBe(`at 12: expected a function, [attribute], "string" or number, found '#'`);
    });

    it('trailing text', () => {
      expect(syntaxError('[a] [b]').message).toBe('at 4: expected the end of the expression, found [b]');
      expect(syntaxError('CBool([a] = [b] = [c])').position).toBe(16);
    });

    it('an empty expression', () => {
      expect(syntaxError('').message).toBe('at 0: expected a function, [attribute], "string" or number, found the end of the expression');
    });

    it('a bare name', () => {
      expect(syntaxError('Append(mail, "x")')).toMatchObject({ position: 7 });
      expect(syntaxError('Append(mail, "x")').message).toContain('an attribute is written [mail]');
      expect(syntaxError('ToLower').message).toBe("at 7: expected '(' after ToLower, found the end of the expression");
    });
  });

  describe('functions are checked when parsed', () => {
    it('refuses an unknown function, naming it', () => {
      expect(syntaxError('Append([a], Frobnicate([b]))')).toMatchObject({ code: 'EXPRESSION.UNKNOWN_FUNCTION', position: 12, message: "at 12: unknown function 'Frobnicate'" });
    });

    it('names are case-sensitive, with a hint', () => {
      expect(syntaxError('toLower([a])').message).toBe("at 0: unknown function 'toLower' (did you mean ToLower? function names are case-sensitive)");
    });

    it('refuses a wrong argument count', () => {
      expect(syntaxError('Left("John Doe")')).toMatchObject({ code: 'EXPRESSION.ARGUMENT_COUNT', message: 'at 0: Left expects 2 arguments, got 1' });
      expect(syntaxError('ToLower([a], "en-US", "x")').message).toBe('at 0: ToLower expects 1 to 2 arguments, got 3');
      expect(syntaxError('Join(",")').message).toBe('at 0: Join expects at least 2 arguments, got 1');
      expect(syntaxError('Guid(1)').message).toBe('at 0: Guid expects 0 arguments, got 1');
      expect(syntaxError('Switch([a], "d", "k")').message).toBe('at 0: Switch expects at least 4 arguments, got 3');
      expect(syntaxError('Switch([a], "d", "k", "v", "k2")').message).toBe('at 0: Switch expects an even number of arguments: source, default, then key and value pairs, got 5');
      expect(syntaxError('SelectUniqueValue([a])').message).toBe('at 0: SelectUniqueValue expects at least 2 arguments, got 1');
    });

    it('allows SelectUniqueValue only as the whole expression', () => {
      expect(() => parseExpression('SelectUniqueValue([a], [b])')).not.toThrow();
      expect(syntaxError('ToLower(SelectUniqueValue([a], [b]))').message).toBe('at 8: SelectUniqueValue must be the whole expression, not nested');
    });

    it('refuses the Entra-only app role functions with the reason', () => {
      expect(syntaxError('SingleAppRoleAssignment([appRoleAssignments])')).toMatchObject({ code: 'EXPRESSION.NOT_SUPPORTED' });
      expect(syntaxError('AppRoleAssignmentsComplex([appRoleAssignments])').message).toMatch(/^at 0: AppRoleAssignmentsComplex is not supported: it reads Entra app role assignments/);
    });
  });
});

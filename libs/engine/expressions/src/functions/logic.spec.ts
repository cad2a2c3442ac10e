import { compileExpression } from '../compiler';
import type { EvaluationContext } from '../context';
import { ExpressionEvaluationError } from '../errors';
import { IGNORE_FLOW, type AttributeValues } from '../values';

const ev = (text: string, attrs: AttributeValues = {}, ctx?: EvaluationContext) => compileExpression(text)(attrs, ctx);

describe('conditions, tests and conversions', () => {
  it('Coalesce: flow mail if present, otherwise userPrincipalName', () => {
    expect(ev('Coalesce([mail],[userPrincipalName])', { userPrincipalName: ['John.Doe@contoso.com'] })).toBe('John.Doe@contoso.com');
    expect(ev('Coalesce([mail],[userPrincipalName])', { mail: [''], userPrincipalName: ['u@c.com'] })).toBe('u@c.com');
    expect(ev('Coalesce([a],[b])')).toBeNull();
    expect(ev('Coalesce([a],"default")')).toBe('default');
  });

  it('IIF: documented condition, AND and OR by nesting', () => {
    const iif = 'IIF([country]="USA",[country],[department])';
    expect(ev(iif, { country: ['USA'], department: ['Sales'] })).toBe('USA');
    expect(ev(iif, { country: ['FR'], department: ['Sales'] })).toBe('Sales');
    const and = 'IIF([country]="USA",IIF([state]="CA","True","False"),"False")';
    expect(ev(and, { country: ['USA'], state: ['CA'] })).toBe('True');
    expect(ev(and, { country: ['USA'], state: ['NY'] })).toBe('False');
    const or = 'IIF([country]="USA","True",IIF([state]="CA","True","False"))';
    expect(ev(or, { country: ['FR'], state: ['CA'] })).toBe('True');
    expect(ev(or, { country: ['FR'], state: ['NY'] })).toBe('False');
  });

  it('And and Or (beyond Entra): conditions as IIF reads them, left to right, only as far as needed', () => {
    const and = 'IIF(And([country]="USA", [state]="CA"), "True", "False")';
    expect(ev(and, { country: ['USA'], state: ['CA'] })).toBe('True');
    expect(ev(and, { country: ['USA'], state: ['NY'] })).toBe('False');
    const or = 'IIF(Or([country]="USA", [state]="CA", IsPresent([override])), "True", "False")';
    expect(ev(or, { country: ['FR'], state: ['CA'] })).toBe('True');
    expect(ev(or, { country: ['FR'], state: ['NY'] })).toBe('False');
    expect(ev(or, { country: ['FR'], override: ['x'] })).toBe('True');
    // A missing attribute is no value: false, never an error.
    expect(ev('And(True, [flag])')).toBe(false);
    // Short-circuit: the condition that would fail is never read.
    expect(ev('Or(True, CBool("maybe"))')).toBe(true);
    expect(ev('And(False, CBool("maybe"))')).toBe(false);
    expect(() => ev('And(True, CBool("maybe"))')).toThrow('expects True or False');
    expect(() => compileExpression('And(True)')).toThrow(expect.objectContaining({ code: 'EXPRESSION.ARGUMENT_COUNT' }));
  });

  it('IIF over a missing attribute treats it as "" (where Entra fails)', () => {
    expect(ev('IIF([country]="","Other",[country])')).toBe('Other');
    expect(ev('IIF(IsPresent([country]),[country],"Other")')).toBe('Other');
  });

  it('IIF evaluates only the branch it takes', () => {
    expect(ev('IIF(True, "a", CDate("not a date"))')).toBe('a');
  });

  it('IIF refuses a condition that is not a boolean', () => {
    expect(() => ev('IIF([x], "a", "b")', { x: ['maybe'] })).toThrow('at 0: IIF: expects True or False, got "maybe"');
  });

  it('comparisons: numbers numerically, text case-sensitively', () => {
    expect(ev('CBool([level] > 5)', { level: ['10'] })).toBe(true);
    expect(ev('CBool([a] <> [b])', { a: ['x'], b: ['X'] })).toBe(true);
    expect(ev('CBool("b" >= "a")')).toBe(true);
    expect(ev('CBool([n] <= 2)', { n: ['2'] })).toBe(true);
    expect(ev('CBool([n] < 2)')).toBe(false);
    expect(ev('CBool(CDate("2021-01-02") > CDate("2021-01-01"))')).toBe(true);
  });

  it('Switch: time zone from state code', () => {
    const tz = 'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")';
    expect(ev(tz, { state: ['QLD'] })).toBe('Australia/Brisbane');
    expect(ev(tz, { state: ['WA'] })).toBe('Australia/Sydney');
    expect(ev(tz, { state: ['qld'] })).toBe('Australia/Sydney');
  });

  it('Switch: "" as a key matches no value; ToLower makes it case-insensitive', () => {
    expect(ev('Switch([statusFlag], "Default Value", "true", "1", "", "0")')).toBe('0');
    expect(ev('Switch([country],[country],"","Other")', { country: ['NZ'] })).toBe('NZ');
    expect(ev('Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")', { statusFlag: ['TRUE'] })).toBe('1');
    expect(ev('Switch([x], , "a", "b")', { x: ['z'] })).toBeNull();
  });

  it('Switch with IIF and DateDiff: enable an account hired within five days', () => {
    const expr = 'Switch([Active], , \n "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), \n "0", "False")';
    const ctx = { now: () => new Date('2024-05-01T00:00:00Z') };
    expect(ev(expr, { Active: ['1'], StatusHireDate: ['2024-05-03-07:00'] }, ctx)).toBe('True');
    expect(ev(expr, { Active: ['1'], StatusHireDate: ['2024-06-01-07:00'] }, ctx)).toBe('False');
    expect(ev(expr, { Active: ['0'], StatusHireDate: ['2024-05-03-07:00'] }, ctx)).toBe('False');
  });

  it('IsNull, IsNullOrEmpty, IsPresent, IsString', () => {
    expect(ev('IsNull([displayName])')).toBe(true);
    expect(ev('IsNull([displayName])', { displayName: [''] })).toBe(false);
    expect(ev('IsNullOrEmpty([displayName])', { displayName: [''] })).toBe(true);
    expect(ev('IsNullOrEmpty([displayName])', { displayName: ['x'] })).toBe(false);
    expect(ev('IsPresent([displayName])', { displayName: ['x'] })).toBe(true);
    expect(ev('IsString([displayName])', { displayName: ['x'] })).toBe(true);
    expect(ev('IsString(Count([displayName]))')).toBe(false);
    const manager = 'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])';
    // Read as Switch defines it: source True matches no False key, so the default flows.
    expect(ev(manager, { directManager: ['m1'] })).toBe('m1');
  });

  it('Not flips True and False', () => {
    expect(ev('Not([flag])', { flag: ['True'] })).toBe(false);
    expect(ev('Not([flag])', { flag: ['False'] })).toBe(true);
    expect(ev('Not(IsNull([x]))')).toBe(false);
  });

  it('CBool: true when both attributes are equal, non-zero numbers are true', () => {
    expect(ev('CBool([attribute1] = [attribute2])', { attribute1: ['a'], attribute2: ['a'] })).toBe(true);
    expect(ev('CBool([attribute1] = [attribute2])', { attribute1: ['a'], attribute2: ['b'] })).toBe(false);
    expect(ev('CBool(2)')).toBe(true);
    expect(ev('CBool("0")')).toBe(false);
  });

  it('CStr: converts to text', () => {
    expect(ev('CStr([dn])', { dn: ['cn=Joe,dc=contoso,dc=com'] })).toBe('cn=Joe,dc=contoso,dc=com');
    expect(ev('CStr(42)')).toBe('42');
    expect(ev('CStr(IsNull([x]))')).toBe('True');
  });

  it('BitAnd: &HF AND &HF7 is 7', () => {
    expect(ev('BitAnd(&HF, &HF7)')).toBe(7);
    expect(ev('BitAnd([userAccountControl], 2)', { userAccountControl: ['514'] })).toBe(2);
    expect(ev('BitAnd(4294967295, 4294967295)')).toBe(4294967295);
  });

  it('IgnoreFlowIfNullOrEmpty: drops the attribute from the flow', () => {
    expect(ev('IgnoreFlowIfNullOrEmpty([department])')).toBe(IGNORE_FLOW);
    expect(ev('IgnoreFlowIfNullOrEmpty([department])', { department: [''] })).toBe(IGNORE_FLOW);
    expect(ev('IgnoreFlowIfNullOrEmpty([department])', { department: ['Sales'] })).toBe('Sales');
    const title = 'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))';
    expect(ev(title, { prefix: ['9999'] })).toBe(IGNORE_FLOW);
    expect(ev(title, { prefix: ['3444'] })).toBe('Prof.');
    expect(ev('Join(",", "a", IgnoreFlowIfNullOrEmpty([x]))')).toBe(IGNORE_FLOW);
  });

  describe('SelectUniqueValue', () => {
    const upn = `SelectUniqueValue(
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")
    )`;
    const john = { PreferredFirstName: ['John'], PreferredLastName: ['Smith'] };
    const taken = (...values: string[]) => ({ isUnique: (v: string) => !values.includes(v) });

    it('returns the first value not taken', () => {
      expect(ev(upn, john, taken())).toBe('John.Smith@contoso.com');
      expect(ev(upn, john, taken('John.Smith@contoso.com'))).toBe('J.Smith@contoso.com');
      expect(ev(upn, john, taken('John.Smith@contoso.com', 'J.Smith@contoso.com'))).toBe('Jo.Smith@contoso.com');
    });

    it('fails with EXPRESSION.NO_UNIQUE_VALUE when all are taken', () => {
      const run = () => ev(upn, john, taken('John.Smith@contoso.com', 'J.Smith@contoso.com', 'Jo.Smith@contoso.com'));
      expect(run).toThrow(ExpressionEvaluationError);
      expect(run).toThrow(expect.objectContaining({ code: 'EXPRESSION.NO_UNIQUE_VALUE', functionName: 'SelectUniqueValue', position: 0 }));
    });

    it('needs isUnique from the caller', () => {
      expect(() => ev(upn, john)).toThrow(expect.objectContaining({ code: 'EXPRESSION.NOT_SUPPORTED' }));
    });

    it('reports itself on the compiled expression', () => {
      expect(compileExpression(upn).selectsUniqueValue).toBe(true);
      expect(compileExpression('[a]').selectsUniqueValue).toBe(false);
    });
  });
});

import { compileExpression } from '../compiler';
import type { AttributeValues } from '../values';

const ev = (text: string, attrs: AttributeValues = {}) => compileExpression(text)(attrs);

// Examples from Microsoft's reference for Replace, in the order it gives them.
describe('Replace', () => {
  it('1: oldValue and replacementValue replace the whole string', () => {
    expect(ev('Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )', { BusinessTitle: ['Product Developer'] })).toBe('Software Engineer');
  });

  it('2: oldValue and template insert the source into a template', () => {
    expect(ev('Replace([UserID],"<username>", , , , , "<username>@contoso.com")', { UserID: ['jsmith'] })).toBe('jsmith@contoso.com');
  });

  it('3: regexPattern and replacementValue with a named group', () => {
    expect(ev('Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )', { telephoneNumber: ['+91 9998887777'] })).toBe('9998887777');
    expect(ev('Replace([mobile], , "[()\\\\s-]+", , "", , )', { mobile: ['+1 (999) 888-7777'] })).toBe('+19998887777');
  });

  it('4: regexPattern, regexGroupName and replacementValue replace only the group', () => {
    expect(ev('Replace([AddressLineData], ,"(?<streetNumber>^\\\\d*)","streetNumber", "888", , )', { AddressLineData: ['545 Tremont Street'] })).toBe('888 Tremont Street');
    expect(ev('Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )', { userPrincipalName: ['jsmith@contoso.com'] })).toBe('jsmith');
  });

  it('5: regexPattern, regexGroupName and replacementAttributeName fill an empty source', () => {
    const expr = 'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )';
    expect(ev(expr, { telephoneNumber: [''], mobile: ['+91 8887779999'] })).toBe('8887779999');
    expect(ev(expr, { mobile: ['+91 8887779999'] })).toBe('8887779999');
    expect(ev(expr, { telephoneNumber: ['+1 555'], mobile: ['+91 8887779999'] })).toBe('+1 555');
  });

  it('6: characters matching a regular expression are removed', () => {
    expect(ev('Replace([mailNickname], , "[a-zA-Z_]*", , "", , )', { mailNickname: ['john_doe72'] })).toBe('72');
  });

  it('strips a known domain name', () => {
    expect(ev('Replace([mail], "@contoso.com", , ,"", ,)', { mail: ['john.doe@contoso.com'] })).toBe('john.doe');
  });

  it('is case-sensitive and leaves no value alone', () => {
    expect(ev('Replace([t], "dev", , , "x", , )', { t: ['Dev dev'] })).toBe('Dev x');
    expect(ev('Replace([t], "a", , , "b", , )')).toBeNull();
  });

  it('names a broken pattern', () => {
    expect(() => ev('Replace([t], , "(", , "", , )', { t: ['x'] })).toThrow(/^at 0: Replace: invalid regular expression "\("/);
  });
});

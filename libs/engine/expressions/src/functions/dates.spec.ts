import { compileExpression } from '../compiler';
import type { EvaluationContext } from '../context';
import type { AttributeValues } from '../values';

const ev = (text: string, attrs: AttributeValues = {}, ctx?: EvaluationContext) => compileExpression(text)(attrs, ctx);

// Examples from Microsoft's reference; all DateTimes are UTC.
describe('date functions', () => {
  it('CDate: documented examples return the UTC equivalent', () => {
    expect(ev('CDate([StatusHireDate])', { StatusHireDate: ['2020-03-16-07:00'] })).toBe('3/16/2020 7:00:00 AM');
    expect(ev('CDate("2021-06-30+08:00")')).toBe('6/29/2021 4:00:00 PM');
    expect(ev('CDate("2009-06-15T01:45:30-07:00")')).toBe('6/15/2009 8:45:30 AM');
  });

  it('CDate: reads its own output and generalized time, refuses nonsense', () => {
    expect(ev('CDate("8/25/2021 5:41:18 PM")')).toBe('8/25/2021 5:41:18 PM');
    expect(ev('CDate("20150123105347.1Z")')).toBe('1/23/2015 10:53:47 AM');
    expect(ev('CDate([x])')).toBeNull();
    expect(() => ev('CDate("2021-02-30")')).toThrow('at 0: CDate: cannot read "2021-02-30" as a date');
  });

  it('Now: current UTC time in M/d/yyyy h:mm:ss tt', () => {
    expect(ev('Now()', {}, { now: () => new Date('2021-07-02T15:33:38Z') })).toBe('7/2/2021 3:33:38 PM');
    expect(ev('Now()')).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
  });

  it.each([
    ['d', 7, '3/23/2012 7:00:00 AM'],
    ['d', -10, '3/6/2012 7:00:00 AM'],
    ['ww', 2, '3/30/2012 7:00:00 AM'],
    ['m', 10, '1/16/2013 7:00:00 AM'],
    ['yyyy', 2, '3/16/2014 7:00:00 AM'],
    ['h', 5, '3/16/2012 12:00:00 PM'],
    ['n', 90, '3/16/2012 8:30:00 AM'],
    ['s', 30, '3/16/2012 7:00:30 AM'],
  ])('DateAdd("%s", %d) to the hire date 2012-03-16-07:00', (interval, value, expected) => {
    expect(ev(`DateAdd("${interval}", ${value}, CDate([StatusHireDate]))`, { StatusHireDate: ['2012-03-16-07:00'] })).toBe(expected);
  });

  it('DateAdd: a month from the 31st is the last day of the next month', () => {
    expect(ev('DateAdd("m", 1, CDate("2021-01-31"))')).toBe('2/28/2021 12:00:00 AM');
    expect(() => ev('DateAdd("q", 1, Now())')).toThrow(/^at 0: DateAdd: interval must be one of "yyyy", "m", "d", "ww", "h", "n", "s", got "q"/);
  });

  it.each([
    ['d', '2021-08-18+08:00', '2021-08-31+08:00', 13],
    ['d', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -3449],
    ['ww', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -493],
    ['m', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -113],
    ['yyyy', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -9],
    ['d', '2021-08-31+08:00', '2021-08-31+08:00', 0],
    ['h', '2021-08-24', '2021-08-25', 24],
    ['n', '2021-08-24', '2021-08-25', 1440],
    ['s', '2021-08-24', '2021-08-25', 86400],
  ])('DateDiff("%s", %s, %s) is %d', (interval, date1, date2, expected) => {
    expect(ev(`DateDiff("${interval}", CDate("${date1}"), CDate("${date2}"))`)).toBe(expected);
  });

  it('DateDiff: compare the current date with the hire date', () => {
    const ctx = { now: () => new Date('2021-08-25T17:41:18Z') };
    expect(ev('DateDiff("d", Now(), CDate([StatusHireDate]))', { StatusHireDate: ['2012-03-16-07:00'] }, ctx)).toBe(-3449);
  });

  it('DateFromNum: an Active Directory date is a DateTime', () => {
    expect(ev('DateFromNum(129699324000000000)')).toBe('1/1/2012 11:00:00 PM');
    expect(ev('DateFromNum([lastLogonTimestamp])', { lastLogonTimestamp: ['129699324000000000'] })).toBe('1/1/2012 11:00:00 PM');
    expect(ev('DateFromNum([lastLogonTimestamp])')).toBeNull();
  });

  it('NumFromDate: Workday ContractEndDate to accountExpires', () => {
    const expr = 'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))';
    expect(ev(expr, { ContractEndDate: ['2020-12-31-08:00'] })).toBe('132539615990000000');
  });

  it('NumFromDate: SuccessFactors endDate to accountExpires', () => {
    const expr = 'NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))';
    expect(ev(expr, { endDate: ['12/31/2020 09:00:00 AM'] })).toBe('132539615990000000');
    expect(ev('DateFromNum(NumFromDate("2020-12-31 23:59:59-08:00"))')).toBe('1/1/2021 7:59:59 AM');
  });

  it('FormatDateTime: a date in the format a SaaS application wants', () => {
    expect(ev('FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', { extensionAttribute1: ['20150123105347.1Z'] })).toBe('2015-01-23');
  });

  it('FormatDateTime: three-argument form, styles, standard formats, names', () => {
    expect(ev('FormatDateTime("2021-03-04", "yyyy-MM-dd", "dd/MM/yy")')).toBe('04/03/21');
    expect(ev('FormatDateTime(" 2021-03-04 ", "AdjustToUniversal, AssumeUniversal", "yyyy-MM-dd", "dddd d MMMM yyyy")')).toBe('Thursday 4 March 2021');
    expect(ev('FormatDateTime("4 Mar 2021 1:05 PM", , "d MMM yyyy h:mm tt", "o")')).toBe('2021-03-04T13:05:00.0000000Z');
    expect(ev('FormatDateTime("2021-03-04T13:05:06+02:00", , "yyyy-MM-ddTHH:mm:sszzz", "s")')).toBe('2021-03-04T11:05:06');
    expect(ev('FormatDateTime(CDate("2021-03-04"), , , "yyyyMMddHHmmss\'Z\'")')).toBe('20210304000000Z');
    expect(ev('FormatDateTime("2021-03-04T13:05:06.5", , "yyyy-MM-ddTHH:mm:ss.FFF", "HH:mm:ss.FFF")')).toBe('13:05:06.5');
    expect(ev('FormatDateTime("2021-03-04T13:05:06", , "yyyy-MM-ddTHH:mm:ss.FFF", "HH:mm:ss.FFF")')).toBe('13:05:06');
  });

  it('FormatDateTime: names what does not match', () => {
    expect(() => ev('FormatDateTime("2021-3-04", , "yyyy-MM-dd", "d")')).toThrow('at 0: FormatDateTime: "2021-3-04" does not match the format "yyyy-MM-dd"');
    expect(() => ev('FormatDateTime("2021-03-04", "Sometimes", "yyyy-MM-dd", "d")')).toThrow('unknown DateTimeStyles value "Sometimes"');
  });
});

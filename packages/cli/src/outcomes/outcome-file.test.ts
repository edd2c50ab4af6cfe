import { MAX_LISTED_PROBLEMS, problemLines, readOutcomeFile } from './outcome-file';

const ok = (r: ReturnType<typeof readOutcomeFile>) => {
  if (!r.ok) throw new Error(`expected records, got problems: ${JSON.stringify(r.problems)}`);
  return r.records;
};
const problems = (r: ReturnType<typeof readOutcomeFile>) => {
  if (r.ok) throw new Error(`expected problems, got ${r.records.length} records`);
  return r.problems;
};

describe('readOutcomeFile', () => {
  it('reads a spreadsheet export: BOM, CRLF, quoted commas and quotes, a blank line, columns in any case', () => {
    const text = '\uFEFFDate,Score,Segment,Release\r\n2026-03-02,5,"Acme, Inc",R1\r\n\r\n2026-03-03,4,"The ""Big"" one",\r\n2026-03-04T09:30:00+01:00,2,,\r\n';
    const records = ok(readOutcomeFile(text, 'csat', 'survey.csv'));
    // Rows as a spreadsheet numbers them: the header is row 1, the blank line is row 3.
    expect(records.map((r) => r.source)).toEqual(['survey.csv row 2', 'survey.csv row 4', 'survey.csv row 5']);
    expect(records[0]).toMatchObject({ kind: 'csat', date: '2026-03-02', score: 5, segment: 'Acme, Inc', release: 'R1' });
    expect(records[1]).toMatchObject({ date: '2026-03-03', score: 4, segment: 'The "Big" one' });
    expect(records[1]).not.toHaveProperty('release');
    expect(records[2]).toMatchObject({ at: '2026-03-04T09:30:00+01:00', score: 2 });
    expect(records[2]).not.toHaveProperty('date');
  });

  it('gives the same ids to the same file, and other ids to another file', () => {
    const a = ok(readOutcomeFile('date,score\n2026-03-02,9\n2026-03-03,10\n', 'nps', 'a.csv'));
    const again = ok(readOutcomeFile('date,score\n2026-03-02,9\n2026-03-03,10\n', 'nps', 'a.csv'));
    const b = ok(readOutcomeFile('date,score\n2026-03-02,9\n2026-03-03,10\n2026-03-04,0\n', 'nps', 'b.csv'));
    expect(again.map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(a.map((r) => r.id)).toEqual([expect.stringMatching(/^import:[0-9a-f]{16}:2$/), expect.stringMatching(/^import:[0-9a-f]{16}:3$/)]);
    expect(b.map((r) => r.id).filter((id) => a.some((r) => r.id === id))).toEqual([]);
  });

  it('reads a JSON array, numbers as numbers or text, rows numbered from 1', () => {
    const text = '\uFEFF[{"date": "2026-03-02", "feature": "export", "users": 120, "activeUsers": "1000"}, {"date": "2026-03-03", "feature": "export", "users": "150", "active users": 1000}]';
    const records = ok(readOutcomeFile(text, 'usage', 'usage.json'));
    expect(records).toEqual([
      expect.objectContaining({ kind: 'usage', date: '2026-03-02', feature: 'export', users: 120, activeUsers: 1000, source: 'usage.json row 1' }),
      expect.objectContaining({ users: 150, activeUsers: 1000, source: 'usage.json row 2' }),
    ]);
  });

  it('lists every bad row by row and column (as the file spells it) and keeps no record', () => {
    const text = 'date,SCORE,release\n2026-03-02,5,R1\n2026-03-02,6,R1\n2026-02-30,4,\n,,\n2026-03-05,4,"R1, R2",extra\n';
    expect(problems(readOutcomeFile(text, 'csat', 'survey.csv'))).toEqual([
      { row: 3, column: 'SCORE', message: "a CSAT rating is a whole number from 1 to 5, got '6'" },
      { row: 4, column: 'date', message: "expected a date YYYY-MM-DD or an instant with an offset such as 2026-03-02T09:30:00Z, got '2026-02-30'" },
      { row: 5, column: 'date', message: 'is empty: every row needs one' },
      { row: 5, column: 'SCORE', message: 'is empty: every row needs one' },
      { row: 6, column: '(row)', message: 'has 4 cells where the header has 3 columns (a value with a comma needs quotes: "Acme, Inc")' },
    ]);
  });

  it('names a usage column as the file spells it', () => {
    const text = 'date,feature,users,Active_Users\n2026-03-02,export,300,200\n2026-03-02,export,3,0\n';
    expect(problems(readOutcomeFile(text, 'usage', 'usage.csv'))).toEqual([
      { row: 2, column: 'users', message: '300 users of the feature is more than the 200 active users' },
      { row: 3, column: 'Active_Users', message: "expected a whole number of active users, 1 or more, got '0'" },
    ]);
  });

  it('names the columns the header lacks, with the columns it should have', () => {
    expect(problems(readOutcomeFile('date,rating\n2026-03-02,5\n', 'csat', 'survey.csv'))).toEqual([
      { row: 1, column: 'score', message: 'is missing from the header (a csat file has the columns date, score, segment, feature, release; the header has date, rating)' },
    ]);
    expect(problems(readOutcomeFile('date,amount\n2026-03-02,5\n', 'benefit', 'b.csv')).map((p) => p.column)).toEqual(['currency']);
    expect(problems(readOutcomeFile('date,score,Score\n2026-03-02,5,4\n', 'csat', 'survey.csv'))).toEqual([{ row: 1, column: 'Score', message: 'appears twice in the header: which one holds the value?' }]);
  });

  it('says what is wrong with a file that is not a table', () => {
    expect(problems(readOutcomeFile('', 'csat', 'e.csv'))).toEqual([{ row: 1, column: '(file)', message: 'has no rows: expected a header and one csat row per line, or a JSON array of objects' }]);
    expect(problems(readOutcomeFile('date,score\n', 'csat', 'h.csv'))[0]!.message).toMatch(/^has no rows/);
    expect(problems(readOutcomeFile('date,score\n2026-03-02,"5\n', 'csat', 'q.csv'))).toEqual([{ row: 2, column: '(line)', message: expect.stringMatching(/^is not CSV: Quote Not Closed/) }]);
    expect(problems(readOutcomeFile('[{"date": ', 'csat', 'x.json'))).toEqual([{ row: 1, column: '(file)', message: expect.stringMatching(/^is not JSON: /) }]);
    expect(problems(readOutcomeFile('[{"date": "2026-03-02", "score": 5}, 5]', 'csat', 'x.json'))).toEqual([
      { row: 2, column: '(row)', message: 'must be an object such as {"date": "2026-03-02", "score": 5}, got 5' },
    ]);
  });

  it('reads a benefit row with an epic or a release, and refuses one with neither', () => {
    const text = 'date,amount,currency,epic,release\n2026-03-01,1250.50,eur,PROJ-12,\n2026-03-01,-40,USD,,R2\n2026-04-01,10,EUR,,\n';
    expect(problems(readOutcomeFile(text, 'benefit', 'benefit.csv'))).toEqual([{ row: 4, column: 'epic', message: 'and release are both empty: a benefit belongs to an epic or a release' }]);
    const records = ok(readOutcomeFile(text.split('\n').slice(0, 3).join('\n'), 'benefit', 'benefit.csv'));
    expect(records).toEqual([
      expect.objectContaining({ date: '2026-03-01', amount: 1250.5, currency: 'EUR', epic: 'PROJ-12' }),
      expect.objectContaining({ amount: -40, currency: 'USD', release: 'R2' }),
    ]);
  });
});

describe('problemLines', () => {
  it('lists the first 20 problems, then counts the rest', () => {
    const all = problems(readOutcomeFile(`date,score\n${Array.from({ length: 25 }, () => '2026-03-02,0').join('\n')}\n`, 'csat', 'survey.csv'));
    const lines = problemLines('survey.csv', all);
    expect(lines).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(lines[0]).toBe("survey.csv row 2, column score: a CSAT rating is a whole number from 1 to 5, got '0'");
    expect(lines[19]).toMatch(/^survey\.csv row 21, column score: /);
    expect(lines[20]).toBe('... and 5 more problems');
    expect(problemLines('survey.csv', all.slice(0, 21))[20]).toBe('... and 1 more problem');
    expect(problemLines('survey.csv', all.slice(0, 20))).toHaveLength(20);
  });
});

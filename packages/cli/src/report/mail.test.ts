import { CliError } from '../cli-error';
import { isEmailAddress, mailError, parseAddresses, redact, smtpSettings } from './mail';
import { audienceKey } from './report-memory';

describe('addresses', () => {
  test('lists, display names with commas, duplicates', () => {
    expect(parseAddresses('--to', 'a@example.com, "Doe, Jane" <jane@example.com>;b@example.com,A@example.com')).toEqual(['a@example.com', '"Doe, Jane" <jane@example.com>', 'b@example.com']);
    expect(parseAddresses('--to', ['a@example.com', 'b@example.com,c@example.com'])).toHaveLength(3);
  });

  test.each(['bob@', '@example.com', 'bob example.com', 'bob@example,com', 'bob@-x.com', 'a..b@example.com'])('refuses %s with the entry named', (bad) => {
    expect(() => parseAddresses('--to', `ok@example.com,${bad}`)).toThrow(CliError);
  });

  test('empty is an error that says what to give', () => {
    expect(() => parseAddresses('--to', ' , ')).toThrow('--to needs at least one address, e.g. lead@example.com,coach@example.com');
  });

  test('intranet hosts and international domains are addresses', () => {
    expect(isEmailAddress('root@localhost')).toBe(true);
    expect(isEmailAddress('jürgen@bücher.de')).toBe(true);
  });

  test('the audience of a report is its addresses, however written', () => {
    expect(audienceKey(['Lead <LEAD@example.com>', 'coach@example.com'])).toBe(audienceKey(['coach@example.com', 'lead@example.com']));
    expect(audienceKey(['lead@example.com'])).not.toBe(audienceKey(['coach@example.com']));
  });
});

describe('SMTP URL', () => {
  test('smtp:// is STARTTLS on 587, smtps:// TLS on 465; the login is percent-decoded', () => {
    const plain = smtpSettings('smtp://me%40example.com:p%3Ass@mail.example.com?requireTLS=true', {});
    expect(plain.options).toMatchObject({ host: 'mail.example.com', port: 587, secure: false, requireTLS: true, auth: { user: 'me@example.com', pass: 'p:ss' } });
    expect(plain.label).toBe('smtp://mail.example.com');
    expect(smtpSettings(undefined, { SMTP_URL: 'smtps://mail.example.com' }).options).toMatchObject({ port: 465, secure: true });
    expect(smtpSettings('smtp://relay:2525?tls.rejectUnauthorized=false', {}).options).toMatchObject({ port: 2525, tls: { rejectUnauthorized: false } });
  });

  test('mistakes are named without the password', () => {
    expect(() => smtpSettings('http://u:secret@x', {})).toThrow("--smtp must start with smtp:// (STARTTLS) or smtps:// (TLS), got 'http://u:***@x'");
    expect(() => smtpSettings(undefined, {})).toThrow(/^no SMTP server: pass --smtp/);
    expect(redact('smtp://u:secret@x:25')).toBe('smtp://u:***@x:25');
  });

  test('delivery errors say whose fault they are', () => {
    expect(mailError(Object.assign(new Error('Invalid login'), { code: 'EAUTH', response: '535 no' }), 'smtp://x').exitCode).toBe(2);
    expect(mailError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }), 'smtp://x').message).toBe('could not talk to smtp://x: connect ECONNREFUSED');
    const temp = mailError(Object.assign(new Error('Can\'t send mail'), { code: 'EENVELOPE', responseCode: 451, response: '451 busy' }), 'smtp://x');
    expect([temp.exitCode, temp.responseCode]).toEqual([3, 451]);
  });
});

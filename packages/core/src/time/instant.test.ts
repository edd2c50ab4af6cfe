import { isRealDate, parseInstant } from './instant';

describe('parseInstant', () => {
  it.each([
    '2025-07-04T05:41:00.089-07:00',
    '2025-07-04T05:41:00.089-0700',
    '2025-07-04T12:41:00Z',
    '2025-07-04T12:41Z',
    '2025-07-04T12:41:00.123456789+05:30',
    '2024-02-29T23:59:59.999+14:00',
    '0099-03-01T00:00:00Z',
  ])('reads %s exactly as the standard does', (iso) => {
    const standard = Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/(\.\d{3})\d+/, '$1'));
    expect(parseInstant(iso)).toBe(standard);
  });

  it.each(['2025-02-30T00:00:00Z', '2025-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2025-07-04 12:41:00Z', '2025-07-04T12:41:00', '2025-07-04T24:00:00Z', '2025-07-04T12:41:00+0', 'x'])(
    'refuses %s',
    (iso) => {
      expect(parseInstant(iso)).toBeNaN();
    },
  );

  it('knows which days exist', () => {
    expect([isRealDate('2024-02-29'), isRealDate('2025-02-29'), isRealDate('2025-04-31'), isRealDate('2025-12-31')]).toEqual([true, false, false, true]);
  });
});

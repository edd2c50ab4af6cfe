import { ConfigError } from './host-error';
import { VERDICT_NOTE_MAX, checkVerdict } from './verdict-rules';

describe('checkVerdict', () => {
  it('keeps the outcome and the note trimmed, and leaves a blank note out', () => {
    expect(checkVerdict({ outcome: 'met', note: '  shipped  ' })).toEqual({ outcome: 'met', note: 'shipped' });
    expect(checkVerdict({ outcome: 'partly', note: '   ' })).toEqual({ outcome: 'partly' });
    expect(checkVerdict({ outcome: 'missed', note: null })).toEqual({ outcome: 'missed' });
  });

  it(`keeps a note of ${VERDICT_NOTE_MAX} characters whole and refuses a longer one (never cuts it)`, () => {
    expect(checkVerdict({ outcome: 'met', note: 'x'.repeat(VERDICT_NOTE_MAX) }).note).toHaveLength(VERDICT_NOTE_MAX);
    expect(() => checkVerdict({ outcome: 'met', note: 'x'.repeat(VERDICT_NOTE_MAX + 1) })).toThrow(new ConfigError('a verdict note is text of at most 2000 characters'));
    expect(() => checkVerdict({ outcome: 'met', note: 5 })).toThrow(ConfigError);
  });

  it('refuses an outcome that is not met, partly or missed, naming what came', () => {
    expect(() => checkVerdict({ outcome: 'great' })).toThrow('a sprint goal verdict is met, partly or missed, got "great"');
    expect(() => checkVerdict(undefined)).toThrow('a sprint goal verdict is met, partly or missed, got undefined');
  });
});

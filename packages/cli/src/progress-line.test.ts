import { ProgressLine } from './progress-line';
import type { Io } from './io';

function io(tty: boolean) {
  let err = '';
  const value: Io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) }, isTTY: false, stderrIsTTY: tty, env: {} } as unknown as Io;
  return { io: value, err: () => err };
}

describe('ProgressLine', () => {
  it('on a terminal redraws one line with the seconds waited for rate limits, then the summary', () => {
    const t = io(true);
    const line = new ProgressLine(t.io, 'rate limits');
    line.show('syncing board 7: search · 1 pages');
    line.onWait(1500, 'rate-limit');
    line.onWait(5000, 'server'); // waits for a failing server are not rate limits
    line.done('synced board 7');
    expect(t.err()).toBe(
      '\r\x1b[2Ksyncing board 7: search · 1 pages' + '\r\x1b[2Ksyncing board 7: search · 1 pages, waited 2 s for rate limits' + '\r\x1b[2Ksyncing board 7: search · 1 pages, waited 2 s for rate limits' + '\r\x1b[2K' + 'synced board 7\n',
    );
  });

  it('off a terminal writes only the summary; an abort leaves nothing behind', () => {
    const t = io(false);
    const line = new ProgressLine(t.io, 'throttling');
    line.show('syncing SIM/SIM Team: items · 10 work items');
    line.onWait(3000, 'rate-limit');
    line.abort();
    line.done('synced SIM/SIM Team');
    expect(t.err()).toBe('synced SIM/SIM Team\n');
  });
});

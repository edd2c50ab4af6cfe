import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SYSTEM_CHROMIUMS, installedChromium, npmChromium } from './chromium';

/** Which browser the browser tests drive: CHROMIUM_PATH, else a system Chromium, else (undefined) the npm-shipped one. */
const only = (...present: string[]) => (path: string) => present.includes(path);

it('takes CHROMIUM_PATH first, even over an installed Chromium and even if it does not exist', () => {
  expect(installedChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' }, only('/usr/bin/chromium'))).toBe('/opt/chrome/chrome');
});

it('takes the first system Chromium that exists when CHROMIUM_PATH is unset or empty', () => {
  expect(installedChromium({}, only('/usr/bin/google-chrome', '/usr/bin/chromium-browser'))).toBe('/usr/bin/chromium-browser');
  expect(installedChromium({ CHROMIUM_PATH: '' }, only('/usr/bin/google-chrome'))).toBe('/usr/bin/google-chrome');
  expect(installedChromium({}, only(...SYSTEM_CHROMIUMS))).toBe('/usr/bin/chromium');
});

it('leaves the choice to the npm-shipped Chromium when none is given or installed', () => {
  expect(installedChromium({}, only())).toBeUndefined();
  expect(installedChromium({}, only('/usr/local/bin/chromium'))).toBeUndefined();
});

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
(linuxX64 ? it : it.skip)('inflates the Chromium @sparticuz/chromium ships in its npm package, and it runs', async () => {
  const path = await npmChromium();
  expect(path).toMatch(/agile-kpi-chromium-[\d.]+\/chromium$/);
  const { stdout } = await promisify(execFile)(path, ['--version']);
  expect(stdout).toMatch(/^Chromium \d+\./);
  expect(await npmChromium()).toBe(path);
});

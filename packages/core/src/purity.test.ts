import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The core is pure: no clock, no Math.random, no I/O, no Node or DOM, no other workspace. Its tsconfig
 * (`types: []`, lib ES2022 only) makes Node and DOM globals fail to compile; this test guards what
 * the compiler cannot see.
 */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('packages/core purity', () => {
  const files = sources(__dirname).map((p) => ({ p, text: readFileSync(p, 'utf8') }));

  it.each([
    ['the clock', /Date\.now\(|new Date\(\)/],
    ['Math.random', /Math\.random/],
    ['Node modules', /from ['"](node:|fs|path|http|https|os|child_process)['"]/],
    ['other workspaces', /from ['"]@agile-kpi\//],
    ['tracker clients and Forge', /from ['"](jira\.js|@forge\/|azure-devops)/],
  ])('never uses %s', (_what, pattern) => {
    expect(files.filter((f) => pattern.test(f.text)).map((f) => f.p)).toEqual([]);
  });

  it('compiles without Node or DOM types', () => {
    const tsconfig = JSON.parse(readFileSync(join(__dirname, '..', 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.types).toEqual([]);
    expect(tsconfig.compilerOptions.lib).toEqual(['ES2022']);
  });
});

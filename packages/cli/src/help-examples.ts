import type { Command } from 'commander';

/** Appends "Examples:" and its lines (then any further lines) to a command's --help. */
export function addExamples(cmd: Command, examples: readonly string[], after: readonly string[] = []): Command {
  return cmd.addHelpText('after', ['', 'Examples:', ...examples.map((e) => `  $ ${e}`), ...(after.length ? ['', ...after] : [])].join('\n'));
}

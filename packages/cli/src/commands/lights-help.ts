import { describeLights } from '@agile-kpi/presentation';

/** The traffic-light rules as a help section, so `--help` tells users what a colour means. */
export function lightsHelp(): string[] {
  return ['Traffic lights:', ...describeLights().map((l) => `  ${l}`)];
}

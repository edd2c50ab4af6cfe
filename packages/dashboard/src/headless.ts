/**
 * @agile-kpi/dashboard/headless: the former home of the rules, lights, sentences and formats, kept so that an
 * importer not yet switched keeps working. They live in `@agile-kpi/presentation`: import them from there.
 */
export * from '@agile-kpi/presentation';

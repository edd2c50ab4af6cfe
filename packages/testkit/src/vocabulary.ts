import type { Random } from './random';

/**
 * Word lists for titles, goals and labels. Realistic-looking text makes a simulated snapshot readable in the
 * CLI and in evidence lists; the content itself never matters to a metric.
 */

const VERBS = ['Add', 'Show', 'Allow editing of', 'Export', 'Import', 'Validate', 'Cache', 'Refactor', 'Improve',
  'Migrate', 'Archive', 'Support bulk', 'Notify about', 'Audit', 'Paginate', 'Search', 'Sort', 'Filter', 'Localise',
  'Preview'] as const;

const OBJECTS = ['invoice list', 'customer profile', 'login page', 'payment retries', 'order history', 'CSV export',
  'search results', 'password reset', 'team dashboard', 'audit log', 'shipping labels', 'discount codes',
  'product images', 'user roles', 'email templates', 'API tokens', 'billing address', 'report scheduler',
  'mobile checkout', 'feature flags', 'webhooks', 'tax rates', 'gift cards', 'stock alerts'] as const;

const SYMPTOMS = ['crashes on empty input', 'shows the wrong total', 'times out under load', 'loses the filter state',
  'renders twice', 'rejects valid dates', 'is slow on Safari', 'drops the last row', 'ignores the time zone',
  'returns 500 after logout'] as const;

const TASKS = ['Upgrade Node to the next LTS', 'Rotate database credentials', 'Set up load test', 'Write runbook for',
  'Clean up feature flags in', 'Add monitoring for', 'Document the API of', 'Spike: evaluate a library for'] as const;

const SUBTASKS = ['Implement backend', 'Build UI', 'Write tests', 'Update documentation', 'Code review fixes',
  'Design review', 'Add analytics events', 'QA on staging'] as const;

const IMPEDIMENTS = ['Staging environment down', 'Waiting for API keys from vendor', 'Build agents out of disk space',
  'Security review pending', 'Test data missing in QA', 'License server unreachable', 'Blocked by platform team release',
  'Key reviewer on leave'] as const;

const EPICS = ['Self-service onboarding', 'Payments v2', 'Reporting revamp', 'Mobile parity', 'Performance push',
  'Accessibility audit', 'Partner API', 'Subscription billing', 'Data retention', 'Search relaunch'] as const;

export const PLAIN_LABELS = ['frontend', 'backend', 'api', 'ux', 'tech-debt', 'security'] as const;

export function storyTitle(rng: Random): string {
  return `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}`;
}

export function bugTitle(rng: Random): string {
  const object = rng.pick(OBJECTS);
  return `${object.charAt(0).toUpperCase()}${object.slice(1)} ${rng.pick(SYMPTOMS)}`;
}

export function taskTitle(rng: Random): string {
  const task = rng.pick(TASKS);
  return task.endsWith('for') || task.endsWith('in') || task.endsWith('of') ? `${task} ${rng.pick(OBJECTS)}` : task;
}

export function subtaskTitle(rng: Random): string {
  return rng.pick(SUBTASKS);
}

export function impedimentTitle(rng: Random): string {
  return rng.pick(IMPEDIMENTS);
}

export function epicTitle(n: number): string {
  const base = EPICS[n % EPICS.length] ?? 'Epic';
  return n < EPICS.length ? base : `${base} (phase ${Math.floor(n / EPICS.length) + 1})`;
}

export function sprintGoal(rng: Random): string {
  return rng.pick([
    () => `Customers can ${rng.pick(VERBS).toLowerCase()} ${rng.pick(OBJECTS)}`,
    () => `Ship the ${rng.pick(OBJECTS)} improvements`,
    () => `Stabilise ${rng.pick(OBJECTS)} before the release`,
  ])();
}

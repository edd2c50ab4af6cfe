import { z } from 'zod';
import { isRealDate, parseInstant } from '../time/instant';
import type { Instant, ItemId, LocalDate } from './types';

/**
 * Customer outcomes: what a Product Owner is judged on beside delivery, from sources outside the work tracker
 * (Jira Service Management ratings, survey exports, product-analytics exports, benefit series) and a little
 * configuration (the team's cost per sprint, which epic or release ships which feature). Core reads them beside
 * a snapshot of the delivery history; adapters and imports produce them.
 */

/** One survey answer: a CSAT rating (1-5) or an NPS score (0-10). */
export interface SurveyResponse {
  /** Stable id: "jsm:request:SUP-12", "import:<file digest>:<row>"; re-importing the same row gives the same id. */
  readonly id: string;
  readonly at: Instant;
  readonly kind: 'csat' | 'nps';
  readonly score: number;
  readonly segment?: string;
  readonly feature?: string;
  readonly releaseId?: string;
  /** Where it came from: a request key in Jira Service Management, a file name and row. */
  readonly source: string;
  readonly url?: string;
}

/** One day (or period start) of a feature's usage from a product-analytics export. */
export interface FeatureUsage {
  readonly date: LocalDate;
  readonly feature: string;
  /** Users who used the feature that day (or period). */
  readonly users: number;
  /** Active users of the product that day (or period): the denominator of adoption. */
  readonly activeUsers: number;
}

/** Which epic or release ships a feature (the settings' mapping; epics labelled `feature:<key>` add to it). */
export interface FeatureLink {
  readonly feature: string;
  readonly epicId?: ItemId;
  readonly releaseId?: string;
}

/** A benefit attributed to an epic or a release for one period (revenue, or cost saved). */
export interface BenefitEntry {
  /** The period's first day. */
  readonly date: LocalDate;
  readonly amount: number;
  readonly currency: string;
  readonly epicId?: ItemId;
  readonly releaseId?: string;
}

export interface CustomerOutcomes {
  readonly responses: readonly SurveyResponse[];
  readonly usage: readonly FeatureUsage[];
  readonly features: readonly FeatureLink[];
  readonly benefits: readonly BenefitEntry[];
  /** The team's cost per sprint, as configured; absent: no ROI. */
  readonly cost?: { readonly perSprint: number; readonly currency: string };
}

/** The scales of the two kinds of survey answer: a CSAT rating 1-5, an NPS score 0-10. */
export const SCORE_SCALES = {
  csat: { min: 1, max: 5, label: 'a CSAT rating' },
  nps: { min: 0, max: 10, label: 'an NPS score' },
} as const;

export const NO_OUTCOMES: CustomerOutcomes = Object.freeze({ responses: [], usage: [], features: [], benefits: [] });

const instant = z.string().refine((s) => Number.isFinite(parseInstant(s)), 'expected an ISO-8601 instant with an offset');
const date = z.string().refine(isRealDate, 'expected a date YYYY-MM-DD').refine((s) => s.length === 10, 'expected a date YYYY-MM-DD');
const text = z.string().min(1);

export const customerOutcomesSchema = z.object({
  responses: z
    .array(
      z
        .object({
          id: text,
          at: instant,
          kind: z.enum(['csat', 'nps']),
          score: z.number().int(),
          segment: text.optional(),
          feature: text.optional(),
          releaseId: text.optional(),
          source: text,
          url: text.optional(),
        })
        .refine((r) => r.score >= SCORE_SCALES[r.kind].min && r.score <= SCORE_SCALES[r.kind].max, { message: 'a CSAT rating is 1 to 5, an NPS score 0 to 10', path: ['score'] }),
    )
    .default([]),
  usage: z.array(z.object({ date, feature: text, users: z.number().int().nonnegative(), activeUsers: z.number().int().positive() })).default([]),
  features: z.array(z.object({ feature: text, epicId: text.optional(), releaseId: text.optional() })).default([]),
  benefits: z.array(z.object({ date, amount: z.number().finite(), currency: text, epicId: text.optional(), releaseId: text.optional() })).default([]),
  cost: z.object({ perSprint: z.number().finite().positive(), currency: text }).optional(),
});

/** Checks outcome data from a file or an adapter; throws a RangeError naming the first bad field. */
export function parseOutcomes(input: unknown): CustomerOutcomes {
  const r = customerOutcomesSchema.safeParse(input ?? {});
  if (r.success) return r.data as CustomerOutcomes;
  const issue = r.error.issues[0]!;
  throw new RangeError(`outcomes: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

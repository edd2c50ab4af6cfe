import { type ReactNode, createContext, useCallback, useContext, useEffect, useId, useRef, useState } from 'react';
import { type EvidencePage, type EvidencePages, type RoleOf, listAt } from '@agile-kpi/presentation';
import { num } from '@agile-kpi/presentation';
import type { HostResult } from '@agile-kpi/presentation';
import type { MetricsReport } from '@agile-kpi/core';
import { kpiHeadlines } from '@agile-kpi/presentation';
import type { KpiKey, ResultKey } from '@agile-kpi/presentation';

/** One item behind a number, as the evidence panel lists it (core's `Evidence` is one). */
export interface EvidenceItem {
  readonly key: string;
  readonly url?: string;
  readonly title?: string;
  /** What the item is to the number: committed, completed, impediment, ready... */
  readonly role: string;
  readonly contribution?: number | null;
  readonly note?: string;
}

/** What a click on a number opens: a title saying which number, and the items behind it. */
export interface DrillRequest {
  readonly title: string;
  readonly items: readonly EvidenceItem[];
  /** The unit of the items' contributions (points, hours, days). */
  readonly unit?: string;
  /** One sentence on how the items make the number. */
  readonly description?: string;
  /** Where the rest of the items are when `items` holds only a first page (a hosted gadget at any board size). */
  readonly more?: DrillMore;
}

/** The rest of a number's items: further pages of evidence lists of one result, those entries that belong to it. */
export interface DrillMore {
  readonly kpi: ResultKey;
  /** The items behind the number in all (the first pages' and the rest's). */
  readonly total: number;
  /** The cut lists holding the rest, in order: each with its next page's token. */
  readonly lists: readonly { readonly next: string }[];
  /** The entries of those lists that belong to the number (all when absent). */
  readonly select?: EvidenceSelect;
}

/** Which entries of a list belong to a number: of these roles, and of these items (each when given). */
export interface EvidenceSelect<R extends string = string> {
  readonly roles?: readonly R[];
  readonly itemIds?: readonly string[];
}

function selects(select: EvidenceSelect | undefined): (e: { readonly role?: string; readonly itemId?: string }) => boolean {
  const roles = select?.roles;
  const ids = select?.itemIds ? new Set(select.itemIds) : undefined;
  return (e) => (!roles || (e.role !== undefined && roles.includes(e.role))) && (!ids || (e.itemId !== undefined && ids.has(e.itemId)));
}

/** Fetches a further page of a result's evidence list (the host's `loadEvidence`). */
export type LoadEvidencePage = (kpi: ResultKey, token: string) => Promise<HostResult<EvidencePage>>;

const PagesContext = createContext<{ readonly pages?: EvidencePages; readonly load?: LoadEvidencePage; readonly headlines?: Partial<Record<KpiKey, string>> }>({});

/**
 * Gives the views the evidence pages of the answer they show and the headline sentences computed from the whole
 * report (a "why" reads the evidence, which the answer carries only the first pages of), and the panel the way to
 * fetch more.
 */
export function EvidencePagesProvider({ pages, load, headlines, children }: { readonly pages?: EvidencePages; readonly load?: LoadEvidencePage; readonly headlines?: Partial<Record<KpiKey, string>>; readonly children: ReactNode }) {
  return <PagesContext.Provider value={{ ...(pages ? { pages } : {}), ...(load ? { load } : {}), ...(headlines ? { headlines } : {}) }}>{children}</PagesContext.Provider>;
}

/** The KPIs' headline sentences: those the answer brings (computed from the whole report) over those of `report`. */
export function useKpiHeadlines(report: MetricsReport): Record<KpiKey, string> {
  const { headlines } = useContext(PagesContext);
  return { ...kpiHeadlines(report), ...headlines };
}

/**
 * For a view: the {@link DrillMore} of a number whose items come from the lists at `paths` of a result (entries
 * chosen by `select`), when the answer carries only the first page of some of them; undefined when all came whole
 * (or the host cannot fetch more). The total counts the whole lists: by role from the answer's counts, or the
 * items asked for by id.
 */
export function useMoreEvidence(): <K extends ResultKey>(kpi: K, result: unknown, paths: string | readonly string[], select?: EvidenceSelect<RoleOf<K>>) => DrillMore | undefined {
  const { pages, load } = useContext(PagesContext);
  return (kpi, result, paths, select) => {
    const cut = load ? pages?.[kpi] : undefined;
    if (!cut) return undefined;
    const belongs = selects(select);
    let total = 0;
    const lists: { next: string }[] = [];
    for (const path of typeof paths === 'string' ? [paths] : paths) {
      const first = listAt(result, path) as readonly { role?: string; itemId?: string }[];
      const list = cut.find((l) => l.path === path);
      if (list) lists.push({ next: list.next });
      // A list cut short counts in whole (by its roles); one that came whole counts what it holds.
      total += list && !select?.itemIds ? (select?.roles ? select.roles.reduce((n, r) => n + (list.roles?.[r] ?? 0), 0) : list.total) : first.filter(belongs).length;
    }
    if (!lists.length) return undefined;
    if (select?.itemIds) total = select.itemIds.length;
    return { kpi, total, lists, ...(select ? { select } : {}) };
  };
}

type OpenDrill = (request: DrillRequest, trigger: HTMLElement | null) => void;

const DrillContext = createContext<OpenDrill>(() => {});

/** The function that opens the evidence panel (a no-op outside a {@link DrillDownProvider}). */
export function useDrillDown(): OpenDrill {
  return useContext(DrillContext);
}

/**
 * Holds the one evidence panel of a dashboard. Opening it remembers the element that asked (a button, a
 * chart); closing it (Escape, the close button) gives focus back there.
 */
export function DrillDownProvider({ children }: { readonly children: ReactNode }) {
  const [request, setRequest] = useState<DrillRequest | null>(null);
  const trigger = useRef<HTMLElement | null>(null);
  const open = useCallback<OpenDrill>((r, t) => {
    trigger.current = t;
    setRequest(r);
  }, []);
  const close = useCallback(() => {
    setRequest(null);
    const t = trigger.current;
    trigger.current = null;
    t?.focus();
  }, []);
  return (
    <DrillContext.Provider value={open}>
      {children}
      {request && <EvidencePanel request={request} onClose={close} />}
    </DrillContext.Provider>
  );
}

/** Only web links become links: a tracker URL is data, and data must not run script. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The items behind a number: key (a link to the item in the tracker), title, role, contribution and note.
 * A labelled dialog that takes focus when it opens and closes on Escape. Titles are text, never markup.
 */
export function EvidencePanel({ request, onClose }: { readonly request: DrillRequest; readonly onClose: () => void }) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [request, onClose]);
  const { unit } = request;
  const { load } = useContext(PagesContext);
  // Further pages of the lists cut short: the list being read and its next page's token.
  const start = () => ({ items: [] as readonly EvidenceItem[], list: 0, ...(request.more?.lists[0] ? { next: request.more.lists[0].next } : {}) });
  const [extra, setExtra] = useState<{ items: readonly EvidenceItem[]; list: number; next?: string; error?: string; busy?: boolean }>(start);
  useEffect(() => setExtra(start()), [request]);
  const items = extra.items.length ? [...request.items, ...extra.items] : request.items;
  const more = request.more;
  const left = more && extra.next ? Math.max(0, more.total - items.length) : 0;
  const loadMore = async () => {
    if (!more || !extra.next || !load) return;
    setExtra((x) => ({ ...x, busy: true }));
    const page = await load(more.kpi, extra.next);
    if (!page.ok) {
      setExtra((x) => ({ ...x, busy: false, error: page.error.message }));
      return;
    }
    const fresh = (page.data.entries as readonly (EvidenceItem & { itemId?: string })[]).filter(selects(more.select));
    setExtra((x) => {
      const list = page.data.next ? x.list : x.list + 1;
      const next = page.data.next ?? more.lists[list]?.next;
      return { items: [...x.items, ...fresh], list, ...(next ? { next } : {}) };
    });
  };
  return (
    <section className="akpi-evidence" role="dialog" aria-modal="false" aria-labelledby={headingId} data-testid="evidence-panel">
      <header className="akpi-evidence__header">
        <h2 id={headingId} ref={heading} tabIndex={-1} data-testid="evidence-panel-title">
          {request.title}
        </h2>
        <button type="button" className="akpi-button akpi-button--subtle" onClick={onClose} data-testid="evidence-panel-close" aria-label="Close the evidence panel">
          Close
        </button>
      </header>
      <p className="akpi-evidence__summary" data-testid="evidence-panel-count">
        {count(request) === 0 ? 'No item is behind this number.' : `${count(request)} item${count(request) === 1 ? '' : 's'} behind this number.`}
        {request.description ? ` ${request.description}` : ''}
      </p>
      {left > 0 && (
        <p className="akpi-evidence__more" data-testid="evidence-panel-more">
          {`${left} more — `}
          <button type="button" className="akpi-button akpi-button--subtle" onClick={() => void loadMore()} disabled={extra.busy === true} data-testid="evidence-load-more">
            {extra.busy ? 'loading…' : 'load more'}
          </button>
        </p>
      )}
      {extra.error && (
        <p className="akpi-error" role="alert" data-testid="evidence-more-error">
          {extra.error}
        </p>
      )}
      {items.length > 0 && (
        <div className="akpi-table-scroll">
          <table className="akpi-table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Title</th>
                <th scope="col">Role</th>
                <th scope="col" className="akpi-num">
                  Contribution{unit ? ` (${unit})` : ''}
                </th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e, i) => {
                const href = safeUrl(e.url);
                return (
                  <tr key={`${e.key}-${e.role}-${i}`} data-testid="evidence-row">
                    <th scope="row">
                      {href ? (
                        <a href={href} target="_blank" rel="noopener noreferrer" data-testid="evidence-link">
                          {e.key}
                        </a>
                      ) : (
                        e.key
                      )}
                    </th>
                    <td>{e.title ?? ''}</td>
                    <td>{e.role}</td>
                    <td className="akpi-num">{e.contribution == null ? '—' : num(e.contribution, 2)}</td>
                    <td>{e.note ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export interface DrillButtonProps {
  readonly request: DrillRequest;
  readonly testId: string;
  /** What the number is, for its accessible name ("committed in Sprint 5"). */
  readonly what: string;
  readonly children: ReactNode;
  readonly className?: string;
}

/**
 * A number that opens its evidence: a real button (focusable, Enter and Space), whose accessible name says
 * the number, what it is and how many items are behind it.
 */
export function DrillButton({ request, testId, what, children, className }: DrillButtonProps) {
  const open = useDrillDown();
  const n = count(request);
  const visible = typeof children === 'string' || typeof children === 'number' ? `${children} ` : '';
  return (
    <button
      type="button"
      className={`akpi-drill${className ? ` ${className}` : ''}`}
      data-testid={testId}
      aria-haspopup="dialog"
      aria-label={`${visible}${what}: show the ${n} item${n === 1 ? '' : 's'} behind it`}
      onClick={(e) => open(request, e.currentTarget)}
    >
      {children}
    </button>
  );
}

/** "12 items": how many items are behind a request's number. */
export function itemCount(request: DrillRequest): string {
  const n = count(request);
  return `${n} ${n === 1 ? 'item' : 'items'}`;
}

/** The items behind a request's number: all of them, also when only a first page is at hand. */
function count(request: DrillRequest): number {
  return request.more ? Math.max(request.more.total, request.items.length) : request.items.length;
}

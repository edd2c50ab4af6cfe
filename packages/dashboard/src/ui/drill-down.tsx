import { type ReactNode, createContext, useCallback, useContext, useEffect, useId, useRef, useState } from 'react';
import type { EvidencePage, EvidencePages } from '../evidence-pages';
import { num } from '../format';
import type { HostResult } from '../host';
import type { ResultKey } from '../traffic-lights';

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

/** The rest of a number's items: further pages of one evidence list of a result, those of some roles. */
export interface DrillMore {
  readonly kpi: ResultKey;
  /** The items behind the number in all (the first page's and the rest's). */
  readonly total: number;
  /** The token of the list's next page. */
  readonly next: string;
  /** Only entries of these roles belong to the number (all when absent). */
  readonly roles?: readonly string[];
}

/** Fetches a further page of a result's evidence list (the host's `loadEvidence`). */
export type LoadEvidencePage = (kpi: ResultKey, token: string) => Promise<HostResult<EvidencePage>>;

const PagesContext = createContext<{ readonly pages?: EvidencePages; readonly load?: LoadEvidencePage }>({});

/** Gives the views the evidence pages of the answer they show, and the panel the way to fetch more. */
export function EvidencePagesProvider({ pages, load, children }: { readonly pages?: EvidencePages; readonly load?: LoadEvidencePage; readonly children: ReactNode }) {
  return <PagesContext.Provider value={{ ...(pages ? { pages } : {}), ...(load ? { load } : {}) }}>{children}</PagesContext.Provider>;
}

/**
 * For a view: the {@link DrillMore} of a list that the answer carries only the first page of (undefined when it
 * came whole, or the host cannot fetch more). `roles`: only the entries of these roles make the number.
 */
export function useMoreEvidence(): (kpi: ResultKey, path: string, roles?: readonly string[]) => DrillMore | undefined {
  const { pages, load } = useContext(PagesContext);
  return (kpi, path, roles) => {
    const list = load ? pages?.[kpi]?.find((l) => l.path === path) : undefined;
    if (!list) return undefined;
    const total = roles ? roles.reduce((n, r) => n + (list.roles?.[r] ?? 0), 0) : list.total;
    return { kpi, total, next: list.next, ...(roles ? { roles } : {}) };
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
  const [extra, setExtra] = useState<{ items: readonly EvidenceItem[]; next?: string; error?: string; busy?: boolean }>(() => ({ items: [], ...(request.more ? { next: request.more.next } : {}) }));
  useEffect(() => setExtra({ items: [], ...(request.more ? { next: request.more.next } : {}) }), [request]);
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
    const roles = more.roles;
    const fresh = (page.data.entries as readonly (EvidenceItem & { role?: string })[]).filter((e) => !roles || (e.role !== undefined && roles.includes(e.role)));
    setExtra((x) => ({ items: [...x.items, ...fresh], ...(page.data.next ? { next: page.data.next } : {}) }));
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

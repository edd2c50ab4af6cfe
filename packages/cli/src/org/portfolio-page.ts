import { KPI_KEYS, KPI_LABELS, type KpiKey, escapeHtml, num, pct } from '@agile-kpi/presentation';
import { type Portfolio, type PortfolioRow, type PortfolioSort, filterAndSort } from './portfolio';

/**
 * The portfolio page: every team the viewer may see in one table, a KPI per column with its figure and light
 * (the headline as the cell's tooltip), sortable by any column and filtered by a tag, through plain links (the
 * page runs no script); the organisation's roll-ups above it; each team's name opens its dashboard.
 */
export function portfolioPage(p: Portfolio, view: { tag?: string; sort: PortfolioSort }): string {
  const rows = filterAndSort(p.rows, view.tag, view.sort);
  const tags = [...new Set(p.rows.flatMap((r) => r.tags))].sort();
  const link = (change: { tag?: string | null; sort?: PortfolioSort }) => {
    const q = new URLSearchParams();
    const tag = change.tag === undefined ? view.tag : change.tag ?? undefined;
    const sort = change.sort ?? view.sort;
    if (tag) q.set('tag', tag);
    if (sort.by !== 'name' || sort.dir !== 'asc') {
      q.set('sort', sort.by);
      q.set('dir', sort.dir);
    }
    const s = q.toString();
    return s ? `?${escapeHtml(s)}` : './';
  };
  const header = (by: KpiKey | 'name', label: string) => {
    const active = view.sort.by === by;
    const dir = active && view.sort.dir === 'desc' ? 'asc' : active ? 'desc' : by === 'name' ? 'asc' : 'desc';
    const mark = active ? (view.sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
    return `<th scope="col"${active ? ` aria-sort="${view.sort.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${link({ sort: { by, dir } })}">${escapeHtml(label)}${mark}</a></th>`;
  };
  const r = p.rollup;
  const rollup = [
    `${r.teams} team${r.teams === 1 ? '' : 's'}${r.withFigures < r.teams ? ` (${r.teams - r.withFigures} without figures)` : ''}`,
    `throughput ${r.throughputPerWeek === null ? '—' : `${num(r.throughputPerWeek)} items/week`}`,
    `sprint goals met ${r.sprintGoalRate ? `${pct(r.sprintGoalRate.rate)} (${r.sprintGoalRate.met} of ${r.sprintGoalRate.decided} sprints)` : '—'}`,
    `release predictability, median ${r.releasePredictabilityMedian === null ? '—' : pct(r.releasePredictabilityMedian)}`,
    `backlog health, median ${r.backlogHealthMedian === null ? '—' : `${num(r.backlogHealthMedian)}/100`}`,
    `lights: ${r.lights.green} green, ${r.lights.amber} amber, ${r.lights.red} red`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>agile-kpi · portfolio</title>
<style>${STYLE}</style></head>
<body><main>
<h1>Portfolio</h1>
<p class="rollup">${rollup.map((x) => `<span>${escapeHtml(x)}</span>`).join(' · ')}</p>
<p class="note">Velocity is in each team's own unit and is never added up across teams.</p>
<nav aria-label="Filter by tag">Tags: <a href="${link({ tag: null })}"${view.tag ? '' : ' aria-current="true"'}>all</a>${tags.map((t) => ` <a href="${link({ tag: t })}"${view.tag === t ? ' aria-current="true"' : ''}>${escapeHtml(t)}</a>`).join('')}</nav>
<table>
<thead><tr>${header('name', 'Team')}${KPI_KEYS.map((k) => header(k, KPI_LABELS[k])).join('')}<th scope="col">Throughput trend</th></tr></thead>
<tbody>
${rows.map(rowHtml).join('\n')}
</tbody></table>
${rows.length === 0 ? `<p>No team has the tag ${escapeHtml(view.tag ?? '')}.</p>` : ''}
</main></body></html>
`;
}

function rowHtml(row: PortfolioRow): string {
  const name = `<th scope="row"><a href="teams/${encodeURIComponent(row.id)}/">${escapeHtml(row.name)}</a>${row.tags.length ? `<div class="tags">${row.tags.map(escapeHtml).join(', ')}</div>` : ''}</th>`;
  if (!row.kpis) return `<tr>${name}<td colspan="${KPI_KEYS.length + 1}" class="problem">${escapeHtml(row.problem ?? 'no figures yet')}</td></tr>`;
  const cells = KPI_KEYS.map((k) => {
    const c = row.kpis![k];
    const light = c.light ? `<span class="light ${c.light}" role="img" aria-label="${c.light}"></span>` : '';
    return `<td title="${escapeHtml(c.headline)}">${light}${escapeHtml(c.text)}</td>`;
  }).join('');
  return `<tr>${name}${cells}<td>${sparkline(row.throughputWeeks)}</td></tr>`;
}

/** Items finished per week as a small line, scaled to the team's own highest week. */
export function sparkline(weeks: readonly number[]): string {
  if (weeks.length < 2) return '—';
  const max = Math.max(1, ...weeks);
  const w = 80;
  const h = 20;
  const points = weeks.map((y, i) => `${num((i / (weeks.length - 1)) * w, 1)},${num(h - (y / max) * h, 1)}`).join(' ');
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="items finished per week: ${weeks.join(', ')}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${points}"/></svg>`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#172b4d;background:#fff}
main{padding:16px 24px}
h1{font-size:20px;margin:0 0 8px}
.rollup span{white-space:nowrap}
.note{color:#5e6c84;font-size:12px}
nav{margin:8px 0}
nav a{margin-right:6px}
nav a[aria-current]{font-weight:600;text-decoration:none}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 8px;border-bottom:1px solid #dfe1e6;text-align:left;vertical-align:top}
thead th a{color:inherit;text-decoration:none}
.tags{color:#5e6c84;font-size:12px;font-weight:400}
.problem{color:#5e6c84}
.light{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:baseline}
.light.green{background:#22a06b}.light.amber{background:#e2b203}.light.red{background:#c9372c}
@media (prefers-color-scheme: dark){body{background:#1d2125;color:#c7d1db}th,td{border-color:#38414a}}
`;

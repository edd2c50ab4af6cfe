import type { HistoryIndex } from './history/history-index';
import type { Change } from './model/types';
import type { Warning } from './result';

/**
 * Data-quality checks that belong to no single metric: references to sprints or releases the snapshot does
 * not describe, and estimates changed after an item was done (a sign that the history was edited after
 * the fact, which moves past sprint figures).
 *
 * @example dataQuality(index).map((w) => w.code) // ['changed-after-done', 'unknown-sprint'] (items' warnings first)
 */
export function dataQuality(index: HistoryIndex): Warning[] {
  const out: Warning[] = [];
  const sprintIds = new Set(index.sprints.map((s) => s.sprint.id));
  const releaseIds = new Set(index.releases.map((r) => r.id));
  const unknownSprints = new Map<string, string[]>();
  const unknownReleases = new Map<string, string[]>();
  for (const h of index.items) {
    for (let i = 0; i < h.sprints.times.length; i++) for (const id of h.sprints.value(i)) if (!sprintIds.has(id)) addOnce(unknownSprints, id, h.item.key);
    for (let i = 0; i < h.releases.times.length; i++) for (const id of h.releases.value(i)) if (!releaseIds.has(id)) addOnce(unknownReleases, id, h.item.key);
    const times = h.estimate.times;
    const afterDone: Change<number | null>[] = [];
    for (let i = 0; i < times.length; i++) {
      const t = times[i]!;
      if (t > h.createdMs && index.isDoneAt(h, t) && index.isDoneAt(h, t - 1)) afterDone.push(h.estimate.change(i));
    }
    if (afterDone.length) {
      out.push({
        code: 'changed-after-done',
        message: `${h.item.key}: estimate changed after it was done (${afterDone.map((c) => c.at).join(', ')}); sprint figures use the estimate at each sprint's close`,
        itemId: h.item.id,
        itemKey: h.item.key,
      });
    }
  }
  for (const [id, keys] of unknownSprints) {
    out.push({ code: 'unknown-sprint', message: `sprint ${id} is referenced by ${keys.length} item(s) (${keys.slice(0, 3).join(', ')}) but not described in the snapshot`, sprintId: id });
  }
  for (const [id, keys] of unknownReleases) {
    out.push({ code: 'unknown-release', message: `release ${id} is referenced by ${keys.length} item(s) (${keys.slice(0, 3).join(', ')}) but not described in the snapshot`, releaseId: id });
  }
  return out;
}

function addOnce(map: Map<string, string[]>, id: string, key: string): void {
  const list = map.get(id) ?? [];
  if (list[list.length - 1] !== key) list.push(key);
  map.set(id, list);
}

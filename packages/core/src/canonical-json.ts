/**
 * The JSON text of a value with every object's keys sorted: "the same JSON" becomes a string comparison, whatever
 * order a tracker sends fields in or a configuration was written in. Used wherever a value is compared or keyed
 * by its content (snapshots appended only on change, the hosted report cache's key).
 */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) =>
      item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
    ) ?? 'null'
  );
}

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable name for a longer key (not a checksum against tampering). */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

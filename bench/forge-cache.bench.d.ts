import { type Measured } from './src/stats';
/**
 * The Forge resolver serving a board's metrics from its cache in Forge storage (here the in-memory Key-Value
 * Store with Forge's limits): what a Jira dashboard gadget waits for on every load. The board is synced by
 * the hourly refresh first; then `loadMetrics` is timed.
 */
export interface ForgeCacheMeasure {
    readonly items: number;
    readonly cachedLoadMs: Measured;
    readonly payloadKb: number;
}
export declare function forgeCacheBench(itemsPerSprint: number, repeats: number): Promise<ForgeCacheMeasure>;
//# sourceMappingURL=forge-cache.bench.d.ts.map
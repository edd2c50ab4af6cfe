"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.forgeCacheBench = forgeCacheBench;
const testkit_1 = require("@agile-kpi/testkit");
const forge_harness_1 = require("../test/forge/forge-harness");
const stats_1 = require("./src/stats");
async function forgeCacheBench(itemsPerSprint, repeats) {
    const team = (0, testkit_1.simulateTeam)({ seed: 3, sprints: 40, itemsPerSprint });
    const forge = await (0, forge_harness_1.forgeHarness)([team]);
    try {
        const resolvers = forge.resolvers();
        const ctx = forge.context('bench-gadget');
        const config = { source: String(forge.jira.boards[0].id) };
        await resolvers.saveConfig({ config }, ctx);
        await forge.refresh();
        let size = 0;
        const cachedLoadMs = await (0, stats_1.timeIt)(repeats, async () => {
            const r = await resolvers.loadMetrics({ config }, ctx);
            if (!r.ok)
                throw new Error(`loadMetrics failed: ${r.error.message}`);
            size = JSON.stringify(r).length;
        });
        return { items: team.snapshot.items.length, cachedLoadMs, payloadKb: Math.round(size / 1024) };
    }
    finally {
        await forge.close();
    }
}
//# sourceMappingURL=forge-cache.bench.js.map
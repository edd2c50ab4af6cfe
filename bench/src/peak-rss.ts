import { writeFileSync } from 'node:fs';

/**
 * Preloaded (`node -r bench/dist/peak-rss.js ...`) into a process the benchmark times from the outside: at exit
 * it writes the process's peak resident memory (`process.resourceUsage().maxRSS`, in KiB) and the CPU time it
 * used (user and system, in microseconds) to the file named by AGILE_KPI_BENCH_PEAK_RSS, as
 * `maxRSS userCPU systemCPU`. Node cannot read a child's rusage, and /usr/bin/time is not everywhere.
 */
const file = process.env['AGILE_KPI_BENCH_PEAK_RSS'];
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}`);
  });
}

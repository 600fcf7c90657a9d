/**
 * The production server: `next start` in WORKERS processes (default 1) sharing one port through node:cluster, so
 * every core serves requests. Each worker has its own database pool (DATABASE_POOL_SIZE connections) and, without
 * REDIS_URL, its own rate-limit counters.
 *   WORKERS=2 node scripts/serve.mjs -H 127.0.0.1 -p 3000
 * Plain JavaScript, so the production image runs it without the dev dependencies.
 */
import cluster from "node:cluster";
import { createRequire } from "node:module";

const workers = Number(process.env.WORKERS || "1");
if (!Number.isInteger(workers) || workers < 1) {
  console.error(`WORKERS must be a whole number of processes, 1 or more (it is "${process.env.WORKERS}")`);
  process.exit(2);
}

if (workers > 1 && cluster.isPrimary) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that dies on its own stops the server: the supervisor (Docker, systemd) restarts it whole.
    console.error(`serve: worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
    stopping = true;
    for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
    process.exitCode = 1;
  });
} else {
  // Next.js's own command line, in this process: `next start` with the arguments given.
  process.argv = [process.argv[0], "next", "start", ...process.argv.slice(2)];
  const require = createRequire(import.meta.url);
  require("next/dist/bin/next");
}

/** The BullMQ worker: registers the schedules, then runs each job with its handler from `tasks.ts`. */
import { Worker } from "bullmq";
import { jobsQueue, queueName, redisConnection, retryDelay } from "./queue";
import { HANDLERS, SCHEDULES } from "./tasks";

export async function startWorker(concurrency = 4): Promise<Worker> {
  const queue = jobsQueue();
  for (const { name, everyMs } of SCHEDULES) {
    await queue.upsertJobScheduler(name, { every: everyMs }, { name });
  }
  const worker = new Worker(
    queueName(),
    async (job) => {
      const handler = HANDLERS[job.name];
      if (!handler) {
        throw new Error(`no handler for job "${job.name}": add one to HANDLERS in src/jobs/tasks.ts`);
      }
      return handler(job);
    },
    { connection: redisConnection(), concurrency, settings: { backoffStrategy: retryDelay } },
  );
  worker.on("failed", (job, error) => {
    const attempts = job ? `${job.attemptsMade}/${job.opts.attempts ?? 1}` : "?";
    console.error(
      `job ${job?.name ?? "?"} (${job?.id ?? "?"}) failed, attempt ${attempts}: ${error.message}`,
    );
  });
  await worker.waitUntilReady();
  return worker;
}

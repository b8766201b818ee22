/**
 * Periodic jobs of the running server (`npm start` only; tests call the jobs themselves with their own clock).
 * One timer per job; a run never overlaps the previous run of the same job, and a failure is logged, not thrown.
 */
export interface ScheduledJob {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

export interface Scheduler {
  stop(): void;
}

export function startScheduler(jobs: ScheduledJob[], log: (message: string, err?: unknown) => void = () => undefined): Scheduler {
  const timers = jobs.map((job) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job.run()
        .catch((err: unknown) => log(`scheduled job ${job.name} failed`, err))
        .finally(() => { running = false; });
    }, job.everyMs);
    timer.unref();
    return timer;
  });
  return { stop: () => timers.forEach((t) => clearInterval(t)) };
}

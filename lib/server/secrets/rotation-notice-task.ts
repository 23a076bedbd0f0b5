import "server-only";
import type { Db } from "@/lib/server/db/client";
import { emitRotationNotices } from "./emit-rotation-notices";

export interface PeriodicTask {
  stop(): Promise<void>;
}

const globalForTask = globalThis as unknown as { gatehouseRotationNotices?: PeriodicTask };

/**
 * The rotation-notice loop, started wherever the webhook worker starts (in the
 * server from instrumentation.ts, or `npm run worker`): a round a minute, the
 * first one right away. Any number
 * of processes may run it: emitRotationNotices sends each notice once.
 */
export function startRotationNoticeTask(db: Db, { everyMs = 60_000 }: { everyMs?: number } = {}): PeriodicTask {
  if (globalForTask.gatehouseRotationNotices) return globalForTask.gatehouseRotationNotices;
  let stopping = false;
  let running: Promise<unknown> = Promise.resolve();
  const round = () => {
    if (stopping) return;
    running = emitRotationNotices(db).catch((e: unknown) => console.error(`[gatehouse] rotation notices round failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  const timer = setInterval(round, Math.max(1_000, everyMs));
  timer.unref?.();
  round();
  const task: PeriodicTask = {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await running;
      globalForTask.gatehouseRotationNotices = undefined;
    },
  };
  globalForTask.gatehouseRotationNotices = task;
  return task;
}

// A load worker: a child process of the load tool running the bots of some rooms (BotFleet), so
// that the load can use another core and a saturated generator shows in its own CPU figures. It
// reports its counters and CPU time every second.
import './sdkOnWsPackage.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BotFleet } from './BotFleet.ts';
import type { FromWorker, ToWorker } from './workerMessages.ts';

/**
 * The worker's own event-loop delay while its bots act: a change a bot receives late because its
 * worker was busy counts in the measured latency, so this says how much of it is the load tool's.
 */
const LOOP_RESOLUTION_MS = 1;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
const loopMs = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS);

const TICK_MS = 1000;
let fleet: BotFleet | undefined;
let acting = false;
let cpu = process.cpuUsage();

const tell = (message: FromWorker) => process.send!(message);

function tick(): void {
  if (!fleet) return;
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  tell({ type: 'tick', counters: fleet.counters.drain(), cpuMicros: used.user + used.system, acting });
}

const ticker = setInterval(tick, TICK_MS);
// A failed join or leave rejects unhandled on purpose: the worker dies, and the parent reports it.
process.on('message', (message: ToWorker) => void handle(message));
async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'plan':
      fleet = new BotFleet(message.plan);
      await fleet.join();
      tick();
      tell({ type: 'joined' });
      return;
    case 'act':
      tick();
      acting = true;
      loopDelay.enable();
      fleet?.act();
      return;
    case 'leave':
      // What happened while acting is reported before the leaves, which are not part of the run.
      tick();
      acting = false;
      loopDelay.disable();
      tell({ type: 'loopDelay', p50: loopMs(loopDelay.percentile(50)), p99: loopMs(loopDelay.percentile(99)), max: loopMs(loopDelay.max) });
      await fleet?.leave();
      clearInterval(ticker);
      tick();
      tell({ type: 'left' });
      process.disconnect!();
      return;
  }
}
// The parent went away without saying goodbye: nothing is left to report to.
process.on('disconnect', () => process.exit(0));

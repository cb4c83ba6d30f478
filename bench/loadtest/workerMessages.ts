import type { FleetPlan } from './BotFleet.ts';
import type { CountersDelta } from './LoadCounters.ts';

/** Parent → load worker. */
export type ToWorker = { type: 'plan'; plan: FleetPlan } | { type: 'act' } | { type: 'leave' };

/** Load worker → parent. `tick` comes every second and once more before `left`; `loopDelay` (ms, while acting) once, before `left`. */
export type FromWorker =
  | { type: 'tick'; counters: CountersDelta; cpuMicros: number; acting: boolean }
  | { type: 'loopDelay'; p50: number; p99: number; max: number }
  | { type: 'joined' }
  | { type: 'left' };

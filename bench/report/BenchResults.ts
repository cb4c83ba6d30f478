import type { RestResult } from '../harness/measureRest.ts';
import type { StepResult } from '../harness/measureStep.ts';

/** A step that could not be measured (the server or the load failed), with why. */
export type FailedStep = { clients: number; error: string };
export type StepOutcome = StepResult | FailedStep;

export const isMeasured = (step: StepOutcome): step is StepResult => !('error' in step);

export type TargetResults = {
  name: string;
  server: 'ours' | 'ws' | 'socketio';
  workload: string;
  database?: string;
  /** PATCH_MIN_INTERVAL_MS when not the server's default (older results have `patchIntervalMs`: the fixed interval rooms patched on before). */
  patchMinIntervalMs?: number;
  steps: StepOutcome[];
  /** Larger steps were not run: this step was already saturated. */
  skippedAfter?: number;
  /** The most clients held with change p99 under 100 ms and nobody lost (0: none). */
  heldClients: number;
};

/** What `npm run bench` writes to bench/results/capacity-<mode>.json (one file per mode, merged across `--only` runs). */
export type BenchResults = {
  mode: 'quick' | 'full';
  startedAt: string;
  machine: { cpus: number; model: string; node: string; note: string };
  targets: Record<string, TargetResults>;
  rest: Record<string, RestResult[]>;
};

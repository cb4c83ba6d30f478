import type { LabyrinthState } from './labyrinthServer.ts';

/** How often the countdown's seconds are redrawn. */
const COUNTDOWN_TICK_MS = 200;

/**
 * The line that says the round's phase. During the countdown it ticks on its own between state
 * patches (the state holds only when the countdown ends), until the next phase or `stop()`.
 */
export class PhaseLine {
  readonly #element: HTMLElement;
  #countdownTimer: ReturnType<typeof setInterval> | undefined;

  constructor(element: HTMLElement) {
    this.#element = element;
  }

  show(state: LabyrinthState): void {
    this.stop();
    this.#element.dataset.phase = state.phase;
    this.#element.textContent = phaseText(state);
    if (state.phase === 'countdown') {
      this.#countdownTimer = setInterval(() => (this.#element.textContent = phaseText(state)), COUNTDOWN_TICK_MS);
    }
  }

  stop(): void {
    clearInterval(this.#countdownTimer);
    this.#countdownTimer = undefined;
  }
}

function phaseText(state: LabyrinthState): string {
  switch (state.phase) {
    case 'lobby':
      return state.allReady ? 'Lobby: everyone is ready' : 'Lobby: waiting for every player to be ready';
    case 'countdown':
      return `Starting in ${Math.max(0, (state.countdownEndsAt - Date.now()) / 1000).toFixed(1)} s`;
    case 'playing':
      return 'Playing: find the exit (the arrow buttons, a swipe on the maze, or the arrow keys / WASD)';
    case 'finished': {
      const seconds = ((state.finishedAt - state.startedAt) / 1000).toFixed(1);
      return `Finished: ${state.winnerName} reached the exit in ${seconds} s`;
    }
  }
}

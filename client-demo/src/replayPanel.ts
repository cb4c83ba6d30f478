import { botNumber, botSeat } from '../../src/game/botSeats.ts';
import { cellKey } from '../../src/game/fogOfWar.ts';
import { isExit } from '../../src/game/moveRules.ts';
import { replayRound, type LogEntry, type ReplayedRound } from '../../src/game/roundLog.ts';
import { MazeGrid } from './mazeGrid.ts';
import { showError } from './notices.ts';
import { element, scrollToTop } from './pageElement.ts';
import { playerToken } from './playerToken.ts';
import { restClient } from './restClient.ts';
import { shortId } from './shortId.ts';

/** Time between two steps while playing. */
const PLAY_STEP_MS = 400;

/**
 * "Replay": a session's last finished round, rebuilt in the page from its audit trail alone
 * (`GET /api/sessions/{id}/events`, public once a round is finished) with the same pure replay the
 * server's tests check against the stored result. Step, or play, through the moves on the maze.
 */
export class ReplayPanel {
  #round: ReplayedRound | undefined;
  #names = new Map<string, string>();
  #grid: MazeGrid | undefined;
  #step = 0;
  /** The step the grid shows tiles for. */
  #shownStep = 0;
  #player: ReturnType<typeof setInterval> | undefined;

  constructor() {
    element('replay-first').addEventListener('click', () => this.#goTo(0));
    element('replay-back').addEventListener('click', () => this.#goTo(this.#step - 1));
    element('replay-forward').addEventListener('click', () => this.#goTo(this.#step + 1));
    element('replay-play').addEventListener('click', () => this.#togglePlay());
    element<HTMLInputElement>('replay-step').addEventListener('input', (event) => this.#goTo(Number((event.target as HTMLInputElement).value)));
    element('replay-close').addEventListener('click', () => this.#close());
  }

  async show(sessionId: string): Promise<void> {
    this.#stop();
    try {
      const entries = await this.#loadTrail(sessionId);
      if (!entries.some((entry) => entry.type === 'round_finished')) {
        showError(new Error('No finished round to replay yet: the trail of a round is published when it ends'), `Replay ${shortId(sessionId)}`);
        return;
      }
      this.#round = replayRound(entries);
      this.#names = new Map(
        entries
          .filter((entry) => entry.type === 'player_joined')
          .map((entry) => [entry.actor ?? '', typeof entry.data.name === 'string' ? entry.data.name : (entry.actor ?? '')]),
      );
      const { maze, frames, winner, durationMs } = this.#round;
      this.#grid = new MazeGrid(element('replay-board'), maze.size);
      element('replay-title').textContent =
        `Session ${shortId(sessionId)}, seed ${maze.seed}: ${frames.length - 1} moves, won by ${winner ? this.#nameOf(winner) : 'nobody'}` +
        (durationMs === null ? '' : ` in ${(durationMs / 1000).toFixed(1)} s`);
      element<HTMLInputElement>('replay-step').max = String(frames.length - 1);
      element('replay').hidden = false;
      // Where the player is looking: the button pressed may be far down a list.
      scrollToTop('replay');
      this.#goTo(0);
    } catch (error) {
      showError(error, `Replay ${shortId(sessionId)}`);
    }
  }

  /** Every published event, page after page. */
  async #loadTrail(sessionId: string): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    for (let more = true; more;) {
      const page = await restClient.sessionEvents(sessionId, entries.at(-1)?.seq ?? 0);
      // The document describes an event's `data` as an object of facts; the replay reads each event as
      // the audit trail entry the server sends (src/game/roundLog.ts).
      entries.push(...page.events.map((event) => ({ ...event, at: Date.parse(event.at) }) as LogEntry));
      more = page.more;
    }
    return entries;
  }

  #goTo(step: number): void {
    const round = this.#round;
    const grid = this.#grid;
    if (!round || !grid) return;
    this.#step = Math.max(0, Math.min(step, round.frames.length - 1));
    const frame = round.frames[this.#step]!;
    // Tiles only ever appear as the round goes on: going back redraws from an empty grid.
    if (step < this.#shownStep) this.#grid = new MazeGrid(element('replay-board'), round.maze.size);
    this.#shownStep = this.#step;
    for (const tile of round.maze.tiles) {
      if (frame.revealed.has(cellKey(tile))) this.#grid!.drawTile({ ...tile, exit: isExit(round.maze, tile) });
    }
    this.#grid!.setMarkers(
      [...frame.positions].map(([clientId, cell]) => ({
        ...cell,
        ...playerToken(clientId, this.#nameOf(clientId)),
        title: this.#nameOf(clientId),
        mine: clientId === frame.winner,
      })),
    );
    element<HTMLInputElement>('replay-step').value = String(this.#step);
    const seconds = ((frame.at - round.frames[0]!.at) / 1000).toFixed(1);
    element('replay-status').textContent =
      `Step ${this.#step} of ${round.frames.length - 1}, ${seconds} s into the round` +
      (frame.winner ? `: ${this.#nameOf(frame.winner)} reached the exit` : '');
    if (this.#step === round.frames.length - 1) this.#stop();
  }

  #togglePlay(): void {
    if (this.#player) {
      this.#stop();
      return;
    }
    if (this.#round && this.#step === this.#round.frames.length - 1) this.#goTo(0);
    this.#player = setInterval(() => this.#goTo(this.#step + 1), PLAY_STEP_MS);
    element('replay-play').setAttribute('aria-pressed', 'true');
    element('replay-play').textContent = 'Pause';
  }

  #stop(): void {
    clearInterval(this.#player);
    this.#player = undefined;
    element('replay-play').setAttribute('aria-pressed', 'false');
    element('replay-play').textContent = 'Play';
  }

  #close(): void {
    this.#stop();
    element('replay').hidden = true;
    // Back to the game, when the replay was of the session being played.
    if (!element('game').hidden) scrollToTop('game');
  }

  /** A player's name as the game showed it: from its join, or a bot's (bots are seated with the session, not joined). */
  #nameOf(clientId: string): string {
    const bot = botNumber(clientId);
    return this.#names.get(clientId) ?? (bot === undefined ? clientId : botSeat(bot).name);
  }
}

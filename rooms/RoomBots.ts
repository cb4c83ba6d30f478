import type { Room } from '@colyseus/core';
import { DomainError } from '../src/domainErrors.ts';
import { BotExplorer, knownMaze } from '../src/game/BotExplorer.ts';
import { isBot } from '../src/game/botSeats.ts';
import type { RoundEvent } from '../src/game/roundEvents.ts';
import type { SessionRound } from '../src/game/SessionRound.ts';
import type { Config } from '../src/config.ts';
import type { Logger } from '../src/logger.ts';

/** A step waits this share of BOT_STEP_MS at least, and as much again above it at most: 75–125 %. */
const PACE_FROM = 0.75;
const PACE_SPREAD = 0.5;

/**
 * Plays a room's bots while a round is being played: each bot takes a step at a person's pace (a
 * timer on the room's clock, with jitter), chosen by its BotExplorer from what its player may know,
 * and made through the round's own `move` command, so the move cooldown, the rules, the audit trail
 * and replay cover it as they cover a person. The timers stop when the round does, and die with the
 * room's clock when the room is disposed.
 */
export class RoomBots {
  readonly #clock: Room['clock'];
  readonly #round: SessionRound;
  /** Carries out a bot's events as a client's are carried out. */
  readonly #apply: (events: RoundEvent[], at: number) => void;
  readonly #settings: Pick<Config['room'], 'botStepMs' | 'moveCooldownMs'>;
  readonly #logger: Logger;
  /** Whether the room may act now (it owns its session): a step that falls while it may not is skipped. */
  readonly #mayAct: () => boolean;
  /** Each playing bot's explorer (a fresh memory every round) and its next step's timer. */
  readonly #walking = new Map<string, { explorer: BotExplorer; timer: { clear(): void } }>();

  constructor(
    clock: Room['clock'],
    round: SessionRound,
    apply: (events: RoundEvent[], at: number) => void,
    services: { settings: Pick<Config['room'], 'botStepMs' | 'moveCooldownMs'>; logger: Logger; mayAct: () => boolean },
  ) {
    this.#clock = clock;
    this.#round = round;
    this.#apply = apply;
    this.#settings = services.settings;
    this.#logger = services.logger;
    this.#mayAct = services.mayAct;
  }

  /** Play is on (a round started, or a room rebuilt mid-round): every bot starts walking. */
  start(): void {
    this.stop();
    for (const clientId of this.#round.members.seats.keys()) {
      if (isBot(clientId)) this.#walking.set(clientId, { explorer: new BotExplorer(), timer: this.#nextStep(clientId) });
    }
  }

  /** Play is over: no bot moves any more. */
  stop(): void {
    for (const { timer } of this.#walking.values()) timer.clear();
    this.#walking.clear();
  }

  #nextStep(clientId: string): { clear(): void } {
    const { botStepMs, moveCooldownMs } = this.#settings;
    const delay = Math.max(moveCooldownMs, botStepMs * (PACE_FROM + Math.random() * PACE_SPREAD));
    return this.#clock.setTimeout(() => this.#step(clientId), delay);
  }

  #step(clientId: string): void {
    const walking = this.#walking.get(clientId);
    const seat = this.#round.members.seats.get(clientId);
    if (!walking || !seat || this.#round.phase !== 'playing') return;
    const from = { x: seat.x, y: seat.y };
    const side = this.#mayAct() && walking.explorer.nextStep(from, knownMaze(this.#round.maze, this.#round.knowledge.knownTo(clientId, this.#round.fog)));
    if (side) {
      const now = Date.now();
      try {
        const events = this.#round.move(clientId, side, now);
        walking.explorer.stepped(from, { x: seat.x, y: seat.y });
        this.#apply(events, now);
      } catch (error) {
        // A refusal (a timer a little early for the cooldown) changed nothing: the next step tries again.
        if (!(error instanceof DomainError)) throw error;
        this.#logger.debug({ clientId, code: error.code }, 'bot move refused');
      }
    }
    // The step may have ended the round (and stopped every bot).
    if (this.#walking.get(clientId) === walking) walking.timer = this.#nextStep(clientId);
  }
}

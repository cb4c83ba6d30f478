import { performance } from 'node:perf_hooks';
import { DIRECTION_STEP } from '../../src/maze/directions.ts';
import { Bot, type BotSettings } from './Bot.ts';
import type { GameView, PlayerView } from './GameTransport.ts';
import { MazeExplorer } from './MazeExplorer.ts';

/** On average one chat line per player this often. */
const CHAT_EVERY_MS = 20_000;
/** After a finished round the room's first bot asks for a new one after this pause; the others later, in case it is gone. */
const NEW_ROUND_PAUSE_MS = 1000;
const NEW_ROUND_FALLBACK_MS = 5000;
const CHAT_LINES = ['this way?', 'dead end here', 'found a crossroad', 'see you at the exit', 'gg'];

export type PlayBotSettings = BotSettings & {
  /** The playable character this bot picks, if there is one for its seat. */
  characterId: string | undefined;
};

/**
 * A player who plays rounds (the load tool's play workload): picks its character, gets ready,
 * walks the revealed maze to the exit one move per tick (MazeExplorer), chats now and then, and
 * after a finished round asks for a new one.
 */
export class PlayBot extends Bot {
  readonly #characterId: string | undefined;
  #pickTried = false;
  #explorer: { round: number; explorer: MazeExplorer } | undefined;
  #finished: { round: number; since: number; newRoundAsked: boolean } | undefined;

  constructor(settings: PlayBotSettings) {
    super(settings);
    this.#characterId = settings.characterId;
  }

  protected override onState(view: GameView): void {
    if (view.phase !== 'finished' || this.#finished?.round === view.round) return;
    this.#finished = { round: view.round, since: performance.now(), newRoundAsked: false };
    // One count per room: its first bot's.
    if (this.seat === 0 && view.winner) this.counters.roundsFinished += 1;
  }

  protected override tick(view: GameView, me: PlayerView): void {
    if (Math.random() < this.intervalMs / CHAT_EVERY_MS) this.#chat();
    switch (view.phase) {
      case 'lobby':
        return this.#getReady(me);
      case 'playing':
        return this.#walk(view, me);
      case 'finished':
        return this.#askForNewRound(view);
    }
  }

  #getReady(me: PlayerView): void {
    const characterId = this.#characterId;
    if (characterId && !this.#pickTried && me.characterId !== characterId) {
      this.#pickTried = true;
      this.sendAndWait({ type: 'pick_character', payload: { entityId: characterId } }, (player) => player.characterId === characterId);
      return;
    }
    if (!me.ready) this.sendChange({ type: 'ready', payload: { ready: true } }, (player) => player.ready);
  }

  #walk(view: GameView, me: PlayerView): void {
    if (this.#explorer?.round !== view.round) this.#explorer = { round: view.round, explorer: new MazeExplorer() };
    // A player always sees itself; only other players can be out of sight.
    if (me.x === undefined || me.y === undefined) return;
    const here = { x: me.x, y: me.y };
    const direction = this.#explorer.explorer.nextStep(here, view.revealed);
    if (!direction) return;
    const target = { x: here.x + DIRECTION_STEP[direction].dx, y: here.y + DIRECTION_STEP[direction].dy };
    this.sendChange({ type: 'move', payload: { dir: direction } }, (player) => player.x === target.x && player.y === target.y);
  }

  #askForNewRound(view: GameView): void {
    const finished = this.#finished;
    if (!finished || finished.round !== view.round || finished.newRoundAsked) return;
    const pause = this.seat === 0 ? NEW_ROUND_PAUSE_MS : NEW_ROUND_FALLBACK_MS + this.seat * NEW_ROUND_PAUSE_MS;
    if (performance.now() - finished.since < pause) return;
    finished.newRoundAsked = true;
    this.send({ type: 'new_round', payload: {} });
  }

  #chat(): void {
    this.counters.chatLines += 1;
    this.send({ type: 'chat', payload: { text: CHAT_LINES[Math.floor(Math.random() * CHAT_LINES.length)]! } });
  }
}

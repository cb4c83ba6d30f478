import type { ClientLimits } from '../../rooms/labyrinthProtocol.ts';
import type { Direction } from '../../src/maze/directions.ts';
import { GameView } from './gameView.ts';
import type { LabyrinthRoom, LabyrinthState } from './labyrinthServer.ts';
import { MovePacer } from './movePacer.ts';
import { showError } from './notices.ts';
import { element } from './pageElement.ts';
import { restClient, type CharacterSummary } from './restClient.ts';
import type { SavedIdentity } from './savedIdentity.ts';
import { SessionConnection, type JoinTarget } from './sessionConnection.ts';
import { shortId } from './shortId.ts';
import { listenForSwipes } from './swipe.ts';

/** Arrow keys and WASD, as the room's move directions. */
const KEY_DIRECTIONS: Record<string, Direction> = {
  ArrowUp: 'N',
  ArrowRight: 'E',
  ArrowDown: 'S',
  ArrowLeft: 'W',
  w: 'N',
  d: 'E',
  s: 'S',
  a: 'W',
  W: 'N',
  D: 'E',
  S: 'S',
  A: 'W',
};

/** Refusals of `move` are shown next to the board; other room errors as notices. */
const MOVE_REFUSALS = new Set(['wall', 'off_grid', 'too_fast', 'wrong_phase', 'spectator']);

/**
 * "Game": one session's room through the Colyseus SDK. The connection (sessionConnection.ts) joins
 * and rejoins, the view (gameView.ts) draws the live state; the panel sends what the player does.
 */
export class GamePanel {
  readonly #identity: SavedIdentity;
  readonly #connection: SessionConnection;
  readonly #view = new GameView();
  /** Moves from the keys, the pad and swipes, at the room's pace. */
  readonly #moves = new MovePacer(
    (direction) => this.#sendMove(direction),
    () => this.#limits?.moveCooldownMs ?? 0,
  );
  /** What the room said a client must keep to (its `whoami` answer). */
  #limits: ClientLimits | undefined;
  #characters: CharacterSummary[] = [];

  /** `afterChange` runs after joining or leaving (the session list refreshes); `replay` shows a session's last finished round. */
  constructor(identity: SavedIdentity, afterChange: () => void, replay: (sessionId: string) => void) {
    this.#identity = identity;
    this.#connection = new SessionConnection(identity, {
      entered: (room) => this.#attach(room),
      welcomed: ({ limits }) => {
        this.#limits = limits;
        element<HTMLInputElement>('chat-input').maxLength = limits.chatMaxLength;
      },
      left: () => {
        this.#moves.cancel();
        this.#view.close();
      },
      changed: afterChange,
    });
    element('ready-button').addEventListener('click', () => this.#toggleReady());
    element('leave-button').addEventListener('click', () => void this.leave());
    element('new-round-button').addEventListener('click', () => this.#room?.send('new_round', {}));
    element('replay-button').addEventListener('click', () => this.#room && replay(this.#room.roomId));
    // Touch play: the pad's buttons, and a swipe across the board.
    for (const button of element('move-pad').querySelectorAll<HTMLButtonElement>('button[data-dir]')) {
      button.addEventListener('click', () => this.#move(button.dataset.dir as Direction));
    }
    listenForSwipes(element('board'), (direction) => this.#move(direction));
    element<HTMLFormElement>('character-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const entityId = element<HTMLSelectElement>('character-select').value;
      // The list opens on its prompt: say so rather than send nothing.
      element('character-feedback').textContent = entityId ? '' : 'Choose a character in the list first, then Pick.';
      if (entityId) this.#room?.send('pick_character', { entityId });
    });
    element<HTMLFormElement>('chat-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = element<HTMLInputElement>('chat-input');
      if (input.value.trim() === '') return;
      this.#room?.send('chat', { text: input.value });
      input.value = '';
    });
    document.addEventListener('keydown', (event) => this.#onKey(event));
  }

  /** Joins a session (by id, by code, or quick play) under the name typed in, leaving the current one first. */
  join(target: JoinTarget): Promise<void> {
    return this.#connection.join(target, element<HTMLInputElement>('player-name').value.trim());
  }

  /** Leaves for good: the seat is freed. */
  leave(): Promise<void> {
    return this.#connection.leave();
  }

  get #room(): LabyrinthRoom | undefined {
    return this.#connection.room;
  }

  #attach(room: LabyrinthRoom): void {
    this.#view.open();
    void this.#loadCharacters();
    void this.#showInvite(room.roomId);
    room.onStateChange((state) => this.#render(state));
    // The log is drawn from the state; this announces new lines to screen readers.
    room.onMessage('chat', ({ name, text }) => {
      element('chat-announcer').textContent = `${name}: ${text}`;
    });
    room.onMessage('error', ({ code, message }) => {
      if (MOVE_REFUSALS.has(code)) {
        element('move-feedback').textContent = `Move refused: ${message} [${code}]`;
      } else {
        showError(new Error(`${message} [${code}]`), 'The room refused that');
      }
    });
    room.onError((code, message) => showError(new Error(`${message ?? 'room error'} [code ${code}]`), 'Room'));
  }

  #render(state: LabyrinthState | undefined = this.#room?.state): void {
    if (state) this.#view.render(state, this.#identity.clientId, this.#characters);
  }

  #toggleReady(): void {
    const room = this.#room;
    const me = room?.state.players.get(this.#identity.clientId);
    if (room && me) room.send('ready', { ready: !me.ready });
  }

  #onKey(event: KeyboardEvent): void {
    const direction = KEY_DIRECTIONS[event.key];
    if (!direction || !this.#canMove() || event.altKey || event.ctrlKey || event.metaKey) return;
    // Typing in the chat or the forms must not move anyone.
    if ((event.target as HTMLElement).closest('input, textarea, select')) return;
    event.preventDefault();
    this.#move(direction);
  }

  /** Whether this client plays the round under way: only then does it move. */
  #canMove(): boolean {
    const state = this.#room?.state;
    return state?.phase === 'playing' && state.players.has(this.#identity.clientId);
  }

  #move(direction: Direction): void {
    if (this.#canMove()) this.#moves.move(direction);
  }

  /** A paced move goes out later: the round may have ended meanwhile. */
  #sendMove(direction: Direction): void {
    if (this.#canMove()) this.#room!.send('move', { dir: direction });
  }

  /** A private session's join code, for the player to share (GET /api/sessions/:id answers it to whoever has the id). */
  async #showInvite(sessionId: string): Promise<void> {
    const invite = element('invite');
    invite.textContent = '';
    try {
      const { code } = await restClient.session(sessionId);
      if (code && this.#room?.roomId === sessionId) {
        invite.textContent = `Private session: share the join code ${code} (others type it in "Join by code").`;
      }
    } catch (error) {
      showError(error, `Session ${shortId(sessionId)}`);
    }
  }

  async #loadCharacters(): Promise<void> {
    if (this.#characters.length > 0) return;
    try {
      this.#characters = (await restClient.characters()).entities;
      this.#render();
    } catch (error) {
      showError(error, 'Loading characters');
    }
  }
}

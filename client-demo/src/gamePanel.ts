import { CloseCode, ServerError } from '@colyseus/sdk';
import { SEAT_TAKEN_OVER_CLOSE_CODE, SESSION_DELETED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import type { MoveMessage } from '../../rooms/labyrinthProtocol.ts';
import { showConnection } from './connectionStatus.ts';
import { connectToServer, type LabyrinthRoom, type LabyrinthState, type PlayerView } from './labyrinthServer.ts';
import { MazeGrid } from './mazeGrid.ts';
import { showError, showInfo } from './notices.ts';
import { restClient, type CharacterSummary } from './restClient.ts';
import { saveIdentity, type SavedIdentity } from './savedIdentity.ts';
import { shortId } from './sessionsPanel.ts';

/** Arrow keys and WASD, as the room's move directions. */
const KEY_DIRECTIONS: Record<string, MoveMessage['dir']> = {
  ArrowUp: 'N', ArrowRight: 'E', ArrowDown: 'S', ArrowLeft: 'W',
  w: 'N', d: 'E', s: 'S', a: 'W', W: 'N', D: 'E', S: 'S', A: 'W',
};

/** Rejoin attempts after the room went away: about 40 s in all, long enough for a restart. */
const REJOIN_ATTEMPTS = 10;
/**
 * Closes after which the seat is still ours but the room is gone, so only a new join gets back in:
 * a server shutdown, and the SDK giving up reconnecting (its process died; another re-creates it).
 */
const REJOIN_CODES = new Set<number>([CloseCode.SERVER_SHUTDOWN, CloseCode.FAILED_TO_RECONNECT]);

/** Refusals of `move` are shown next to the board; other room errors as notices. */
const MOVE_REFUSALS = new Set(['wall', 'off_grid', 'too_fast', 'wrong_phase', 'spectator']);

const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * "Game": one session's room through the Colyseus SDK. Joins with the saved identity (so a reload
 * takes the same seat back), draws the live state, and sends what the player does.
 */
export class GamePanel {
  readonly #client = connectToServer();
  readonly #identity: SavedIdentity;
  readonly #afterChange: () => void;
  #room: LabyrinthRoom | undefined;
  #grid: MazeGrid | undefined;
  #gridLabyrinthId = '';
  #characters: CharacterSummary[] = [];
  #countdownTimer: ReturnType<typeof setInterval> | undefined;

  /** `afterChange` runs after joining or leaving (the session list refreshes). */
  constructor(identity: SavedIdentity, afterChange: () => void) {
    this.#identity = identity;
    this.#afterChange = afterChange;
    element('ready-button').addEventListener('click', () => this.#toggleReady());
    element('leave-button').addEventListener('click', () => void this.leave());
    element('new-round-button').addEventListener('click', () => this.#room?.send('new_round', {}));
    element<HTMLFormElement>('character-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const entityId = element<HTMLSelectElement>('character-select').value;
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

  /** Joins a session as a player (or spectator), leaving the current one first. */
  async join(sessionId: string, spectator: boolean): Promise<void> {
    if (this.#room) await this.leave();
    this.#identity.name = element<HTMLInputElement>('player-name').value.trim();
    showConnection('joining', `session ${shortId(sessionId)}`);
    try {
      await this.#enter(sessionId, spectator);
    } catch (error) {
      showConnection('idle');
      this.#forgetIfGone(error);
      showError(error, `Joining session ${shortId(sessionId)}`);
    }
    this.#afterChange();
  }

  /** Leaves for good: the seat is freed. */
  async leave(): Promise<void> {
    const room = this.#room;
    if (!room) return;
    this.#identity.sessionId = undefined;
    saveIdentity(this.#identity);
    await room.leave(true);
  }

  /** Joins with the saved identity and remembers the session, so a reload comes back to it. */
  async #enter(sessionId: string, spectator: boolean): Promise<void> {
    const identity = this.#identity;
    const room = await this.#client.joinOrCreate('labyrinth', {
      sessionId,
      clientId: identity.clientId,
      clientToken: identity.clientToken,
      name: identity.name || undefined,
      spectator,
    });
    this.#attach(room);
    // The token proves this clientId is ours on later joins; `whoami` answers it race-free.
    const whoami = await room.request('whoami');
    if ('clientToken' in whoami) identity.clientToken = whoami.clientToken;
    identity.sessionId = sessionId;
    identity.spectator = spectator;
    saveIdentity(identity);
    showConnection('connected', `session ${shortId(sessionId)}${spectator ? ', watching' : ''}`);
  }

  /**
   * After a server shutdown (4001) or a failed reconnection (4003) the seat is still ours but the
   * room is gone, so join again: that re-creates the room from the database on this or another
   * process. Retries with backoff while the server restarts.
   */
  async #rejoin(sessionId: string, spectator: boolean): Promise<void> {
    for (let attempt = 1; attempt <= REJOIN_ATTEMPTS; attempt++) {
      showConnection('reconnecting', `the server restarted; rejoining, attempt ${attempt}`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5000)));
      // The user may have joined something else or left meanwhile.
      if (this.#room || this.#identity.sessionId !== sessionId) return;
      try {
        await this.#enter(sessionId, spectator);
        this.#afterChange();
        return;
      } catch (error) {
        // Refused for good (deleted, not ours, seated elsewhere): stop; a network error: try again.
        if (error instanceof ServerError && error.code >= 400 && error.code < 500) {
          this.#forgetIfGone(error);
          showConnection('lost', 'could not rejoin');
          showError(error, `Rejoining session ${shortId(sessionId)}`);
          return;
        }
      }
    }
    showConnection('lost', 'the server did not come back');
  }

  /** The saved session is gone (deleted, or the database was reset): do not retry it on reload. */
  #forgetIfGone(error: unknown): void {
    if (error instanceof ServerError && error.code === 404) {
      this.#identity.sessionId = undefined;
      saveIdentity(this.#identity);
    }
  }

  #attach(room: LabyrinthRoom): void {
    this.#room = room;
    this.#gridLabyrinthId = '';
    element('game-view').hidden = false;
    void this.#loadCharacters();
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
    room.onDrop(() => showConnection('reconnecting'));
    room.onReconnect(() => showConnection('connected', `session ${shortId(room.roomId)}`));
    room.onLeave((code) => this.#onLeft(room, code));
  }

  #onLeft(room: LabyrinthRoom, code: number): void {
    if (this.#room !== room) return;
    this.#room = undefined;
    clearInterval(this.#countdownTimer);
    element('game-view').hidden = true;
    const reason = leaveReasons[code];
    if (code === CloseCode.CONSENTED) {
      showConnection('idle');
    } else if (REJOIN_CODES.has(code) && this.#identity.sessionId === room.roomId) {
      void this.#rejoin(room.roomId, this.#identity.spectator);
    } else {
      showConnection('lost', reason ?? `closed with code ${code}`);
      if (code === SESSION_DELETED_CLOSE_CODE) {
        this.#identity.sessionId = undefined;
        saveIdentity(this.#identity);
      }
      if (reason) showInfo(reason);
    }
    this.#afterChange();
  }

  #me(state: LabyrinthState): PlayerView | undefined {
    return state.players.get(this.#identity.clientId);
  }

  #toggleReady(): void {
    const room = this.#room;
    const me = room && this.#me(room.state);
    if (room && me) room.send('ready', { ready: !me.ready });
  }

  #onKey(event: KeyboardEvent): void {
    const direction = KEY_DIRECTIONS[event.key];
    const room = this.#room;
    if (!direction || !room || event.altKey || event.ctrlKey || event.metaKey) return;
    // Typing in the chat or the forms must not move anyone.
    if ((event.target as HTMLElement).closest('input, textarea, select')) return;
    if (room.state.phase !== 'playing' || !this.#me(room.state)) return;
    event.preventDefault();
    room.send('move', { dir: direction });
  }

  async #loadCharacters(): Promise<void> {
    if (this.#characters.length > 0) return;
    try {
      this.#characters = (await restClient.characters()).entities;
      if (this.#room) this.#render(this.#room.state);
    } catch (error) {
      showError(error, 'Loading characters');
    }
  }

  #render(state: LabyrinthState): void {
    const me = this.#me(state);
    const spectator = me === undefined;
    element('session-title').textContent =
      `Session ${shortId(state.sessionId)}: round ${state.round}, ${state.size}×${state.size}, fog ${state.fog}, ` +
      (state.seed ? `seed ${state.seed}` : 'seed hidden until the round is finished');
    element('phase').textContent = this.#phaseText(state);
    element('phase').dataset.phase = state.phase;
    this.#renderPlayers(state);
    this.#renderControls(state, me);
    this.#renderBoard(state);
    this.#renderChat(state);
    element('role').textContent = spectator ? 'You are watching this session.' : `You play as ${me.name}.`;
    element('position').textContent =
      me && state.phase !== 'lobby' ? `You are at (${me.x}, ${me.y}): open ${this.#openSidesAt(state, me.x, me.y)}.` : '';
  }

  #phaseText(state: LabyrinthState): string {
    clearInterval(this.#countdownTimer);
    switch (state.phase) {
      case 'lobby':
        return state.allReady ? 'Lobby: everyone is ready' : 'Lobby: waiting for every player to be ready';
      case 'countdown': {
        const tick = () => {
          const seconds = Math.max(0, (state.countdownEndsAt - Date.now()) / 1000);
          element('phase').textContent = `Starting in ${seconds.toFixed(1)} s`;
        };
        this.#countdownTimer = setInterval(tick, 200);
        return `Starting in ${Math.max(0, (state.countdownEndsAt - Date.now()) / 1000).toFixed(1)} s`;
      }
      case 'playing':
        return 'Playing: find the exit (arrow keys or WASD)';
      case 'finished': {
        const seconds = ((state.finishedAt - state.startedAt) / 1000).toFixed(1);
        return `Finished: ${state.winnerName} reached the exit in ${seconds} s`;
      }
    }
  }

  #renderPlayers(state: LabyrinthState): void {
    const items: HTMLLIElement[] = [];
    for (const [clientId, player] of state.players) {
      const item = document.createElement('li');
      item.dataset.clientId = clientId;
      item.dataset.ready = String(player.ready);
      item.dataset.connected = String(player.connected);
      const character = player.characterName ? `, ${player.characterName} (${player.characterRole})` : '';
      const you = clientId === this.#identity.clientId ? ' (you)' : '';
      item.textContent = `${player.name}${you}: ${player.ready ? 'ready' : 'not ready'}${player.connected ? '' : ', disconnected'}${character}`;
      if (state.winner === clientId) item.textContent += ' — winner';
      items.push(item);
    }
    element('players').replaceChildren(...items);
    const watchers = [...state.spectators.values()].map((spectator) => spectator.name);
    element('spectators').textContent = watchers.length > 0 ? `Watching: ${watchers.join(', ')}` : '';
  }

  #renderControls(state: LabyrinthState, me: PlayerView | undefined): void {
    const inLobby = state.phase === 'lobby' || state.phase === 'countdown';
    const ready = element<HTMLButtonElement>('ready-button');
    ready.disabled = !me || !inLobby;
    ready.setAttribute('aria-pressed', String(me?.ready === true));
    ready.textContent = me?.ready ? 'Ready ✔ (click to cancel)' : 'I am ready';
    element<HTMLButtonElement>('new-round-button').hidden = state.phase !== 'finished' || !me;

    const select = element<HTMLSelectElement>('character-select');
    const taken = new Map([...state.players.values()].filter((p) => p.characterId).map((p) => [p.characterId, p.name]));
    const options = this.#characters.map((character) => {
      const option = document.createElement('option');
      option.value = character.id;
      const holder = taken.get(character.id);
      option.textContent = `${character.name} (${character.role ?? 'hero'})${holder ? `, taken by ${holder}` : ''}`;
      option.disabled = holder !== undefined && character.id !== me?.characterId;
      return option;
    });
    const chosen = select.value || me?.characterId || '';
    select.replaceChildren(...options);
    select.value = chosen;
    const fieldset = element<HTMLFieldSetElement>('character-fieldset');
    fieldset.hidden = !me; // spectators play no character
    fieldset.disabled = state.phase !== 'lobby';
  }

  #renderBoard(state: LabyrinthState): void {
    if (!this.#grid || this.#gridLabyrinthId !== state.labyrinthId) {
      // A new round brings a new maze: start a new grid.
      this.#grid = new MazeGrid(element('board'), state.size);
      this.#gridLabyrinthId = state.labyrinthId;
      element('move-feedback').textContent = '';
    }
    for (const tile of state.revealed.values()) this.#grid.drawTile(tile);
    this.#grid.highlight(state.startX, state.startY, 'start');
    const markers = [...state.players.values()]
      .filter(() => state.phase !== 'lobby' && state.phase !== 'countdown')
      .map((player) => ({
        x: player.x,
        y: player.y,
        label: player.name.slice(0, 1).toUpperCase(),
        title: `${player.name} at (${player.x}, ${player.y})`,
        mine: player.clientId === this.#identity.clientId,
      }));
    this.#grid.setMarkers(markers);
    element('board').setAttribute('aria-label', `Maze ${state.size} by ${state.size}: ${state.revealed.size} tiles revealed`);
  }

  #renderChat(state: LabyrinthState): void {
    const log = element('chat-log');
    const lines = [...state.chat];
    const lastShown = log.lastElementChild as HTMLElement | null;
    if (log.children.length === lines.length && lastShown?.dataset.at === String(lines.at(-1)?.at)) return;
    log.replaceChildren(
      ...lines.map((line) => {
        const item = document.createElement('li');
        item.dataset.at = String(line.at);
        item.textContent = `${line.name}: ${line.text}`;
        return item;
      }),
    );
    log.scrollTop = log.scrollHeight;
  }

  #openSidesAt(state: LabyrinthState, x: number, y: number): string {
    const tile = state.revealed.get(`${x},${y}`);
    return tile ? [...tile.openDirections].join(' ') : 'unknown';
  }
}

const leaveReasons: Record<number, string> = {
  [SESSION_DELETED_CLOSE_CODE]: 'The session was deleted',
  [SEAT_TAKEN_OVER_CLOSE_CODE]: 'Your seat was taken over by another tab or device',
};

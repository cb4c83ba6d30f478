import type { LabyrinthRoomMetadata } from '../../rooms/roomListing.ts';
import type { LABYRINTH_ROOM } from '../../rooms/LabyrinthRoom.ts';
import { counted } from './counted.ts';
import { connectToServer } from './labyrinthServer.ts';
import { showError } from './notices.ts';
import { element } from './pageElement.ts';
import { keyedRows } from './keyedRows.ts';
import { fillCells, offerReplay, sessionRow } from './rowButton.ts';
import type { SessionActions } from './sessionsPanel.ts';
import { shortId } from './shortId.ts';

/** One running room as Colyseus's LobbyRoom lists it, with the metadata the labyrinth room sets (rooms/roomListing.ts). */
type ListedRoom = { roomId: string; name: string; clients: number; metadata?: LabyrinthRoomMetadata };

/** Wait before joining the lobby again after losing it (a restart, a dropped socket). */
const LOBBY_RETRY_MS = 3000;
/** The lobby lists every room type; this list shows the labyrinth's. */
const LISTED_ROOM: typeof LABYRINTH_ROOM = 'labyrinth';

/**
 * "Open sessions": the public labyrinth rooms that run, kept live by the `lobby` room (Colyseus's
 * LobbyRoom: the whole list on joining, then `+` for a room added or changed and `-` for one gone).
 * Private sessions are never in it; sessions without a room are in the stored list (REST).
 */
export function setUpLiveSessions(actions: SessionActions): void {
  const client = connectToServer();
  const rows = document.querySelector<HTMLTableSectionElement>('#live-sessions tbody')!;
  const summary = element('live-summary');
  const rooms = new Map<string, ListedRoom>();
  const show = keyedRows(rows, { keyOf: (room: ListedRoom) => room.roomId, create: newRow, fill: (row, room) => fill(row, room.metadata!) });

  async function subscribe(): Promise<void> {
    try {
      // The lobby's own filter: only rooms of this name are sent at all.
      const lobby = await client.joinOrCreate('lobby', { filter: { name: LISTED_ROOM } });
      lobby.onMessage('rooms', (listed: ListedRoom[]) => {
        rooms.clear();
        for (const room of listed) rooms.set(room.roomId, room);
        render();
      });
      lobby.onMessage('+', ([roomId, room]: [string, ListedRoom]) => {
        rooms.set(roomId, room);
        render();
      });
      lobby.onMessage('-', (roomId: string) => {
        rooms.delete(roomId);
        render();
      });
      lobby.onLeave(() => {
        summary.textContent = 'The live list lost the server: reconnecting…';
        setTimeout(() => void subscribe(), LOBBY_RETRY_MS);
      });
    } catch (error) {
      summary.textContent = 'The live list could not reach the server: retrying…';
      showError(error, 'Live session list');
      setTimeout(() => void subscribe(), LOBBY_RETRY_MS);
    }
  }

  function render(): void {
    const listed = [...rooms.values()].filter((room) => room.metadata);
    show(listed);
    summary.textContent =
      listed.length === 0 ? 'No public session is running: quick play starts one.' : `${listed.length} running (live, ${new Date().toLocaleTimeString()})`;
  }

  function newRow(sessionId: string): HTMLTableRowElement {
    return sessionRow(sessionId, 4, actions);
  }

  function fill(row: HTMLTableRowElement, room: LabyrinthRoomMetadata): void {
    row.dataset.phase = room.phase;
    fillCells(row, [shortId(room.sessionId), `${room.size}×${room.size}, fog ${room.fog}`, room.phase, seatsText(room)]);
    row.cells[0]!.title = room.sessionId;
    offerReplay(row, room);
  }

  void subscribe();
}

/**
 * Seats taken of the seats there are, then who holds them when not everyone plays from here: bots
 * (which never hold a socket, so are never "away") and players whose socket dropped.
 */
function seatsText(room: LabyrinthRoomMetadata): string {
  const away = room.seated - room.players - room.bots;
  const who = [room.bots > 0 ? counted(room.bots, 'bot') : '', away > 0 ? `${away} away` : ''].filter(Boolean);
  return `${room.seated}/${room.maxPlayers}${who.length > 0 ? ` (${who.join(', ')})` : ''}${room.freeSeats === 0 ? ', full' : ''}`;
}

import { Room } from '@colyseus/core';
import type { ConnectionIdentity } from './labyrinthProtocol.ts';

/** A client in @colyseus/monitor's room inspection: its connection id and time in the room. */
type InspectedClient = { sessionId: string; elapsedTime: number };
type Inspection = { clients: InspectedClient[] } & Record<string, unknown>;

/**
 * @colyseus/monitor's inspection of `room` (its `getInspectData`, which the monitor installs on
 * Room.prototype and calls through `/monitor/api/room`), with each client's clientId, name and
 * role added beside the connection id the monitor lists alone.
 */
export async function inspectWithIdentities(room: Room, identities: Map<string, ConnectionIdentity | undefined>): Promise<Inspection> {
  const inspect = (Room.prototype as unknown as { getInspectData: (this: Room) => Promise<Inspection> }).getInspectData;
  const inspection = await inspect.call(room);
  return { ...inspection, clients: inspection.clients.map((client) => ({ ...client, ...identities.get(client.sessionId) })) };
}

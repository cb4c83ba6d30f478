import { Labyrinth } from './Labyrinth.ts';
import { Tile } from './Tile.ts';
import { GameSession } from './GameSession.ts';
import { Player } from './Player.ts';
import { ClientSeat } from './ClientSeat.ts';
import { GameEntity } from './GameEntity.ts';
import { Equipment } from './Equipment.ts';
import { Skill } from './Skill.ts';
import { Special } from './Special.ts';
import { ClientIdentity } from './ClientIdentity.ts';
import { ServerSecret } from './ServerSecret.ts';
import { SessionEvent } from './SessionEvent.ts';
import { ServerProcess } from './ServerProcess.ts';
import { PlayerBan } from './PlayerBan.ts';

/** Every entity, listed explicitly so the ORM needs no folder scanning (works from src/ and dist/). */
export const allEntities = [
  Labyrinth,
  Tile,
  GameSession,
  Player,
  ClientSeat,
  GameEntity,
  Equipment,
  Skill,
  Special,
  ClientIdentity,
  ServerSecret,
  SessionEvent,
  ServerProcess,
  PlayerBan,
];
export {
  Labyrinth,
  Tile,
  GameSession,
  Player,
  ClientSeat,
  GameEntity,
  Equipment,
  Skill,
  Special,
  ClientIdentity,
  ServerSecret,
  SessionEvent,
  ServerProcess,
  PlayerBan,
};

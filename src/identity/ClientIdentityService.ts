import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Database } from '../database/openDatabase.ts';
import { ClientIdentity, ServerSecret } from '../database/entities/index.ts';
import { ForbiddenError, InvalidInputError } from '../domainErrors.ts';
import { BOT_CLIENT_ID_PREFIX, isBot } from '../game/botSeats.ts';
import { CLIENT_ID_PATTERN, isSignedInClientId, SIGNED_IN_PREFIX } from './playerIds.ts';

export type ClientAuthMode = 'token' | 'trust';

/**
 * Proves that a guest may act as a clientId. The first caller of a clientId claims it and gets a
 * clientToken (an HMAC of the id, so any process sharing the key can check it without a lookup);
 * later callers must present that token. In `trust` mode anyone may act as anyone, as in the old
 * system, but tokens are still handed out so clients can migrate.
 */
export class ClientIdentityService {
  readonly #database: Database;
  readonly #mode: ClientAuthMode;
  readonly #key: Buffer;

  private constructor(database: Database, mode: ClientAuthMode, key: Buffer) {
    this.#database = database;
    this.#mode = mode;
    this.#key = key;
  }

  /** Uses the configured key, or the one stored in the database (generated on first start). */
  static async create(database: Database, mode: ClientAuthMode, configuredSecret: string | undefined): Promise<ClientIdentityService> {
    const secret = configuredSecret ?? (await storedSecret(database, 'client_token_key'));
    return new ClientIdentityService(database, mode, Buffer.from(secret, 'utf8'));
  }

  /** The token that proves `clientId`. */
  tokenFor(clientId: string): string {
    return createHmac('sha256', this.#key).update(clientId).digest('base64url');
  }

  /**
   * Checks that the caller may act as `clientId` and returns its token. A first-time clientId is
   * claimed here. Throws `ForbiddenError` for a wrong token, or a missing one for a claimed id.
   */
  async authenticate(clientId: string, presentedToken: string | undefined): Promise<{ clientToken: string }> {
    if (!CLIENT_ID_PATTERN.test(clientId)) {
      throw new InvalidInputError('invalid_client_id', 'clientId must be 1 to 128 letters, digits or _-.:@', 'clientId');
    }
    if (isBot(clientId)) {
      throw new InvalidInputError(
        'reserved_client_id',
        `clientIds starting with "${BOT_CLIENT_ID_PREFIX}" are reserved for the server's bots: choose another`,
        'clientId',
      );
    }
    if (isSignedInClientId(clientId)) {
      throw new InvalidInputError(
        'reserved_client_id',
        `clientIds starting with "${SIGNED_IN_PREFIX}" are signed-in players' (a token's subject): sign in with a token (client.auth.token), or choose another`,
        'clientId',
      );
    }
    const clientToken = this.tokenFor(clientId);
    if (this.#mode === 'trust') {
      return { clientToken };
    }
    if (presentedToken !== undefined) {
      if (!sameText(presentedToken, clientToken)) {
        throw new ForbiddenError('invalid_client_token', `The clientToken does not belong to clientId ${clientId}`, 'clientToken');
      }
      return { clientToken };
    }
    if (!(await this.#claim(clientId))) {
      throw new ForbiddenError('client_token_required', `clientId ${clientId} is already in use: present the clientToken it was given`, 'clientToken');
    }
    return { clientToken };
  }

  /** True when this call claimed the id; false when someone had already claimed it. */
  async #claim(clientId: string): Promise<boolean> {
    try {
      await this.#database.em.fork().insert(ClientIdentity, { clientId, createdAt: new Date() });
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return false;
      throw error;
    }
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Reads a named secret, creating it on first use; concurrent first starts agree on one value. */
async function storedSecret(database: Database, name: string): Promise<string> {
  const em = database.em.fork();
  const candidate = randomBytes(32).toString('base64url');
  await em
    .getConnection()
    .execute('insert into "server_secret" ("name", "value", "created_at") values (?, ?, ?) on conflict ("name") do nothing', [name, candidate, new Date()]);
  const stored = await em.findOneOrFail(ServerSecret, { name });
  return stored.value;
}

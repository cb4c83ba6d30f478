import { matchMaker, type RegisteredHandler } from '@colyseus/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A patch of a lobby-sized state takes microseconds; a slow one a few milliseconds. */
const PATCH_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
/** From a cached tile image to creating a 64×64 session. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export type HttpRequestLabels = { method: string; route: string; status: string };

/**
 * This process's metrics, served in Prometheus text format at `/metrics`. Every process has its own
 * registry and counts only itself (Prometheus scrapes each process and sums), alongside prom-client's
 * default process and Node.js metrics. Each server gets a fresh registry, so tests can boot the app
 * several times in one process.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #joins: Counter;
  /**
   * Messages in and out since the last scrape, added to their counters when scraped: they are
   * counted for every frame (each patch to each client), and prom-client's `inc()` allocates.
   */
  #messagesReceived = 0;
  #messagesSent = 0;
  readonly #patchSeconds: Histogram;
  readonly #httpSeconds: Histogram<keyof HttpRequestLabels>;
  readonly #closes: Counter<'code'>;
  readonly #refusedJoins: Counter<'reason'>;
  readonly #refusals: Counter<'code'>;
  readonly #adminAuthRefusals: Counter<'reason'>;
  readonly #tokenRefusals: Counter<'reason'>;
  readonly #takeovers: Counter<'how'>;
  readonly #fencedWrites: Counter;
  readonly #roomsStopped: Counter<'reason'>;

  /** `overloaded`: whether the process refuses new joins now (read when scraped). */
  constructor(overloaded: () => boolean = () => false) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Read from Colyseus's own per-process counters when scraped.
    new Gauge({
      name: 'labyrinth_rooms',
      help: 'Rooms running in this process',
      registers,
      collect() {
        this.set(matchMaker.stats.local.roomCount);
      },
    });
    new Gauge({
      name: 'labyrinth_clients',
      help: 'Clients connected to the rooms of this process',
      registers,
      collect() {
        this.set(matchMaker.stats.local.ccu);
      },
    });
    this.#joins = new Counter({
      name: 'labyrinth_joins_total',
      help: 'Clients that joined a room of this process (SDK reconnections not counted)',
      registers,
    });
    const received: Counter = new Counter({
      name: 'labyrinth_messages_received_total',
      help: 'WebSocket messages received from room clients (room messages, requests, pings)',
      registers,
      collect: () => {
        received.inc(this.#messagesReceived);
        this.#messagesReceived = 0;
      },
    });
    const sent: Counter = new Counter({
      name: 'labyrinth_messages_sent_total',
      help: 'WebSocket messages sent to room clients (state patches, room messages, replies)',
      registers,
      collect: () => {
        sent.inc(this.#messagesSent);
        this.#messagesSent = 0;
      },
    });
    this.#patchSeconds = new Histogram({
      name: 'labyrinth_patch_duration_seconds',
      help: 'Time to encode and send one state patch of one room (a patch follows each event-loop turn that changed the room, at most one per PATCH_MIN_INTERVAL_MS)',
      buckets: PATCH_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'labyrinth_overloaded',
      help: '1 while the event loop is too late and new joins are refused (see /ready), else 0',
      registers,
      collect() {
        this.set(overloaded() ? 1 : 0);
      },
    });
    this.#closes = new Counter({
      name: 'labyrinth_connections_closed_total',
      help: "Room connections the server closed, by close code (4002: Colyseus's error close: a flood cut off, an unreadable message, or a join refused after its socket opened, which labyrinth_joins_refused_total counts by reason; 4001: shutdown, 4409: seat taken over, ...)",
      labelNames: ['code'],
      registers,
    });
    this.#refusedJoins = new Counter({
      name: 'labyrinth_joins_refused_total',
      help: 'Joins refused before seating, by reason (invalid_options, session_full, client_in_other_session, overloaded, ...)',
      labelNames: ['reason'],
      registers,
    });
    this.#refusals = new Counter({
      name: 'labyrinth_refusals_total',
      help: 'Room messages refused (an error message sent, nothing changed), by code',
      labelNames: ['code'],
      registers,
    });
    this.#adminAuthRefusals = new Counter({
      name: 'labyrinth_admin_auth_refused_total',
      help: 'Admin (and /metrics) authentications refused, by reason: wrong_credentials (401), locked_out (429, too many wrong ones from the address)',
      labelNames: ['reason'],
      registers,
    });
    this.#tokenRefusals = new Counter({
      name: 'labyrinth_tokens_refused_total',
      help: "Players' bearer tokens refused, at joins and over HTTP, by reason (token_expired, token_invalid_signature, token_wrong_audience, token_keys_unavailable, ...)",
      labelNames: ['reason'],
      registers,
    });
    this.#takeovers = new Counter({
      name: 'labyrinth_session_takeovers_total',
      help: 'Sessions a room of this process took from another process that still named itself the owner, by how: expired (its lease ran out: it died, paused or lost the database), handed_over (it was cut off from Redis and let go when asked)',
      labelNames: ['how'],
      registers,
    });
    this.#fencedWrites = new Counter({
      name: 'labyrinth_writes_fenced_total',
      help: 'Batched writes of a room refused because another room owns its session now (one per session and flush); the room is then stopped',
      registers,
    });
    this.#roomsStopped = new Counter({
      name: 'labyrinth_rooms_superseded_total',
      help: 'Rooms of this process closed (clients told 4001, to join again) because they no longer own their session, by reason: superseded (another room took it), handed_over (this process, cut off from Redis, let it go when asked), lapsed (this process lease ran out by its own clock)',
      labelNames: ['reason'],
      registers,
    });
    this.#httpSeconds = new Histogram({
      name: 'labyrinth_http_request_duration_seconds',
      help: 'HTTP requests served by Express, by method, matched route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
  }

  /** Counts the joins of one room type, through the matchmaker's public `join` event. */
  countJoins(handler: RegisteredHandler): void {
    handler.on('join', () => this.#joins.inc());
  }

  messageReceived(): void {
    this.#messagesReceived += 1;
  }

  messageSent(): void {
    this.#messagesSent += 1;
  }

  connectionClosed(code: number): void {
    this.#closes.inc({ code: String(code) });
  }

  refused(code: string): void {
    this.#refusals.inc({ code });
  }

  joinRefused(reason: string): void {
    this.#refusedJoins.inc({ reason });
  }

  adminAuthRefused(reason: 'wrong_credentials' | 'locked_out'): void {
    this.#adminAuthRefusals.inc({ reason });
  }

  tokenRefused(reason: string): void {
    this.#tokenRefusals.inc({ reason });
  }

  sessionTakenOver(how: 'expired' | 'handed_over'): void {
    this.#takeovers.inc({ how });
  }

  writesFenced(): void {
    this.#fencedWrites.inc();
  }

  roomSuperseded(reason: 'superseded' | 'handed_over' | 'lapsed'): void {
    this.#roomsStopped.inc({ reason });
  }

  /** Starts timing one patch; call the result when it is sent. */
  startPatchTimer(): () => void {
    return this.#patchSeconds.startTimer();
  }

  observeHttpRequest(labels: HttpRequestLabels, seconds: number): void {
    this.#httpSeconds.observe(labels, seconds);
  }
}

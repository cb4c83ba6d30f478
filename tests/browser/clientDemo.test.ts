import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { WebSocket } from 'ws';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import type { LabyrinthRoom } from '../../rooms/LabyrinthRoom.ts';
import { tryMove } from '../../src/game/moveRules.ts';
import { DIRECTIONS } from '../../src/maze/directions.ts';
import { generateMaze, type Maze } from '../../src/maze/generateMaze.ts';
import { chromiumIsInstalled, CHROMIUM_PATH, launchChromium, StepShots } from '../support/browser.ts';
import { request } from '../support/httpClient.ts';
import { pathBetween } from '../support/pathBetween.ts';
import { bootTestServer, resetTestDatabase, TEST_ADMIN_PASSWORD, TEST_BASE_URL } from '../support/testServer.ts';

const KEY_OF_DIRECTION = { N: 'ArrowUp', E: 'ArrowRight', S: 'ArrowDown', W: 'ArrowLeft' } as const;

/** Each browser is a separate context: its own local storage, so its own clientId. */
type Player = { context: BrowserContext; page: Page };

describe('client demo in Chromium', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let shots: StepShots;

  before(async function () {
    if (!chromiumIsInstalled()) {
      // CI installs Chromium, so there a missing browser is a failure; elsewhere it is a skip.
      if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`);
      console.warn(`  Chromium not found at ${CHROMIUM_PATH}: skipping the browser tests (apt-get install -y chromium)`);
      this.skip();
    }
    // Bots that wait 10 s a step stay where a test sees them (all of them on the start cell at first).
    server = await bootTestServer({ COUNTDOWN_SECONDS: '0.2', MOVE_COOLDOWN_MS: '0', BOT_STEP_MS: '10000' });
    browser = await launchChromium();
  });

  beforeEach(async function () {
    await resetTestDatabase();
    shots = new StepShots(`client-demo/${this.currentTest!.title}`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      for (const [index, context] of contexts.entries()) {
        for (const page of context.pages()) await shots.take(page, `failure-browser-${index + 1}`).catch(() => {});
      }
      console.error(`  screenshots of the failed steps: ${shots.folder}`);
    }
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
    await server?.cleanup();
  });

  after(async () => {
    await browser?.close();
    await server?.shutdown();
    await closeAllDatabases();
  });

  /** A browser of its own on the demo; `touch`: a touch screen (taps, swipes), and below 600 px a phone's. */
  async function openDemo(viewport = { width: 1200, height: 1000 }, { touch = false } = {}): Promise<Player> {
    const context = await browser.newContext({ viewport, hasTouch: touch, isMobile: touch && viewport.width < 600 });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(TEST_BASE_URL);
    return { context, page };
  }

  async function createSession(size: number, seed?: string): Promise<string> {
    const created = await request('POST', '/api/sessions', { json: { size, seed } });
    assert.equal(created.status, 201);
    return created.body.id;
  }

  /** Types a name and clicks the session's Join (or Watch) button in a list, then waits to be connected. */
  async function join({ page }: Player, sessionId: string, name: string, how: 'Join' | 'Watch' = 'Join', list = storedRow): Promise<void> {
    await page.getByLabel('Your name').fill(name);
    await list(page, sessionId).getByRole('button', { name: how, exact: false }).first().click();
    await connected(page);
  }

  async function connected(page: Page): Promise<void> {
    await page.locator('#connection[data-state="connected"]').waitFor();
  }

  /** The session's row in the stored sessions (REST, loaded when the page opens). */
  function storedRow(page: Page, sessionId: string) {
    return page.locator(`#session-table tr[data-session-id="${sessionId}"]`);
  }

  /** The session's row in the live list (the lobby room's running public rooms). */
  function liveRow(page: Page, sessionId: string) {
    return page.locator(`#live-sessions tr[data-session-id="${sessionId}"]`);
  }

  /** The session the page is in, as the demo saved it (the room's id is the session id). */
  async function sessionOf(page: Page): Promise<string> {
    return page.evaluate(() => (JSON.parse(localStorage.getItem('labyrinth-demo') ?? '{}') as { sessionId: string }).sessionId);
  }

  /** Alice, in her own browser, seated and ready in a new session. */
  async function aliceReadyInANewSession(): Promise<{ sessionId: string; alice: Player }> {
    const sessionId = await createSession(4);
    const alice = await openDemo();
    await storedRow(alice.page, sessionId).waitFor();
    await join(alice, sessionId, 'Alice');
    await alice.page.getByRole('button', { name: 'I am ready' }).click();
    await alice.page.locator('#players li[data-ready="true"]').waitFor();
    return { sessionId, alice };
  }

  function playerItem(page: Page, name: string) {
    return page.locator('#players li', { hasText: name });
  }

  it('previews a maze: size² tile images, the seed used shown', async () => {
    const { page } = await openDemo();
    await shots.take(page, 'opened');
    await page.getByRole('region', { name: 'Maze preview' }).getByLabel('Size').fill('6');
    await page.getByRole('region', { name: 'Maze preview' }).getByLabel('Seed (optional)').fill('browser-seed');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#preview-maze img').length === 36);
    await shots.take(page, 'preview drawn');

    assert.match(await page.locator('#preview-seed').innerText(), /Seed used: browser-seed/);
    // The same tiles, in the same order, as the API gives for that seed, and every image loaded.
    const expected: Maze = (await request('POST', '/api/labyrinths/preview', { json: { size: 6, seed: 'browser-seed' } })).body;
    const drawn = await page
      .locator('#preview-maze img')
      .evaluateAll((images) =>
        (images as HTMLImageElement[]).map((image) => ({ src: new URL(image.src).pathname, loaded: image.complete && image.naturalWidth > 0 })),
      );
    assert.deepEqual(
      drawn.map((image) => image.src),
      expected.tiles.map((tile) => `/tiles/${tile.image}`),
    );
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('#preview-maze img')].every((image) => image.complete && image.naturalWidth > 0),
    );

    // Bad input is shown, not swallowed.
    await page
      .getByRole('region', { name: 'Maze preview' })
      .getByLabel('Size')
      .evaluate((input: HTMLInputElement) => {
        input.removeAttribute('max'); // past the browser's own check, to see the server's answer
        input.value = '65';
      });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.notice-error', { hasText: 'size' }).waitFor();
    await shots.take(page, 'error shown');
  });

  it('two browsers join one session and each sees the other ready up live', async () => {
    const alice = await openDemo();
    const bob = await openDemo();
    // Creating a session in the demo joins it.
    await alice.page.getByLabel('Your name').fill('Alice');
    await alice.page.getByRole('form', { name: 'New session' }).getByLabel('Size').fill('5');
    await alice.page.getByRole('button', { name: 'Create and join' }).click();
    await connected(alice.page);
    const sessionId = await sessionOf(alice.page);
    // Bob's live list shows it on its own.
    await liveRow(bob.page, sessionId).waitFor();
    await shots.take(bob.page, 'bob sees the new session');

    await join(bob, sessionId, 'Bob', 'Join', liveRow);
    await playerItem(alice.page, 'Bob').waitFor();
    await playerItem(bob.page, 'Alice').waitFor();
    assert.equal(await playerItem(bob.page, 'Alice').getAttribute('data-ready'), 'false');
    await shots.take(bob.page, 'both joined');

    await alice.page.getByRole('button', { name: 'I am ready' }).click();
    await bob.page.locator('#players li[data-ready="true"]', { hasText: 'Alice' }).waitFor();
    await shots.take(bob.page, 'bob sees alice ready');
    assert.equal(await playerItem(bob.page, 'Bob').getAttribute('data-ready'), 'false');
    assert.equal(await alice.page.getByRole('button', { name: /Ready/ }).getAttribute('aria-pressed'), 'true');

    // The live list shows the running room's players.
    await liveRow(alice.page, sessionId).filter({ hasText: '2/8' }).waitFor();

    // Leaving frees the seat for everyone.
    await bob.page.getByRole('button', { name: 'Leave session' }).click();
    await alice.page.waitForFunction(() => document.querySelectorAll('#players li').length === 1);
    await bob.page.locator('#connection[data-state="idle"]').waitFor();
    assert.equal(await bob.page.locator('#connection').getAttribute('data-state'), 'idle');
    await shots.take(alice.page, 'bob left');
  });

  it('a reload takes the same seat back, readiness kept', async () => {
    const sessionId = await createSession(4);
    const alice = await openDemo();
    const bob = await openDemo();
    await storedRow(alice.page, sessionId).waitFor();
    await join(alice, sessionId, 'Alice');
    await alice.page.getByRole('button', { name: 'I am ready' }).click();
    await alice.page.locator('#players li[data-ready="true"]').waitFor();
    const clientId = await alice.page.locator('#client-id').innerText();

    await alice.page.reload();
    await alice.page.locator('#connection[data-state="connected"]').waitFor();
    await playerItem(alice.page, 'Alice (you)').waitFor();
    await shots.take(alice.page, 'after reload');
    assert.equal(await alice.page.locator('#client-id').innerText(), clientId);
    assert.equal(await alice.page.locator('#players li').count(), 1);
    assert.equal(await playerItem(alice.page, 'Alice').getAttribute('data-ready'), 'true');

    // The server agrees: one seat, still Alice's, still ready.
    const clients = await request('GET', `/api/game_sessions/${sessionId}/clients`);
    assert.equal(clients.status, 200);
    assert.deepEqual(JSON.stringify(clients.body).match(new RegExp(clientId, 'g'))?.length, 1);
    await liveRow(bob.page, sessionId).filter({ hasText: '1/8' }).waitFor();
  });

  it('shows a dropped connection as reconnecting, then connected on the same seat; a deleted session as lost', async () => {
    const { sessionId, alice } = await aliceReadyInANewSession();
    await recordConnectionStates(alice.page);
    // The SDK only reconnects to a room it has held for reconnection.minUptime (5 s by default).
    await new Promise((resolve) => setTimeout(resolve, 5500));

    for (const client of server.getRoomById(sessionId).clients) (client.ref as unknown as WebSocket).terminate();
    assert.deepEqual(await connectionStatesUntilConnected(alice.page), ['reconnecting', 'connected']);
    assert.equal(await playerItem(alice.page, 'Alice').getAttribute('data-ready'), 'true');
    await shots.take(alice.page, 'reconnected');

    assert.equal((await request('DELETE', `/api/sessions/${sessionId}`, { admin: true })).status, 204);
    await alice.page.locator('#connection[data-state="lost"]', { hasText: 'session was deleted' }).waitFor();
    await shots.take(alice.page, 'session deleted');
    // The deleted session is forgotten: a reload does not try to join it again.
    await alice.page.reload();
    await alice.page.locator('#session-table caption', { hasText: '0 sessions' }).waitFor();
    assert.equal(await alice.page.locator('#connection').getAttribute('data-state'), 'idle');
  });

  it('tells a kicked or banned player why, frees the seat, and forgets the session', async () => {
    const { sessionId, alice } = await aliceReadyInANewSession();
    const clientId = await alice.page.locator('#client-id').innerText();
    assert.equal((await request('POST', `/api/sessions/${sessionId}/kick`, { json: { clientId, reason: 'idle too long' }, admin: true })).status, 204);
    await alice.page.locator('#connection[data-state="lost"]', { hasText: 'removed you from the session' }).waitFor();
    await alice.page.locator('#notices .notice-info', { hasText: 'Removed from the session by an admin: idle too long' }).waitFor();
    await shots.take(alice.page, 'kicked');
    // A kick is not a drop: the SDK does not come back to the seat, which stays free.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual((await request('GET', `/api/game_sessions/${sessionId}/clients`)).body.clients, []);

    await join(alice, sessionId, 'Alice');
    assert.equal((await request('POST', '/api/bans', { json: { clientId, reason: 'cheating' }, admin: true })).status, 201);
    await alice.page.locator('#connection[data-state="lost"]', { hasText: 'banned you' }).waitFor();
    await alice.page.locator('#notices .notice-info', { hasText: 'Banned by an admin: cheating' }).waitFor();
    await shots.take(alice.page, 'banned');
    // Forgotten: a reload does not try to join it again; joining by hand shows the refusal.
    await alice.page.reload();
    assert.equal(await alice.page.locator('#connection').getAttribute('data-state'), 'idle');
    await alice.page.getByLabel('Your name').fill('Alice');
    await storedRow(alice.page, sessionId).getByRole('button', { name: 'Join', exact: false }).first().click();
    await alice.page.locator('#notices .notice-error', { hasText: 'banned' }).waitFor();
    await shots.take(alice.page, 'refused when banned');
  });

  it('rejoins on its own after a server shutdown closed the room, seat and readiness kept', async () => {
    const { sessionId, alice } = await aliceReadyInANewSession();
    await recordConnectionStates(alice.page);

    // What a SIGTERM does to each room: close it with code 4001, keeping the seats in the database.
    server.getRoomById<LabyrinthRoom>(sessionId).onBeforeShutdown();
    assert.deepEqual(await connectionStatesUntilConnected(alice.page), ['reconnecting', 'connected']);
    await shots.take(alice.page, 'rejoined after shutdown');
    assert.equal(await alice.page.locator('#players li').count(), 1);
    assert.equal(await playerItem(alice.page, 'Alice (you)').getAttribute('data-ready'), 'true');
  });

  it('plays a round with the keyboard while a spectator watches, refused moves shown', async () => {
    const sessionId = await createSession(4, 'keyboard-round');
    const maze: Maze = (await request('POST', '/api/labyrinths/preview', { json: { size: 4, seed: 'keyboard-round' } })).body;
    const alice = await openDemo();
    const carol = await openDemo();
    await storedRow(alice.page, sessionId).waitFor();
    await join(alice, sessionId, 'Alice');
    await storedRow(carol.page, sessionId).waitFor();
    await join(carol, sessionId, 'Carol', 'Watch');
    await carol.page.locator('#role', { hasText: 'watching' }).waitFor();

    // The picker opens on its prompt; Pick without a choice says what to do.
    await alice.page.getByLabel('Play as').locator('option', { hasText: 'Mira' }).waitFor({ state: 'attached' });
    assert.equal(await alice.page.getByLabel('Play as').inputValue(), '');
    await alice.page.getByRole('button', { name: 'Pick' }).click();
    await alice.page.locator('#character-feedback', { hasText: 'Choose a character' }).waitFor();
    await alice.page.getByLabel('Play as').selectOption('hero_mira');
    await alice.page.getByRole('button', { name: 'Pick' }).click();
    await playerItem(carol.page, 'Mira').waitFor();
    await alice.page.getByRole('button', { name: 'I am ready' }).click();
    await alice.page.locator('#phase[data-phase="playing"]').waitFor();
    await shots.take(alice.page, 'playing');

    // Into a wall, if the start tile has a closed side: refused, and the page says why.
    const start = { x: maze.startX, y: maze.startY };
    const closed = DIRECTIONS.find((side) => !tryMove(maze, start, side).ok);
    if (closed) {
      await alice.page.keyboard.press(KEY_OF_DIRECTION[closed]);
      await alice.page.locator('#move-feedback', { hasText: /wall|off_grid/ }).waitFor();
      await shots.take(alice.page, 'move refused');
    }

    // Walk to the exit with the arrow keys, one confirmed step at a time.
    let cell = start;
    for (const direction of pathBetween(maze, start, maze.exit)) {
      await alice.page.keyboard.press(KEY_OF_DIRECTION[direction]);
      const move = tryMove(maze, cell, direction);
      assert.ok(move.ok);
      cell = move.to;
      await alice.page.locator(`#board .marker.mine[title$="(${cell.x}, ${cell.y})"]`).waitFor();
      // A step that succeeded clears the refusal before it: it is no longer news.
      assert.equal(await alice.page.locator('#move-feedback').innerText(), '');
      assert.doesNotMatch(await alice.page.locator('#position').innerText(), /unknown/);
    }
    await carol.page.locator(`#board .marker[title="Alice at (${maze.exit.x}, ${maze.exit.y})"]`).waitFor();
    await carol.page.locator('#phase[data-phase="finished"]', { hasText: 'Alice reached the exit' }).waitFor();
    await shots.take(carol.page, 'spectator sees the winner');
    assert.ok((await alice.page.locator('#board img').count()) >= 2, 'the tiles seen are drawn');

    await alice.page.getByLabel('Message').fill('gg');
    await alice.page.getByRole('button', { name: 'Send' }).click();
    await carol.page.locator('#chat-log li', { hasText: 'Alice: gg' }).waitFor();
    await shots.take(carol.page, 'chat');

    // The finished round, replayed from its published audit trail: step through it to the exit.
    const moves = pathBetween(maze, start, maze.exit).length;
    await liveRow(carol.page, sessionId)
      .getByRole('button', { name: `Replay the last finished round of session ${sessionId.slice(0, 8)}` })
      .click();
    const replay = carol.page.getByRole('region', { name: 'Replay' });
    await replay.locator('#replay-title', { hasText: `seed keyboard-round: ${moves} moves, won by Alice` }).waitFor();
    await replay.locator(`#replay-board .marker[title="Alice"]`).waitFor();
    assert.equal(await replay.locator('#replay-status').innerText(), `Step 0 of ${moves}, 0.0 s into the round`);
    await replay.getByRole('button', { name: 'Step forward' }).click();
    await replay.locator('#replay-status', { hasText: `Step 1 of ${moves}` }).waitFor();
    await replay.getByRole('button', { name: 'Play' }).click();
    await replay.locator('#replay-status', { hasText: 'Alice reached the exit' }).waitFor();
    const exitCell = replay.locator('#replay-board .cell').nth(maze.exit.y * maze.size + maze.exit.x);
    assert.equal(await exitCell.locator('.marker').count(), 1);
    await shots.take(carol.page, 'replay at the end');
  });

  it('deleting sessions asks for the admin password and tells a wrong one', async () => {
    const first = await createSession(4);
    await createSession(4);
    const { page } = await openDemo();
    await storedRow(page, first).waitFor();

    await page.getByRole('button', { name: `Delete session ${first.slice(0, 8)}` }).click();
    await page.getByRole('dialog').getByLabel('Password', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.notice-error', { hasText: 'HTTP 401' }).waitFor();
    // It says the password was wrong, and where the right one is.
    const refusal = await page.locator('.notice-error', { hasText: 'HTTP 401' }).innerText();
    assert.match(refusal, /admin password was wrong/);
    assert.match(refusal, /ADMIN_PASSWORD/);
    assert.match(refusal, /startup block of the server log/);
    assert.equal(await page.locator('#session-table tbody tr').count(), 2);
    await shots.take(page, 'wrong password');

    await page.getByRole('button', { name: `Delete session ${first.slice(0, 8)}` }).click();
    await page.getByRole('dialog').getByLabel('Password', { exact: true }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#session-table tbody tr').length === 1);

    await page.getByRole('button', { name: 'Delete all sessions' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click(); // the password typed last is offered again
    await page.waitForFunction(() => document.querySelectorAll('#session-table tbody tr').length === 0);
    await shots.take(page, 'all deleted');
    assert.equal((await request('GET', '/api/sessions')).body.total, 0);
  });

  it('quick play from two pages seats both in one session; the live list shows it without a reload and drops it when it closes', async () => {
    const alice = await openDemo();
    const bob = await openDemo();
    await bob.page.locator('#live-summary', { hasText: 'No public session is running' }).waitFor();

    await alice.page.getByLabel('Your name').fill('Alice');
    await alice.page.getByRole('form', { name: 'Quick play' }).getByLabel('Size').fill('5');
    await alice.page.getByRole('button', { name: 'Quick play' }).click();
    await connected(alice.page);
    const sessionId = await sessionOf(alice.page);
    // Bob never reloads: the lobby room tells his page.
    await liveRow(bob.page, sessionId).filter({ hasText: '1/8' }).waitFor();
    await shots.take(bob.page, 'bob sees the quick play room');

    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByRole('form', { name: 'Quick play' }).getByLabel('Size').fill('5');
    await bob.page.getByRole('button', { name: 'Quick play' }).click();
    await connected(bob.page);
    assert.equal(await sessionOf(bob.page), sessionId);
    await playerItem(alice.page, 'Bob').waitFor();
    await liveRow(alice.page, sessionId).filter({ hasText: '2/8' }).waitFor();
    assert.equal((await request('GET', '/api/sessions')).body.total, 1, 'one session for both');
    await shots.take(alice.page, 'both seated by quick play');

    // Both leave: the empty room is disposed, and the lists drop it on their own.
    await alice.page.getByRole('button', { name: 'Leave session' }).click();
    await bob.page.getByRole('button', { name: 'Leave session' }).click();
    await liveRow(alice.page, sessionId).waitFor({ state: 'detached' });
    await liveRow(bob.page, sessionId).waitFor({ state: 'detached' });
    await shots.take(bob.page, 'room gone from the live list');
  });

  it('creates a private session, shows its code, and joins it by code; a wrong code shows the server’s answer', async () => {
    const alice = await openDemo();
    const bob = await openDemo();
    await alice.page.getByLabel('Your name').fill('Alice');
    await alice.page.getByRole('form', { name: 'New session' }).getByLabel('Seats').fill('3');
    await alice.page.getByLabel('With bots').fill('1');
    await alice.page.getByLabel('Who finds it').selectOption('private');
    await alice.page.getByRole('button', { name: 'Create and join' }).click();
    await connected(alice.page);
    const sessionId = await sessionOf(alice.page);
    const session = (await request('GET', `/api/sessions/${sessionId}`)).body;
    assert.equal(session.maxPlayers, 3);
    assert.match(session.code, /^[2-9A-Z]{6}$/);
    await alice.page.locator('#invite', { hasText: `share the join code ${session.code}` }).waitFor();
    // The bot is a seat of its own, shown as one.
    await alice.page.locator('#players li[data-bot="true"]', { hasText: '(bot)' }).waitFor();
    await shots.take(alice.page, 'private session with its code');

    // Never in the live list: the lobby lists public rooms only.
    await bob.page.locator('#live-summary', { hasText: 'No public session is running' }).waitFor();
    assert.equal(await liveRow(bob.page, sessionId).count(), 0);

    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByRole('textbox', { name: 'Join code' }).fill('ZZZZZZ');
    await bob.page.getByRole('button', { name: 'Join by code' }).click();
    await bob.page.locator('.notice-error', { hasText: '404' }).waitFor();
    assert.equal(await bob.page.locator('#connection').getAttribute('data-state'), 'idle');
    await bob.page.getByRole('textbox', { name: 'Join code' }).fill('nope');
    await bob.page.getByRole('button', { name: 'Join by code' }).click();
    await bob.page.locator('.notice-error', { hasText: 'join code' }).filter({ hasText: '400' }).waitFor();
    await shots.take(bob.page, 'wrong codes explained');

    await bob.page.getByRole('textbox', { name: 'Join code' }).fill(session.code.toLowerCase());
    await bob.page.getByRole('button', { name: 'Join by code' }).click();
    await connected(bob.page);
    assert.equal(await sessionOf(bob.page), sessionId);
    await playerItem(alice.page, 'Bob').waitFor();
    await shots.take(bob.page, 'bob joined by code');
  });

  it('fits a 390 px phone without sideways scrolling and shows every row button at 1280 px', async () => {
    const sessionId = await createSession(4);
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const player = await openDemo(viewport);
      await storedRow(player.page, sessionId).waitFor();
      await join(player, sessionId, `Ann ${viewport.width}`);
      await liveRow(player.page, sessionId).waitFor();
      await shots.take(player.page, `in a session at ${viewport.width} px`);

      const scrollWidth = await player.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= viewport.width, `the page is ${scrollWidth} px wide at ${viewport.width} px`);
      for (const row of [storedRow(player.page, sessionId), liveRow(player.page, sessionId)]) {
        // The last button lies wholly inside its table's box and the window: nothing clipped, no scrolling needed.
        const clipped = await row
          .locator('button')
          .last()
          .evaluate((button) => {
            const box = button.getBoundingClientRect();
            const scroller = button.closest('.table-scroll')!;
            const frame = scroller.getBoundingClientRect();
            return {
              right: box.right,
              frameRight: frame.right,
              window: document.documentElement.clientWidth,
              scrolls: scroller.scrollWidth > scroller.clientWidth,
            };
          });
        assert.ok(clipped.right <= clipped.frameRight && clipped.right <= clipped.window && !clipped.scrolls, JSON.stringify(clipped));
      }
      await player.page.getByRole('button', { name: 'Leave session' }).click();
      await player.context.close();
    }
  });

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
  ]) {
    it(`plays a round to the exit by touch at ${viewport.width}×${viewport.height}: the game in view from joining to the replay, nothing wider than the window`, async () => {
      const player = await openDemo(viewport, { touch: true });
      const { page } = player;
      await page.getByLabel('Your name').fill('Tess');
      // A join that fails leaves its notice until a join works.
      await page.getByRole('textbox', { name: 'Join code' }).fill('ZZZZZZ');
      await page.getByRole('button', { name: 'Join by code' }).tap();
      await page.locator('.notice-error', { hasText: 'code_not_found' }).waitFor();
      await assertInWindow(page, ['.notice-error']);
      await page.getByRole('form', { name: 'Quick play' }).getByLabel('Size').fill('5');
      await page.getByRole('button', { name: 'Quick play' }).tap();
      await connected(page);
      assert.equal(await page.locator('.notice-error').count(), 0, 'the failed join’s notice stayed');
      const sessionId = await sessionOf(page);
      await assertInWindow(page, ['#game-heading', '#board', '#ready-button']);
      await shots.take(page, 'quick play: the game in view', { window: true });
      // No round has finished: nothing to replay, from the game or the lists.
      await liveRow(page, sessionId).waitFor();
      assert.equal(await page.getByRole('button', { name: /Replay/ }).count(), 0);

      const { seed, size } = (await request('GET', `/api/sessions/${sessionId}`, { admin: true })).body as { seed: string; size: number };
      const maze = generateMaze(size, seed);
      await page.getByRole('button', { name: 'I am ready' }).tap();
      await page.locator('#phase[data-phase="playing"]').waitFor();
      await page.locator('#board .marker.mine').waitFor();
      await assertInWindow(page, ['#board', '#move-pad']);
      assert.match(await page.locator('#phase').innerText(), /arrow buttons, a swipe on the maze/);
      await shots.take(page, 'playing: the maze and the pad in view', { window: true });

      // The first step a swipe across the maze, the others taps on the pad, each waited for.
      let cell = { x: maze.startX, y: maze.startY };
      for (const [index, direction] of pathBetween(maze, cell, maze.exit).entries()) {
        if (index === 0) await swipe(page, '#board', direction);
        else await page.getByRole('button', { name: DIRECTION_NAMES[direction], exact: true }).tap();
        const move = tryMove(maze, cell, direction);
        assert.ok(move.ok);
        cell = move.to;
        await page.locator(`#board .marker.mine[title$="(${cell.x}, ${cell.y})"]`).waitFor();
        await assertInWindow(page, ['#board', '#move-pad']);
      }
      await page.locator('#phase[data-phase="finished"]', { hasText: 'Tess reached the exit' }).waitFor();
      await assertFitsWidth(page, viewport.width);
      await shots.take(page, 'the exit reached by touch', { window: true });

      // The round is over: it replays from the game panel, where the player is looking.
      await liveRow(page, sessionId)
        .getByRole('button', { name: /Replay/ })
        .waitFor();
      await page.getByRole('button', { name: 'Replay the last round' }).tap();
      await page.locator('#replay-title', { hasText: 'won by Tess' }).waitFor();
      await assertInWindow(page, ['#replay-heading', '#replay-title']);
      await assertFitsWidth(page, viewport.width);
      await shots.take(page, 'the replay in view', { window: true });
      await page.getByRole('button', { name: 'Close' }).tap();
      await assertInWindow(page, ['#game-heading']);

      // Joining from the bottom of the page brings the game up too.
      await page.getByRole('button', { name: 'Leave session' }).tap();
      await page.locator('#connection[data-state="idle"]').waitFor();
      await page.getByRole('button', { name: 'Refresh' }).tap();
      const row = storedRow(page, sessionId);
      await row.scrollIntoViewIfNeeded();
      await row.getByRole('button', { name: 'Watch' }).tap();
      await connected(page);
      await assertInWindow(page, ['#game-heading', '#board']);
      await assertFitsWidth(page, viewport.width);
      assert.equal(await page.locator('#move-pad').isVisible(), false, 'a spectator has no move pad');
      await shots.take(page, 'watching, joined from the stored list', { window: true });
    });
  }

  it('draws bots as numbered squares, shares a cell among its tokens, never counts bots away, and names them in the replay', async () => {
    const { page } = await openDemo();
    await page.getByLabel('Your name').fill('Ann');
    await page.getByRole('form', { name: 'New session' }).getByLabel('Size').fill('4');
    await page.getByRole('form', { name: 'New session' }).getByLabel('Seats').fill('4');
    await page.getByLabel('With bots').fill('3');
    await page.getByRole('button', { name: 'Create and join' }).click();
    await connected(page);
    const sessionId = await sessionOf(page);
    // Four seats, three of them bots: full, nobody away.
    await liveRow(page, sessionId).filter({ hasText: '4/4 (3 bots), full' }).waitFor();
    assert.doesNotMatch(await liveRow(page, sessionId).innerText(), /away/);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await storedRow(page, sessionId).filter({ hasText: '4/4 (1 connected, 3 bots)' }).waitFor();

    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.locator('#phase[data-phase="playing"]').waitFor();
    // Everyone starts on one cell: four tokens side by side, the bots numbered squares.
    const { seed } = (await request('GET', `/api/sessions/${sessionId}`, { admin: true })).body as { seed: string };
    const maze = generateMaze(4, seed);
    const startCell = page.locator('#board .cell').nth(maze.startY * 4 + maze.startX);
    await startCell.locator('.marker').nth(3).waitFor();
    assert.deepEqual(await startCell.locator('.marker.bot').allInnerTexts(), ['1', '2', '3']);
    assert.equal(await startCell.locator('.marker.mine').innerText(), 'A');
    assertSideBySide(await startCell.locator('.marker').evaluateAll(boxesOf));
    assert.deepEqual(await page.locator('#players li[data-bot="true"] .marker.bot').allInnerTexts(), ['1', '2', '3'], 'the player list shows each bot’s token');
    await shots.take(page, 'four tokens on the start cell');

    let cell = { x: maze.startX, y: maze.startY };
    for (const direction of pathBetween(maze, cell, maze.exit)) {
      await page.keyboard.press(KEY_OF_DIRECTION[direction]);
      const move = tryMove(maze, cell, direction);
      assert.ok(move.ok);
      cell = move.to;
      await page.locator(`#board .marker.mine[title$="(${cell.x}, ${cell.y})"]`).waitFor();
    }
    await page.locator('#phase[data-phase="finished"]').waitFor();

    // The replay names the bots as the game does, and draws them alike.
    await page.getByRole('button', { name: 'Replay the last round' }).click();
    await page.locator('#replay-title', { hasText: 'won by Ann' }).waitFor();
    await page.getByRole('button', { name: 'First step' }).click();
    const replayStart = page.locator('#replay-board .cell').nth(maze.startY * 4 + maze.startX);
    const titles = await replayStart.locator('.marker').evaluateAll((tokens) => tokens.map((token) => (token as HTMLElement).title));
    assert.deepEqual(titles.sort(), ['Ann', 'Bot 1', 'Bot 2', 'Bot 3']);
    assert.deepEqual(await replayStart.locator('.marker.bot').allInnerTexts(), ['1', '2', '3']);
    assertSideBySide(await replayStart.locator('.marker').evaluateAll(boxesOf));
    await shots.take(page, 'the replay names the bots');
  });
});

const DIRECTION_NAMES = { N: 'North', E: 'East', S: 'South', W: 'West' } as const;

type Box = { left: number; top: number; right: number; bottom: number };

/** Each element's box on the page (for evaluateAll). */
function boxesOf(elements: Element[]): Box[] {
  return elements.map((element) => {
    const { left, top, right, bottom } = element.getBoundingClientRect();
    return { left, top, right, bottom };
  });
}

/** Tokens on one cell are readable: each has a size, and none covers another. */
function assertSideBySide(boxes: Box[]): void {
  for (const [index, box] of boxes.entries()) {
    assert.ok(box.right - box.left >= 4 && box.bottom - box.top >= 4, `token ${index} is ${JSON.stringify(box)}`);
    for (const other of boxes.slice(index + 1)) {
      const overlap = Math.min(box.right, other.right) > Math.max(box.left, other.left) && Math.min(box.bottom, other.bottom) > Math.max(box.top, other.top);
      assert.ok(!overlap, `tokens overlap: ${JSON.stringify([box, other])}`);
    }
  }
}

/** Every element of `selectors` lies wholly inside the window as the page is scrolled now. */
async function assertInWindow(page: Page, selectors: string[]): Promise<void> {
  for (const selector of selectors) {
    const place = await page.locator(selector).evaluate((element) => {
      const box = element.getBoundingClientRect();
      return { top: box.top, bottom: box.bottom, left: box.left, right: box.right, width: innerWidth, height: innerHeight };
    });
    const inside = place.top >= 0 && place.left >= 0 && place.bottom <= place.height && place.right <= place.width && place.bottom > place.top;
    assert.ok(inside, `${selector} is not wholly in the window: ${JSON.stringify(place)}`);
  }
}

/** The page is no wider than the window: nothing to scroll sideways. */
async function assertFitsWidth(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth} px wide at ${width} px`);
}

/** A finger's swipe across the middle of `selector`, a third of its size towards `direction` (Chromium's touch input, through CDP). */
async function swipe(page: Page, selector: string, direction: keyof typeof DIRECTION_NAMES): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const reach = Math.min(box.width, box.height) / 3;
  const [dx, dy] = { N: [0, -reach], E: [reach, 0], S: [0, reach], W: [-reach, 0] }[direction];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
  // A flick, lifted while moving: the board must keep it from starting a fling, during which the
  // next tap on the pad would only stop the fling, and not click (see client-demo/src/swipe.ts).
  for (const share of [0.25, 0.5, 0.75, 1]) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from.x + dx! * share, y: from.y + dy! * share }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** Records every state the header shows, in order, in `window.connectionStates`: some last only milliseconds. */
async function recordConnectionStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const header = document.getElementById('connection')!;
    const seen: string[] = ((window as unknown as { connectionStates: string[] }).connectionStates = []);
    new MutationObserver(() => seen.push(header.dataset.state!)).observe(header, { attributes: true, attributeFilter: ['data-state'] });
  });
}

/** Waits until the header says connected again, and returns the states it showed since recording began. */
async function connectionStatesUntilConnected(page: Page): Promise<string[]> {
  await page.waitForFunction(() => (window as unknown as { connectionStates: string[] }).connectionStates.at(-1) === 'connected');
  return page.evaluate(() => (window as unknown as { connectionStates: string[] }).connectionStates);
}

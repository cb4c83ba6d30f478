import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { chromiumIsInstalled, CHROMIUM_PATH, launchChromium } from '../support/browser.ts';
import { request } from '../support/httpClient.ts';
import { bootTestServer, leaveOpenRooms, resetTestDatabase, TEST_ADMIN_PASSWORD, TEST_BASE_URL } from '../support/testServer.ts';
import { labyrinthClient, type LabyrinthRoom } from '../support/labyrinthClient.ts';

// Each page the server serves works under its Content-Security-Policy (src/http/edge/securityHeaders.ts)
// in Chromium, with no violation: none reported in the console, no `securitypolicyviolation` event.

/** What a page reported about the policy, in the order it came. */
type PolicyReports = { console: string[]; violations: string[]; errors: string[] };

describe('pages under the security headers, in Chromium', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const rooms: LabyrinthRoom[] = [];

  before(async function () {
    if (!chromiumIsInstalled()) {
      if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`);
      console.warn(`  Chromium not found at ${CHROMIUM_PATH}: skipping the browser tests (apt-get install -y chromium)`);
      this.skip();
    }
    // Development: the playground is served.
    server = await bootTestServer({ NODE_ENV: 'development' });
    browser = await launchChromium();
  });
  beforeEach(async () => {
    await resetTestDatabase();
  });
  afterEach(async () => {
    await leaveOpenRooms(rooms);
    await context?.close();
    context = undefined;
  });
  after(async () => {
    await browser?.close();
    await server?.shutdown();
    await closeAllDatabases();
  });

  /** Opens `path` in a fresh context (with the admin's credentials when asked), recording what it reports. */
  async function open(path: string, admin = false): Promise<{ page: Page; reports: PolicyReports }> {
    context = await browser.newContext(admin ? { httpCredentials: { username: 'admin', password: TEST_ADMIN_PASSWORD } } : {});
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const reports: PolicyReports = { console: [], violations: [], errors: [] };
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) reports.console.push(message.text());
    });
    page.on('pageerror', (error) => reports.errors.push(error.message));
    await page.exposeFunction('reportViolation', (text: string) => reports.violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });
    const response = await page.goto(`${TEST_BASE_URL}${path}`);
    assert.ok(response?.headers()['content-security-policy'], `${path} has no Content-Security-Policy`);
    return { page, reports };
  }

  /** Lets late reports (styles, fonts, sockets) arrive, then expects none. */
  async function assertNoViolation(page: Page, reports: PolicyReports): Promise<void> {
    await page.waitForTimeout(500);
    assert.deepEqual(reports, { console: [], violations: [], errors: [] });
  }

  async function sessionWithAPlayer(): Promise<string> {
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id as string;
    rooms.push(await labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId, clientId: 'csp-watcher', name: 'Watcher' }));
    return sessionId;
  }

  it('the demo joins a session over its WebSocket', async () => {
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id as string;
    const { page, reports } = await open('/');
    await page.getByLabel('Your name').fill('Alice');
    await page.locator(`tr[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Join', exact: false }).first().click();
    await page.locator('#connection[data-state="connected"]').waitFor();
    await page.locator('#players li', { hasText: 'Alice' }).waitFor();
    await page.getByRole('button', { name: 'Leave session' }).click();
    await assertNoViolation(page, reports);
  });

  it('/docs shows the operations', async () => {
    const { page, reports } = await open('/docs/');
    await page.locator('.opblock-summary-path', { hasText: '/api/sessions' }).first().waitFor();
    assert.ok((await page.locator('.opblock').count()) > 10);
    await assertNoViolation(page, reports);
  });

  it('/monitor lists the rooms', async () => {
    const sessionId = await sessionWithAPlayer();
    const { page, reports } = await open('/monitor/', true);
    await page.getByText(sessionId).first().waitFor();
    await assertNoViolation(page, reports);
  });

  it('/playground (development) lists the room types', async () => {
    await sessionWithAPlayer();
    const { page, reports } = await open('/playground', true);
    await page.locator('option[value="labyrinth"]').first().waitFor({ state: 'attached' });
    await assertNoViolation(page, reports);
  });
});

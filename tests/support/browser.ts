import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/projectRoot.ts';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests leave their screenshots (ignored by git). */
export const ARTIFACTS_DIR = join(projectRoot, 'tests', 'artifacts');

/**
 * Headless Chromium as root in a sandboxless container. The background-networking flags stop
 * Chromium from calling Google's services, which this network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Screenshots of each step of one test, numbered in order, in tests/artifacts/<folder>. The folder
 * is emptied when the test starts, so what is there after a failing run is that run's story.
 */
export class StepShots {
  readonly folder: string;
  #count = 0;

  constructor(folder: string) {
    this.folder = join(ARTIFACTS_DIR, folder);
    rmSync(this.folder, { recursive: true, force: true });
    mkdirSync(this.folder, { recursive: true });
  }

  /** The whole page, or with `window` only what the window shows (what a player sees without scrolling). */
  async take(page: Page, step: string, { window = false } = {}): Promise<void> {
    this.#count += 1;
    const name = `${String(this.#count).padStart(2, '0')}-${step.replace(/[^a-z0-9]+/gi, '-')}.png`;
    await page.screenshot({ path: join(this.folder, name), fullPage: !window });
  }
}

export function chromiumIsInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

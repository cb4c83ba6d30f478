import { chromiumIsInstalled, launchChromium } from '../../tests/support/browser.ts';

/** Renders an SVG document to a PNG file with headless Chromium; false when no Chromium is installed. */
export async function svgToPng(svg: string, pngPath: string): Promise<boolean> {
  if (!chromiumIsInstalled()) return false;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent(`<body style="margin:0">${svg}</body>`);
    await page.locator('svg').screenshot({ path: pngPath });
    return true;
  } finally {
    await browser.close();
  }
}

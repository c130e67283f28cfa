// Opens a Plotly report in Debian's headless Chromium, checks that the chart rendered and, if asked,
// saves a PNG of it. Used by KvPerf (results/quorum-latency.png) and by its report test, so the
// picture in the README and the test's verdict come from the same path.
//
//   node perf/render.mjs <report.html> [<out.png>] [--width 1200] [--height 800]
//
// Prints one JSON line: {"pageErrors": [...], "consoleErrors": [...], "mainSvgCount": n,
// "renderedTraceCount": n, "dataTraceCount": n}. Exits 0 when the page raised no script error and
// a .main-svg appeared, 1 when it did not, 2 when Chromium could not be driven at all.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  args.splice(i, 2);
  return value;
};
const width = option('--width', 1200);
const height = option('--height', 800);
const [htmlPath, pngPath] = args;
if (!htmlPath) {
  console.error('usage: node render.mjs <report.html> [<out.png>] [--width N] [--height N]');
  process.exit(2);
}

// Flags that work as root in a container with no GPU and no network but the registries'.
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'kvperf-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: chromiumArgs, viewport: { width, height },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors = [];
  const consoleErrors = [];
  let scriptFailed;
  const scriptError = new Promise((resolve) => { scriptFailed = resolve; });
  page.on('pageerror', (error) => { pageErrors.push(String(error)); scriptFailed(); });
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });

  await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load', timeout: 30000 });
  // Plotly draws asynchronously after load; .main-svg is its root SVG once a figure is drawn.
  // A script error ends the wait at once: that page has already failed the check.
  await Promise.race([
    page.waitForSelector('.main-svg', { state: 'attached', timeout: 15000 }).catch(() => {}),
    scriptError,
  ]);
  // Let Plotly finish the drawing it started in the same task (traces after the root SVG).
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
  const counts = await page.evaluate(() => {
    const plot = document.querySelector('.js-plotly-plot');
    return {
      mainSvgCount: document.querySelectorAll('.main-svg').length,
      renderedTraceCount: document.querySelectorAll('.main-svg g.trace').length,
      dataTraceCount: plot && Array.isArray(plot.data) ? plot.data.length : 0,
    };
  });
  if (pngPath) {
    await page.screenshot({ path: resolve(pngPath), fullPage: false });
  }
  const result = { pageErrors, consoleErrors, ...counts };
  console.log(JSON.stringify(result));
  process.exitCode = pageErrors.length === 0 && counts.mainSvgCount > 0 ? 0 : 1;
} catch (error) {
  console.error(`render.mjs: could not drive ${executablePath}: ${error.message}`);
  process.exitCode = 2;
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}

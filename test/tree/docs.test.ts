// The docs site over a whole tree, in a real browser: `generate --tree --skip-failing` writes OUT/docs/, one page
// that lists every package written and one search across all of them, whose hits open the packages' own pages
// (from file://, as a user opens it from disk). Over every header of the tree, so `npm run test:tree` only
// (UAPI_TS_TREE_ALL=1), and only where Debian's chromium is installed (test/docs/site.test.ts installs it).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTree } from './tree.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const CHROMIUM = process.env.UAPI_TS_CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test/.out/tree-docs');
const tree = findTree();
const all = process.env.UAPI_TS_TREE_ALL === '1';

describe.runIf(tree !== null && all && existsSync(CHROMIUM))('the docs site over every package of a tree', () => {
  let browser: Browser;
  let generated: string[] = [];

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', 'generate', '--tree', tree!.root, '--out', OUT, '--system-includes', '--skip-failing', '--quiet'], {
      cwd: ROOT, encoding: 'utf8', timeout: 900_000,
    });
    expect(r.status, r.stderr).toBe(0);
    generated = readdirSync(OUT).filter((d) => d !== 'docs' && existsSync(join(OUT, d, 'docs', 'index.html')));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('lists every package written, and one search finds ioctls of different packages and opens their pages', async () => {
    expect(generated.length).toBeGreaterThan(100);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(pathToFileURL(join(OUT, 'docs', 'index.html')).href, { waitUntil: 'load' });
    const hrefs = await page.locator('table.index a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect([...hrefs].sort()).toEqual(generated.map((d) => `../${d}/docs/index.html`).sort());
    const hits = async (query: string): Promise<(string | null)[]> => {
      await page.fill('#search', query);
      return page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    };
    // Two ioctls the header's own text defines, in two packages: an enumerator's (gpib_ioctl.h) and a #define's.
    if (generated.includes('gpib_ioctl')) expect(await hits('IBRD')).toContain('../gpib_ioctl/docs/ioctl-ibrd.html');
    if (generated.includes('ptp_clock')) expect(await hits('PTP_SYS_OFFSET_EXTENDED')).toContain('../ptp_clock/docs/ioctl-ptp_sys_offset_extended.html');
    expect(await hits('FS_IOC_GETFLAGS')).toContain('../fs/docs/ioctl-fs_ioc_getflags.html');
    await page.fill('#search', 'FS_IOC_GETFLAGS');
    await page.press('#search', 'Enter');
    await page.waitForURL(/\/fs\/docs\/ioctl-fs_ioc_getflags\.html$/);
    expect(await page.locator('h1').textContent()).toContain('FS_IOC_GETFLAGS');
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);
});

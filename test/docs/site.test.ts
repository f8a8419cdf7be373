// The generated documentation sites in a real browser: Debian's chromium driven by playwright-core (no browser
// is downloaded). Every page loads without console errors or failed requests, every internal link and anchor
// resolves, the search finds ioctls, the site works from file://, and a screenshot is written to test/.out/docs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
// @ts-expect-error: a plain JS module (the docs:serve script)
import { serveDocs } from './serve.js';

const CHROMIUM = process.env.UAPI_TS_CHROMIUM ?? '/usr/bin/chromium';
const SITES = { 'iommufd-v7.3': 'generated/iommufd-v7.3/docs', 'iommufd-v6.6-rc1': 'generated/iommufd-v6.6-rc1/docs' };
const OUT = 'test/.out/docs';

function findChromium(): string | null {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  try {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'ignore', timeout: 600_000 });
  } catch {
    return null;
  }
  return existsSync(CHROMIUM) ? CHROMIUM : null;
}

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(`docs browser tests skipped: ${CHROMIUM} not found and \`apt-get install chromium\` failed`);

describe.skipIf(!chromiumPath)('documentation site', () => {
  let browser: Browser;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    ({ server, url: base } = await serveDocs(SITES));
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  });

  /** Opens a page, collecting console errors, page errors and failed or non-2xx requests. */
  async function open(url: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems };
  }

  describe.each(Object.entries(SITES))('%s', (mount, dir) => {
    const pages = readdirSync(dir).filter((f) => f.endsWith('.html')).sort();

    it('has an index, the reference pages and one page per ioctl', () => {
      expect(pages).toEqual(expect.arrayContaining(['index.html', 'structs.html', 'enums.html', 'sections.html', 'ioctl-iommu_ioas_map.html']));
    });

    it('every page loads without errors and every internal link and anchor resolves', async () => {
      const ids = new Map<string, Set<string>>();
      const links: { from: string; href: string }[] = [];
      for (const file of pages) {
        const { page, problems } = await open(`${base}/${mount}/${file}`);
        expect(problems, file).toEqual([]);
        const found = await page.evaluate(() => ({
          ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
          hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!),
        }));
        expect(new Set(found.ids).size, `${file}: duplicate ids`).toBe(found.ids.length);
        ids.set(file, new Set(found.ids));
        for (const href of found.hrefs) links.push({ from: file, href });
        await page.close();
      }
      // Links to a sibling package's pages (profile `related`) land on a page of its generated docs.
      const siblings = links.filter((l) => l.href.startsWith('../../'));
      for (const l of siblings) expect(existsSync(join(dir, l.href.split('#')[0]!)), `${l.from}: ${l.href}`).toBe(true);
      if (mount === 'iommufd-v7.3') expect(siblings.map((l) => l.href)).toContain('../../vfio/docs/ioctl-vfio_device_bind_iommufd.html');
      const internal = links.filter((l) => !/^[a-z]+:/.test(l.href) && !l.href.startsWith('../../'));
      expect(internal.length).toBeGreaterThan(50);
      const broken = internal.filter(({ from, href }) => {
        const [path, anchor] = href.split('#');
        const target = path === '' ? from : path!;
        const targetIds = ids.get(target);
        if (!targetIds) return true;
        return anchor !== undefined && !targetIds.has(decodeURIComponent(anchor));
      });
      expect(broken).toEqual([]);
      // External links go only to docs.kernel.org.
      for (const l of links.filter((x) => /^[a-z]+:/.test(x.href))) expect(l.href, l.from).toMatch(/^https:\/\/docs\.kernel\.org\//);
    }, 240_000); // one browser page per file: slow on a loaded machine

    it('the search finds IOMMU_IOAS_MAP by name and by a word of its description', async () => {
      const { page, problems } = await open(`${base}/${mount}/index.html`);
      for (const query of ['IOMMU_IOAS_MAP', 'ioas_map', 'pointer']) {
        await page.fill('#search', query);
        const results = await page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(results, query).toContain('ioctl-iommu_ioas_map.html');
      }
      await page.fill('#search', 'IOMMU_IOAS_MAP');
      await page.press('#search', 'Enter');
      await page.waitForURL(/ioctl-iommu_ioas_map\.html$/);
      expect(await page.locator('h1').textContent()).toContain('IOMMU_IOAS_MAP');
      expect(problems).toEqual([]);
      await page.close();
    });

    it('the IOMMU_IOAS_MAP page has its struct, members, layout, errors and example', async () => {
      const { page, problems } = await open(`${base}/${mount}/ioctl-iommu_ioas_map.html#c.iommu_ioas_map`);
      expect(problems).toEqual([]);
      expect(await page.locator('#c\\.iommu_ioas_map pre.c').textContent()).toContain('struct iommu_ioas_map {');
      const rows = await page.locator('#c\\.iommu_ioas_map table.members tbody tr').count();
      expect(rows).toBe(7);
      expect(await page.locator('#c\\.iommu_ioas_map svg.layout g.field').count()).toBe(7);
      expect(await page.locator('#errors dt').count()).toBeGreaterThan(0);
      expect(await page.locator('#example pre').textContent()).toContain('.ioasMap({');
      expect(await page.locator('.since').first().textContent()).toBe('since 6.6-rc1');
      expect(await page.locator('a.kernel').first().getAttribute('href')).toBe('https://docs.kernel.org/userspace-api/iommufd.html#c.iommu_ioas_map');
      if (mount === 'iommufd-v7.3') await page.screenshot({ path: join(OUT, 'iommu_ioas_map.png'), fullPage: true });
      await page.close();
    });

    it('works from file://', async () => {
      const { page, problems } = await open(pathToFileURL(resolve(dir, 'index.html')).href);
      expect(problems).toEqual([]);
      await page.fill('#search', 'IOMMU_IOAS_MAP');
      expect(await page.locator('#search-results a').count()).toBeGreaterThan(0);
      await page.close();
    });
  });

  // generated/docs/: one page over every package of the config, one search across them, hits that land on the
  // packages' own pages (served here as the folders lie: generated/ mounted whole).
  describe('the site over every package', () => {
    let all: { server: Server; url: string };
    beforeAll(async () => {
      all = await serveDocs({ all: 'generated' });
    });
    afterAll(async () => {
      await new Promise((ok) => (all ? all.server.close(ok) : ok(undefined)));
    });

    it('lists every configured package, each linking to its own site', async () => {
      const { page, problems } = await open(`${all.url}/all/docs/index.html`);
      const hrefs = await page.locator('table.index a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const config = JSON.parse(readFileSync('uapi-ts.config.json', 'utf8')) as { packages: { out: string }[] };
      expect([...hrefs].sort()).toEqual(config.packages.map((p) => `../${p.out.split('/').at(-1)}/docs/index.html`).sort());
      for (const href of hrefs) expect(existsSync(join('generated/docs', href!)), href!).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('one search finds ioctls of different packages and leads to their pages', async () => {
      const { page, problems } = await open(`${all.url}/all/docs/index.html`);
      const hits = async (query: string) => {
        await page.fill('#search', query);
        return page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      };
      expect(await hits('VFIO_DEVICE_BIND_IOMMUFD')).toContain('../vfio/docs/ioctl-vfio_device_bind_iommufd.html');
      expect(await hits('IOMMU_IOAS_MAP')).toContain('../iommufd/docs/ioctl-iommu_ioas_map.html');
      await page.fill('#search', 'KVM_RUN');
      await page.press('#search', 'Enter');
      await page.waitForURL(/\/kvm\/docs\/ioctl-kvm_run\.html$/);
      expect(await page.locator('h1').textContent()).toContain('KVM_RUN');
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  it('wrote the screenshot', () => {
    expect(existsSync(join(OUT, 'iommu_ioas_map.png'))).toBe(true);
  });
});

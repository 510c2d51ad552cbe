// Browser test of the corroboration desk: Debian's chromium driven by playwright-core against a
// real `corroborate serve` on loopback (started by scripts/browser-test.sh, which passes
// DESK_URL, EXAMPLES, SCREENSHOTS and the two accounts' passwords).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const base = process.env.DESK_URL;
const examples = process.env.EXAMPLES;
const shots = process.env.SCREENSHOTS;
const password = process.env.DESK_PASSWORD;
const step = (name) => console.log(`ok - ${name}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});

async function login(context, name) {
  const page = await context.newPage();
  await page.goto(base + '/');
  assert.match(page.url(), /\/login\?next=/, 'a private desk asks for a login');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form.login button')]);
  assert.equal(new URL(page.url()).pathname, '/');
  return page;
}

async function idle(page) {
  for (let i = 0; i < 600; i++) {
    const queue = await (await page.request.get(base + '/api/ingest?limit=1')).json();
    if (queue.counts.pending + queue.counts.running === 0 && !queue.busy) return queue;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the worker did not finish');
}

async function csrf(page) {
  await page.goto(base + '/ingest');
  const action = await page.getAttribute('form.upload', 'action');
  return new URL(action, base).searchParams.get('csrf');
}

try {
  const editorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await login(editorContext, 'editor');
  step('editor logs in');

  // Upload the example corpus through the form, plus an article whose title is hostile.
  const hostile = path.join(shots, '..', 'hostile.txt');
  fs.writeFileSync(hostile, '---\noutlet: Evil Gazette\ntitle: <script>window.pwned = 1</script> Harbour news\n---\nOfficials said 30 people were hurt in the harbour fire.\n');
  const files = [
    ...fs.readdirSync(path.join(examples, 'harbour-fire')).sort().map((f) => path.join(examples, 'harbour-fire', f)),
    path.join(examples, 'council-budget.txt'),
    hostile,
  ];
  await page.goto(base + '/ingest');
  await page.setInputFiles('form.upload input[type=file]', files);
  await Promise.all([page.waitForNavigation(), page.click('form.upload button')]);
  assert.equal(new URL(page.url()).pathname, '/ingest');
  await idle(page);
  await page.goto(base + '/ingest');
  await page.screenshot({ path: path.join(shots, 'ingest.png'), fullPage: true });
  step('uploads the example corpus');

  // The most disputed story has the conflicts.
  await page.goto(base + '/?sort=disputed');
  await page.screenshot({ path: path.join(shots, 'stories.png'), fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click('ol.stories li:first-child a.story-title')]);
  const conflict = page.locator('section.group', { has: page.locator('.verdict.v-conflict') }).first();
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /firefighters/);
  assert.ok((await conflict.locator('figure.quote').count()) >= 2, 'outlets side by side');
  await page.screenshot({ path: path.join(shots, 'story.png') });
  step('opens the story with the conflicts');

  // Follow an evidence link to the article: the quoted words are highlighted there.
  const link = conflict.locator('figcaption a').first();
  const href = await link.getAttribute('href');
  await Promise.all([page.waitForNavigation(), link.click()]);
  const anchor = href.split('#')[1];
  const mark = page.locator(`mark#${anchor}`);
  assert.equal(await mark.count(), 1, 'the evidence is highlighted in the article');
  assert.ok((await mark.evaluate((m) => m.closest('a').getAttribute('href'))).startsWith('/groups/'));
  await page.screenshot({ path: path.join(shots, 'article.png'), fullPage: true });
  step('follows an evidence link to the article');

  // Search.
  await page.goto(base + '/');
  await page.fill('input[name=q]', 'firefighters');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button')]);
  assert.ok((await page.locator('ol.stories li').count()) >= 1);
  await page.goto(base + '/?q=zebra');
  assert.match(await page.content(), /No stories match/);
  step('searches');

  // The hostile title shows as text and runs nothing.
  const articles = await (await page.request.get(base + '/api/articles?limit=100')).json();
  const evil = articles.items.find((a) => a.outlet === 'Evil Gazette');
  await page.goto(`${base}/articles/${evil.id}`);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.match(await page.locator('h1').innerText(), /<script>window\.pwned = 1<\/script>/);
  step('a <script> title shows as text');

  // A feed on loopback: subscribe, see its articles arrive, change it, see the story change.
  let version = 1;
  const feedServer = http.createServer((req, res) => {
    const items = [
      ['https://wire.example/1', 'Harbour clean-up', 'Divers said 14 barges sank in Kestrel Bay harbour during the fire.'],
    ];
    if (version > 1) items.push(['https://wire.example/2', 'Harbour clean-up continues', 'Divers said 15 barges sank in Kestrel Bay harbour during the fire.']);
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) { res.writeHead(304); res.end(); return; }
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag });
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>The Wire</title><link>https://wire.example/</link><description>d</description>${items.map(([l, t, d]) => `<item><title>${t}</title><link>${l}</link><description>${d}</description></item>`).join('')}</channel></rss>`);
  });
  await new Promise((r) => feedServer.listen(0, '127.0.0.1', r));
  const feedUrl = `http://127.0.0.1:${feedServer.address().port}/feed.xml`;
  const token = await csrf(page);
  const subscribed = await page.request.post(`${base}/api/feeds?csrf=${token}`, { data: { url: feedUrl, interval_seconds: 1 } });
  assert.equal(subscribed.status(), 201);
  const count = async () => (await (await page.request.get(base + '/api/articles?limit=500')).json()).items.length;
  const before = articles.items.length;
  for (let i = 0; i < 100 && (await count()) < before + 1; i++) await new Promise((r) => setTimeout(r, 200));
  assert.equal(await count(), before + 1, 'the feed item arrived');
  await idle(page);
  const storiesBefore = await (await page.request.get(base + '/api/stories?limit=500')).json();
  version = 2;
  for (let i = 0; i < 100 && (await count()) < before + 2; i++) await new Promise((r) => setTimeout(r, 200));
  assert.equal(await count(), before + 2, 'the changed feed brought a new article');
  await idle(page);
  const storiesAfter = await (await page.request.get(base + '/api/stories?limit=500')).json();
  assert.notDeepEqual(storiesAfter.items, storiesBefore.items, 'a story changed');
  await page.goto(base + '/feeds');
  assert.match(await page.content(), new RegExp(feedUrl.replace(/[.]/g, '\\.')));
  await page.screenshot({ path: path.join(shots, 'feeds.png'), fullPage: true });
  feedServer.close();
  step('a subscribed feed brings new articles and changes a story');

  // A phone-sized story page.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await editorContext.storageState() });
  const small = await phone.newPage();
  await small.goto(base + '/?sort=disputed');
  await Promise.all([small.waitForNavigation(), small.click('ol.stories li:first-child a.story-title')]);
  const width = await small.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
  await small.screenshot({ path: path.join(shots, 'story-phone.png') });
  step('the story page fits a phone');

  // A reader cannot ingest.
  const readerContext = await browser.newContext();
  const reader = await login(readerContext, 'reader');
  await reader.goto(base + '/ingest');
  await reader.setInputFiles('form.upload input[type=file]', [path.join(examples, 'council-budget.txt')]);
  const [response] = await Promise.all([reader.waitForNavigation(), reader.click('form.upload button')]);
  assert.equal(response.status(), 403);
  assert.match(await reader.content(), /needs the editor role/);
  step('a reader cannot ingest');
} finally {
  await browser.close();
}

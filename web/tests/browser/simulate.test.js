// Browser tests of the policy-scenario page (simulate.html) against a running keipath server: a shared link
// runs its scenario and shows the API's numbers in the table, the charts, the two maps and the tornado; the
// form runs a scenario picked by keyboard; a missing scenario is asked for next to the select; a phone shows
// it all without sideways scrolling.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PHONE, SCREENSHOT_DIR, api, launch, noHorizontalScroll, openPage, url } from './harness.js';
import { quantity } from '../../src/simulation.js';

const LINK = '?scenario=kei_class_2027&draws=20';
const SECTIONS = ['headline', 'charts', 'adoption', 'tornado'];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function simulated(page) {
  await page.waitForFunction((ids) => ids.every((id) => {
    const s = document.getElementById(id);
    return s && !s.hidden && s.getAttribute('aria-busy') === 'false';
  }), SECTIONS, { timeout: 60000 });
}

// A number as the page writes it, signed (the page's own formatter; the unit tests pin its format).
const signed = (v) => quantity(v, { signed: true });

describe('the policy-scenario page', () => {
  test('a shared link runs its scenario and shows the answer of /api/simulate', async () => {
    const page = await openPage(browser);
    await page.goto(url(`/simulate.html${LINK}`));
    await simulated(page);
    const { status, body } = await api(`/api/simulate${LINK}`);
    assert.equal(status, 200);
    const sim = body.simulation;
    const i2035 = 2035 - sim.first_year;
    const kei = sim.national.kei_sales;
    const cell = await page.locator('#headline-table tr[data-metric="kei_sales"] td').nth(1).textContent();
    assert.equal(cell, `${signed(kei.p50[i2035])} (${signed(kei.p05[i2035])} to ${signed(kei.p95[i2035])})`);
    assert.match(await page.locator('#headline .scenario-banner').textContent(), /HYPOTHETICAL.*us-kei-class-2027.*20 paired draws/i);
    assert.match(await page.locator('#headline .law-lines').textContent(), /2027: a US kei \(small-vehicle\) class/);
    assert.match(await page.locator('#s-description').textContent(), /from 2027-01-01/);

    // Four charts, each with a band and a median, and its numbers in its label.
    assert.equal(await page.locator('.sim-chart').count(), 4);
    assert.equal(await page.locator('.sim-chart[data-metric="co2"] .band').count(), 1);
    assert.match(await page.locator('.sim-chart[data-metric="kei_sales"]').getAttribute('aria-label'), /in 2050 \+/);

    // A state's charts: Texas's bands come from the answer's states.
    await page.locator('#chart-area').selectOption('TX');
    assert.equal(await page.locator('.chart-grid').getAttribute('data-area'), 'TX');
    const txKei = sim.states.TX.kei_sales;
    assert.match(await page.locator('.sim-chart[data-metric="kei_sales"]').getAttribute('aria-label'),
      new RegExp(`in 2050 \\${signed(txKei.p50.at(-1))}`));
    await page.locator('#chart-area').selectOption('US');

    // Two maps of 51 states, and the table with the same numbers as the answer.
    for (const year of [2035, 2050]) {
      const paths = page.locator(`.adoption-map[data-year="${year}"] path[data-state]`);
      assert.equal(await paths.count(), 51, `${year}`);
    }
    const coloured = await page.locator('.adoption-map[data-year="2050"] path[data-state]').evaluateAll(
      (ps) => new Set(ps.map((p) => p.getAttribute('fill'))).size);
    assert.ok(coloured >= 2, 'states differ in adoption');
    await page.locator('.adoption-map[data-year="2050"] path[data-state="OH"]').click();
    assert.equal(await page.locator('.chart-grid').getAttribute('data-area'), 'OH', 'a click on the map shows the state');
    await page.locator('#adoption summary').click();
    const tx = await page.locator('#adoption-table tr[data-state="TX"] td').allTextContents();
    assert.equal(tx.length, 4);
    assert.ok(Number.parseFloat(tx[1]) > 0, `Texas has kei vehicles in 2050: ${tx}`);

    // The tornado: the reference share first for kei sales in 2035; another metric and year on request.
    assert.equal(await page.locator('#tornado-table tbody tr').first().getAttribute('data-parameter'), 'fleet.kei.reference_share');
    await page.locator('#t-metric').selectOption('deaths');
    await page.locator('#t-year').selectOption('2050');
    const first = sim.tornado.filter((r) => r.metric === 'deaths' && r.year === 2050).sort((a, b) => b.swing - a.swing)[0];
    assert.equal(await page.locator('#tornado-table tbody tr').first().getAttribute('data-parameter'), first.parameter);
    assert.match(await page.locator('#provenance').textContent(), /scenario us-kei-class-2027 against baseline · 20 paired draws/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'simulate-page.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.foreign, []);
    await page.context().close();
  });

  test('the form runs a scenario chosen by keyboard, and asks for one when none is chosen', async () => {
    const page = await openPage(browser);
    await page.goto(url('/simulate.html'));
    await page.waitForFunction(() => document.querySelectorAll('#s-scenario option').length > 2);
    await page.locator('#s-run').click();
    assert.match(await page.locator('#e-s-scenario').textContent(), /Choose a scenario/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 's-scenario');
    await page.locator('#s-scenario').selectOption('kei_part555');
    await page.locator('#s-draws').selectOption('100');
    await page.keyboard.press('Enter');
    await page.locator('#s-run').focus();
    await page.keyboard.press('Enter');
    await simulated(page);
    assert.match(page.url(), /scenario=kei_part555&draws=100/);
    assert.match(await page.locator('#headline .law-lines').textContent(), /Part 555/);
    assert.equal(await page.locator('#e-s-scenario').isVisible(), false);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a scenario the server does not have is shown next to the select', async () => {
    const page = await openPage(browser);
    await page.goto(url('/simulate.html?scenario=no_such_policy&draws=20'));
    await page.locator('#e-s-scenario').waitFor({ state: 'visible', timeout: 20000 });
    assert.match(await page.locator('#e-s-scenario').textContent(), /not a scenario of this server/);
    assert.match(await page.locator('#headline .error-box').textContent(), /Not simulated/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('on a phone every section fits without sideways scrolling', async () => {
    const page = await openPage(browser, { viewport: PHONE, mobile: true });
    await page.goto(url(`/simulate.html${LINK}`));
    await simulated(page);
    await noHorizontalScroll(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'simulate-phone.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

// Browser tests of the web page against a running keipath server: every view, a shared link, the map's date
// slider, errors for bad input and for a failed network, keyboard use, and a phone-sized screen.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  PHONE, SCREENSHOT_DIR, api, launch, noHorizontalScroll, openPage, screenshotViews, settled, url,
} from './harness.js';

// The buyer's question of the brief: a 2014 Suzuki Carry truck for Ohio, bought for ¥500,000, its fuel
// economy given so the five-year cost is computed.
const CARRY = '?model=Carry&chassis=DA16T&built=2014-06&state=OH&date=2026-12-02&price_jpy=500000&km_per_l=18.7&cycle=jc08';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('a shared link', () => {
  test('asks its question at once and shows every view', async () => {
    const page = await openPage(browser);
    await page.goto(url(`/${CARRY}`));
    await settled(page);

    const { body: check } = await api(`/api/check${CARRY}`);
    const headline = await page.locator('#answer .answer-headline').textContent();
    assert.equal(headline, check.summary[0]);
    assert.match(headline, /Suzuki Carry DA16T .*Ohio/);
    const lines = await page.locator('#answer .answer-lines li').allTextContents();
    assert.deepEqual(lines, check.summary.slice(1));

    // The kei verdict, with a row per limit and its citations.
    const kei = page.locator('#kei');
    assert.match(await kei.locator('.verdict').first().textContent(), /Kei vehicle\s+under Japanese law on 2026-12-02/);
    assert.match(await kei.locator('.findings tbody tr', { hasText: 'length' }).textContent(), /3,395 mm.*≤ 3,400 mm.*passes/);
    await kei.locator('summary', { hasText: 'Reasons and citations' }).click();
    assert.match(await kei.locator('.reasons').textContent(), /jp\.kei\.max_length_mm/);

    // The entry pathway and the month it opens.
    assert.equal(await page.locator('#import .entry-headline').textContent(),
      'May enter for road use from Jun 2039 (2039-06-01): FMVSS 25-year exemption (49 U.S.C. 30112(b)(9)).');
    assert.equal(await page.locator('#import .pathway').count(), check.import.pathways.length);

    // The landed cost as a bar per line and the total; the five-year cost next to the references.
    const bars = page.locator('.landed-chart .bar-row');
    assert.equal(await bars.count(), check.cost.lines.length);
    assert.match(await bars.first().textContent(), /purchase price in Japan.*¥500,000.*\$3,196\.58/);
    assert.match(await page.locator('.landed-chart .total-line').textContent(), /Landed total: \$7,088\.30/);
    const width = await bars.first().locator('.bar').evaluate((n) => n.getBoundingClientRect().width);
    assert.ok(width > 100, `the largest cost line's bar is ${width}px wide`);
    const owners = page.locator('.ownership-chart .own-row');
    assert.equal(await owners.count(), check.cost.ownership.vehicles.length);
    assert.match(await owners.first().textContent(), /Suzuki Carry DA16T.*\$14,886/);

    // The map: 51 states coloured by status, Ohio (the state asked about) outlined.
    const { body: states } = await api('/api/states?model=Carry&chassis=DA16T&built=2014-06&date=2026-12-02');
    assert.equal(await page.locator('.us-map path.state-shape[data-status]').count(), 51);
    for (const answer of states.answers.slice(0, 5)) {
      assert.equal(await page.locator(`#map-${answer.state}`).getAttribute('data-status'), answer.status, answer.state);
    }
    assert.equal(await page.locator('#map-OH.asked').count(), 1);
    assert.match(await page.locator('#state-details').textContent(), /Ohio \(OH\)/);

    // Crash risk: ratios with intervals, and absolute risks.
    assert.match(await page.locator('#safety .safety-headline').textContent(), /\d\.\d\d× as likely to be killed as in a compact car/);
    assert.equal(await page.locator('.ratio-chart .interval-row').count(), 6);
    assert.match(await page.locator('.absolute-chart .interval-row').first().textContent(), /Occupant killed, vs the US fleet\s*[\d.]+ % \([\d.]+–[\d.]+ %\)/);

    // The share link is the page's URL, and the copy button copies it.
    assert.equal(await page.locator('#share-link').inputValue(), page.url());
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    await page.locator('#copy-link').click();
    await page.waitForFunction(() => document.querySelector('#copy-status').textContent !== '');
    assert.equal(await page.locator('#copy-status').textContent(), 'Link copied.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());

    await screenshotViews(page, 'desktop');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-page.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.foreign, [], 'every file and answer comes from the keipath server');
    await page.context().close();
  });

  test('the intro offers examples that ask a question', async () => {
    const page = await openPage(browser);
    await page.goto(url('/'));
    assert.equal(await page.locator('#answer').isVisible(), false);
    await page.locator('#examples a', { hasText: 'Sambar' }).click();
    await settled(page);
    assert.match(page.url(), /model=Sambar\+Truck&chassis=TT1&built=1999-06&state=CO/);
    assert.match(await page.locator('#answer .answer-headline').textContent(), /Sambar.*Colorado/);
    await page.context().close();
  });
});

describe('the question form', () => {
  test('finds a catalog vehicle by keyboard and asks about it', async () => {
    const page = await openPage(browser);
    await page.goto(url('/'));
    await page.locator('#catalog-search').focus();
    await page.keyboard.type('carry');
    await page.locator('#catalog-results [role=option]').first().waitFor();
    assert.match(await page.locator('#catalog-results').textContent(), /Suzuki Carry DA16T.*truck · 2013-08 to now/);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#catalog-search').getAttribute('aria-activedescendant'), 'catalog-option-0');
    await page.keyboard.press('Enter');
    assert.match(await page.locator('#chosen-name').textContent(), /Suzuki Carry/);
    await page.locator('#f-state').selectOption('OH');
    await page.locator('#f-built').fill('2014-06');
    await page.locator('#ask').click();
    await settled(page);
    assert.match(page.url(), /[?&]model=Carry&chassis=\w+&built=2014-06&state=OH&date=\d{4}-\d\d-\d\d/);
    assert.match(await page.locator('#answer .answer-headline').textContent(), /Suzuki Carry .* in Ohio/);
    await page.context().close();
  });

  test('a catalog vehicle whose dimensions no source gave says they are assumed', async () => {
    const page = await openPage(browser);
    await page.goto(url('/?model=Acty%20Truck&chassis=HA6&built=1999-06&state=TX&date=2026-12-02'));
    await settled(page);
    assert.match(await page.locator('#kei .verdict').first().textContent(), /Kei vehicle/);
    const notes = await page.locator('#kei .assumed li').allTextContents();
    assert.equal(notes.length, 5);  // length, width, height at most the 1999 kei limits; generic top speed, mass
    assert.match(notes[4], /^Assumed top speed kmh: no maker's figure recorded: a generic 100 km\/h \(100 to 120\)/);
    assert.match(notes[3], /^Assumed curb mass kg: no maker.s figure recorded: a generic 700 kg \(650 to 830\)/);
    assert.match(notes[0], /^Assumed length mm: no maker's figure recorded: at most the kei length limit of 3,400 mm .*jp\.kei\.max_length_mm/);
    assert.match(await page.locator('#kei .findings tbody tr', { hasText: 'length' }).textContent(), /3,400 mm \(assumed\).*passes/);
    assert.match((await page.locator('#answer .answer-lines li').allTextContents()).join('\n'), /Assumed, no maker's figure recorded: length_mm at most 3400, width_mm at most 1480, height_mm at most 2000, top_speed_kmh 100 \(100 to 120\), curb_mass_kg 700 \(650 to 830\)/);
    await page.context().close();
  });

  test('a vehicle entered by hand is judged on its measurements', async () => {
    const page = await openPage(browser);
    await page.goto(url('/?body=car&length_mm=3450&width_mm=1475&height_mm=1600&engine=four_stroke&displacement_cc=658&state=TX&date=2026-12-02'));
    await settled(page);
    assert.equal(await page.locator('#measurements').getAttribute('open'), '');
    assert.equal(await page.locator('#f-length_mm').inputValue(), '3450');
    assert.match(await page.locator('#kei .verdict').first().textContent(), /Not a kei vehicle/);
    assert.match(await page.locator('#kei .findings tbody tr', { hasText: 'length' }).textContent(), /3,450 mm.*fails/);
    await page.context().close();
  });
});

describe('errors', () => {
  test('a bad length is shown next to its input, naming the field', async () => {
    const page = await openPage(browser);
    await page.goto(url(`/${CARRY}`));
    await settled(page);
    await page.locator('#measurements summary').click();
    await page.locator('#f-length_mm').fill('-5');
    await page.locator('#ask').click();
    await settled(page);

    const { status, body } = await api('/api/check?model=Carry&chassis=DA16T&length_mm=-5&state=OH');
    assert.equal(status, 400);
    assert.match(body.field, /^(vehicle\.)?length_mm$/);
    const message = page.locator('#e-length_mm');
    await message.waitFor();
    assert.equal(await message.textContent(), body.error);
    assert.match(body.error, /length_mm.*-5/);
    assert.equal(await page.locator('#f-length_mm').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#f-length_mm').getAttribute('aria-describedby'), /e-length_mm/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-length_mm');
    assert.match(await page.locator('#form-error').textContent(), /Length \(mm\): -5 is not a length/);
    assert.match(await page.locator('#answer').textContent(), /Not answered: the question has a problem \(length_mm\)/);
    assert.ok(await page.locator('h1').isVisible());
    await page.locator('#question').screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-error.png') });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an impossible date in a shared link is shown next to the date', async () => {
    const page = await openPage(browser);
    await page.goto(url('/?model=Carry&chassis=DA16T&state=OH&date=2026-02-30&colour=red'));
    await settled(page);
    assert.match(await page.locator('#link-note').textContent(), /parameters the page does not know.*: colour\./);
    const message = page.locator('#e-date');
    await message.waitFor();
    assert.match(await message.textContent(), /date: '2026-02-30' is not a calendar date/);
    assert.equal(await page.locator('#f-date').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#f-date').inputValue(), '2026-02-30');
    await page.context().close();
  });

  test('a missing state is asked for next to the state', async () => {
    const page = await openPage(browser);
    await page.goto(url('/?model=Carry&chassis=DA16T&date=2026-12-02'));
    await settled(page);
    assert.match(await page.locator('#e-state').textContent(), /state: required/);
    assert.equal(await page.locator('#f-state').getAttribute('aria-invalid'), 'true');
    // The map does not need a state, so it is still drawn.
    assert.equal(await page.locator('.us-map path.state-shape[data-status]').count(), 51);
    await page.context().close();
  });

  test('a failed connection is shown in the views it stopped', async () => {
    const page = await openPage(browser);
    await page.route('**/api/check?**', (route) => route.abort('failed'));
    await page.goto(url(`/${CARRY}`));
    await settled(page);
    assert.match(await page.locator('#answer [role=alert]').textContent(), /Could not reach the keipath server/);
    assert.match(await page.locator('#cost [role=alert]').textContent(), /Could not reach/);
    assert.equal(await page.locator('.us-map path.state-shape[data-status]').count(), 51);
    await page.context().close();
  });
});

describe('a policy scenario', () => {
  // A 2024 Nissan Sakura for Colorado on 2027-08-01: under the hypothetical US small-vehicle class it may
  // enter from 2027-07-01; under the law as it stands not before the 25-year exemption, 2049-04-01.
  const SAKURA = '?model=Sakura&built=2024-04&gross_mass_kg=1300&state=CO&date=2027-08-01';
  const SCENARIO = 'us_small_vehicle_class';

  test('a shared link answers under its scenario, says so, and the law as it stands answers again', async () => {
    const { body: health } = await api('/api/health');
    const scenario = health.scenarios.find((s) => s.id === SCENARIO);
    assert.ok(scenario, `the server lists ${SCENARIO}`);
    const { body: check } = await api(`/api/check${SAKURA}&scenario=${SCENARIO}`);
    assert.equal(check.provenance.scenario, scenario.name);

    const page = await openPage(browser);
    await page.goto(url(`/${SAKURA}&scenario=${SCENARIO}`));
    await settled(page);
    // The select holds every scenario, marked hypothetical, with the linked one chosen.
    const select = page.locator('#f-scenario');
    assert.equal(await page.locator('label[for="f-scenario"]').textContent(), 'Law');
    assert.equal(await select.inputValue(), SCENARIO);
    const options = await select.locator('option').allTextContents();
    assert.equal(options[0], 'The law as it stands');
    assert.equal(options.length, 1 + health.scenarios.length);
    for (const text of options.slice(1)) assert.match(text, /^Hypothetical: /);
    assert.match(options.find((o) => o.includes('small-vehicle class')), /^Hypothetical: from 2027-07-01 the US creates a small-vehicle class/);
    assert.match(await page.locator('#h-scenario').textContent(), /^Hypothetical, not the law\. From 2027-07-01 .*open to used imports\.$/);

    // The answer and the entry are the scenario's.
    assert.equal(await page.locator('#answer .answer-headline').textContent(), check.summary[0]);
    assert.deepEqual(await page.locator('#answer .answer-lines li').allTextContents(), check.summary.slice(1));
    assert.match(await page.locator('#answer .answer-lines').textContent(), /US entry for road use: open \(since 2027-07-01\), by the New US small-vehicle class/);
    assert.match(await page.locator('#import .entry-headline').textContent(), /\(since 2027-07-01\): New US small-vehicle class/);

    // Above the answer and above the map: hypothetical, which scenario, what it supposes.
    for (const id of ['#answer-scenario', '#map-scenario']) {
      const banner = page.locator(id);
      assert.ok(await banner.isVisible(), `${id} is shown`);
      assert.match(await banner.textContent(),
        /^Hypothetical: answered under the scenario “us-small-vehicle-class”, not the law as it stands\. From 2027-07-01 the US creates a small-vehicle class/);
    }
    assert.ok(await page.evaluate(() => {
      const banner = document.querySelector('#answer-scenario').getBoundingClientRect();
      const answer = document.querySelector('#answer .content').getBoundingClientRect();
      return banner.bottom <= answer.top;
    }), 'the banner sits above the answer');
    assert.match(await page.locator('#provenance').textContent(), /scenario us-small-vehicle-class/);
    assert.match(await page.locator('#share-link').inputValue(), /date=2027-08-01&scenario=us_small_vehicle_class$/);

    await page.locator('#question').screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-scenario-question.png') });
    await page.locator('#answer').screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-scenario-answer.png') });
    await page.locator('#states').screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-scenario-states.png') });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-scenario-page.png'), fullPage: true });

    // By keyboard: Tab from the price reaches the select (a visible focus ring), an arrow key picks the law as
    // it stands, Tab on to the Answer button and Enter asks again.
    await page.locator('#f-price_jpy').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-scenario');
    assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
    await page.keyboard.press('Home');
    assert.equal(await select.inputValue(), '');
    assert.match(await page.locator('#h-scenario').textContent(), /^The rules in force/);
    await page.keyboard.press('ArrowDown');
    assert.notEqual(await select.inputValue(), '', 'ArrowDown picks a scenario');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await select.inputValue(), '');
    for (let i = 0; i < 10 && await page.evaluate(() => document.activeElement.id) !== 'ask'; i += 1) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ask');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !location.search.includes('scenario='));
    await settled(page);

    const { body: law } = await api(`/api/check${SAKURA}`);
    assert.equal(law.provenance.scenario, 'baseline');
    assert.equal(await page.locator('#answer .answer-headline').textContent(), law.summary[0]);
    assert.match(await page.locator('#answer .answer-lines').textContent(), /US entry for road use: from 2049-04-01/);
    assert.match(await page.locator('#import .entry-headline').textContent(), /from Apr 2049 \(2049-04-01\): FMVSS 25-year exemption/);
    assert.equal(await page.locator('#answer-scenario').isVisible(), false);
    assert.equal(await page.locator('#map-scenario').isVisible(), false);
    assert.equal(await page.locator('.scenario-banner:visible').count(), 0);
    assert.match(await page.locator('#provenance').textContent(), /scenario baseline/);
    assert.doesNotMatch(await page.locator('#share-link').inputValue(), /scenario/);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.foreign, []);
    await page.context().close();
  });

  test('on a phone the scenario answer says so too', async () => {
    const page = await openPage(browser, { viewport: PHONE, mobile: true });
    await page.goto(url(`/${SAKURA}&scenario=${SCENARIO}`));
    await settled(page);
    await noHorizontalScroll(page);
    assert.ok(await page.locator('#answer-scenario').isVisible());
    assert.ok(await page.locator('#map-scenario').isVisible());
    const width = await page.locator('#f-scenario').evaluate((n) => n.getBoundingClientRect().width);
    assert.ok(width <= 390, `the select is ${width}px wide`);
    await page.locator('#answer').screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-scenario-answer.png') });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-scenario-page.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a scenario the server does not have is shown next to the select', async () => {
    const page = await openPage(browser);
    await page.goto(url(`/${SAKURA}&scenario=nope`));
    await settled(page);
    const { status, body } = await api(`/api/check${SAKURA}&scenario=nope`);
    assert.equal(status, 400);
    assert.equal(body.field, 'scenario');
    const message = page.locator('#e-scenario');
    await message.waitFor();
    assert.equal(await message.textContent(), body.error);
    assert.equal(await page.locator('#f-scenario').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#f-scenario').inputValue(), 'nope');
    assert.match(await page.locator('#f-scenario option:checked').textContent(), /“nope”: not a scenario of this server/);
    assert.match(await page.locator('#form-error').textContent(), /Law: 'nope' is not a scenario of this server/);
    assert.match(await page.locator('#answer').textContent(), /Not answered: the question has a problem \(scenario\)/);
    assert.equal(await page.locator('.scenario-banner:visible').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('without /api/health the select offers only the law as it stands, and the page still answers', async () => {
    const page = await openPage(browser);
    await page.route('**/api/health', (route) => route.abort('failed'));
    await page.goto(url(`/${SAKURA}`));
    await settled(page);
    assert.deepEqual(await page.locator('#f-scenario option').allTextContents(), ['The law as it stands']);
    assert.match(await page.locator('#import .entry-headline').textContent(), /2049-04-01/);
    assert.equal(await page.locator('.scenario-banner:visible').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('the map', () => {
  test('the date slider asks for the law of another month', async () => {
    const vehicle = 'model=Carry&chassis=DA16T';
    const before2028 = (await api(`/api/states?${vehicle}&state=CO&date=2027-12-01`)).body.answers[0];
    const from2028 = (await api(`/api/states?${vehicle}&state=CO&date=2028-01-01`)).body.answers[0];
    assert.notEqual(before2028.status, from2028.status, 'Colorado should change on 2028-01-01 (HB25-1281)');

    const page = await openPage(browser);
    await page.goto(url(`/?${vehicle}&state=CO&date=2026-12-02`));
    await settled(page);
    const slider = page.locator('#map-date');
    const december2027 = 2027 * 12 + 11;
    await slider.evaluate((node, value) => {
      node.value = String(value);
      node.dispatchEvent(new Event('input', { bubbles: true }));
    }, december2027);
    await page.waitForFunction((s) => document.querySelector('#map-CO')?.dataset.status === s, before2028.status);
    assert.match(await page.locator('#map-date-label').textContent(), /Dec 2027 \(2027-12-01\)/);
    assert.match(await page.locator('#state-details').textContent(), new RegExp(`Colorado \\(CO\\)`));

    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => document.querySelector('#map-CO')?.dataset.status === s, from2028.status);
    assert.match(await page.locator('#map-date-label').textContent(), /Jan 2028 \(2028-01-01\)/);
    assert.equal(await page.locator('#state-details .facts').textContent().then((t) => t.startsWith('On 2028-01-01')), true);
    await page.waitForFunction(() => location.search.includes('map_date=2028-01-01'));

    // The slider's date is part of the share link: opening it shows the same map.
    const shared = await page.locator('#share-link').inputValue();
    assert.match(shared, /map_date=2028-01-01/);
    const again = await openPage(browser);
    await again.goto(shared);
    await settled(again);
    assert.equal(await again.locator('#map-CO').getAttribute('data-status'), from2028.status);
    await again.context().close();
    await page.context().close();
  });

  test('a vehicle that may enter only later is shown on the day it may enter', async () => {
    const later = (await api('/api/states?model=Carry&chassis=DA16T&built=2014-06&state=OH&date=2039-06-01')).body.answers[0];
    const page = await openPage(browser);
    await page.goto(url(`/${CARRY}`));
    await settled(page);
    assert.equal(await page.locator('#map-OH').getAttribute('data-status'), 'off_road_only');
    const jump = page.locator('#entry-jump');
    assert.equal(await jump.textContent(), 'Show the law on 2039-06-01, the first day it may enter for road use');
    assert.equal(await page.locator('#map-date-max').textContent(), 'Jun 2039');
    await jump.click();
    await page.waitForFunction((s) => document.querySelector('#map-OH')?.dataset.status === s, later.status);
    assert.equal(later.status, 'restricted');
    assert.match(await page.locator('#map-date-label').textContent(), /Jun 2039 \(2039-06-01\)/);
    assert.match(await page.locator('#share-link').inputValue(), /map_date=2039-06-01/);
    await page.context().close();
  });

  test('low-confidence answers are hatched and the legend says so', async () => {
    const { body } = await api('/api/states?model=Acty%20Truck&chassis=HA6&built=1999-06&date=2026-12-02');
    const low = body.answers.find((a) => a.confidence === 'low');
    const high = body.answers.find((a) => a.confidence === 'high');
    assert.ok(low && high, 'the rule base should hold both low- and high-confidence state answers');
    const page = await openPage(browser);
    await page.goto(url('/?model=Acty%20Truck&chassis=HA6&built=1999-06&state=OH&date=2026-12-02'));
    await settled(page);
    const hatchOf = (code) => page.locator(`.us-map .hatches path[data-state=${code}]`);
    assert.equal(await hatchOf(low.state).getAttribute('display'), null);
    assert.equal(await hatchOf(high.state).getAttribute('display'), 'none');
    assert.match(await page.locator('.map-legend').textContent(), /Hatched: low confidence/);
    assert.match(await page.locator(`#map-${low.state}`).getAttribute('aria-label'), /low confidence/);
    await page.context().close();
  });

  test('hover shows a state, and the keyboard reaches each state on the map and in the list', async () => {
    const page = await openPage(browser);
    // A 1999 Sambar may enter for road use, so Ohio's mini-truck rule (with its statute and sources) applies.
    await page.goto(url('/?model=Sambar%20Truck&chassis=TT1&built=1999-06&state=OH&date=2026-12-02'));
    await settled(page);
    await page.locator('#map-TX').hover();
    assert.match(await page.locator('#state-details h3').textContent(), /Texas \(TX\)/);
    await page.mouse.move(0, 0);

    // One tab stop on the map (the state asked about), arrow keys to move.
    await page.locator('#map-date').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-state')), 'OH');
    const details = page.locator('#state-details');
    assert.match(await details.locator('h3').textContent(), /Ohio \(OH\)/);
    assert.match(await details.textContent(), /May be driven, with limits.*medium confidence/);
    assert.match(await details.locator('.chips').textContent(), /roads posted ≤ 35 mph/);
    assert.match(await details.locator('.rule-ref').textContent(), /Statute: ORC 4501\.01/);
    assert.match(await details.locator('.sources').textContent(), /Sources: codes\.ohio\.gov, casetext\.com/);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-state')), 'OK');
    assert.match(await details.locator('h3').textContent(), /Oklahoma \(OK\)/);
    const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement).strokeWidth);
    assert.equal(focusRing, '4px');

    // Tab leaves the map for the state's details (its source links), then the list: open it, Tab to a state.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => Boolean(document.activeElement.closest('#state-details'))), true);
    for (let i = 0; i < 40; i += 1) {
      if (await page.evaluate(() => document.activeElement.textContent) === 'All states as a list') break;
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'All states as a list');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Alabama (AL)');
    await page.keyboard.press('Enter');
    assert.match(await details.locator('h3').textContent(), /Alabama \(AL\)/);
    assert.equal(await page.locator('.state-table tbody tr').count(), 51);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('a phone', () => {
  test('shows every view in 390 px without sideways scrolling, and a tap shows a state', async () => {
    const page = await openPage(browser, { viewport: PHONE, mobile: true });
    // A 1999 Sambar in Ohio: entry open, a state rule with limits, every cost line and the five-year cost.
    await page.goto(url('/?model=Sambar%20Truck&chassis=TT1&built=1999-06&state=OH&date=2026-12-02&price_jpy=410000&km_per_l=15.6&cycle=10-15'));
    await settled(page);
    await noHorizontalScroll(page);
    for (const details of await page.locator('details').all()) await details.evaluate((n) => { n.open = true; });
    await noHorizontalScroll(page);
    for (const details of await page.locator('details').all()) await details.evaluate((n) => { n.open = false; });

    assert.ok(await page.locator('.ownership-chart .own-row').count() > 1);
    await page.locator('#map-TX').tap();
    assert.match(await page.locator('#state-details h3').textContent(), /Texas \(TX\)/);
    assert.match(await page.locator('#state-details').textContent(), /Statute: Tex\. Transp\. Code/);
    const mapWidth = await page.locator('.us-map').evaluate((n) => n.getBoundingClientRect().width);
    assert.ok(mapWidth > 300 && mapWidth <= 390, `the map is ${mapWidth}px wide`);
    await screenshotViews(page, 'phone');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-page.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

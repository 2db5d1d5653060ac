import { FakeWorkgraph } from '../../renderer/support/fake-workgraph';
import { launchBrowser } from '../../ui/harness';
import { startTestServer } from '../../ui/test-server';
import { waitForValue } from './page-probes';
import { mixedProject, PERSON_EXECUTOR } from './plan-shapes';

async function main() {
  const fake = new FakeWorkgraph();
  fake.executors = [...fake.executors, PERSON_EXECUTOR];
  fake.seed(mixedProject());
  const server = await startTestServer(process.env.RENDERER as string, fake);
  const browser = await launchBrowser();
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 }, colorScheme: scheme });
    await page.goto(`${server.origin}/#token=${server.token}`);
    await waitForValue(page, `document.querySelector('.react-flow__node')`);
    await waitForValue(page, `!document.querySelector('.graph-status')`);
    await page.waitForTimeout(1200);
    await page.screenshot({ path: `/tmp/s2/${process.env.NAME}-1024-${scheme}.png` });
    console.log(scheme, await page.evaluate(`JSON.stringify(document.querySelector('.graph-toolbar').getBoundingClientRect().height)`));
    console.log(
      await page.evaluate(
        `JSON.stringify([...document.querySelectorAll('.toolbar-row > *')].map((e) => [e.className || e.tagName, Math.round(e.getBoundingClientRect().width)]))`,
      ),
    );
    await page.keyboard.press('b');
    await page.waitForTimeout(800);
    await page.screenshot({ path: `/tmp/s2/${process.env.NAME}-1024-${scheme}-board.png` });
    await page.close();
  }
  await browser.close();
  await server.close();
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

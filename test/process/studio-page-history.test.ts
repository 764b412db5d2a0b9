import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS } from "./scripts.js";
import { eventually, HAS_CHROMIUM, type StudioPageWorld, startStudioPage } from "./studio-page-world.js";

/** Conversations, history and replay on the studio page in Chromium, against `npm run web` and the fake OpenAI. */

let world: StudioPageWorld;

beforeAll(async () => {
  if (HAS_CHROMIUM) world = await startStudioPage("studio-history");
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => world?.close());

/** The newest card once its run ended as `completed`; its prompt, to tell the cards apart. */
async function finished(prompt: string): Promise<void> {
  await world.page.waitForSelector(
    `article.card[data-status=completed]:has(h2:text-is("${prompt}")) .final img`,
    {
      timeout: 60_000,
    },
  );
}

const card = (prompt: string) => world.page.locator(`article.card:has(h2:text-is("${prompt}"))`);

/** `previous_response_id` of the fake OpenAI's Responses requests, in order. */
function previousIds(): (string | undefined)[] {
  return world
    .imageRequests()
    .filter((request) => request.path.endsWith("/responses"))
    .map((request) => (request.json as { previous_response_id?: string }).previous_response_id);
}

describe.skipIf(!HAS_CHROMIUM)(
  "the studio page's conversations, history and replay",
  {
    timeout: PROCESS_TEST_TIMEOUT_MS,
  },
  () => {
    it("refines a conversation, branches from its first turn, and draws the tree", async () => {
      const { page } = world;
      await page.getByRole("button", { name: "Responses API" }).click();
      await page.fill("#prompt", "a cabin in the woods");
      await page.click("#generate");
      await finished("a cabin in the woods");

      await card("a cabin in the woods").getByRole("button", { name: "Refine" }).click();
      await page.fill("#prompt", "make it night");
      await page.click("#generate");
      await finished("make it night");

      await card("a cabin in the woods").getByRole("button", { name: "Branch from here" }).click();
      await eventually(() => page.locator(".continuation").textContent()).toContain("Branching from");
      // The branch's turn is held until a next turn was tried: going on from a turn still drawing is refused.
      const { promise: held, resolve: release } = Promise.withResolvers<void>();
      world.openai.pace(() => held);
      await page.fill("#prompt", "make it snowy");
      await page.click("#generate");
      await eventually(() => page.locator(".continuation").textContent()).toContain("Continuing the branch");
      const posts = world.runPosts.length;
      await page.fill("#prompt", "too soon");
      await page.click("#generate");
      await eventually(() => page.locator("#form-error").textContent()).toMatch(/still drawing/);
      expect(world.runPosts.length).toBe(posts);
      release();
      world.openai.pace(undefined);
      await finished("make it snowy");

      const [first, second, third] = previousIds();
      expect(first).toBeUndefined();
      // Both the refinement and the branch went on from the first turn's response: the branch is a sibling.
      expect(second).toBeDefined();
      expect(third).toBe(second);

      await card("make it snowy").getByRole("button", { name: "Conversation" }).click();
      const root = page.locator(".tree > ul > li");
      await eventually(() => root.count()).toBe(1);
      await eventually(() => root.locator(":scope > ul > li").count()).toBe(2);
      expect(await root.locator(":scope > .turn .turn-open").textContent()).toBe("a cabin in the woods");
      await world.shot("11-conversation-tree");

      // The next turn goes on from the branch's turn, not from the fork again.
      await page.fill("#prompt", "add a snowman");
      await page.click("#generate");
      await finished("add a snowman");
      const fourth = previousIds()[3];
      expect(fourth).toBeDefined();
      expect(fourth).not.toBe(second);
    });

    it("reopens a run from the history after a reload and replays it without asking OpenAI", async () => {
      const { page } = world;
      const requests = world.imageRequests().length;
      await page.reload();
      await page.waitForSelector("#generate");
      // The newest runs are back on the board as they ended, newest on top, without opening History.
      await finished("add a snowman");
      expect(await page.locator("article.card h2").first().textContent()).toBe("add a snowman");
      await page.click("#history-toggle");
      const entry = page.locator(".history-run", { hasText: "a cabin in the woods" });
      await entry.waitFor();
      await world.shot("12-history");
      await entry.click();
      await finished("a cabin in the woods");
      const opened = card("a cabin in the woods");
      // Picking a run closes the panel, which would cover the card it opened.
      expect(await page.getByRole("button", { name: "Close history" }).isVisible()).toBe(false);
      await opened.getByRole("button", { name: "Replay" }).click();
      await page.waitForSelector(`article.card[data-status=running]:has(h2:text-is("a cabin in the woods"))`);
      await finished("a cabin in the woods");
      await world.shot("13-replayed");
      expect(await opened.locator(".frames li").count()).toBeGreaterThan(0);
      expect(world.imageRequests().length).toBe(requests);
    });
  },
);

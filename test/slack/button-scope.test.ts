import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackDriver } from "../fakes/slack/driver.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { runFolderSnapshot } from "../helpers/run-folder.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, SIGNING_SECRET, type SlackHarness, startSlackHarness, USER } from "./harness.js";

const ADMIN = "U0ADMIN0001";
const NOT_OURS = ":warning: That button does not belong to any image of mine.";
const ELSEWHERE =
  ":warning: That button belongs to an image made somewhere else; it works only where the image was made.";

let h: SlackHarness;
/** Slack as another workspace sends it: the same app, its clicks signed alike, another `team`. */
let elsewhere: SlackDriver;
let result: FakeMessage;
let runId: string;

beforeAll(async () => {
  h = await startSlackHarness("slack-button-scope", { env: { SLACK_ADMIN_USER_IDS: ADMIN } });
  elsewhere = new SlackDriver({
    url: `http://127.0.0.1:${h.config.slack?.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    responseUrl: h.slack.responseUrl,
    team: "T0OTHERTEAM",
  });
  await h.driver.slashCommand({ text: "a tin robot --quality low" });
  result = await waitFor("the result", () =>
    h.slack.messages.find((m) => m.bot_id && JSON.stringify(m.blocks ?? []).includes("imagine_reroll")),
  );
  runId = JSON.stringify(result.blocks).match(/"value":"reroll:([\w-]+)"/)?.[1] ?? "";
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const jobCount = async () =>
  Object.values(await h.process.context.queues.forKind("slack").getJobCounts()).reduce(
    (sum, count) => sum + count,
    0,
  );

/** What the bot told the clicker privately: an ephemeral message, or through the click's response_url. */
const privateAnswers = () =>
  [...h.slack.ephemerals, ...h.slack.responses].map((answer) => String(answer.text));

type Click = { actionId: string; value: string; user?: string };

/** Clicks each button on the result, expects `answer` privately for each, and that nothing was done. */
async function expectRefused(clicks: Click[], answer: string, driver: SlackDriver = h.driver): Promise<void> {
  const folder = await runFolderSnapshot(h.config.storageDir, runId);
  const jobs = await jobCount();
  for (const [index, click] of clicks.entries()) {
    await driver.clickButton({
      user: click.user ?? USER,
      channel: CHANNEL,
      messageTs: result.ts,
      actionId: click.actionId,
      value: click.value,
    });
    const said = await waitFor(`the answer to ${click.value}`, () => privateAnswers()[index]);
    expect({ value: click.value, said }).toEqual({ value: click.value, said: answer });
  }
  await h.idle();
  expect(await jobCount()).toBe(jobs);
  expect(h.openai.requests).toHaveLength(0);
  expect(h.slack.message(CHANNEL, result.ts)?.deleted).toBeFalsy();
  expect(h.slack.calls("chat.postMessage")).toHaveLength(0);
  expect(h.slack.calls("chat.delete")).toHaveLength(0);
  expect(h.slack.calls("files.delete")).toHaveLength(0);
  expect(await runFolderSnapshot(h.config.storageDir, runId)).toEqual(folder);
}

describe("Slack button values", () => {
  it("a value that is none of ours is refused privately and does nothing", async () => {
    await expectRefused(
      [
        { actionId: "imagine_reroll", value: "reroll:../../etc" },
        { actionId: "imagine_delete", value: "delete:x" },
        { actionId: "imagine_details", value: `details:../${runId}` },
        { actionId: "imagine_vary", value: `vary:${runId}:again` },
        { actionId: "imagine_cancel", value: "cancel:x" },
      ],
      NOT_OURS,
    );
  });
});

describe("Slack buttons act only in the workspace where the run was made", () => {
  it("a click from another workspace is refused privately, whoever clicks", async () => {
    const actions = ["reroll", "vary", "details", "delete"];
    await expectRefused(
      [
        ...actions.map((action) => ({ actionId: `imagine_${action}`, value: `${action}:${runId}` })),
        ...actions.map((action) => ({
          actionId: `imagine_${action}`,
          value: `${action}:${runId}`,
          user: ADMIN,
        })),
      ],
      ELSEWHERE,
      elsewhere,
    );
  });

  it("Cancel from another workspace is refused, even for an admin", async () => {
    const hold = holdAfterPartials(h.openai, 0);
    await h.driver.slashCommand({ text: "a slow tin robot --partials 1" });
    await waitFor("the job at OpenAI", () => h.openai.requests.length === 1);
    const status = await waitFor("the status", () =>
      h.slack.messages.find((m) => m.bot_id && m.history[0]?.text.includes("a slow tin robot")),
    );
    const value = JSON.stringify(status.blocks).match(/"value":"(cancel:[\w-]+)"/)?.[1] ?? "";
    await elsewhere.clickButton({
      user: ADMIN,
      channel: CHANNEL,
      messageTs: status.ts,
      actionId: "imagine_cancel",
      value,
    });
    expect(await waitFor("the refusal", () => privateAnswers()[0])).toBe(ELSEWHERE);
    expect(h.openai.requests[0]?.abortedByClient).toBeFalsy();
    expect(await h.process.context.queues.forKind("slack").getJobState(value.slice("cancel:".length))).toBe(
      "active",
    );
    hold.release();
    h.openai.pace(undefined);
    await waitFor("the result", () =>
      JSON.stringify(h.slack.message(CHANNEL, status.ts)?.blocks ?? []).includes("imagine_reroll"),
    );
  });
});

import { describe, expect, it } from "vitest";
import { userError } from "../../src/core/errors.js";
import { messageFor } from "../../src/platforms/slack/errors.js";

/** What `@slack/web-api` throws when Slack answers `ok: false`. */
const slackRefusal = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: "slack_webapi_platform_error",
    data: { ok: false, error },
  });

describe("messageFor", () => {
  it("asks to be invited where Slack says the bot is not in the channel", () => {
    for (const error of ["not_in_channel", "channel_not_found"]) {
      expect(messageFor(slackRefusal(error))).toBe(
        "I cannot post in this channel; invite me first (/invite @imagine).",
      );
    }
  });

  it("says a person's own mistake as it is, escaped, and anything else as ours", () => {
    const quoted = userError("budget_unknown", { typed: "<!here>", names: ["user-day-usd"] });
    expect(messageFor(quoted)).toBe('There is no budget called "&lt;!here&gt;". Budgets: user-day-usd.');
    expect(messageFor(slackRefusal("ratelimited"))).toBe(
      "Something went wrong on our side; please try again.",
    );
    expect(messageFor(new Error("boom"))).toBe("Something went wrong on our side; please try again.");
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS, type ScriptProcess, startNpm, stopCleanly } from "./scripts.js";

/**
 * The standalone fakes as README starts them, on ports they pick (`--port 0`): the start command they print names
 * the port each really got, the fake OpenAI they were told of, and the REDIS_URL the bot will really read.
 */
const started: ScriptProcess[] = [];
const fake = (args: string[], env: Record<string, string> = {}) => {
  const run = startNpm(["run", ...args], env);
  started.push(run);
  return run;
};
afterAll(async () => {
  for (const run of started) await run.terminate(3_000);
});

/** Everything a fake printed by the time it says how to send a /imagine (its last hint). */
const hints = async (run: ScriptProcess) => {
  await run.waitForOutput(/Then send a \/imagine: .*--port \d+/, "the try-out hint", 60_000);
  return run.output();
};

describe("the fakes' start-up hints", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("name the ports, the fake OpenAI and the REDIS_URL really in use", async () => {
    const openai = fake(["fake:openai", "--", "--port", "0"]);
    const [, openaiUrl = "", openaiPort] = await openai.waitForOutput(
      /OPENAI_BASE_URL=(http:\/\/127\.0\.0\.1:(\d+)\/v1)/,
      "the fake OpenAI's address",
    );
    expect(openaiPort).not.toBe("0");
    await openai.waitForOutput(/--openai-url (\S+) so their hints/, "how to name it to the other fakes");
    expect(openai.output()).toContain(`--openai-url ${openaiUrl} `);

    const redisUrl = "redis://127.0.0.1:6379/5";
    const slack = fake(["fake:slack", "--", "--port", "0", "--openai-url", openaiUrl], {
      REDIS_URL: redisUrl,
    });
    const slackSaid = await hints(slack);
    const slackPort = /SLACK_API_URL=http:\/\/127\.0\.0\.1:(\d+)\/api\//.exec(slackSaid)?.[1];
    expect(slackPort).toMatch(/^[1-9]\d*$/);
    expect(slackSaid).toContain(`(\`npm run fake:openai -- --port ${openaiPort}\`)`);
    expect(slackSaid).toContain(`OPENAI_API_KEY=sk-fake OPENAI_BASE_URL=${openaiUrl} \\`);
    expect(slackSaid).toContain(`    REDIS_URL=${redisUrl} npm start`);
    expect(slackSaid).toContain(`--imagine "a fox" --port ${slackPort}`);

    // A REDIS_URL with a password is the bot's to read, not the terminal's to show.
    const discord = fake(["fake:discord", "--", "--port", "0", "--openai-url", openaiUrl], {
      REDIS_URL: "redis://:hunter2-secret@127.0.0.1:6379",
    });
    const discordSaid = await hints(discord);
    const discordPort = /DISCORD_API_URL=http:\/\/127\.0\.0\.1:(\d+)\/api/.exec(discordSaid)?.[1];
    expect(discordPort).toMatch(/^[1-9]\d*$/);
    expect(discordSaid).toContain(`OPENAI_BASE_URL=${openaiUrl} \\`);
    expect(discordSaid).not.toContain("hunter2");
    expect(discordSaid).toMatch(/^ {4}npm start$/m);
    expect(discordSaid).toContain("with the REDIS_URL of your environment or .env");
    expect(discordSaid).toContain(`--imagine "a fox" --port ${discordPort}`);

    // On a Redis Cluster the bot reads REDIS_CLUSTER_NODES, not REDIS_URL: the hint names what it will use.
    const nodes = "127.0.0.1:7300,127.0.0.1:7301";
    const clustered = fake(["fake:discord", "--", "--port", "0", "--openai-url", openaiUrl], {
      REDIS_CLUSTER_NODES: nodes,
    });
    const clusteredSaid = await hints(clustered);
    expect(clusteredSaid).toContain(`    REDIS_CLUSTER_NODES=${nodes} npm start`);
    expect(clusteredSaid).not.toContain("REDIS_URL=");

    for (const run of [slack, discord, clustered, openai]) await stopCleanly(run);
  });
});

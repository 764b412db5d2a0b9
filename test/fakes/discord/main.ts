/**
 * Standalone fake Discord for manual runs (docs/try-it-offline.md):
 *   npm run fake:discord -- --port 4030 --record ./discord-requests.jsonl
 * and, from another terminal while the bot is connected to it, a `/imagine` followed to its result:
 *   npm run fake:discord -- --imagine "a fox" [--port 4030] [--size 1536x1024] [--partials 2] [--out DIR]
 * Flags only: the REDIS_URL its hint names is read through src/config/, the one reader of the environment.
 */
import { botStartHint, OPENAI_URL_OPTION } from "../bot-hint.js";
import { parseFakeFlags, stopOnSignals } from "../standalone.js";
import { TRY_OUT_OPTIONS, tryOut, tryOutRoute } from "../try-out.js";
import { imagineOnDiscord } from "./control.js";
import { type FakeDiscord, startFakeDiscord } from "./fake.js";

const USAGE = `usage: fake:discord [--port 4030] [--host 127.0.0.1] [--record file] [--token token]
                    [--openai-url http://127.0.0.1:4010/v1] [--redirect <studio>/studio/auth/discord/callback]
       fake:discord --imagine "<prompt>" [--port 4030] [--host 127.0.0.1] [--size WxH] [--quality q]
                    [--model m] [--format f] [--partials 0-3] [--n 1-10] [--out runs/try-out]`;

const values = parseFakeFlags(
  {
    port: { type: "string", default: "4030" },
    host: { type: "string", default: "127.0.0.1" },
    record: { type: "string" },
    token: { type: "string" },
    // The studio's sign-in callback, as registered in the developer portal's OAuth2 redirects.
    redirect: { type: "string" },
    ...OPENAI_URL_OPTION,
    ...TRY_OUT_OPTIONS,
  },
  USAGE,
);

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0) {
  console.error(USAGE);
  process.exit(2);
}

if (values.imagine !== undefined) {
  const options: Record<string, string | number> = {};
  for (const name of ["size", "quality", "model", "format"] as const) {
    const value = values[name];
    if (value !== undefined) options[name] = value;
  }
  for (const name of ["partials", "n"] as const) {
    const value = values[name];
    if (value === undefined) continue;
    if (!/^\d+$/.test(value)) {
      console.error(`--${name} takes a whole number\n${USAGE}`);
      process.exit(2);
    }
    options[name] = Number(value);
  }
  process.exitCode = await tryOut(
    {
      origin: `http://${values.host}:${port}`,
      startHint: `npm run fake:discord -- --port ${port}`,
      body: { prompt: values.imagine, options },
      out: values.out,
    },
    console,
  );
} else {
  let fake: FakeDiscord | undefined;
  const control = tryOutRoute(async (body) => {
    if (fake === undefined) throw new Error("the fake Discord is still starting");
    return imagineOnDiscord(fake, body);
  });
  const started = await startFakeDiscord({
    port,
    host: values.host,
    control,
    ...(values.record ? { recordFile: values.record } : {}),
    ...(values.token ? { token: values.token } : {}),
  }).catch((error: unknown) => {
    console.error(`fake:discord cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
    process.exit(1);
  });
  fake = started;
  if (values.redirect) started.world.oauth.redirectUris.add(values.redirect);
  console.log(`Fake Discord (REST, gateway and CDN) listening on ${started.origin}.`);
  if (values.record) console.log(`Every request is appended to ${values.record} (tokens redacted).`);
  const variables = `DISCORD_API_URL=${started.url} DISCORD_TOKEN=${started.token}`;
  console.log(`Use ${variables}`);
  for (const line of botStartHint(variables, values["openai-url"])) console.log(line);
  console.log(
    `Then send a /imagine: npm run fake:discord -- --imagine "a fox" --port ${new URL(started.origin).port}`,
  );
  console.log(`application ${started.applicationId}, guild ${started.guildId}, channel ${started.channelId}`);
  console.log(
    values.redirect
      ? `Sign in to the studio with it: DISCORD_APPLICATION_ID=${started.applicationId} WEB_DISCORD_CLIENT_SECRET=${started.world.oauth.clientSecret} (as ${started.user.global_name}; redirect ${values.redirect})`
      : "For the studio's Sign in with Discord, start it with --redirect <studio>/studio/auth/discord/callback.",
  );
  stopOnSignals(started);
}

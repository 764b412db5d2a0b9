import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPEN_ACCESS } from "../../src/access/access-list.js";
import { UserError } from "../../src/core/errors.js";
import { createLogger } from "../../src/logger.js";
import { type DiscordSignInConfig, discordSignIn } from "../../src/platforms/web/sign-in-discord.js";
import { type SlackSignInConfig, slackSignIn } from "../../src/platforms/web/sign-in-slack.js";
import { consentAt } from "../fakes/consent.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { FAKE_TEAM, type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";

const logger = createLogger("silent");
const callback = (provider: string) => `http://127.0.0.1:9/studio/auth/${provider}/callback`;

/** The refusal's code and the sentence the person reads; nothing else of a failed sign-in matters to them. */
async function refusal(signIn: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await signIn.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe("Sign in with Discord against the fake Discord", () => {
  let fake: FakeDiscord;
  let config: DiscordSignInConfig;

  beforeAll(async () => {
    fake = await startFakeDiscord({ rateLimit: { limit: 100 } });
    fake.world.oauth.redirectUris.add(callback("discord"));
    config = {
      apiUrl: fake.url,
      access: OPEN_ACCESS,
      applicationId: fake.applicationId,
      signInSecret: fake.world.oauth.clientSecret,
    };
  });
  afterAll(() => fake.close());

  const codeFor = async (provider: ReturnType<typeof discordSignIn>, state = "state-1") => {
    const back = await consentAt(provider.authorizeUrl(state, callback("discord")));
    expect(back.searchParams.get("state")).toBe(state);
    return back.searchParams.get("code") ?? "";
  };

  it("sends the browser to the API's origin and signs in the person with the id the bot knows, no admin", async () => {
    const provider = discordSignIn(config);
    const url = new URL(provider.authorizeUrl("state-1", callback("discord")));
    expect(url.origin + url.pathname).toBe(`${fake.origin}/oauth2/authorize`);
    expect(url.searchParams.get("scope")).toBe("identify");
    expect(url.toString()).not.toContain(fake.world.oauth.clientSecret);
    const user = await provider.userFor(await codeFor(provider), callback("discord"), "state-1");
    expect(user).toEqual({ platform: "discord", id: fake.user.id, name: "alice", admin: false });
    const exchange = fake.requests.filter((request) => request.path === "/api/v10/oauth2/token").at(-1);
    expect(exchange?.json).toMatchObject({ grant_type: "authorization_code", client_id: fake.applicationId });
  });

  it("refuses a reused code and a wrong client secret with one sentence", async () => {
    const provider = discordSignIn(config);
    const code = await codeFor(provider);
    await provider.userFor(code, callback("discord"), "state-1");
    expect(await refusal(provider.userFor(code, callback("discord"), "state-1"))).toEqual({
      code: "sign_in_refused",
      message:
        "Discord did not confirm who you are, so you are not signed in; sign in again, and tell the operator if it keeps happening.",
    });
    const wrong = discordSignIn({ ...config, signInSecret: "not-the-secret" });
    const refused = await refusal(wrong.userFor(await codeFor(wrong), callback("discord"), "state-1"));
    expect(refused.code).toBe("sign_in_refused");
    expect(refused.message).not.toContain("not-the-secret");
  });

  it("with DISCORD_ALLOWED_GUILDS, asks for guilds and lets in only members of one of them", async () => {
    const provider = discordSignIn({ ...config, access: { ...OPEN_ACCESS, workspaces: [fake.guildId] } });
    expect(new URL(provider.authorizeUrl("s", callback("discord"))).searchParams.get("scope")).toBe(
      "identify guilds",
    );
    expect((await provider.userFor(await codeFor(provider), callback("discord"), "state-1")).id).toBe(
      fake.user.id,
    );
    fake.world.oauth.signedIn = fake.world.oauth.outsider;
    try {
      expect(
        await refusal(provider.userFor(await codeFor(provider), callback("discord"), "state-1")),
      ).toEqual({
        code: "sign_in_not_allowed",
        message:
          "The studio is for members of the Discord servers imagine serves, and you are in none of them.",
      });
    } finally {
      fake.world.oauth.signedIn = fake.user;
    }
  });

  it("says Discord is out of reach when it is", async () => {
    const provider = discordSignIn({ ...config, apiUrl: "http://127.0.0.1:9/api" });
    expect((await refusal(provider.userFor("code", callback("discord"), "state-1"))).code).toBe(
      "sign_in_unavailable",
    );
  });
});

describe("Sign in with Slack against the fake Slack", () => {
  let fake: FakeSlack;
  let config: SlackSignInConfig;

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.openid.redirectUris.add(callback("slack"));
    config = {
      apiUrl: fake.apiUrl,
      access: OPEN_ACCESS,
      adminUserIds: [],
      signIn: { clientId: fake.openid.clientId, clientSecret: fake.openid.clientSecret },
    };
  });
  afterAll(() => fake.close());

  const codeFor = async (provider: ReturnType<typeof slackSignIn>, state = "state-1") =>
    (await consentAt(provider.authorizeUrl(state, callback("slack")))).searchParams.get("code") ?? "";

  it("signs in the member with their team as the workspace; SLACK_ADMIN_USER_IDS are admins", async () => {
    const provider = slackSignIn(config, logger);
    const url = new URL(provider.authorizeUrl("state-1", callback("slack")));
    expect(url.origin + url.pathname).toBe(`${fake.origin}/openid/connect/authorize`);
    expect(url.searchParams.get("scope")).toBe("openid profile");
    expect(await provider.userFor(await codeFor(provider), callback("slack"), "state-1")).toEqual({
      platform: "slack",
      id: "U0FAKEUSER1",
      workspace: FAKE_TEAM,
      name: "person",
      admin: false,
    });
    const admins = slackSignIn({ ...config, adminUserIds: ["U0FAKEUSER1"] }, logger);
    expect((await admins.userFor(await codeFor(admins), callback("slack"), "state-1")).admin).toBe(true);
  });

  it("refuses a reused code, a wrong secret and an id token made for another sign-in", async () => {
    const provider = slackSignIn(config, logger);
    const code = await codeFor(provider);
    await provider.userFor(code, callback("slack"), "state-1");
    expect((await refusal(provider.userFor(code, callback("slack"), "state-1"))).code).toBe(
      "sign_in_refused",
    );
    const wrong = slackSignIn({ ...config, signIn: { ...config.signIn, clientSecret: "nope" } }, logger);
    expect((await refusal(wrong.userFor(await codeFor(wrong), callback("slack"), "state-1"))).code).toBe(
      "sign_in_refused",
    );
    // The code came back with state-2's nonce; the callback checked state-1: someone else's sign-in.
    const other = await codeFor(provider, "state-2");
    expect((await refusal(provider.userFor(other, callback("slack"), "state-1"))).code).toBe(
      "sign_in_refused",
    );
  });

  it("applies SLACK_ALLOWED_TEAMS (asking Slack for that team) and SLACK_ALLOWED_USERS at sign-in", async () => {
    const teams = slackSignIn({ ...config, access: { ...OPEN_ACCESS, workspaces: ["T0OTHER001"] } }, logger);
    expect(new URL(teams.authorizeUrl("s", callback("slack"))).searchParams.get("team")).toBe("T0OTHER001");
    const listsTwo = slackSignIn(
      { ...config, access: { ...OPEN_ACCESS, workspaces: ["T0OTHER001", "T0OTHER002"] } },
      logger,
    );
    expect(await refusal(listsTwo.userFor(await codeFor(listsTwo), callback("slack"), "state-1"))).toEqual({
      code: "sign_in_not_allowed",
      message: "Your Slack workspace isn't one imagine serves, so you can't sign in to the studio with it.",
    });
    const users = slackSignIn({ ...config, access: { ...OPEN_ACCESS, users: ["U0SOMEONE1"] } }, logger);
    expect((await refusal(users.userFor(await codeFor(users), callback("slack"), "state-1"))).code).toBe(
      "sign_in_not_allowed",
    );
  });
});

import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newRunId } from "../../src/core/run-id.js";
import { RunIndex } from "../../src/stores/run-index.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

let redis: Redis;
let index: RunIndex;
const prefix = uniquePrefix("run-index");

beforeAll(() => {
  redis = testRedis();
  index = new RunIndex(redis, prefix);
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute));

describe("each person's run index", () => {
  it("lists a person's runs of every place together, newest first, a page at a time, for the studio's history", async () => {
    const person = { platform: "discord", id: "100000000000000009" };
    const inServer = newRunId(at(1));
    const inDm = newRunId(at(2));
    const onWeb = newRunId(at(3));
    await index.record({ ...person, workspace: "200000000000000001" }, inServer, at(1));
    await index.record(person, inDm, at(2));
    await index.record(person, onWeb, at(3));
    await index.record({ platform: "slack", id: person.id, workspace: "T0123ABCD" }, newRunId(at(4)), at(4));
    expect(await index.newestOfPerson(person, 10)).toEqual([onWeb, inDm, inServer]);
    expect(await index.newestOfPerson(person, 2)).toEqual([onWeb, inDm]);
    expect(await index.newestOfPerson(person, 2, inDm)).toEqual([inServer]);
    expect(await index.newestOfPerson(person, 2, "20260101-000000-00000000")).toEqual([]);
    await index.remove(person, [inDm]);
    expect(await index.newestOfPerson(person, 10)).toEqual([onWeb, inServer]);
  });

  it("keeps the newest 50 runs, newest first, per platform, place and person", async () => {
    const owner = { platform: "discord", id: "100000000000000001", workspace: "200000000000000001" };
    const runs = Array.from({ length: 55 }, (_, minute) => newRunId(at(minute)));
    for (const [minute, runId] of runs.entries()) await index.record(owner, runId, at(minute));
    const newest = await index.newest(owner);
    expect(newest).toHaveLength(50);
    expect(newest.slice(0, 2)).toEqual([runs[54], runs[53]]);
    expect(newest).not.toContain(runs[4]);
    expect(await index.newest(owner, 3)).toEqual([runs[54], runs[53], runs[52]]);

    // The same person in a DM, in another server, on another platform: lists of their own.
    expect(await index.newest({ ...owner, workspace: undefined })).toEqual([]);
    expect(await index.newest({ ...owner, workspace: "200000000000000002" })).toEqual([]);
    expect(await index.newest({ ...owner, platform: "slack" })).toEqual([]);

    await index.remove(owner, [runs[54] ?? ""]);
    expect((await index.newest(owner, 1))[0]).toBe(runs[53]);
  });

  it("records a retried run once", async () => {
    const owner = { platform: "slack", id: "U0RETRIED1", workspace: "T0RETRIED1" };
    const runId = newRunId(at(1));
    await index.record(owner, runId, at(1));
    await index.record(owner, runId, at(1));
    expect(await index.newest(owner)).toEqual([runId]);
  });
});

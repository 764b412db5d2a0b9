import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OpenAIConfig } from "../../src/config/types.js";
import { UserError } from "../../src/core/errors.js";
import { createEngine } from "../../src/engine/engine.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { collect, finalOf, imageRequest, modelRequests, openaiConfig, pngFile } from "./helpers.js";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function azureConfig(azure: Partial<OpenAIConfig["azure"]> = {}): OpenAIConfig {
  const base = openaiConfig(fake);
  return {
    ...base,
    provider: "azure",
    apiKey: undefined,
    baseURL: undefined,
    azure: {
      ...base.azure,
      endpoint: `${fake.origin}/`,
      apiKey: "azure-test-key",
      deployments: { "gpt-image-2": "img-deploy", "gpt-5.5": "chat-deploy" },
      ...azure,
    },
  };
}

describe("Azure OpenAI", () => {
  it("sends generations to the model's deployment with api-version and api-key", async () => {
    const engine = createEngine(azureConfig());
    finalOf(await collect(engine(imageRequest(), { images: [] })));
    const [request] = modelRequests(fake);
    expect(request?.path).toBe("/openai/deployments/img-deploy/images/generations");
    expect(request?.query).toMatchObject({ "api-version": "2025-04-01-preview" });
    expect(request?.headers["api-key"]).toBe("azure-test-key");
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("sends edits to the deployment too", async () => {
    const engine = createEngine(azureConfig());
    finalOf(await collect(engine(imageRequest({ partials: 0 }), { images: [await pngFile("image_0.png")] })));
    expect(modelRequests(fake)[0]?.path).toBe("/openai/deployments/img-deploy/images/edits");
  });

  it("names the image deployment in x-ms-oai-image-generation-deployment on Responses calls", async () => {
    const engine = createEngine(azureConfig());
    finalOf(await collect(engine(imageRequest({ api: "responses" }), { images: [] })));
    const [request] = modelRequests(fake);
    expect(request?.path).toBe("/openai/responses");
    expect(request?.headers["x-ms-oai-image-generation-deployment"]).toBe("img-deploy");
    expect(request?.headers["api-key"]).toBe("azure-test-key");
    expect(request?.json).toMatchObject({ model: "chat-deploy" });
  });

  it("prefers the configured image deployment for the Responses image tool", async () => {
    const engine = createEngine(azureConfig({ imageDeployment: "shared-images" }));
    finalOf(await collect(engine(imageRequest({ api: "responses" }), { images: [] })));
    expect(modelRequests(fake)[0]?.headers["x-ms-oai-image-generation-deployment"]).toBe("shared-images");
  });

  it("tells the person the install hint when Entra ID is on without @azure/identity", async () => {
    const engine = createEngine(azureConfig({ apiKey: undefined, useEntraId: true }));
    const error = await collect(engine(imageRequest(), { images: [] })).catch((e: unknown) => e);
    // A UserError of its own, not "something went wrong on our side": the operator knows what to install.
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: "azure_identity_missing", kind: "unavailable" });
    expect((error as UserError).message).toBe(
      "The bot is set to sign in to Azure OpenAI with Entra ID, but the @azure/identity package is not installed. The operator needs to run `npm install @azure/identity`.",
    );
    expect(modelRequests(fake)).toHaveLength(0);
  });
});

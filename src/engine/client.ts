import { AzureOpenAI, OpenAI } from "openai";
import type { OpenAIConfig } from "../config/types.js";
import { userError } from "../core/errors.js";

const OPENAI_BASE_URL = "https://api.openai.com/v1";
/** The Entra ID scope Azure OpenAI accepts tokens for. */
const AZURE_SCOPE = "https://cognitiveservices.azure.com/.default";
export const IDENTITY_PACKAGE = "@azure/identity";

/**
 * The SDK client for the configured provider. Its own retries are off (`maxRetries: 0`): the engine retries
 * itself, counts attempts, and can restart a stream, which the SDK cannot once one has begun. Every option
 * is passed explicitly so the SDK never falls back to reading `process.env` (src/config/ is the one reader).
 */
export function createOpenAIClient(config: OpenAIConfig): OpenAI {
  const common = { maxRetries: 0, timeout: config.timeoutMs };
  if (config.provider === "azure") {
    const { endpoint, apiVersion, apiKey, useEntraId } = config.azure;
    if (!endpoint) throw new Error("AZURE_OPENAI_ENDPOINT is required when OPENAI_PROVIDER=azure");
    return new AzureOpenAI({
      ...common,
      // Built here rather than passing `endpoint`, which the SDK rejects when OPENAI_BASE_URL is also set.
      baseURL: `${endpoint.replace(/\/+$/, "")}/openai`,
      apiVersion,
      ...(useEntraId ? { azureADTokenProvider: entraIdTokenProvider() } : { apiKey }),
    });
  }
  return new OpenAI({
    ...common,
    apiKey: config.apiKey,
    baseURL: config.baseURL ?? OPENAI_BASE_URL,
    organization: config.organization ?? null,
    project: config.project ?? null,
  });
}

/**
 * The `model` value to send. Azure names deployments, not models: the SDK turns the images endpoints into
 * `/deployments/{model}/images/…`, and the Responses API takes the deployment as `model`.
 */
export function apiModelName(config: OpenAIConfig, model: string): string {
  return config.provider === "azure" ? (config.azure.deployments[model] ?? model) : model;
}

/**
 * Extra headers for a Responses call that uses the image tool. Azure routes the tool to an image deployment
 * named in `x-ms-oai-image-generation-deployment`; OpenAI needs nothing.
 */
export function imageToolHeaders(config: OpenAIConfig, imageModel: string): Record<string, string> {
  if (config.provider !== "azure") return {};
  const deployment = config.azure.imageDeployment ?? config.azure.deployments[imageModel] ?? imageModel;
  return { "x-ms-oai-image-generation-deployment": deployment };
}

/** Only what the engine uses from `@azure/identity`, which is an optional dependency. */
interface AzureIdentity {
  DefaultAzureCredential: new () => unknown;
  getBearerTokenProvider: (credential: unknown, scope: string) => () => Promise<string>;
}

/**
 * A token provider that loads `@azure/identity` on first use. The package is optional (only Entra ID users
 * need it), so it is imported dynamically and its absence becomes an error that says what to install.
 */
function entraIdTokenProvider(): () => Promise<string> {
  let provider: Promise<() => Promise<string>> | undefined;
  return async () => {
    provider ??= loadIdentity().catch((error: unknown) => {
      provider = undefined;
      throw error;
    });
    return (await provider)();
  };
}

async function loadIdentity(): Promise<() => Promise<string>> {
  let identity: AzureIdentity;
  try {
    // A variable specifier keeps TypeScript from requiring the package's types at build time.
    const specifier: string = IDENTITY_PACKAGE;
    identity = (await import(specifier)) as AzureIdentity;
  } catch (error) {
    // A UserError, so the person sees the install hint (the engine unwraps it from the SDK's token error).
    throw userError("azure_identity_missing", { packageName: IDENTITY_PACKAGE }, { cause: error });
  }
  return identity.getBearerTokenProvider(new identity.DefaultAzureCredential(), AZURE_SCOPE);
}

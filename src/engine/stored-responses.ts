import { NotFoundError, type OpenAI } from "openai";

/** `deleted` now, or `gone` already (expired after OpenAI's 30 days, or deleted before). */
export type ResponseDeletion = "deleted" | "gone";

/** Deletes one stored Responses API response by id; throws when OpenAI could not delete it. */
export type DeleteStoredResponse = (responseId: string) => Promise<ResponseDeletion>;

/**
 * Threads chain responses OpenAI stores (`store: true`, 30 days); a person who forgets a thread has them
 * deleted at once. A delete is idempotent, so unlike generations it may use the SDK's own retries (429, 5xx).
 */
export function storedResponseDeleter(client: OpenAI): DeleteStoredResponse {
  return async (responseId) => {
    try {
      await client.responses.delete(responseId, { maxRetries: 2 });
      return "deleted";
    } catch (error) {
      if (error instanceof NotFoundError) return "gone";
      throw error;
    }
  };
}

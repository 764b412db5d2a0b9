import { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { Response } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { classifyError, ResponseFailedError, StreamCutError } from "../../src/engine/errors.js";
import { resultFromResponse } from "../../src/engine/responses-api.js";
import { imageRequest } from "./helpers.js";

/** A finished Responses API answer shaped like the wire format, with only the fields the engine reads. */
function response(fields: Partial<Response>): Response {
  return {
    id: "resp_1",
    object: "response",
    status: "completed",
    error: null,
    incomplete_details: null,
    output: [],
    usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
    ...fields,
  } as Response;
}

function failedCall(stage: "input" | "output" | "unknown"): Response["output"][number] {
  return {
    id: "ig_1",
    type: "image_generation_call",
    status: "failed",
    result: null,
    error: {
      code: "moderation_blocked",
      message: "Your request was rejected by the safety system.",
      param: null,
      type: "image_generation_user_error",
      moderation_details: { categories: ["violence"], moderation_stage: stage },
    },
  };
}

function verdictCode(error: unknown): string | undefined {
  const verdict = classifyError(error);
  return verdict.action === "fail" && verdict.error instanceof UserError ? verdict.error.code : undefined;
}

describe("Responses results", () => {
  it.each([
    ["input", "moderation_blocked_input"],
    ["output", "moderation_blocked_output"],
    ["unknown", "moderation_blocked"],
  ] as const)("turns a failed image call blocked at %s into %s", (stage, code) => {
    let thrown: unknown;
    try {
      resultFromResponse(response({ output: [failedCall(stage)] }), imageRequest(), "req_1");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResponseFailedError);
    expect(verdictCode(thrown)).toBe(code);
  });

  it("retries a failed response whose code is transient, refuses one that is not", () => {
    const run = (code: string): string => {
      try {
        resultFromResponse(
          response({ status: "failed", error: { code, message: "nope" } as Response["error"] }),
          imageRequest(),
          undefined,
        );
      } catch (error) {
        return classifyError(error).action;
      }
      return "no error";
    };
    expect(run("server_error")).toBe("retry");
    expect(run("invalid_prompt")).toBe("fail");
  });

  it("answers without an image as openai_no_image, quoting the model", () => {
    const message = {
      id: "msg_1",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "I can't draw that.", annotations: [] }],
    } as unknown as Response["output"][number];
    expect(() => resultFromResponse(response({ output: [message] }), imageRequest(), undefined)).toThrow(
      expect.objectContaining({
        code: "openai_no_image",
        message: expect.stringContaining("I can't draw that."),
      }),
    );
  });

  it("keeps the image tool's usage beside the model's", () => {
    const call = {
      id: "ig_1",
      type: "image_generation_call",
      status: "completed",
      result: "aGVsbG8=",
    } as const;
    const result = resultFromResponse(
      response({
        output: [call],
        tool_usage: { image_gen: { input_tokens: 5 } },
      } as unknown as Partial<Response>),
      imageRequest(),
      undefined,
    );
    expect(result.usage).toMatchObject({ total_tokens: 3, tool_usage: { image_gen: { input_tokens: 5 } } });
    expect(result.images[0]?.bytes.toString()).toBe("hello");
  });
});

describe("classifyError", () => {
  it("retries timeouts and cut streams", () => {
    expect(classifyError(new APIConnectionTimeoutError()).action).toBe("retry");
    expect(classifyError(new StreamCutError("cut")).action).toBe("retry");
  });

  it("retries an SSE error event with a transient code and refuses any other", () => {
    const event = (code: string) => new APIError(undefined, { code, message: "m" }, undefined, undefined);
    expect(classifyError(event("rate_limit_exceeded"))).toMatchObject({
      action: "retry",
      reason: "rate_limited",
    });
    expect(verdictCode(event("invalid_prompt"))).toBe("openai_bad_request");
  });

  it("treats anything after the caller's abort as the abort", () => {
    const controller = new AbortController();
    controller.abort();
    expect(classifyError(new StreamCutError("cut"), controller.signal).action).toBe("abort");
    expect(classifyError(new APIUserAbortError(), controller.signal).action).toBe("abort");
  });

  it("rethrows our own bugs as they are", () => {
    const bug = new TypeError("x is undefined");
    expect(classifyError(bug)).toEqual({ action: "fail", error: bug });
  });
});

import { describe, expect, it } from "vitest";
import { parseBudgetName, parseLimitValue } from "../../src/budget/budget-names.js";
import { BUDGET_NAMES } from "../../src/core/budget-names.js";

describe("budget names and values an admin types", () => {
  it("name every budget a server may set, and only those", () => {
    expect(BUDGET_NAMES).toEqual([
      "user-day-usd",
      "user-day-images",
      "user-month-usd",
      "user-month-images",
      "server-day-usd",
      "server-day-images",
      "server-month-usd",
      "server-month-images",
    ]);
    expect(parseBudgetName(" Server-Month-USD ")).toEqual({ kind: "server", period: "month", unit: "usd" });
    expect(() => parseBudgetName("global-day-usd")).toThrow(/There is no budget called "global-day-usd"/);
  });

  it("take dollars with cents, whole images, 0 for none and default for the bot's own", () => {
    const usd = parseBudgetName("user-day-usd");
    const images = parseBudgetName("user-day-images");
    expect(parseLimitValue(usd, "2.50")).toBe(2.5);
    expect(parseLimitValue(usd, "$5")).toBe(5);
    expect(parseLimitValue(images, "20")).toBe(20);
    expect(parseLimitValue(images, "0")).toBe(0);
    expect(parseLimitValue(images, "Default")).toBe("default");
    for (const bad of ["-1", "1.234", "abc", "", "1e3", "Infinity"]) {
      expect(() => parseLimitValue(usd, bad)).toThrow(
        expect.objectContaining({ code: "budget_value_invalid" }),
      );
    }
    expect(() => parseLimitValue(images, "2.5")).toThrow(/give a whole number of images such as 20/);
  });
});

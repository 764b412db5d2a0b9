import { describe, expect, it } from "vitest";
import { imagineWord } from "../../src/platforms/slack/listeners/command.js";

describe("the first word of /imagine", () => {
  it.each([
    ["", { word: "help", rest: "" }],
    ["help", { word: "help", rest: "" }],
    ["HELP", { word: "help", rest: "" }],
    ["forget", { word: "forget", rest: "" }],
    ["usage", { word: "usage", rest: "" }],
    ["Usage  set user-day-usd 1.50", { word: "usage", rest: "set user-day-usd 1.50" }],
    ["usage\nset server-day-images 20", { word: "usage", rest: "set server-day-images 20" }],
  ])("reads %j as a command's word", (text, word) => {
    expect(imagineWord(text)).toEqual(word);
  });

  it.each([
    "help me draw a cat",
    "forget-me-nots in a vase",
    "forget the rain",
    "usages of a hammer",
    "settings",
    "edit",
    "a fox --size 1536x1024",
  ])("leaves %j to be a prompt", (text) => {
    expect(imagineWord(text)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { fileInputErrors } from "./view-inputs.js";

const input = (element: Record<string, unknown>) => ({
  type: "input",
  block_id: "markup",
  label: { type: "plain_text", text: "Markup" },
  element: { type: "file_input", action_id: "markup", ...element },
});

describe("the fake Slack's file_input rules", () => {
  it("takes a file input in an input block with 1 to 10 files of listed types", () => {
    expect(fileInputErrors([input({ filetypes: ["png"], max_files: 1 }), input({ max_files: 10 })])).toEqual(
      [],
    );
  });

  it("refuses one outside an input block, more than 10 files, and types that are not a list of extensions", () => {
    const section = { type: "section", element: { type: "file_input", action_id: "f" } };
    expect(fileInputErrors([section, input({ max_files: 11 }), input({ filetypes: "png" })])).toEqual([
      "file_input must be in an input block [json-pointer:/view/blocks/0/element]",
      "must be between 1 and 10 [json-pointer:/view/blocks/1/element/max_files]",
      "must be a list of file extensions [json-pointer:/view/blocks/2/element/filetypes]",
    ]);
  });
});

/**
 * The import rules `npm test` holds the code to (`depcruise`, before the tests): no file imports itself
 * through others, and no folder does either, so every folder sits on the ones it uses and never climbs back.
 */
module.exports = {
  forbidden: [
    {
      name: "no-file-cycle",
      severity: "error",
      comment: "A file that reaches itself through its imports: split the shared part out.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-cycle",
      severity: "error",
      comment:
        "A folder that reaches itself through other folders: move the shared words down (src/core/) or into the one folder that owns them.",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(test|bench|node_modules)/" },
  },
};

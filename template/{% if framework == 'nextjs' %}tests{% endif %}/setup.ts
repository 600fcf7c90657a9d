/** Before each test file: the test process uses the run's database and key; before each test: empty tables. */
import { beforeEach, inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.SECRET_KEY = inject("secretKey");

beforeEach(async () => {
  const { resetDatabase } = await import("./helpers");
  await resetDatabase();
});

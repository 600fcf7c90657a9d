// Applies migration.sql to a fresh database, then writes and reads rows through the generated Prisma client and
// its driver adapter. The plan (tables, fields, which rows to check) comes from tests/test_prisma_schema.py.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

type Field = {
  name: string;
  type: string;
  required: boolean;
  unique: boolean;
  length: number | null;
  values: string[];
  low: number | null;
  high: number | null;
  ref: string | null;
  list: boolean;
};
type Model = { model: string; delegate: string; fields: Field[] };
type Plan = {
  database: "postgresql" | "mysql" | "sqlite";
  url: string;
  migration: string;
  models: Record<string, Model>;
  user: string;
  related: { model: string; field: string; relation: string } | null;
  decimal: { model: string; field: string; value: string } | null;
  date: { model: string; field: string } | null;
};

const plan: Plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const sql = readFileSync(plan.migration, "utf8");

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`FAILED: ${message}`);
}

async function applyMigration(): Promise<void> {
  if (plan.database === "postgresql") {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: plan.url });
    await client.connect();
    await client.query(sql);
    await client.end();
  } else if (plan.database === "mysql") {
    const mariadb = await import("mariadb");
    const connection = await mariadb.createConnection({ ...mariadbConfig(plan.url), multipleStatements: true });
    await connection.query(sql);
    await connection.end();
  } else {
    const { createClient } = await import("@libsql/client");
    const client = createClient({ url: plan.url });
    await client.executeMultiple(sql);
    client.close();
  }
}

function mariadbConfig(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
  };
}

async function adapter() {
  if (plan.database === "postgresql") {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    // timestamptz is read in the session's zone: UTC, whatever the server's default.
    return new PrismaPg({ connectionString: plan.url, options: "-c timezone=UTC" });
  }
  if (plan.database === "mysql") {
    const { PrismaMariaDb } = await import("@prisma/adapter-mariadb");
    return new PrismaMariaDb({ ...mariadbConfig(plan.url), connectionLimit: 2 });
  }
  const { PrismaLibSql } = await import("@prisma/adapter-libsql");
  // Milliseconds since the epoch, as the Drizzle tables store them (ISO text by default).
  return new PrismaLibSql({ url: plan.url }, { timestampFormat: "unixepoch-ms" });
}

let counter = 0;
function sample(field: Field): unknown {
  counter += 1;
  switch (field.type) {
    case "string": {
      if (field.values.length) return field.values[0];
      const text = `v${counter}-${randomUUID()}`;
      return field.length ? text.slice(0, field.length) : text;
    }
    case "uuid":
      return randomUUID();
    case "integer":
      return field.low !== null ? Math.ceil(field.low) : 1;
    case "big_integer":
      return BigInt(1_700_000_000);
    case "float":
      return field.low !== null ? field.low : 1.5;
    case "decimal":
      return field.low !== null ? String(field.low) : "1.25";
    case "boolean":
      return true;
    case "date":
    case "datetime":
      return new Date();
    case "json":
    case "ordered_json":
      return field.list ? ["a"] : { a: 1 };
    default:
      throw new Error(`no sample for ${field.type}`);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the models are only known at run time
async function create(prisma: any, model: string, overrides: Record<string, unknown> = {}): Promise<any> {
  const table = plan.models[model];
  const data: Record<string, unknown> = {};
  for (const field of table.fields) {
    if (field.name in overrides) data[field.name] = overrides[field.name];
    else if (!field.required) continue;
    else if (field.ref) data[field.name] = (await create(prisma, field.ref)).id;
    else data[field.name] = sample(field);
  }
  return prisma[table.delegate].create({ data });
}

async function main(): Promise<void> {
  await applyMigration();
  const { PrismaClient, Prisma } = await import(`${process.cwd()}/src/generated/prisma/client.ts`);
  const prisma = new PrismaClient({ adapter: await adapter() });
  try {
    const before = Date.now();
    const user = await create(prisma, plan.user, { email: "ada@example.com" });
    const readUser = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    check(readUser.email === "ada@example.com", "the user reads back");
    check(Math.abs(readUser.createdAt.getTime() - before) < 60_000, `createdAt is now: ${readUser.createdAt}`);

    if (plan.related) {
      const when = new Date("2031-02-03T04:05:06.789Z");
      const { model, field, relation } = plan.related;
      const row = await create(prisma, model, { userId: user.id, [field]: when });
      const delegate = plan.models[model].delegate;
      const read = await prisma[delegate].findUniqueOrThrow({ where: { id: row.id }, include: { [relation]: true } });
      check(read[field] instanceof Date && read[field].getTime() === when.getTime(), `${field} round trips: ${read[field]}`);
      check(read[relation].email === "ada@example.com", "the relation reads the user back");
    }
    if (plan.decimal) {
      const { model, field, value } = plan.decimal;
      const row = await create(prisma, model, { [field]: value });
      const read = await prisma[plan.models[model].delegate].findUniqueOrThrow({ where: { id: row.id } });
      check(Prisma.Decimal.isDecimal(read[field]), `${field} is a Decimal`);
      check(read[field].toFixed(2) === value, `${field} round trips: ${read[field]}`);
    }
    if (plan.date) {
      const day = new Date("2031-02-03T00:00:00.000Z"); // a calendar date is midnight UTC in JavaScript
      const { model, field } = plan.date;
      const row = await create(prisma, model, { [field]: day });
      const read = await prisma[plan.models[model].delegate].findUniqueOrThrow({ where: { id: row.id } });
      check(read[field].toISOString() === day.toISOString(), `${field} round trips: ${read[field].toISOString()}`);
    }
    if (plan.database === "sqlite") {
      const rows = await prisma.$queryRawUnsafe("SELECT typeof(created_at) AS kind FROM users");
      check(rows[0].kind === "integer", `SQLite stores DateTime as integer milliseconds, not ${rows[0].kind}`);
    }
    let code = "none";
    try {
      await create(prisma, plan.user, { email: "ada@example.com" });
    } catch (error) {
      code = (error as { code?: string }).code ?? String(error);
    }
    check(code === "P2002", `a duplicate e-mail raises P2002, not ${code}`);
    console.log("ROUNDTRIP OK");
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Applies one SQL migration to a fresh, empty database and prints what the database then holds, as JSON: the
// columns with their nullability, the indexes, the foreign keys and the CHECK constraints. tests/test_prisma_schema.py
// compares the catalog of the Prisma migration with the one of drizzle-kit's migration.
import { readFileSync } from "node:fs";

const [database, url, file] = process.argv.slice(2);
const sql = readFileSync(file, "utf8").replaceAll("--> statement-breakpoint", "");
type Rows = Record<string, unknown>[];

async function postgresql(): Promise<Record<string, Rows>> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql);
  const query = async (text: string) => (await client.query(text)).rows;
  const catalog = {
    columns: await query(
      "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
    ),
    indexes: await query("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"),
    constraints: await query(
      "SELECT conrelid::regclass::text AS table_name, conname, contype, pg_get_constraintdef(oid) AS definition" +
        " FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('f', 'c', 'p')",
    ),
  };
  await client.end();
  return catalog;
}

async function mysql(): Promise<Record<string, Rows>> {
  const mariadb = await import("mariadb");
  const parsed = new URL(url);
  const schema = parsed.pathname.slice(1);
  const connection = await mariadb.createConnection({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: schema,
    multipleStatements: true,
  });
  await connection.query(sql);
  const query = async (text: string) => (await connection.query(text, [schema])) as Rows;
  const catalog = {
    columns: await query(
      "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = ?",
    ),
    indexes: await query(
      "SELECT table_name, index_name, non_unique, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS columns" +
        " FROM information_schema.statistics WHERE table_schema = ? GROUP BY table_name, index_name, non_unique",
    ),
    constraints: await query(
      "SELECT table_name, constraint_name, referenced_table_name, delete_rule, update_rule" +
        " FROM information_schema.referential_constraints WHERE constraint_schema = ?",
    ),
    checks: await query(
      "SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints" +
        " WHERE constraint_schema = ?",
    ),
  };
  await connection.end();
  return JSON.parse(JSON.stringify(catalog, (_, value) => (typeof value === "bigint" ? Number(value) : value)));
}

async function sqlite(): Promise<Record<string, Rows>> {
  const { createClient } = await import("@libsql/client");
  const client = createClient({ url });
  await client.executeMultiple(sql);
  const query = async (text: string) => (await client.execute(text)).rows as unknown as Rows;
  const tables = await query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  const catalog: Record<string, Rows> = { columns: [], indexes: [], constraints: [] };
  for (const { name } of tables) {
    const table = String(name);
    catalog.columns.push(...(await query(`SELECT '${table}' AS t, name, "notnull", pk FROM pragma_table_info('${table}')`)));
    catalog.indexes.push(
      ...(await query(
        `SELECT '${table}' AS t, l.name, l."unique", group_concat(i.name) AS columns FROM pragma_index_list('${table}') l` +
          ` JOIN pragma_index_info(l.name) i GROUP BY l.name`,
      )),
    );
    catalog.constraints.push(
      ...(await query(
        `SELECT '${table}' AS t, "from", "table", "to", on_delete, on_update FROM pragma_foreign_key_list('${table}')`,
      )),
    );
  }
  client.close();
  return catalog;
}

const describe = { postgresql, mysql, sqlite }[database as "postgresql" | "mysql" | "sqlite"];
describe()
  .then((catalog) => console.log(JSON.stringify(catalog)))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });

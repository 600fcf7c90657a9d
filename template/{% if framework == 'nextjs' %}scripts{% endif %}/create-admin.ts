/**
 * Creates an admin, or promotes an existing user and resets their password (either way a `user.promote` event in
 * the audit log):
 *   make create-admin email=you@example.com          (asks for the password)
 *   ADMIN_PASSWORD=... make create-admin email=...    (non-interactive)
 */
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline";
import nextEnv from "@next/env";

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const terminal = createInterface({ input: stdin, output: stdout, terminal: true });
    const output = terminal as unknown as { _writeToOutput: (text: string) => void };
    terminal.question(question, (answer) => {
      terminal.close();
      stdout.write("\n");
      resolve(answer);
    });
    output._writeToOutput = (text: string) => {
      if (text.startsWith(question)) stdout.write(question);
    };
  });
}

async function main(): Promise<void> {
  nextEnv.loadEnvConfig(process.cwd());
  const email = process.argv[2]?.trim().toLowerCase();
  if (!email?.includes("@")) {
    console.error("usage: make create-admin email=you@example.com");
    process.exit(2);
  }
  const password = process.env.ADMIN_PASSWORD || (await askHidden("Password (8+ characters): "));
  if (password.length < 8 || password.length > 128) {
    console.error("the password needs 8 to 128 characters");
    process.exit(2);
  }
  const { eq } = await import("drizzle-orm");
  const { db, schema } = await import("../src/db");
  const { recordAudit } = await import("../src/lib/audit");
  const { hashPassword } = await import("../src/lib/auth");
  const { users } = schema;
  const hashedPassword = await hashPassword(password);
  // The user and the audit event (no actor: nobody signed in did it) commit together.
  const existing = await db.transaction(async (tx) => {
    const [found] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (found) {
      await tx.update(users).set({ isAdmin: true, hashedPassword }).where(eq(users.id, found.id));
    } else {
      // Read back by e-mail: MySQL has no RETURNING.
      await tx.insert(users).values({ email, hashedPassword, isAdmin: true });
    }
    const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!admin) throw new Error(`user ${email} is missing after the write`);
    await recordAudit(tx, { action: "user.promote", actorId: null, targetType: "user", targetId: admin.id });
    return found;
  });
  console.log(`admin ${email}: ${existing ? "promoted" : "created"}`);
  process.exit(0);
}

await main();

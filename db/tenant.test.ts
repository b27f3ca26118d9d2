import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { organizations } from "@/db/schema";
import { sqlTextLiteral, withSystem, withTenant, writeWithCommit } from "@/db/tenant";
import { describeEachDatabaseAsApp } from "@/tests/db";
import { messagesDuring } from "@/tests/support/pg-messages";

describeEachDatabaseAsApp("scoped transactions (withTenant, withSystem)", ({ driver }) => {
  it("run as their role with their settings, and only for their own transaction", async () => {
    const orgId = randomUUID();
    const inside = await withTenant(
      orgId,
      async (tx) =>
        (
          await tx.execute<{ role: string; org: string }>(
            sql`select current_user as role, current_setting('app.org_id', true) as org`,
          )
        ).rows[0],
    );
    expect(inside).toEqual({ role: "beacon_tenant", org: orgId });
    const system = await withSystem(
      "ops-cockpit",
      async (tx) =>
        (
          await tx.execute<{ role: string; reason: string }>(
            sql`select current_user as role, current_setting('app.system_reason', true) as reason`,
          )
        ).rows[0],
    );
    expect(system).toEqual({ role: "beacon_system", reason: "ops-cockpit" });
    const after = await db().execute<{ role: string; org: string | null }>(
      sql`select current_user as role, nullif(current_setting('app.org_id', true), '') as org`,
    );
    expect(after.rows[0]).toEqual({ role: "beacon_app", org: null });
  });

  it("roll back what they wrote when the work throws, and the connection serves the next one", async () => {
    const name = `rolled back ${randomUUID()}`;
    await expect(
      withSystem("seed", async (tx) => {
        await tx.insert(organizations).values({ name });
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    const found = await withSystem("seed", (tx) => tx.execute(sql`select 1 from organizations where name = ${name}`));
    expect(found.rows).toHaveLength(0);
  });

  it("take drizzle's isolation level and access mode", async () => {
    const modes = await withSystem(
      "ops-cockpit",
      async (tx) =>
        (
          await tx.execute<{ isolation: string; readOnly: string }>(
            sql`select current_setting('transaction_isolation') as isolation, current_setting('transaction_read_only') as "readOnly"`,
          )
        ).rows[0],
      { isolationLevel: "serializable", accessMode: "read only" },
    );
    expect(modes).toEqual({ isolation: "serializable", readOnly: "on" });
  });

  it("make a last write part of the transaction: kept when it commits, and a failing one rolls everything back", async () => {
    const kept = `kept ${randomUUID()}`;
    await withSystem("seed", async (tx) => {
      await tx.insert(organizations).values({ name: kept });
      await writeWithCommit(
        tx,
        `update organizations set name = ${sqlTextLiteral(`${kept} (renamed)`)} where name = ${sqlTextLiteral(kept)}`,
      );
    });
    const renamed = await withSystem("seed", (tx) =>
      tx.execute(sql`select 1 from organizations where name = ${`${kept} (renamed)`}`),
    );
    expect(renamed.rows).toHaveLength(1);

    const lost = `lost ${randomUUID()}`;
    await expect(
      withSystem("seed", async (tx) => {
        await tx.insert(organizations).values({ name: lost });
        await writeWithCommit(tx, "update organizations set name = name where 1 / 0 = 1");
      }),
    ).rejects.toThrow();
    const found = await withSystem("seed", (tx) => tx.execute(sql`select 1 from organizations where name = ${lost}`));
    expect(found.rows).toHaveLength(0);
  });

  if (driver === "postgres") {
    it("send a last write with the COMMIT in one message on PostgreSQL", async () => {
      const name = `last write ${randomUUID()}`;
      const sent = await messagesDuring(() =>
        withSystem("seed", async (tx) => {
          await tx.execute(sql`select 1 as one`);
          await writeWithCommit(tx, `insert into organizations (name) values (${sqlTextLiteral(name)})`);
        }),
      );
      expect(sent).toHaveLength(3);
      expect(sent[2]).toMatch(/^insert into organizations .*;\ncommit$/s);
    });

    it("send BEGIN and the settings in one message on PostgreSQL: one round trip, not two", async () => {
      const sent = await messagesDuring(() => withTenant(randomUUID(), (tx) => tx.execute(sql`select 1 as one`)));
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(/^begin;\s*select set_config\('app\.org_id'/);
      expect(sent[1]).toBe("select 1 as one");
      expect(sent[2]).toBe("commit");
    });
  }
});

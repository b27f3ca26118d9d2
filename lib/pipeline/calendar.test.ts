import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { eq } from "drizzle-orm";
import { calendarFeeds, memberships, organizations } from "@/db/schema";
import { addMember, insertOpportunity, makeOrg, contextOf } from "@/tests/support/factories";
import { sha256 } from "@/lib/orgs";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import {
  calendarFeedIcs,
  calendarFeedStatus,
  createCalendarFeed,
  escapeText,
  foldLine,
  renderCalendar,
  revokeCalendarFeed,
  trackNotice,
  updateTracked,
} from "./index";

/**
 * A small RFC 5545 reader for the assertions: checks every physical line ends in CRLF and is at
 * most 75 octets, unfolds, and splits into components with their properties (values unescaped).
 */
function parseIcs(text: string) {
  expect(text.endsWith("\r\n")).toBe(true);
  const physical = text.slice(0, -2).split("\r\n");
  for (const line of physical) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(" ")) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const unescape = (v: string) => v.replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === "n" ? "\n" : c));
  const stack: { name: string; props: Record<string, string>; children: unknown[] }[] = [];
  let root: (typeof stack)[number] | undefined;
  for (const line of logical) {
    const colon = line.indexOf(":");
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (key === "BEGIN") {
      const component = { name: value, props: {}, children: [] };
      stack.at(-1)?.children.push(component);
      stack.push(component);
    } else if (key === "END") {
      expect(stack.at(-1)?.name).toBe(value);
      root = stack.pop();
    } else stack.at(-1)!.props[key] = key === "URL" ? value : unescape(value);
  }
  expect(stack).toEqual([]);
  return root as {
    name: string;
    props: Record<string, string>;
    children: { name: string; props: Record<string, string> }[];
  };
}

describe("ICS writing", () => {
  it("escapes backslash, semicolon, comma and newlines in text", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
  });

  it("folds at 75 octets without splitting a multi-byte character", () => {
    const line = `SUMMARY:${"é".repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(" "))).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join("")).toBe(line);
    expect(foldLine("SHORT:1")).toBe("SHORT:1");
  });

  it("renders a calendar a reader parses back to the same events", () => {
    const start = new Date("2031-07-04T17:30:00Z");
    const text = renderCalendar({
      name: "Test",
      events: [
        {
          uid: "abc@beacon",
          start,
          stamp: new Date("2031-07-01T00:00:00Z"),
          summary: "Response due: Roads, bridges; and \\ tunnels",
          description: "line one\nline two",
          url: `https://beacon.test/opportunities/${"x".repeat(120)}`,
        },
      ],
    });
    const calendar = parseIcs(text);
    expect(calendar.name).toBe("VCALENDAR");
    expect(calendar.props).toMatchObject({ VERSION: "2.0", PRODID: expect.any(String) });
    expect(calendar.children).toEqual([
      {
        name: "VEVENT",
        children: [],
        props: {
          UID: "abc@beacon",
          DTSTAMP: "20310701T000000Z",
          DTSTART: "20310704T173000Z",
          SUMMARY: "Response due: Roads, bridges; and \\ tunnels",
          DESCRIPTION: "line one\nline two",
          URL: `https://beacon.test/opportunities/${"x".repeat(120)}`,
        },
      },
    ]);
  });
});

const NOW = new Date("2032-09-01T10:00:00Z");
const plus = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

describeEachDatabase("calendar feeds", () => {
  it("carries the open tracked deadlines of every org of the user that has the pipeline; revoked or replaced → 404", async () => {
    const mine = await makeOrg("starter", "Mine, Inc.");
    const free = await makeOrg("free", "Free Co");
    const member = await addMember(free.orgId, "member");
    const n1 = await insertOpportunity({
      createdAt: NOW,
      title: "Roads; bridges, and tunnels",
      responseDeadline: plus(5),
    });
    const n2 = await insertOpportunity({ createdAt: NOW, title: "Submitted already", responseDeadline: plus(6) });
    const n3 = await insertOpportunity({ createdAt: NOW, title: "No deadline", responseDeadline: null });
    const n4 = await insertOpportunity({ createdAt: NOW, title: "Lost long ago", responseDeadline: plus(-40) });
    const { tracked } = await trackNotice(contextOf(mine.orgId, mine.owner, NOW), { notice_id: n1 });
    await updateTracked(contextOf(mine.orgId, mine.owner, NOW), tracked.id, {
      stage: "bidding",
      assignee_id: mine.owner.userId,
    });
    const { tracked: t2 } = await trackNotice(contextOf(mine.orgId, mine.owner, NOW), { notice_id: n2 });
    await updateTracked(contextOf(mine.orgId, mine.owner, NOW), t2.id, { stage: "submitted" });
    await trackNotice(contextOf(mine.orgId, mine.owner, NOW), { notice_id: n3 });
    await trackNotice(contextOf(mine.orgId, mine.owner, NOW), { notice_id: n4, stage: "lost" });

    // An org of the same user whose plan lapsed keeps its data but not the feature: not in the feed.
    const lapsed = await makeOrg("starter", "Lapsed Co");
    await db().insert(memberships).values({ orgId: lapsed.orgId, userId: mine.owner.userId, role: "member" });
    await trackNotice(contextOf(lapsed.orgId, lapsed.owner, NOW), { notice_id: n1 });
    await db().update(organizations).set({ plan: "free" }).where(eq(organizations.id, lapsed.orgId));

    // A free org cannot create a feed at all.
    expect((await appErrorOf(createCalendarFeed(contextOf(free.orgId, member.actor, NOW)))).status).toBe(403);

    const { token, url } = await createCalendarFeed(contextOf(mine.orgId, mine.owner, NOW));
    expect(url).toMatch(new RegExp(`/api/calendar/${token}\\.ics$`));
    // Only the hash is stored.
    const stored = await db().select().from(calendarFeeds);
    expect(stored.map((r) => r.tokenHash)).toContain(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const calendar = parseIcs(await calendarFeedIcs(token, NOW));
    expect(calendar.children).toHaveLength(1);
    expect(calendar.children[0]!.props).toMatchObject({
      UID: `${tracked.id}@beacon`,
      DTSTART: "20320906T100000Z",
      SUMMARY: "Response due: Roads; bridges, and tunnels",
      URL: expect.stringMatching(new RegExp(`/opportunities/${n1}$`)),
      DESCRIPTION: expect.stringContaining("Mine, Inc. · Bidding"),
    });
    expect(await calendarFeedStatus(mine.owner.userId)).toMatchObject({
      active: true,
      last_used_at: NOW.toISOString(),
    });

    // Regenerating replaces the URL: the old one is dead at once.
    const second = await createCalendarFeed(contextOf(mine.orgId, mine.owner, plus(1)));
    expect((await appErrorOf(calendarFeedIcs(token, NOW))).status).toBe(404);
    expect(parseIcs(await calendarFeedIcs(second.token, NOW)).children).toHaveLength(1);

    expect(await revokeCalendarFeed(mine.owner.userId)).toEqual({ revoked: true });
    expect((await appErrorOf(calendarFeedIcs(second.token, NOW))).status).toBe(404);
    expect(await calendarFeedStatus(mine.owner.userId)).toEqual({
      active: false,
      created_at: null,
      last_used_at: null,
    });
    for (const bad of ["", "bcal_short", `bk_live_${"a".repeat(43)}`])
      expect((await appErrorOf(calendarFeedIcs(bad, NOW))).status).toBe(404);
  });
});

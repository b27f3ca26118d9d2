import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { alertDigests, emailMessages } from "@/db/schema";
import { runInstantAlerts } from "@/lib/alerts";
import { contextOf, insertOpportunity, makeOrg, systemContextOf } from "@/tests/support/factories";
import { describeEachDatabase } from "@/tests/db";
import { createFirstAlert, saveBusinessProfile } from "./index";

const T0 = new Date("2031-06-02T12:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

// The fresh-clone issue's profile: an IT firm in the capital region, small-business set-aside, four keywords.
const itProfile = {
  companyName: "Capital IT LLC",
  naicsCodes: ["541511", "541512"],
  keywords: ["cybersecurity", "cloud migration", "zero trust", "help desk"],
  setAsides: ["SBA"],
  states: ["VA", "MD", "DC"],
};

describeEachDatabase("the first alert brings what the matches show", () => {
  it("e-mails every new notice in the profile's NAICS codes, the best fit first, not only those meeting every preference", async () => {
    const { orgId, owner } = await makeOrg("starter", "Capital IT");
    await saveBusinessProfile(contextOf(orgId, owner, T0), itProfile);
    const { alert } = await createFirstAlert(contextOf(orgId, owner, minutes(1)), {
      name: "Capital IT opportunities",
      frequency: "instant",
      deliveryEmail: "bids@capital-it.test",
    });
    expect(alert).toMatchObject({
      q: null,
      naics: ["541511", "541512"],
      states: [],
      setAsides: [],
      preferQ: "cybersecurity or cloud migration or zero trust or help desk",
      preferStates: ["VA", "MD", "DC"],
      preferSetAsides: ["SBA"],
    });

    // Released after the alert was made: a notice meeting no preference (Texas, unrestricted, no
    // keyword), one meeting all three, and one outside the profile's industry.
    const plain = await insertOpportunity({
      createdAt: minutes(2),
      title: "Data center operations",
      naicsCode: "541512",
      popState: "TX",
      description: "Operate and maintain two data centers.",
    });
    const bestFit = await insertOpportunity({
      createdAt: minutes(2),
      title: "Zero trust architecture for a field office",
      naicsCode: "541511",
      popState: "VA",
      setAsideCode: "SBA",
      description: "Design and deploy a zero trust architecture.",
    });
    await insertOpportunity({
      createdAt: minutes(2),
      title: "Cybersecurity cameras for a warehouse",
      naicsCode: "236220",
      popState: "VA",
      setAsideCode: "SBA",
    });

    const summary = await runInstantAlerts(systemContextOf("digest-fanout", minutes(3)));
    expect(summary).toMatchObject({ digests: 1, emails: 1 });
    const [digest] = await db().select().from(alertDigests).where(eq(alertDigests.alertId, alert.id));
    expect(digest).toMatchObject({ matchCount: 2, noticeIds: [bestFit, plain] });
    const [email] = await db().select().from(emailMessages).where(eq(emailMessages.id, digest!.emailMessageId!));
    expect(email!.toAddress).toBe("bids@capital-it.test");
    expect(email!.textBody.indexOf("Zero trust architecture")).toBeLessThan(
      email!.textBody.indexOf("Data center operations"),
    );
  });
});

import { describe, expect, it } from "vitest";
import { renderDigestEmail, type DigestOpportunity } from "./digest-email";

function opportunity(overrides: Partial<DigestOpportunity> = {}): DigestOpportunity {
  return {
    noticeId: "abc123",
    title: "Radar maintenance",
    agency: "DEPT OF DEFENSE.DEPT OF THE NAVY",
    naicsCode: "541512",
    setAsideCode: "SBA",
    setAsideDescription: "Total Small Business Set-Aside (FAR 19.5)",
    popState: "VA",
    postedAt: new Date("2026-04-24T13:00:00Z"),
    responseDeadline: new Date("2026-05-01T16:30:00Z"),
    uiLink: "https://sam.gov/opp/abc123/view",
    ...overrides,
  };
}

const alert = { name: "Navy radar", q: "radar", naics: ["5415"], states: ["VA"], setAsides: ["SBA"] };
const window = { windowStart: new Date("2026-04-23T12:00:00Z"), windowEnd: new Date("2026-04-24T12:00:00Z") };

describe("renderDigestEmail", () => {
  it("lists each opportunity with its facts and both links, in text and HTML", () => {
    const email = renderDigestEmail({
      alert,
      opportunities: [opportunity()],
      total: 1,
      ...window,
      baseUrl: "https://beacon.example/",
    });
    expect(email.subject).toBe("1 new opportunity for “Navy radar”");
    for (const body of [email.text, email.html]) {
      expect(body).toContain("Radar maintenance");
      expect(body).toContain("DEPT OF DEFENSE.DEPT OF THE NAVY");
      expect(body).toContain("NAICS 541512");
      expect(body).toContain("SBA (Total Small Business Set-Aside (FAR 19.5))");
      expect(body).toContain("Apr 24, 2026");
      expect(body).toContain("May 1, 2026, 16:30 UTC");
      expect(body).toContain("https://beacon.example/opportunities/abc123");
      expect(body).toContain("https://sam.gov/opp/abc123/view");
      expect(body).toContain("https://beacon.example/alerts");
    }
    expect(email.text).not.toContain("more:");
  });

  it("carries the unsubscribe link it is given, in text and HTML, and none without one", () => {
    const input = { alert, opportunities: [opportunity()], total: 1, ...window, baseUrl: "https://beacon.example" };
    const email = renderDigestEmail({ ...input, unsubscribeLink: "{{unsubscribe}}" });
    expect(email.text).toContain("Unsubscribe from this alert: {{unsubscribe}}");
    expect(email.html).toContain('<a href="{{unsubscribe}}">Unsubscribe from this alert</a>');
    const without = renderDigestEmail(input);
    expect(`${without.text}${without.html}`).not.toContain("Unsubscribe");
  });

  it("escapes every piece of opportunity and alert text in the HTML", () => {
    const hostile = opportunity({
      noticeId: 'x"><script>',
      title: `<script>alert("t")</script> & <b>bold</b>`,
      agency: "<img src=x onerror=alert(1)>",
      setAsideCode: "<i>",
      setAsideDescription: "'quoted'",
      popState: "<s>",
      uiLink: "javascript:alert(1)",
    });
    const email = renderDigestEmail({
      alert: { ...alert, name: "<script>name</script>" },
      opportunities: [hostile],
      total: 1,
      ...window,
      baseUrl: "https://beacon.example",
    });
    expect(email.html).not.toMatch(/<script|<img|<b>|<i>|<s>|javascript:/i);
    expect(email.html).toContain("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(email.html).toContain("&#39;quoted&#39;");
    expect(email.html).toContain("&lt;script&gt;name&lt;/script&gt;");
    // Links are built from the notice id, URL-encoded, and a non-web SAM link is replaced.
    expect(email.html).toContain("https://beacon.example/opportunities/x%22%3E%3Cscript%3E");
    expect(email.html).toContain("https://sam.gov/opp/x%22%3E%3Cscript%3E/view");
    // Plain text carries the text as it is; it is never interpreted.
    expect(email.text).toContain(`<script>alert("t")</script> & <b>bold</b>`);
  });

  it("says how many more there are when the digest is capped, and links the search", () => {
    const email = renderDigestEmail({
      alert,
      opportunities: [opportunity(), opportunity({ noticeId: "def456" })],
      total: 57,
      ...window,
      baseUrl: "https://beacon.example",
    });
    expect(email.subject).toBe("57 new opportunities for “Navy radar”");
    expect(email.text).toContain(
      "…and 55 more: https://beacon.example/opportunities?q=radar&naics=5415&state=VA&set_aside=SBA",
    );
    expect(email.html).toContain("…and 55 more on Beacon");
    expect(email.html).toContain(
      "https://beacon.example/opportunities?q=radar&amp;naics=5415&amp;state=VA&amp;set_aside=SBA",
    );
  });

  it("copes with missing facts and keeps control characters out of the subject", () => {
    const bare = opportunity({
      agency: "",
      naicsCode: null,
      setAsideCode: null,
      setAsideDescription: null,
      popState: null,
      responseDeadline: null,
      uiLink: null,
    });
    const email = renderDigestEmail({
      alert: { ...alert, name: "Line\r\nBcc: x@y.z" },
      opportunities: [bare],
      total: 1,
      ...window,
      baseUrl: "https://beacon.example",
    });
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain("Agency not given");
    expect(email.text).toContain("Responses due not given");
    expect(email.text).toContain("SAM.gov: https://sam.gov/opp/abc123/view");
  });
});

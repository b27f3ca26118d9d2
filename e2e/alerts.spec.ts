import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

// The alerts page's form checks fields in the browser with the rules the server's zod schema is
// built from (lib/alerts), then creates, edits, pauses and deletes through /api/app/alerts.
test("alerts: inline errors name the bad value and are announced; create, edit, pause and delete work", async ({
  page,
}) => {
  await signUp(page, { name: "Al Ertson", email: uniqueEmail("alerts") });
  await page.goto("/alerts");
  const form = page.getByRole("form", { name: "New alert" });

  // The same NAICS picker as onboarding: a code is chosen from the list or typed whole, never mistyped into the alert.
  const naics = form.getByRole("combobox", { name: "NAICS codes" });
  await naics.fill("54x");
  await naics.press("Enter");
  await expect(form.getByText("Choose a code from the list, or type a code of 2 to 6 digits.")).toBeVisible();
  await expect(form.getByRole("list", { name: "Chosen NAICS codes" })).toHaveCount(0);

  const email = form.getByLabel("Send to");
  await email.fill("not-an-address");
  await email.press("Tab");
  await expect(form.getByText("Enter a valid e-mail address.")).toBeVisible();

  // Submitting with no name: its message, and focus goes to the first field at fault.
  await form.getByRole("button", { name: "Save alert" }).click();
  await expect(form.getByText("Name the alert, e.g. “Cyber work in Virginia”.")).toBeVisible();
  await expect(form.getByLabel("Name")).toBeFocused();

  await form.getByLabel("Name").fill("Cyber in Virginia");
  await naics.fill("5415");
  await naics.press("Enter");
  await naics.fill("541512");
  await naics.press("Enter");
  await expect(form.getByRole("list", { name: "Chosen NAICS codes" }).getByRole("listitem")).toHaveCount(2);
  await form.getByLabel("Filter states").fill("virginia");
  await form.getByRole("checkbox", { name: "Virginia (VA)" }).check();
  await form.getByLabel("Filter states").fill("maryland");
  await form.getByRole("checkbox", { name: "Maryland (MD)" }).check();
  await email.fill("");
  // Leaving the field clears its message first; the button then stays where the click lands.
  await email.press("Tab");
  await expect(form.getByText("Enter a valid e-mail address.")).toHaveCount(0);
  await form.getByRole("button", { name: "Save alert" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved “Cyber in Virginia”.");
  const row = page.getByTestId("alert-row").filter({ hasText: "Cyber in Virginia" });
  await expect(row).toContainText("NAICS: 5415, 541512");
  await expect(row).toContainText("States: VA, MD");
  await expect(row).toContainText("Active");

  // Editing: the same form and rules, filled in with the alert, saved with PATCH; the digest cap
  // and the "nothing new" e-mail, once API-only, are fields of it.
  await row.getByRole("button", { name: "Edit “Cyber in Virginia”" }).click();
  const edit = page.getByRole("form", { name: "Edit alert" });
  await expect(edit.getByLabel("Name")).toHaveValue("Cyber in Virginia");
  await expect(edit.getByRole("list", { name: "Chosen NAICS codes" }).getByRole("listitem")).toHaveCount(2);
  await expect(edit.getByRole("checkbox", { name: "Maryland (MD)" })).toBeChecked();
  await edit.getByLabel("Name").fill("Cyber in the capital region");
  await edit.getByRole("button", { name: /^Remove NAICS 541512/ }).click();
  // Checked inline when the field is left, by the rules the PATCH route's schema is built from.
  const cap = edit.getByLabel("Matches per e-mail");
  await cap.fill("99");
  await cap.press("Tab");
  await expect(edit.getByText("Enter a whole number from 1 to 50.")).toBeVisible();
  await cap.fill("10");
  await cap.press("Tab");
  await expect(edit.getByText("Enter a whole number from 1 to 50.")).toHaveCount(0);
  await edit.getByLabel("E-mail me when nothing is new").check();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toHaveCount(0);
  const edited = page.getByTestId("alert-row").filter({ hasText: "Cyber in the capital region" });
  await expect(edited).toContainText("NAICS: 5415");
  await expect(edited).not.toContainText("541512");
  await expect(edited).toContainText("States: VA, MD");
  await expect(edited).toContainText("also when nothing is new");
  const [stored] = (await (await page.request.get("/api/app/alerts")).json()).data;
  expect(stored).toMatchObject({ name: "Cyber in the capital region", digest_limit: 10, nothing_new_email: true });

  await edited.getByRole("button", { name: "Pause “Cyber in the capital region”" }).click();
  await expect(edited).toContainText("Paused");
  page.once("dialog", (dialog) => dialog.accept());
  await edited.getByRole("button", { name: "Delete “Cyber in the capital region”" }).click();
  await expect(page.getByText("No alerts yet")).toBeVisible();
});
